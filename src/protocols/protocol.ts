// What the core needs from a protocol (http, https, tcp, smtp): how to build the wire reply for
// an `is` response, how to serve an imposter, and what the imposter's own protocol fields mean.
import type { Log } from '../logging/logger.js';
import type { ProtocolRequest } from '../model/request.js';
import type { ScriptScope } from '../injection/index.js';
import type { CompiledBehaviors } from '../responses/behaviors.js';
import type { CompiledResponse, ResponseContext } from '../responses/compileResponse.js';
import type { TemplateOptions } from '../templates/compileTemplate.js';

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

/** What a protocol may need from the command line when it configures an imposter. */
export interface ProtocolSettings {
  allowInjection: boolean;
  /** The imposter's script scope (state, logger, time limit) for injected protocol functions. */
  scripts: ScriptScope;
}

export interface ProtocolAdapter {
  readonly name: string;
  /** How predicates read request strings: 'base64' is tcp's binary mode. Default 'utf8'. */
  readonly predicateEncoding?: 'utf8' | 'base64';
  /** The request used to check that predicates evaluate at creation (mountebank's dry run). */
  readonly testRequest: ProtocolRequest;
  /** Compiles an `is` response merged with the imposter's defaultResponse; throws StandinError. */
  compileReply(is: Record<string, unknown>, defaultResponse: Record<string, unknown> | undefined, source: unknown): unknown;
  /**
   * Compiles an `is` response whose fields hold templates into a per-request reply builder;
   * undefined when nothing in it is a template. Absent: the protocol renders no templates.
   */
  compileTemplatedReply?(
    is: Record<string, unknown>,
    defaultResponse: Record<string, unknown> | undefined,
    source: unknown,
    options: TemplateOptions,
  ): ((request: ProtocolRequest) => unknown) | undefined;
  /** The reply as JSON, for `matches` under --debug. */
  describeReply(reply: unknown): unknown;
  listen(handler: RequestHandler, options: ListenOptions): Promise<ProtocolServer>;
  /**
   * Validates the imposter's protocol fields (https `key`/`cert`, tcp `mode`) once, at creation,
   * and returns the adapter bound to them. It may fill in defaults in `config`, which the imposter
   * echoes (mountebank always prints tcp's `mode`). Throws StandinError or ValidationFailure.
   */
  configure?(config: Record<string, unknown>, settings: ProtocolSettings): ProtocolAdapter;
  /** Compiles a `proxy` response for this protocol; absent means the http(s) proxy. */
  compileProxy?(config: Record<string, unknown>, context: ResponseContext, repeat: number, behaviors: CompiledBehaviors): CompiledResponse;
}
