// Every example in README.md and docs/*.md runs as written, against a real standin.
//
// HOW TO WRITE EXAMPLES THAT THIS TEST RUNS (the convention every page follows)
//
// 1. Every fenced block has a language after its fence.
//    - ```sh    a shell example: run with bash (set -e -o pipefail) from a fresh directory that
//               holds a copy of docs/examples/, as a reader runs it from the root of the clone:
//               sample files a page names live there and are named by that path
//               (docs/examples/values.csv). `npx standin ...` and `standin ...` run this
//               checkout's bin/standin.js.
//               curl fails on an HTTP error status (a `.curlrc` with `fail-with-body`), so an
//               example that is refused fails the test.
//    - ```json  a JSON example: it must parse (no `...`, no `[...]`). It is sent to the page's
//               standin according to what it is: an imposter (POST /imposters, kept for the rest
//               of the page so later shell blocks can call it; a later one on the same port
//               replaces it), {"imposters": [...]} (PUT /imposters), or a part of one — a stub,
//               a response, a behavior, "behaviors"/"_behaviors", "predicates", a predicate,
//               "endOfRequestResolver", imposter-level "_rift" — which is wrapped in an imposter,
//               created (201 expected) and, unless it proxies, called once with
//               GET /docs-example?name=standin (no 5xx expected), then deleted.
//               A fragment written as `"key": value` is read as `{"key": value}`.
//    - ```text  output, logs, error excerpts, directory layouts: shown, not run.
//    - ```yaml, ```ts, ```csv ... file contents or code: shown, not run.
// 2. A sh or json block that cannot or should not run says so on the line just above it, in
//    italics, with the reason, so the reader sees it too:
//        *Not runnable: the answer standin sends, not something to send it.*
//        *Not run by the docs test: it installs standin and runs the whole test suite.*
// 3. Ports: `localhost:2525` (the admin API) and every other port in a host:port, "port": N,
//    --port N, --adminPort N or /imposters/N is replaced, consistently across the page, by a
//    free port, so pages can use mountebank's customary numbers (2525, 4545, 8080...).
// 4. The page's standin: a sh block whose command starts a server (`npx standin start ...`,
//    `restart`, `imposter ...`, alone in its block) runs in the background, as in a terminal of
//    its own; the next block runs once its admin API answers. A block that needs a standin when
//    none runs gets a plain `npx standin start` (no --allowInjection: a page whose examples need
//    a flag starts standin with it in a sh block of its own). Each page starts afresh; every
//    process the page started is stopped by its process group at the end of the page.
//    A shell block that calls a command this machine lacks (jq, say) is skipped, saying which.
// 5. User pages use the words of users: no issue numbers, no "seed" documents; relative links
//    point at files that exist.
import assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { docBlocks, JSON_LANGS, SHELL_LANGS, SHOWN_LANGS, type DocBlock } from '../support/docBlocks.js';
import { del, freePort, get, post, put, request } from '../support/http.js';
import { executable, repoRoot } from '../support/standinProcess.js';

