// The admin REST API on port 2525: mountebank's routes and shapes over node:http.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ImposterRegistry } from '../core/imposterRegistry.js';
import type { EventLog } from '../events/eventLog.js';
import type { Logger } from '../logging/logger.js';
import { StandinError, type ErrorBody } from '../model/errors.js';
import type { StandinOptions } from '../model/options.js';
import type { AdminAccess } from './adminAccess.js';
import { AdminReply, errorReply, ok, parseJsonBody, writeReply, type AdminRequest, type ErrorEnvelope } from './adminHttp.js';
import { imposterController } from './controllers/imposterController.js';
import { impostersController } from './controllers/impostersController.js';
import { eventsController } from './controllers/eventsController.js';
import { infoController } from './controllers/infoController.js';
import { inspectController } from './controllers/inspectController.js';
import { metricsController } from './controllers/metricsController.js';
import { riftStateController } from './controllers/riftStateController.js';
import type { ProcessMetrics } from '../metrics/processMetrics.js';
import type { TrafficHistory } from '../metrics/trafficHistory.js';
import { answerTooLarge, BodyTooLargeError, declaresTooLarge, readBody } from '../protocols/http/requestBody.js';
import { Router } from './router.js';
import type { WatchStatus } from '../watch/watchImposters.js';
import type { ScaleView } from './scaleView.js';
import { NOTHING_TO_RELOAD, type ReloadReport } from '../watch/reloadSource.js';
import type { Dashboard, DashboardAnswer } from '../dashboard/dashboard.js';
import { portOf } from '../model/boundPort.js';

/** How much of a refused request's error the log line keeps. */
const LOGGED_CHARS = 1000;

export function createAdminRouter(
  registry: ImposterRegistry,
  options: StandinOptions,
  logger: Logger,
  processMetrics: ProcessMetrics,
  events: EventLog,
  watchStatus: () => WatchStatus | undefined = () => undefined,
  scaleView?: ScaleView,
  reload: () => Promise<ReloadReport> = () => Promise.resolve(NOTHING_TO_RELOAD),
  traffic?: TrafficHistory,
): Router {
  const imposters = impostersController(registry);
  const metrics = metricsController(registry, processMetrics, scaleView, traffic);
  const imposter = imposterController(registry);
  const info = infoController(options, logger, watchStatus, scaleView);
  const inspect = inspectController(registry);
  const stream = eventsController(registry, events);
  const flows = riftStateController(registry);
  return (
    new Router()
      .add('GET', '/', info.home)
      .add('GET', '/config', info.config)
      .add('GET', '/logs', info.logs)
      .add('POST', '/admin/reload', async () => ok(await reload()))
      .add('GET', '/metrics', metrics.get)
      .add('GET', '/metrics/history', metrics.history)
      .add('GET', '/events', stream.events)
      .add('GET', '/imposters', imposters.list)
      .add('POST', '/imposters', imposters.create)
      .add('PUT', '/imposters', imposters.replaceAll)
      .add('DELETE', '/imposters', imposters.deleteAll)
      .add('GET', '/imposters/:id', imposter.get)
      .add('DELETE', '/imposters/:id', imposter.delete)
      .add('POST', '/imposters/:id/stubs', imposter.addStub)
      .add('PUT', '/imposters/:id/stubs', imposter.replaceStubs)
      .add('GET', '/imposters/:id/stubs/by-id/:stubId', imposter.getStubById)
      .add('PUT', '/imposters/:id/stubs/by-id/:stubId', imposter.replaceStubById)
      .add('DELETE', '/imposters/:id/stubs/by-id/:stubId', imposter.deleteStubById)
      .add('PUT', '/imposters/:id/stubs/:stubIndex', imposter.replaceStub)
      .add('DELETE', '/imposters/:id/stubs/:stubIndex', imposter.deleteStub)
      .add('DELETE', '/imposters/:id/savedRequests', imposter.deleteSavedRequests)
      .add('GET', '/imposters/:id/savedRequests', inspect.savedRequests)
      .add('GET', '/imposters/:id/savedRequests/stream', stream.savedRequestsStream)
      .add('GET', '/imposters/:id/savedRequests/:index', inspect.savedRequest)
      .add('POST', '/imposters/:id/verify', inspect.verify)
      .add('POST', '/imposters/:id/_requests', imposter.postRequest)
      .add('POST', '/imposters/:id/test', inspect.test)
      .add('GET', '/imposters/:id/_rift', inspect.rift)
      .add('DELETE', '/imposters/:id/savedProxyResponses', imposter.deleteSavedProxyResponses)
      // Deprecated in mountebank, and an alias of savedProxyResponses there, not of savedRequests.
      .add('DELETE', '/imposters/:id/requests', imposter.deleteSavedProxyResponses)
      .add('POST', '/imposters/:id/enable', imposter.enable)
      .add('POST', '/imposters/:id/disable', imposter.disable)
      // Rift's scenarios, spaces and flow state.
      .add('GET', '/imposters/:id/scenarios', flows.scenarios)
      .add('POST', '/imposters/:id/scenarios/reset', flows.resetScenarios)
      .add('PUT', '/imposters/:id/scenarios/:name/state', flows.setScenarioState)
      .add('POST', '/imposters/:id/spaces/:flowId/stubs', flows.addSpaceStub)
      .add('GET', '/imposters/:id/spaces/:flowId/stubs', flows.spaceStubs)
      .add('GET', '/imposters/:id/spaces/:flowId', flows.space)
      .add('DELETE', '/imposters/:id/spaces/:flowId', flows.deleteSpace)
      .add('DELETE', '/admin/imposters/:id/flow-state/:flowId', flows.clearFlow)
      .add('GET', '/admin/imposters/:id/flow-state/:flowId/:key', flows.flowValue)
      .add('PUT', '/admin/imposters/:id/flow-state/:flowId/:key', flows.setFlowValue)
      .add('DELETE', '/admin/imposters/:id/flow-state/:flowId/:key', flows.deleteFlowValue)
  );
}

