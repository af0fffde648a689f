// The package as a user gets it: packed, installed from the tarball into an empty folder (its
// dependencies from the registry), then used through npx, import, require and TypeScript.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { freePort, get, post } from '../support/http.js';
import { repoRoot } from '../support/standinProcess.js';

const run = promisify(execFile);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
let dir = '';
let tarball = '';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'standin-pack-'));
  // dist/ is already built by `npm test`; the prepack build is checked below, not rerun under the other tests' feet.
  const { stdout } = await run(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: repoRoot });
  tarball = join(dir, (JSON.parse(stdout) as { filename: string }[])[0]!.filename);
  const app = join(dir, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
  await run(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', tarball], { cwd: app, timeout: 300_000 });
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const app = () => join(dir, 'app');

test('the tarball holds the build, the types, both entries and the schema, and nothing of the tests', async () => {
  const { stdout } = await run('tar', ['-tzf', tarball]);
  const files = stdout.split('\n').filter(Boolean);
  for (const wanted of [
    'package/bin/standin.js',
    'package/cjs/index.cjs',
    'package/cjs/index.d.cts',
    'package/dist/src/library/index.js',
    'package/dist/src/library/index.d.ts',
    'package/dist/src/cli/main.js',
    'package/schema/imposter.schema.json',
    'package/README.md',
    'package/docs/library.md',
    'package/LICENSE',
    'package/CHANGELOG.md',
    'package/dist/dashboard/app.js',
    'package/dist/dashboard/app.css',
    'package/dist/dashboard/favicon.svg',
  ]) {
    assert.ok(files.includes(wanted), `${wanted} is missing from the package`);
  }
  assert.deepEqual(
    files.filter((f) => /^package\/(dist\/(test|bench)|src|test)\//.test(f) || f.endsWith('.map')),
    [],
  );
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  assert.match(manifest.scripts.prepack ?? '', /npm run build/);
});

test('npx standin --version prints the version', async () => {
  const { stdout } = await run('npx', ['--no-install', 'standin', '--version'], { cwd: app() });
  assert.equal(stdout.trim(), version);
});

test('npx standin start serves the admin API and an imposter answers', async () => {
  const port = await freePort();
  const child = spawn('npx', ['--no-install', 'standin', 'start', '--port', String(port), '--host', '127.0.0.1', '--nologfile'], {
    cwd: app(),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  try {
    const deadline = Date.now() + 20_000;
    while (!existsSync(join(app(), 'mb.pid'))) {
      assert.ok(Date.now() < deadline, `standin did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const imposterPort = await freePort();
    const created = await post(`http://127.0.0.1:${port}/imposters`, {
      protocol: 'http',
      port: imposterPort,
      stubs: [{ responses: [{ is: { body: 'from the package' } }] }],
    });
    assert.equal(created.status, 201);
    assert.equal((await get(`http://127.0.0.1:${imposterPort}/`)).body, 'from the package');
  } finally {
    // npx runs standin as its child: the whole group, by the group's id.
    process.kill(-child.pid!, 'SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
});

const script = `
  const standin = await start();
  const imposter = await standin.createImposter({ protocol: 'http', stubs: [{ responses: [{ is: { body: 'ok' } }] }] });
  const answer = await fetch(imposter.url);
  console.log(await answer.text(), typeof StandinErrorName);
  await standin.close();
`;

test('import from ESM', async () => {
  const source = `import { start, StandinError } from 'standin'; const StandinErrorName = StandinError.name; ${script}`;
  writeFileSync(join(app(), 'esm.mjs'), source);
  const { stdout } = await run(process.execPath, ['esm.mjs'], { cwd: app() });
  assert.equal(stdout.trim(), 'ok string');
});

test('require from CommonJS', async () => {
  const source = `const { start } = require('standin'); const StandinErrorName = 'none'; (async () => { ${script} })();`;
  writeFileSync(join(app(), 'cjs.cjs'), source);
  const { stdout } = await run(process.execPath, ['cjs.cjs'], { cwd: app() });
  assert.equal(stdout.trim(), 'ok string');
});

test('a TypeScript file type-checks against the installed types (ESM and CommonJS), and a typo fails', async () => {
  const check = `
    import { start, StandinError, type ImposterDefinition, type StubDefinition, type VerifyResult } from 'standin';
    const stub: StubDefinition = {
      predicates: [{ equals: { method: 'GET', path: '/orders' } }, { matches: { body: '^\\\\d+$' }, caseSensitive: true }],
      responses: [
        { is: { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: { id: 1 } }, behaviors: [{ wait: 10 }] },
        { proxy: { to: 'http://origin:8080', mode: 'proxyOnce' } },
        { fault: 'CONNECTION_RESET_BY_PEER' },
        { _rift: { fault: { latency: { probability: 0.5, ms: 100 } } }, is: { body: 'slow' } },
      ],
    };
    const imposter: ImposterDefinition = { protocol: 'http', port: 4545, recordRequests: true, stubs: [stub] };
    export async function main(): Promise<number> {
      const standin = await start({ port: 0, logLevel: 'warn', log: (entry) => void entry.message });
      const handle = await standin.createImposter(imposter);
      const requests = await handle.requests();
      const verified: VerifyResult = await handle.verify({ equals: { method: 'GET' } }, { atLeast: 1 }, { flowId: '4545' });
      await standin.close();
      return requests.length + verified.matched + (new StandinError('bad data', 'x').status ?? 0);
    }
    // @ts-expect-error: 'pth' is no predicate operator
    const typo: StubDefinition = { predicates: [{ pth: { path: '/x' } }] };
    void typo;
  `;
  const checkCjs = `
    import standin = require('standin');
    import type { ImposterHandle, VerifyResult } from 'standin';
    export async function main(): Promise<ImposterHandle> {
      const running = await standin.start({ allowInjection: true });
      return running.createImposter({ protocol: 'tcp', mode: 'text', stubs: [{ responses: [{ is: { data: 'hi' } }] }] });
    }
    export async function count(handle: ImposterHandle): Promise<number> {
      const result: VerifyResult = await handle.verify([{ contains: { data: 'hi' } }]);
      return result.matched;
    }
  `;
  writeFileSync(join(app(), 'check.mts'), check);
  writeFileSync(join(app(), 'checkcjs.cts'), checkCjs);
  writeFileSync(
    join(app(), 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: false, types: [] },
      files: ['check.mts', 'checkcjs.cts'],
    }),
  );
  const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app() }).catch((err: { stdout: string }) => err);
  assert.equal(result.stdout, '', `tsc reported:\n${result.stdout}`);
});
