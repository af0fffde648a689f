// npm test must hear of every test it runs. It ends each file's process when its tests end
// (--test-force-exit), and node can lose the last results of a file that way, failures included,
// while the run passes (nodejs/node#64833): test/flushReports.ts is what keeps them.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const runTests = fileURLToPath(new URL('../runTests.js', import.meta.url));

function run(args: string[]): Promise<{ code: number | null; output: string }> {
  const env = { ...process.env };
  // Inside a test file's process this is set, and would make the runner below report as a child does.
  delete env.NODE_TEST_CONTEXT;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

test('npm test reports every test of every file, and a failing last test fails the run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'standin-runner-'));
  try {
    const files = Array.from({ length: 24 }, (_, f) => {
      const lines = ["import { test } from 'node:test';"];
      for (let t = 0; t < 40; t++) lines.push(`test('file ${f}, test ${t}: a name long enough to fill the pipe sooner', () => {});`);
      lines.push(`test('file ${f}, last test', () => { if (${f} === 23) throw new Error('a failure that must be reported'); });`);
      const file = join(dir, `f${f}.test.mjs`);
      writeFileSync(file, lines.join('\n'));
      return file;
    });
    const { code, output } = await run([runTests, '--test-reporter=tap', ...files]);
    const count = (name: string): number => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(output)?.[1]);
    assert.deepEqual({ tests: count('tests'), pass: count('pass'), fail: count('fail') }, { tests: 984, pass: 983, fail: 1 });
    assert.match(output, /not ok \d+ - file 23, last test/);
    assert.equal(code, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