export interface AdminServer {
  server: http.Server;
  close(): Promise<void>;
}

export function createAdminServer(
  router: Router,
  port: number,
  allowAddress: (address: string | undefined) => boolean,
  logger: Logger,
  access: AdminAccess,
  bodyLimit: number,
  /** Runs before every routed request (--workers, --fleet: collect what the other processes served, so the answer includes it). */
  before?: (method: string, path: string) => Promise<void>,
  dashboard?: Dashboard,
): AdminServer {
  // With port 0 the OS chooses: the log names the port it chose.
  let boundPort = port;
  const log = logger.scoped(() => `[mb:${boundPort}] `);
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const tooLarge = (): void => {
      const error = new StandinError('payload too large', new BodyTooLargeError(bodyLimit, '--adminBodyLimit').message);
      log.warn(`${req.method} ${req.url} refused: 413, ${error.message}`);
      answerTooLarge(req, res, JSON.stringify({ errors: [error.toJSON()] }, null, 2), access.headers);
    };
    if (declaresTooLarge(req, bodyLimit)) {
      tooLarge();
      return;
    }
    readBody(req, bodyLimit, tooLarge)
      .then((body) => {
        if (body) return handle(router, access, dashboard, req, res, body, boundPort, log, before);
      })
      .catch((err: unknown) => log.error(`error reading ${req.method} ${req.url}: ${describeError(err)}`));
  });
  server.on('listening', () => {
    boundPort = portOf(server.address());
  });
  server.on('connection', (socket: Socket) => {
    if (!allowAddress(socket.remoteAddress)) {
      log.warn(`Blocking incoming connection from ${socket.remoteAddress}. Turn off --localOnly or add to --ipWhitelist to allow`);
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

/** mountebank's line for a refused creation: the validation errors as a list, a failed start (port in use) alone. */
function creationError(body: ErrorEnvelope): string {
  const errors = shortenedErrors(body);
  const single = errors.length === 1 && ['resource conflict', 'insufficient access', 'cannot start server'].includes(String(errors[0]!.code));
  return `error creating imposter: ${boundedJson(single ? errors[0] : errors)}`;
}

/** The body as mountebank's parsed-then-stringified form (compact), or as sent when it is not JSON. */
function compactJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text;
  }
}

async function handle(
  router: Router,
  access: AdminAccess,
  dashboard: Dashboard | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  port: number,
  log: ReturnType<Logger['scoped']>,
  before: ((method: string, path: string) => Promise<void>) | undefined,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = req.method ?? 'GET';
  // mountebank logs the URL as sent (query string included), and the body of imposter creations at
  // debug level. The dashboard's own calls (marked by its header) and its files are logged at debug:
  // a page left open must not fill the log with its polling.
  const fromDashboard = req.headers['x-standin-dashboard'] !== undefined || url.pathname.startsWith('/dashboard/');
  if (fromDashboard) log.debug(`${method} ${req.url ?? url.pathname}`);
  else log.info(`${method} ${req.url ?? url.pathname}`);
  if ((method === 'POST' || method === 'PUT') && url.pathname === '/imposters' && log.isDebugEnabled()) {
    log.debug(`${req.socket.remoteAddress}:${req.socket.remotePort} => ${compactJson(body.toString('utf8'))}`);
  }
  const headers = access.headers;
  // Pages, the dashboard's files and the docs hold nothing of the instance: they are served without
  // the API key (the pages ask for it and send it with every call they make).
  const page = dashboard?.answer(req, url.pathname);
  if (page) {
    writePage(res, page, method, headers);
    return;
  }
  // A browser's preflight carries no API key, so it is answered first (mb would 401 it).
  const early = access.preflight(req) ?? access.refuse(req, log);
  if (early) {
    writeReply(res, early, headers);
    return;
  }
  try {
    const found = router.find(method, url.pathname);
    if ('allowed' in found) {
      const reply =
        found.allowed.length > 0
          ? errorReply(new StandinError('bad data', `${method} is not supported on ${url.pathname}; use ${found.allowed.join(', ')}`).withStatus(405))
          : errorReply(new StandinError('no such resource', `no admin route for ${method} ${url.pathname}`));
      writeReply(res, reply, headers);
      return;
    }
    const request: AdminRequest = {
      method,
      path: url.pathname,
      query: url.searchParams,
      params: found.params,
      body: method === 'GET' ? '' : parseJsonBody(body),
      baseUrl: `http://${req.headers.host ?? `localhost:${port}`}`,
      raw: req,
    };
    if (before !== undefined) await before(method, url.pathname);
    writeReply(res, await found.handler(request), headers);
  } catch (err) {
    const reply = errorReply(err);
    if (reply.status >= 500) log.error(`error handling ${method} ${url.pathname}: ${describeError(err)}`);
    else if (url.pathname === '/imposters' && (method === 'POST' || method === 'PUT')) log.error(creationError(reply.body));
    else log.warn(`${method} ${url.pathname} refused: ${excerptOf(reply.body)}`);
    writeErrorReply(res, reply, headers);
  }
}

/** The refusal as the log shows it: a bounded excerpt, since an error may echo a body of many MB. */
function excerptOf(body: ErrorEnvelope): string {
  return boundedJson({ errors: shortenedErrors(body) });
}

function shortenedErrors(body: ErrorEnvelope): ErrorBody[] {
  return body.errors.map((e) => (typeof e.source === 'string' ? { ...e, source: e.source.slice(0, LOGGED_CHARS + 1) } : e));
}

function boundedJson(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch {
    return '(an error too large to show)';
  }
  return text.length > LOGGED_CHARS ? `${text.slice(0, LOGGED_CHARS)}...` : text;
}

/** An error echoing a source too large to print (past the longest string V8 makes) still gets its status and message. */
function writeErrorReply(res: ServerResponse, reply: AdminReply<ErrorEnvelope>, headers: Record<string, string>): void {
  try {
    writeReply(res, reply, headers);
  } catch {
    writeReply(res, new AdminReply(reply.status, { errors: reply.body.errors.map(({ code, message }) => ({ code, message })) }), headers);
  }
}

function describeError(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

function writePage(res: ServerResponse, page: DashboardAnswer, method: string, extraHeaders: Record<string, string>): void {
  const length = typeof page.body === 'string' ? Buffer.byteLength(page.body) : page.body.length;
  res.writeHead(page.status, { ...extraHeaders, ...page.headers, 'Content-Length': length });
  res.end(method === 'HEAD' ? undefined : page.body);
}
