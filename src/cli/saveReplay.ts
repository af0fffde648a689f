// `standin save` and `standin replay`: clients of a running standin's admin API, as mb's.
import { writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { StandinOptions } from '../model/options.js';
import { formatterFunction, loadFormatter, usesCustomFormatter } from './formatter.js';

interface Answer {
  status: number;
  text: string;
}

function call(options: StandinOptions, method: string, url: string, body?: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string | number> =
      data === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) };
    // As mb's save and replay do, so they work against a server started with --apikey.
    if (options.apikey) headers['x-api-key'] = options.apikey;
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    if (data !== undefined) req.write(data);
    req.end();
  });
}

const adminUrl = (options: StandinOptions) => `http://${options.host ?? 'localhost'}:${options.port}`;

async function replayableImposters(options: StandinOptions, removeProxies: boolean): Promise<unknown> {
  const base = adminUrl(options);
  let answer: Answer;
  try {
    answer = await call(options, 'GET', `${base}/imposters?replayable=true${removeProxies ? '&removeProxies=true' : ''}`);
  } catch {
    throw new Error(`No standin (or mb) process running on ${base}`);
  }
  if (answer.status !== 200) throw new Error(`${base} answered ${answer.status}: ${answer.text}`);
  return JSON.parse(answer.text);
}

const count = (imposters: unknown): string => {
  const list = (imposters as { imposters?: unknown }).imposters;
  const n = Array.isArray(list) ? list.length : 0;
  return `${n} imposter${n === 1 ? '' : 's'}`;
};

const fail = (err: unknown): number => {
  process.stderr.write(`standin: ${err instanceof Error ? err.message : String(err)}\n`);
  return 1;
};

/** mb save: GET /imposters?replayable=true[&removeProxies=true], written with 2-space JSON. */
export async function save(options: StandinOptions, formatterOptions: Record<string, unknown> = {}): Promise<number> {
  try {
    // The formatter is loaded first: a bad --formatter should not cost a request.
    const formatterName = options.formatter;
    const custom = usesCustomFormatter(formatterName)
      ? formatterFunction(await loadFormatter(formatterName), formatterName, 'save')
      : undefined;
    const imposters = await replayableImposters(options, options.removeProxies);
    if (custom) await custom({ ...options, ...formatterOptions }, imposters);
    else await writeFile(options.savefile, JSON.stringify(imposters, null, 2));
    const where = custom ? `with --formatter ${formatterName}` : `to ${options.savefile}`;
    process.stdout.write(`saved ${count(imposters)} from ${adminUrl(options)} ${where}${options.removeProxies ? ', without proxies' : ''}\n`);
    return 0;
  } catch (err) {
    return fail(err);
  }
}

/** mb replay: the replayable imposters without their proxies, PUT back. */
export async function replay(options: StandinOptions): Promise<number> {
  try {
    const imposters = await replayableImposters(options, true);
    const answer = await call(options, 'PUT', `${adminUrl(options)}/imposters`, imposters);
    if (answer.status !== 200) throw new Error(`replay was refused (${answer.status}): ${answer.text}`);
    process.stdout.write(`replayed ${count(imposters)} on ${adminUrl(options)}: proxies removed, recorded responses served from now on\n`);
    return 0;
  } catch (err) {
    return fail(err);
  }
}
