// Rift's debug mode: a request carrying `X-Rift-Debug: true` is answered with what matching made
// of it (Rift's documented shape) instead of the stub's response. Like the dry run, nothing is
// counted, recorded or cycled. Each stub of a miss also carries the clauses it failed.
import { RAW_HTTP, type ProtocolRequest } from '../model/request.js';
import { RESPONSE_MODIFIERS } from '../model/knownFields.js';
import { isPlainObject } from '../model/plainObject.js';
import type { CompiledResponse } from '../contracts/index.js';
import type { EchoedResponse } from '../model/echoedDefinition.js';
import type { Stub } from './stub.js';
import type { StubReport, TestResult } from './stubReports.js';

/** What the debug answer reads of an imposter. */
export interface DebuggedImposter {
  readonly port: number;
  readonly config: Record<string, unknown>;
  readonly protocol: { readonly name: string };
  readonly stubs: readonly Stub[];
  /** Response kinds' keys first (the registry's order), then the extensions' and the modifiers. */
  readonly responseFields: readonly string[];
  /** A promise where script predicates read flow state kept in Redis. */
  test(request: ProtocolRequest): TestResult | Promise<TestResult>;
  /** The response a stub gives next (a promise when its cycle position is kept by another process). */
  upcomingResponse(stub: Stub): CompiledResponse | Promise<CompiledResponse>;
}

const BODY_PREVIEW = 500;

/** Rift's debug answer, each object's fields in the order they are printed. */
export interface RiftDebugAnswer {
  debug: true;
  request: DebugRequest;
  imposter: { port: number; name?: string; protocol: string; stubCount: number };
  matchResult: DebugMatch | DebugMiss;
}

interface DebugRequest {
  method: unknown;
  path: unknown;
  /** The query string as received (http). */
  query?: string;
  headers: Record<string, unknown>;
  body: string | null;
}

interface DebugMatch {
  matched: true;
  stubIndex: number;
  stubId?: string;
  predicates: unknown;
  responsePreview?: ResponsePreview;
}

interface DebugMiss {
  matched: false;
  reason: string;
  allStubs: StubListing[];
}

interface ResponsePreview {
  /** The response's kind (`is`, `proxy`, `inject`, ...). */
  responseType: string;
  statusCode?: number;
  headers?: Record<string, unknown>;
  bodyPreview?: string;
}

interface StubListing {
  index: number;
  id?: string;
  predicates: unknown;
  responseCount: number;
  failed: StubReport['failed'];
}

function requestPart(request: ProtocolRequest): DebugRequest {
  const raw = request[RAW_HTTP];
  const q = raw?.url.indexOf('?') ?? -1;
  const query = raw !== undefined && q !== -1 ? { query: raw.url.slice(q + 1) } : {};
  const headers: Record<string, unknown> = {};
  if (isPlainObject(request.headers)) {
    for (const [name, value] of Object.entries(request.headers)) {
      if (name.toLowerCase() !== 'x-rift-debug') headers[name] = value;
    }
  }
  const body = typeof request.body === 'string' && request.body !== '' ? request.body : null;
  return { method: request.method, path: request.path, ...query, headers, body };
}

function responsePreview(config: EchoedResponse, responseFields: readonly string[]): ResponsePreview {
  const responseType = responseFields.find((field) => config[field] !== undefined && config[field] !== null && !RESPONSE_MODIFIERS.includes(field)) ?? 'is';
  const preview: ResponsePreview = { responseType };
  const is = config.is;
  if (responseType === 'is' && isPlainObject(is)) {
    preview.statusCode = Number(is.statusCode ?? 200);
    preview.headers = isPlainObject(is.headers) ? is.headers : {};
    if (is.body !== undefined && is.body !== null) {
      const body = typeof is.body === 'string' ? is.body : JSON.stringify(is.body);
      preview.bodyPreview = body.slice(0, BODY_PREVIEW);
    }
  }
  return preview;
}

function stubListing(imposter: DebuggedImposter, report: StubReport): StubListing {
  const stub = imposter.stubs[report.index]!;
  const id = report.id !== undefined ? { id: report.id } : {};
  return { index: report.index, ...id, predicates: stub.config.predicates ?? [], responseCount: stub.responses.length, failed: report.failed };
}

export function riftDebugAnswer(imposter: DebuggedImposter, request: ProtocolRequest): RiftDebugAnswer | Promise<RiftDebugAnswer> {
  const tested = imposter.test(request);
  return tested instanceof Promise ? tested.then((result) => debugAnswer(imposter, request, result)) : debugAnswer(imposter, request, tested);
}

function debugAnswer(imposter: DebuggedImposter, request: ProtocolRequest, { answering, reports }: TestResult): RiftDebugAnswer | Promise<RiftDebugAnswer> {
  const name = typeof imposter.config.name === 'string' ? { name: imposter.config.name } : {};
  const about = { port: imposter.port, ...name, protocol: imposter.protocol.name, stubCount: imposter.stubs.length };
  if (answering === -1) {
    const matchResult: DebugMiss = {
      matched: false,
      reason: 'No stub predicates matched the request',
      allStubs: reports.map((report) => stubListing(imposter, report)),
    };
    return { debug: true, request: requestPart(request), imposter: about, matchResult };
  }
  const stub = imposter.stubs[answering]!;
  const stubId = stub.id !== undefined ? { stubId: stub.id } : {};
  const matchResult: DebugMatch = { matched: true, stubIndex: answering, ...stubId, predicates: stub.config.predicates ?? [] };
  const upcoming = imposter.upcomingResponse(stub);
  const answer = (response: CompiledResponse): RiftDebugAnswer => {
    matchResult.responsePreview = responsePreview(response.config, imposter.responseFields);
    return { debug: true, request: requestPart(request), imposter: about, matchResult };
  };
  return upcoming instanceof Promise ? upcoming.then(answer) : answer(upcoming);
}
