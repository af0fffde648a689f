// `standin save` and `standin replay`: clients of a running standin's admin API, as mb's.
import { writeFile } from 'node:fs/promises';
import { createAdminClient } from '../admin/adminClient.js';
import type { StandinOptions } from '../model/options.js';
import { formatterSave, loadFormatter, usesCustomFormatter } from './formatter.js';
import { isPlainObject } from '../model/plainObject.js';

const adminUrl = (options: StandinOptions) => `http://${options.host ?? 'localhost'}:${options.port}`;

// As mb's save and replay do, the key is sent, so they work against a server started with --apikey.
const call = (options: StandinOptions, method: string, path: string, body?: unknown) =>
  createAdminClient(adminUrl(options), options.apikey).send(method, path, body);

async function replayableImposters(options: StandinOptions, removeProxies: boolean): Promise<unknown> {
  const base = adminUrl(options);
  let answer: { status: number; text: string };
  try {
    answer = await call(options, 'GET', `/imposters?replayable=true${removeProxies ? '&removeProxies=true' : ''}`);
  } catch {
    throw new Error(`No standin (or mb) process running on ${base}`);
  }
  if (answer.status !== 200) throw new Error(`${base} answered ${answer.status}: ${answer.text}`);
  return JSON.parse(answer.text);
}

const count = (imposters: unknown): string => {
  const list = isPlainObject(imposters) ? imposters.imposters : undefined;
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
    const custom = usesCustomFormatter(formatterName) ? formatterSave(await loadFormatter(formatterName), formatterName) : undefined;
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
    const answer = await call(options, 'PUT', '/imposters', imposters);
    if (answer.status !== 200) throw new Error(`replay was refused (${answer.status}): ${answer.text}`);
    process.stdout.write(`replayed ${count(imposters)} on ${adminUrl(options)}: proxies removed, recorded responses served from now on\n`);
    return 0;
  } catch (err) {
    return fail(err);
  }
}
