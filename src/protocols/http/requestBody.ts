// Request bodies within a size limit, for imposters and the admin API alike. mountebank reads any
// body whole, so a 600 MB upload or a 500 KB gzip that inflates to 560 MB could exhaust memory (or
// the largest string V8 can make) and stop every imposter. The limit is counted on the bytes as
// they arrive and on the inflated output; past it the request gets 413 and is not kept.
import type { IncomingMessage, ServerResponse } from 'node:http';
import zlib from 'node:zlib';
import { errorCode } from '../../model/caughtError.js';

/** The body (as received, or once inflated) is larger than the limit. */
export class BodyTooLargeError extends Error {
  constructor(
    readonly limit: number,
    readonly flag: string,
  ) {
    super(`the request body is larger than ${describeBytes(limit)}; start standin with a larger ${flag} to accept it`);
    this.name = 'BodyTooLargeError';
  }
}

/** `64 MiB`, `512 KiB`, `100 bytes`: how a limit reads in messages. */
export function describeBytes(bytes: number): string {
  const units: Array<[number, string]> = [
    [1024 ** 3, 'GiB'],
    [1024 ** 2, 'MiB'],
    [1024, 'KiB'],
  ];
  for (const [size, unit] of units) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size} ${unit}`;
  }
  return `${bytes} bytes`;
}

/** True when the Content-Length header already says the body is over the limit. */
export function declaresTooLarge(req: IncomingMessage, limit: number): boolean {
  const declared = req.headers['content-length'];
  return declared !== undefined && Number(declared) > limit;
}

/**
 * Collects the body; resolves null (after calling onTooLarge once) when it grows past the limit,
 * from which point arriving bytes are discarded rather than kept.
 */
export function readBody(req: IncomingMessage, limit: number, onTooLarge: () => void): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    // With a declared length the bytes are copied into place as they arrive: no copy of the whole
    // body in one go at the end (tens of ms for tens of MB, during which nothing else is served).
    const declared = Number(req.headers['content-length']);
    const whole = declared > 64 * 1024 && declared <= limit ? Buffer.allocUnsafe(declared) : undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      if (size + chunk.length <= limit) {
        if (whole) chunk.copy(whole, size);
        else chunks.push(chunk);
        size += chunk.length;
        return;
      }
      size += chunk.length;
      req.off('data', onData);
      req.resume();
      chunks.length = 0;
      onTooLarge();
      resolve(null);
    };
    req.on('data', onData);
    req.on('end', () => {
      if (size > limit) return;
      if (whole) resolve(whole.subarray(0, size));
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    req.on('error', reject);
  });
}

/** After a 413, how much of the rest of the body is read and thrown away, and how long before the connection is cut. */
const DRAIN_MS = 2_000;
const DRAIN_BYTES = 16 * 1024 * 1024;

/**
 * Answers 413. Closing at once would reset the connection while the client is still sending, and
 * a reset destroys the answer in the client's buffers before the client reads it; so the rest of
 * the body is read and thrown away (clients stop sending once they see the answer). Past
 * DRAIN_BYTES standin stops reading instead: TCP then holds a client that keeps sending without
 * looking for an answer, and its blocked write lets it read the 413. The connection is cut
 * DRAIN_MS after the answer, or when the body ends.
 */
export function answerTooLarge(req: IncomingMessage, res: ServerResponse, body: string, headers: Record<string, string> = {}): void {
  let drained = 0;
  const timer = setTimeout(() => req.socket.destroy(), DRAIN_MS);
  timer.unref();
  const onData = (chunk: Buffer): void => {
    drained += chunk.length;
    if (drained <= DRAIN_BYTES) return;
    req.off('data', onData);
    req.pause();
  };
  req.on('data', onData);
  req.once('end', () => clearTimeout(timer));
  req.socket.once('close', () => clearTimeout(timer));
  req.resume();
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(413, { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

type Inflate = (buffer: Buffer, options: zlib.ZlibOptions & zlib.BrotliOptions, callback: (err: Error | null, out: Buffer) => void) => void;

const INFLATERS: Record<string, Inflate[]> = {
  gzip: [zlib.gunzip],
  'x-gzip': [zlib.gunzip],
  br: [zlib.brotliDecompress],
  // Servers send deflate both zlib-wrapped and raw; accept both.
  deflate: [zlib.inflate, zlib.inflateRaw],
};

/**
 * The body inflated per its Content-Encoding, off the event loop (zlib's thread pool) and never
 * beyond `limit` bytes of output (BodyTooLargeError). A body that does not inflate, or an encoding
 * standin does not know, is kept as sent rather than losing the request.
 */
export async function decodeBody(body: Buffer, contentEncoding: string, limit: number, flag: string): Promise<Buffer> {
  const inflaters = INFLATERS[contentEncoding.trim().toLowerCase()];
  if (!inflaters || body.length === 0) return body;
  for (const inflate of inflaters) {
    try {
      return await new Promise<Buffer>((resolve, reject) =>
        // 1 MiB output chunks: a sixteenth of the main-thread callbacks of the default 16 KiB.
        inflate(body, { maxOutputLength: limit, chunkSize: 1024 * 1024 }, (err, out) => (err ? reject(err) : resolve(out))),
      );
    } catch (err) {
      if (errorCode(err) === 'ERR_BUFFER_TOO_LARGE') throw new BodyTooLargeError(limit, flag);
    }
  }
  return body;
}
