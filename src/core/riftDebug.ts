// Rift's debug mode: a request carrying `X-Rift-Debug: true` is answered with what matching made
// of it (Rift's documented shape) instead of the stub's response. Like the dry run, nothing is
// counted, recorded or cycled. Each stub of a miss also carries the clauses it failed.
import { RAW_HTTP, type ProtocolRequest } from '../model/request.js';
import { RESPONSE_MODIFIERS } from '../model/knownFields.js';
import { isPlainObject } from '../model/plainObject.js';
import type { CompiledResponse } from '../contracts/index.js';
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

function requestPart(request: ProtocolRequest): Record<string, unknown> {
  const raw = request[RAW_HTTP];
  const out: Record<string, unknown> = { method: request.method, path: request.path };
  const q = raw?.url.indexOf('?') ?? -1;
  if (raw !== undefined && q !== -1) out.query = raw.url.slice(q + 1);
  const headers: Record<string, unknown> = {};
  if (isPlainObject(request.headers)) {
    for (const [name, value] of Object.entries(request.headers)) {
      if (name.toLowerCase() !== 'x-rift-debug') headers[name] = value;
    }
  }
  out.headers = headers;
  out.body = typeof request.body === 'string' && request.body !== '' ? request.body : null;
  return out;
}

function responsePreview(config: Record<string, unknown>, responseFields: readonly string[]): Record<string, unknown> {
  const responseType = responseFields.find((field) => config[field] !== undefined && config[field] !== null && !RESPONSE_MODIFIERS.includes(field)) ?? 'is';
  const preview: Record<string, unknown> = { responseType };
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

function stubListing(imposter: DebuggedImposter, report: StubReport): Record<string, unknown> {
  const stub = imposter.stubs[report.index]!;
  const out: Record<string, unknown> = { index: report.index };
  if (report.id !== undefined) out.id = report.id;
  out.predicates = stub.config.predicates ?? [];
  out.responseCount = stub.responses.length;
  out.failed = report.failed;
  return out;
}

export function riftDebugAnswer(imposter: DebuggedImposter, request: ProtocolRequest): Record<string, unknown> | Promise<Record<string, unknown>> {
  const tested = imposter.test(request);
  return tested instanceof Promise ? tested.then((result) => debugAnswer(imposter, request, result)) : debugAnswer(imposter, request, tested);
}

function debugAnswer(
  imposter: DebuggedImposter,
  request: ProtocolRequest,
  { answering, reports }: TestResult,
): Record<string, unknown> | Promise<Record<string, unknown>> {
  const about: Record<string, unknown> = { port: imposter.port };
  if (typeof imposter.config.name === 'string') about.name = imposter.config.name;
  about.protocol = imposter.protocol.name;
  about.stubCount = imposter.stubs.length;
  let matchResult: Record<string, unknown>;
  if (answering === -1) {
    matchResult = {
      matched: false,
      reason: 'No stub predicates matched the request',
      allStubs: reports.map((report) => stubListing(imposter, report)),
    };
  } else {
    const stub = imposter.stubs[answering]!;
    matchResult = { matched: true, stubIndex: answering };
    if (stub.id !== undefined) matchResult.stubId = stub.id;
    matchResult.predicates = stub.config.predicates ?? [];
    const upcoming = imposter.upcomingResponse(stub);
    const answer = (response: CompiledResponse): Record<string, unknown> => {
      matchResult.responsePreview = responsePreview(response.config, imposter.responseFields);
      return { debug: true, request: requestPart(request), imposter: about, matchResult };
    };
    return upcoming instanceof Promise ? upcoming.then(answer) : answer(upcoming);
  }
  return { debug: true, request: requestPart(request), imposter: about, matchResult };
}
