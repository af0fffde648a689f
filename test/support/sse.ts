// A Server-Sent Events client over a real socket: reads frames as they arrive.
import http from 'node:http';
import { freePort, post } from './http.js';

export interface SseFrame {
  event?: string;
  id?: string;
  data: string;
  comment?: string;
}

export interface SseClient {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The next frame (heartbeats included), or a failure after `timeoutMs`. */
  next(timeoutMs?: number): Promise<SseFrame>;
  /** Frames until one named `event` arrives; returns it. */
  waitFor(event: string, timeoutMs?: number): Promise<SseFrame>;
  /** Frames already received and not yet read. */
  pending(): SseFrame[];
  close(): void;
}

function parse(block: string): SseFrame {
  const frame: SseFrame = { data: '' };
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) frame.comment = line.slice(1).trim();
    else if (line.startsWith('event:')) frame.event = line.slice(6).trim();
    else if (line.startsWith('id:')) frame.id = line.slice(3).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).trim());
  }
  frame.data = data.join('\n');
  return frame;
}

export function openSse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { headers: { Accept: 'text/event-stream', ...headers }, agent: false }, (res) => {
      let buffer = '';
      const frames: SseFrame[] = [];
      let waiter: (() => void) | null = null;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          frames.push(parse(buffer.slice(0, end)));
          buffer = buffer.slice(end + 2);
        }
        waiter?.();
      });
      const next = async (timeoutMs = 5_000): Promise<SseFrame> => {
        const deadline = Date.now() + timeoutMs;
        while (frames.length === 0) {
          const left = deadline - Date.now();
          if (left <= 0) throw new Error('no event-stream frame arrived in time');
          await new Promise<void>((r) => {
            const timer = setTimeout(r, left);
            waiter = () => {
              clearTimeout(timer);
              r();
            };
          });
          waiter = null;
        }
        return frames.shift()!;
      };
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        next,
        async waitFor(event, timeoutMs = 5_000) {
          const deadline = Date.now() + timeoutMs;
          for (;;) {
            const frame = await next(Math.max(1, deadline - Date.now()));
            if (frame.event === event) return frame;
          }
        },
        pending: () => frames.splice(0),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Frames up to and including the one with `id`, skipping heartbeats. */
export async function framesThrough(client: SseClient, id: number): Promise<SseFrame[]> {
  const frames: SseFrame[] = [];
  for (;;) {
    const frame = await client.next();
    if (frame.comment !== undefined) continue;
    frames.push(frame);
    if (frame.id !== undefined && Number(frame.id) >= id) return frames;
  }
}

/** An http imposter on a free port that records its requests, with one stub (`hello`) for GET /hello. */
export async function recordingImposter(adminUrl: string): Promise<number> {
  const port = await freePort();
  const created = await post(`${adminUrl}/imposters`, {
    protocol: 'http',
    port,
    recordRequests: true,
    stubs: [{ id: 'hello', predicates: [{ equals: { path: '/hello' } }], responses: [{ is: { body: 'hi' } }] }],
  });
  if (created.status !== 201) throw new Error(`could not create the recording imposter: ${created.status} ${created.body}`);
  return port;
}
