// What the core needs from a protocol (http now; https, tcp, smtp later): how to build the
// wire reply for an `is` response, and how to serve an imposter.
import type { Log } from '../logging/logger.js';
import type { ProtocolRequest } from '../model/request.js';

export interface Outcome {
  /** Protocol-specific reply (e.g. HttpReply); the default reply when nothing else applies. */
  reply: unknown;
  /** mountebank's `fault` value, when the response is a fault. */
  fault?: string;
  /** Milliseconds to wait before answering (the `wait` behavior). */
  delayMs: number;
}

/** The part of an imposter a protocol server calls for every request. */
export interface RequestHandler {
  handle(request: ProtocolRequest): Outcome | Promise<Outcome>;
  readonly log: Log;
  readonly allowCORS: boolean;
}

export interface ProtocolServer {
  /** Port actually bound (resolved when 0 was asked). */
  readonly port: number;
  close(): Promise<void>;
}

export interface ListenOptions {
  port: number;
  host: string | undefined;
  /** Rejects sockets from addresses not allowed (--localOnly / --ipWhitelist). */
  allowAddress: (address: string | undefined) => boolean;
}

export interface ProtocolAdapter {
  readonly name: string;
  /** The request used to check that predicates evaluate at creation (mountebank's dry run). */
  readonly testRequest: ProtocolRequest;
  /** Compiles an `is` response merged with the imposter's defaultResponse; throws StandinError. */
  compileReply(is: Record<string, unknown>, defaultResponse: Record<string, unknown> | undefined, source: unknown): unknown;
  /** The reply as JSON, for `matches` under --debug. */
  describeReply(reply: unknown): unknown;
  listen(handler: RequestHandler, options: ListenOptions): Promise<ProtocolServer>;
}