const PAGES = [
  'README.md',
  ...readdirSync(join(repoRoot, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];
const EXAMPLES_DIR = join(repoRoot, 'docs', 'examples');
const BLOCK_TIMEOUT_MS = 30_000;

// Commands the examples call: `standin` and `npx standin` run this checkout on the page's ports.
const shimDir = mkdtempSync(join(tmpdir(), 'standin-docs-bin-'));
const realNpx = (() => {
  try {
    return execFileSync('bash', ['-c', 'command -v npx'], { encoding: 'utf8' }).trim();
  } catch {
    return 'npx';
  }
})();
writeFileSync(
  join(shimDir, 'standin'),
  `#!/usr/bin/env bash
# The docs test's standin: this checkout, on the page's free ports, bound to 127.0.0.1.
# Flags from the example come after these, so an example's own --port wins.
verb=start
if [ $# -gt 0 ] && [[ "$1" != -* ]]; then verb=$1; shift; fi
if [ "$verb" = imposter ]; then
  exec "${process.execPath}" "${executable}" imposter --adminPort "$DOCS_ADMIN_PORT" --port "$DOCS_IMPOSTER_PORT" --host 127.0.0.1 "$@"
fi
exec "${process.execPath}" "${executable}" "$verb" --port "$DOCS_ADMIN_PORT" --host 127.0.0.1 "$@"
`,
);
writeFileSync(
  join(shimDir, 'npx'),
  `#!/usr/bin/env bash
if [ "$1" = standin ]; then shift; exec standin "$@"; fi
exec "${realNpx}" "$@"
`,
);
chmodSync(join(shimDir, 'standin'), 0o755);
chmodSync(join(shimDir, 'npx'), 0o755);
mkdirSync(join(shimDir, 'curl-home'));
writeFileSync(join(shimDir, 'curl-home', '.curlrc'), 'fail-with-body\nmax-time = 20\n');
after(() => rmSync(shimDir, { recursive: true, force: true }));

/** Where a port number sits in an example's text. Group 1 is what precedes it. */
const PORT_PLACES = [
  /((?:localhost|127\.0\.0\.1|\[::1\]):)(\d{2,5})\b/g,
  /("port"\s*:\s*"?)(\d{2,5})\b/g,
  /(--(?:port|adminPort|admin-port)[ =])(\d{2,5})\b/g,
  /(\/imposters\/)(\d{2,5})\b/g,
  /(IMPOSTER_PORT=)(\d{2,5})\b/g,
];

async function portMap(blocks: DocBlock[]): Promise<Map<string, number>> {
  const map = new Map<string, number>();
  for (const fixed of ['2525', '8080']) map.set(fixed, await freePort());
  for (const block of blocks) {
    for (const place of PORT_PLACES) {
      for (const m of block.text.matchAll(place)) if (!map.has(m[2]!)) map.set(m[2]!, await freePort());
    }
  }
  return map;
}

const withPorts = (text: string, map: Map<string, number>): string =>
  PORT_PLACES.reduce((t, place) => t.replace(place, (all, before: string, port: string) => `${before}${map.get(port) ?? port}`), text);

const SERVER_LINE = /^\s*(?:[A-Z_]+=\S*\s+)*(?:npx\s+)?standin\s+(start|restart|imposter)\b/;
const commandLines = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.replace(/(^|\s)#.*$/, '').trim())
    .filter((l) => l !== '');

interface Started {
  child: ChildProcess;
  adminPort: number;
  output: () => string;
  exited: Promise<void>;
  done: boolean;
}

/** One page's run: its directory, ports, and the processes it started. */
class PageRun {
  readonly dir: string;
  private readonly groups = new Set<ChildProcess>();
  private server: Started | undefined;

  constructor(
    readonly page: string,
    readonly ports: Map<string, number>,
  ) {
    this.dir = mkdtempSync(join(tmpdir(), 'standin-docs-'));
    if (existsSync(EXAMPLES_DIR)) cpSync(EXAMPLES_DIR, join(this.dir, 'docs', 'examples'), { recursive: true });
  }

  private env(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      PATH: `${shimDir}:${process.env.PATH ?? ''}`,
      CURL_HOME: join(shimDir, 'curl-home'),
      DOCS_ADMIN_PORT: String(this.ports.get('2525')),
      DOCS_IMPOSTER_PORT: String(this.ports.get('8080')),
    };
  }

  private spawnBash(script: string): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
    const file = join(this.dir, `.block-${Date.now()}-${Math.random().toString(36).slice(2)}.sh`);
    writeFileSync(file, `set -e -o pipefail\n${script}\n`);
    const child = spawn('bash', [file], { cwd: this.dir, env: this.env(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.groups.add(child);
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    return { child, output: () => output, exited };
  }

  /** A block that starts a server: in the background; resolves once its admin API answers. */
  async startServer(script: string): Promise<void> {
    await this.stopServer();
    const line = commandLines(script)[0]!;
    const verb = SERVER_LINE.exec(line)![1];
    const portFlag = verb === 'imposter' ? /--admin-?[pP]ort[ =](\d+)/.exec(line) : /--port[ =](\d+)|-p ?(\d+)/.exec(line);
    const adminPort = Number(portFlag?.[1] ?? portFlag?.[2] ?? this.ports.get('2525'));
    const { child, output, exited } = this.spawnBash(script);
    const started: Started = { child, adminPort, output, exited: exited.then(() => undefined), done: false };
    void started.exited.then(() => (started.done = true));
    this.server = started;
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (started.done) throw new Error(`the server block exited before its admin API answered:\n${output()}`);
      try {
        await get(`http://127.0.0.1:${adminPort}/config`, { timeoutMs: 1_000 });
        return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`no admin API on port ${adminPort} after 20 s:\n${output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async ensureServer(): Promise<number> {
    if (!this.server || this.server.done) await this.startServer('npx standin start');
    return this.server!.adminPort;
  }

  async stopServer(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server && !server.done) {
      killGroup(server.child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(server.child, 'SIGKILL'), 5_000);
      await server.exited;
      clearTimeout(timer);
    }
  }

  async runShell(script: string): Promise<void> {
    const { child, output, exited } = this.spawnBash(script);
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), BLOCK_TIMEOUT_MS);
    const code = await exited;
    clearTimeout(timer);
    assert.equal(code, 0, `the block exited with ${code}:\n--- block ---\n${script}\n--- output ---\n${output()}`);
  }

  async close(): Promise<void> {
    await this.stopServer();
    for (const child of this.groups) killGroup(child, 'SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // the group is gone
  }
}

const RESPONSE_KEYS = ['is', 'proxy', 'inject', 'fault', '_rift'];
const BEHAVIOR_KEYS = ['wait', 'copy', 'lookup', 'decorate', 'shellTransform'];
const PREDICATE_KEYS = ['equals', 'deepEquals', 'contains', 'startsWith', 'endsWith', 'matches', 'exists', 'not', 'or', 'and', 'inject'];
const IMPOSTER_LEVEL_RIFT = ['flowState', 'scriptEngine'];

type Json = Record<string, unknown>;
type Example = { kind: 'imposters'; body: Json } | { kind: 'imposter'; body: Json } | { kind: 'part'; what: string; imposter: Json };

/** What a JSON example is, and the imposter that carries it. */
function classify(value: unknown): Example | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const json = value as Json;
  const has = (k: string) => Object.prototype.hasOwnProperty.call(json, k);
  const keys = Object.keys(json);
  const http = (stub: Json, extra: Json = {}): Json => ({ protocol: 'http', ...extra, stubs: [stub] });
  if (has('imposters')) return { kind: 'imposters', body: json };
  if (has('protocol') || has('stubs')) return { kind: 'imposter', body: json };
  if (keys.length === 1 && has('_rift') && Object.keys(json._rift as Json).some((k) => IMPOSTER_LEVEL_RIFT.includes(k))) {
    return { kind: 'part', what: 'imposter-level _rift', imposter: { protocol: 'http', ...json } };
  }
  if (keys.length === 1 && has('endOfRequestResolver')) {
    return { kind: 'part', what: 'endOfRequestResolver', imposter: { protocol: 'tcp', ...json } };
  }
  if (has('responses')) return { kind: 'part', what: 'stub', imposter: http(json) };
  if (keys.length === 1 && has('predicates')) {
    return { kind: 'part', what: 'predicates', imposter: http({ ...json, responses: [{ is: { body: 'x' } }] }) };
  }
  if (keys.some((k) => RESPONSE_KEYS.includes(k))) {
    return { kind: 'part', what: has('proxy') ? 'proxy response' : 'response', imposter: http({ responses: [json] }) };
  }
  if (keys.length === 1 && (has('behaviors') || has('_behaviors'))) {
    return { kind: 'part', what: 'behaviors', imposter: http({ responses: [{ is: { body: 'x' }, ...json }] }) };
  }
  if (keys.length === 1 && BEHAVIOR_KEYS.includes(keys[0]!)) {
    return { kind: 'part', what: 'behavior', imposter: http({ responses: [{ is: { body: 'x' }, behaviors: [json] }] }) };
  }
  if (keys.length >= 1 && keys.some((k) => PREDICATE_KEYS.includes(k))) {
    return { kind: 'part', what: 'predicate', imposter: http({ predicates: [json], responses: [{ is: { body: 'x' } }] }) };
  }
  return `neither an imposter nor a part of one (keys: ${keys.join(', ')})`;
}

function parseExample(text: string): unknown {
  const trimmed = text.trim();
  try {
    return JSON.parse(trimmed);
  } catch (err) {
    if (trimmed.startsWith('"')) return JSON.parse(`{${trimmed}}`);
    throw err;
  }
}

async function runJson(run: PageRun, block: DocBlock): Promise<void> {
  let value: unknown;
  try {
    value = parseExample(withPorts(block.text, run.ports));
  } catch (err) {
    assert.fail(`not valid JSON (${(err as Error).message}): write the example out in full, or mark it *Not runnable: why*`);
  }
  const example = classify(value);
  assert.ok(typeof example !== 'string', `this JSON example is ${example}; mark it *Not runnable: why* if it is not meant to be sent`);
  const admin = `http://127.0.0.1:${await run.ensureServer()}`;
  if (example.kind === 'imposters') {
    const res = await put(`${admin}/imposters`, example.body);
    assert.equal(res.status, 200, `PUT /imposters answered ${res.status}: ${res.body}`);
    return;
  }
  if (example.kind === 'imposter') {
    if (example.body.port !== undefined) await del(`${admin}/imposters/${example.body.port}`);
    const res = await post(`${admin}/imposters`, example.body);
    assert.equal(res.status, 201, `POST /imposters answered ${res.status}: ${res.body}`);
    return;
  }
  const port = await freePort();
  const res = await post(`${admin}/imposters`, { ...example.imposter, port });
  assert.equal(res.status, 201, `the ${example.what}, in an imposter, was refused (${res.status}): ${res.body}`);
  try {
    if (example.imposter.protocol === 'http' && example.what !== 'proxy response') {
      const answer = await request('GET', `http://127.0.0.1:${port}/docs-example?name=standin`);
      assert.ok(answer.status < 500, `the ${example.what} answered a request with ${answer.status}: ${answer.body}`);
    }
  } finally {
    await del(`${admin}/imposters/${port}`);
  }
}

/** The commands a block runs (first words of lines and pipeline parts) that this machine lacks. */
function missingCommands(script: string): string[] {
  const words = new Set<string>();
  for (const line of commandLines(script)) {
    for (const part of line.split(/\|\|?|&&|;|\$\(/)) {
      const word = part
        .trim()
        .replace(/^([A-Z_]+=\S*\s+)*/, '')
        .split(/\s+/)[0];
      if (word && /^[a-z][\w.-]*$/.test(word)) words.add(word);
    }
  }
  const env = { ...process.env, PATH: `${shimDir}:${process.env.PATH ?? ''}` };
  return [...words].filter((word) => {
    try {
      execFileSync('bash', ['-c', `command -v ${word}`], { env, stdio: 'ignore' });
      return false;
    } catch {
      return true;
    }
  });
}

async function runShellBlock(run: PageRun, block: DocBlock, skip: (reason: string) => void): Promise<void> {
  const script = withPorts(block.text, run.ports);
  const missing = missingCommands(script);
  if (missing.length > 0) {
    skip(`${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not installed here (.ci/run installs what the docs use)`);
    return;
  }
  const lines = commandLines(script);
  const serverLines = lines.filter((l) => SERVER_LINE.test(l));
  if (serverLines.length > 0) {
    assert.equal(lines.length, 1, 'a block that starts standin holds only that command (a reader runs it in a terminal of its own)');
    await run.startServer(script);
    return;
  }
  await run.ensureServer();
  await run.runShell(script);
}

const INTERNAL_WORDS = [/\bseed (\d{3}|documents?)\b/i, /\bthe seeds?('s)?\b/i, /\bissue #?\d+/i];

for (const page of PAGES) {
  const markdown = readFileSync(join(repoRoot, page), 'utf8');
  const blocks = docBlocks(page, markdown);

  describe(page, () => {
    it('speaks to users: no internal vocabulary, no dead relative links', () => {
      for (const word of INTERNAL_WORDS) {
        const found = markdown.split('\n').findIndex((l) => word.test(l));
        assert.equal(found, -1, `${page}:${found + 1} uses internal vocabulary (${word}): ${markdown.split('\n')[found]}`);
      }
      for (const m of markdown.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
        const target = m[1]!;
        if (/^[a-z]+:/.test(target)) continue;
        assert.ok(existsSync(join(repoRoot, dirname(page), target)), `${page} links to ${target}, which does not exist`);
      }
    });

    let run: PageRun | undefined;
    let ports: Map<string, number> | undefined;
    after(async () => run?.close());

    for (const block of blocks) {
      const name = `${page}:${block.line} ${block.lang || '(no language)'}`;
      const runnable = SHELL_LANGS.has(block.lang) || JSON_LANGS.has(block.lang);
      if (!runnable) {
        it(`${name} is shown, not run`, () => {
          assert.ok(
            SHOWN_LANGS.has(block.lang),
            `give the block a language: sh or json to have it run, text for output (${block.lang || 'none'} is not one the docs test knows)`,
          );
        });
        continue;
      }
      if (block.notRunReason !== undefined) {
        it(`${name}`, (t) => t.skip(`not run: ${block.notRunReason}`));
        continue;
      }
      it(name, async (t) => {
        ports ??= await portMap(blocks.filter((b) => (SHELL_LANGS.has(b.lang) || JSON_LANGS.has(b.lang)) && b.notRunReason === undefined));
        run ??= new PageRun(page, ports);
        if (JSON_LANGS.has(block.lang)) await runJson(run, block);
        else await runShellBlock(run, block, (reason) => t.skip(reason));
      });
    }
  });
}
