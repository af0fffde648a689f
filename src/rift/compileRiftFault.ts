// A response's `_rift.fault`: latency (fixed or a min/max range), an error answer, or a TCP
// fault, each with a probability. All draws happen first; then latency; tcp wins over error.
import type { Outcome, ResponseContext } from '../contracts/index.js';
import { validationError } from '../model/errors.js';
import { isPlainObject } from '../model/plainObject.js';

/** The TCP faults the http adapter performs, by their names and Rift's short aliases. */
export const TCP_FAULTS: Readonly<Record<string, string>> = {
  CONNECTION_RESET_BY_PEER: 'CONNECTION_RESET_BY_PEER',
  reset: 'CONNECTION_RESET_BY_PEER',
  EMPTY_RESPONSE: 'EMPTY_RESPONSE',
  empty: 'EMPTY_RESPONSE',
  RANDOM_DATA_THEN_CLOSE: 'RANDOM_DATA_THEN_CLOSE',
  random: 'RANDOM_DATA_THEN_CLOSE',
  MALFORMED_RESPONSE_CHUNK: 'MALFORMED_RESPONSE_CHUNK',
  malformed: 'MALFORMED_RESPONSE_CHUNK',
};

export interface RiftFault {
  /** Draws the faults, then answers with one, or with `serve()` (plus any latency). */
  apply(serve: () => Outcome | Promise<Outcome>): Outcome | Promise<Outcome>;
}

interface Latency {
  probability: number;
  minMs: number;
  maxMs: number;
}

export function compileRiftFault(config: unknown, context: ResponseContext): RiftFault {
  if (!isPlainObject(config)) throw validationError("'_rift.fault' must be an object", config);
  const latency = config.latency === undefined ? null : compileLatency(config.latency);
  const tcp = config.tcp === undefined ? null : compileTcp(config.tcp, context);
  const error = config.error === undefined ? null : compileError(config.error, context);

  return {
    apply(serve) {
      const delayMs = latency && fires(latency.probability) ? latency.minMs + Math.floor(Math.random() * (latency.maxMs - latency.minMs + 1)) : 0;
      const tcpFires = tcp !== null && fires(tcp.probability);
      const errorFires = error !== null && fires(error.probability);
      if (tcpFires) return { ...tcp.outcome, delayMs };
      if (errorFires) return { ...error.outcome, delayMs };
      return delayMs === 0 ? serve() : addDelay(serve(), delayMs);
    },
  };
}

export function addDelay(outcome: Outcome | Promise<Outcome>, ms: number): Outcome | Promise<Outcome> {
  if (outcome instanceof Promise) return outcome.then((o) => ({ ...o, delayMs: o.delayMs + ms }));
  return { ...outcome, delayMs: outcome.delayMs + ms };
}

const fires = (probability: number): boolean => probability >= 1 || Math.random() < probability;

function compileProbability(value: unknown, source: unknown, field: string): number {
  if (value === undefined) return 1;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw validationError(`'_rift.fault.${field}.probability' must be a number from 0 to 1`, source);
  }
  return value;
}

function compileMs(value: unknown, source: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw validationError(`'_rift.fault.latency.${name}' must be an integer of milliseconds, at least 0`, source);
  }
  return value;
}

function compileLatency(config: unknown): Latency {
  if (!isPlainObject(config)) throw validationError("'_rift.fault.latency' must be an object", config);
  const probability = compileProbability(config.probability, config, 'latency');
  if (config.ms !== undefined) {
    const ms = compileMs(config.ms, config, 'ms');
    return { probability, minMs: ms, maxMs: ms };
  }
  const minMs = compileMs(config.minMs, config, 'minMs');
  const maxMs = compileMs(config.maxMs, config, 'maxMs');
  if (maxMs < minMs) throw validationError("'_rift.fault.latency.maxMs' must be at least minMs", config);
  return { probability, minMs, maxMs };
}

function compileTcp(config: unknown, context: ResponseContext): { probability: number; outcome: Outcome } {
  const spec = typeof config === 'string' ? { type: config } : config;
  if (!isPlainObject(spec)) throw validationError("'_rift.fault.tcp' must be a fault name or an object", config);
  const fault = typeof spec.type === 'string' ? TCP_FAULTS[spec.type] : undefined;
  if (!fault) {
    throw validationError(`'_rift.fault.tcp.type' must be one of ${Object.keys(TCP_FAULTS).join(', ')}`, config);
  }
  const probability = compileProbability(spec.probability, config, 'tcp');
  return { probability, outcome: { reply: context.protocol.compileReply({}, undefined, config), fault, delayMs: 0 } };
}

function compileError(config: unknown, context: ResponseContext): { probability: number; outcome: Outcome } {
  if (!isPlainObject(config)) throw validationError("'_rift.fault.error' must be an object", config);
  const probability = compileProbability(config.probability, config, 'error');
  const headers = config.headers ?? {};
  if (!isPlainObject(headers)) throw validationError("'_rift.fault.error.headers' must be an object", config);
  const is = { statusCode: config.status ?? 503, headers: { ...headers, 'x-rift-fault': 'error' }, body: config.body ?? '' };
  return { probability, outcome: { reply: context.protocol.compileReply(is, undefined, config), delayMs: 0 } };
}
