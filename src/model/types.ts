// Shapes of what users send, in mountebank's JSON. Kept loose where mountebank is loose:
// the stored, echoed stub is the user's own JSON after upcasting (see model/upcast.ts).

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export type Protocol = 'http' | 'https' | 'tcp' | 'smtp';

export interface ImposterConfig {
  protocol: string;
  port?: number;
  name?: string;
  host?: string;
  recordRequests?: boolean;
  allowCORS?: boolean;
  defaultResponse?: JsonObject;
  stubs?: StubConfig[];
  [extra: string]: unknown;
}

export interface StubConfig {
  predicates?: JsonObject[];
  responses?: ResponseConfig[];
  [extra: string]: unknown;
}

export interface ResponseConfig {
  is?: JsonObject;
  proxy?: JsonObject | null;
  inject?: string;
  fault?: string;
  repeat?: number;
  behaviors?: JsonObject[];
  _behaviors?: JsonObject;
  [extra: string]: unknown;
}

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
