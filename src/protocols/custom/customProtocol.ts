// A custom protocol as mountebank runs one: standin spawns `createCommand` with the imposter's
// JSON as the last argument, waits for its first line on stdout (optional JSON metadata, such as
// the port it chose), relays its `level message` lines to the log, and answers the requests it
// POSTs to `callbackURLTemplate` (POST /imposters/:port/_requests, see the imposter controller).
import type { ListenOptions, ProtocolAdapter, ProtocolServer, RequestHandler } from '../../contracts/index.js';
import { spawn } from 'node:child_process';
import { StandinError } from '../../model/errors.js';
import { isPlainObject } from '../../model/plainObject.js';

export interface CustomProtocolContext {
  /** `http://HOST:PORT/imposters/:port/_requests` of this standin's admin API. */
  callbackURLTemplate: string;
  loglevel: string;
  allowInjection: boolean;
}

interface Definition {
  createCommand: string;
  testRequest: Record<string, unknown>;
}

/** Fields every imposter has; the others are the protocol's own and are passed to its command. */
const COMMON_FIELDS = new Set(['protocol', 'port', 'name', 'recordRequests', 'stubs', 'defaultResponse']);
const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

export function customProtocol(name: string, definition: Definition, context: CustomProtocolContext): ProtocolAdapter {
  const adapter = (imposterConfig: Record<string, unknown>): ProtocolAdapter => ({
    name,
    testRequest: definition.testRequest,
    // The response goes to the protocol's process as JSON; it merges the defaultResponse itself (mb's contract).
    compileReply: (is) => is,
    describeReply: (reply) => reply,
    listen: (handler, options) => spawnServer(name, definition.createCommand, imposterConfig, handler, options, context),
    configure: (config) => adapter(config),
    validateProxy: () => {
      throw new StandinError('bad data', `proxy responses are not supported for the custom protocol ${name}`);
    },
  });
  return adapter({});
}

function spawnServer(
  name: string,
  createCommand: string,
  config: Record<string, unknown>,
  handler: RequestHandler,
  options: ListenOptions,
  context: CustomProtocolContext,
): Promise<ProtocolServer> {
  const args: Record<string, unknown> = {
    port: options.port || undefined,
    callbackURLTemplate: context.callbackURLTemplate,
    loglevel: context.loglevel,
    allowInjection: context.allowInjection,
  };
  if (options.host !== undefined) args.host = options.host;
  for (const [key, value] of Object.entries(config)) if (!COMMON_FIELDS.has(key)) args[key] = value;
  if (config.defaultResponse !== undefined) args.defaultResponse = config.defaultResponse;

  const [command, ...commandArgs] = createCommand.trim().split(/\s+/);
  const child = spawn(command!, [...commandArgs, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let closing = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  return new Promise<ProtocolServer>((resolve, reject) => {
    let pending = true;
    const fail = (message: string) => {
      if (!pending) return;
      pending = false;
      child.kill('SIGKILL');
      reject(new StandinError('cannot start server', message, { protocol: name, createCommand }));
    };
    child.once('error', (err) => fail(`Invalid configuration for protocol "${name}": cannot run "${createCommand}" (${err.message})`));
    child.once('exit', (code) => {
      if (pending) fail(`"${name}" start command failed (exit code ${code})`);
      else if (!closing) handler.log.error("Uh oh! I've crashed! Expect subsequent requests to fail.");
    });
    child.stderr!.setEncoding('utf8').on('data', (text: string) => handler.log.error(text.trimEnd()));
    let buffered = '';
    child.stdout!.setEncoding('utf8').on('data', (text: string) => {
      buffered += text;
      const lines = buffered.split(/\r?\n/);
      buffered = lines.pop()!;
      for (const line of lines) {
        if (pending) {
          pending = false;
          resolve({ port: portFrom(line) ?? options.port, close });
        }
        relayLog(line, handler);
      }
    });
  });

  async function close(): Promise<void> {
    closing = true;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  }
}

/** The first stdout line may be JSON metadata; its `port` is the port the process chose. */
function portFrom(line: string): number | undefined {
  try {
    const metadata: unknown = JSON.parse(line);
    return isPlainObject(metadata) && typeof metadata.port === 'number' ? metadata.port : undefined;
  } catch {
    return undefined;
  }
}

function relayLog(line: string, handler: RequestHandler): void {
  const space = line.indexOf(' ');
  if (space <= 0) return;
  const level = line.slice(0, space);
  const known = LOG_LEVELS.find((one) => one === level);
  if (known !== undefined) handler.log[known](line.slice(space + 1).trim());
}
