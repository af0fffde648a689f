// docs/library.md: every exported function and method has its reference entry, every option its
// row, and the node:test, Jest and Vitest examples run as printed.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import * as entry from '../../src/library/index.js';
import { repoRoot } from '../support/standinProcess.js';

const run = promisify(execFile);
const page = readFileSync(join(repoRoot, 'docs', 'library.md'), 'utf8');
const headings = page.split('\n').filter((line) => line.startsWith('### '));
const documented = (name: string): boolean => headings.some((h) => h.includes(`\`${name}(`) || h.includes(`\`${name}\``));

test('every exported function, and every method of what start() returns, has a reference entry', async () => {
  const exported = Object.entries(entry)
    .filter(([, value]) => typeof value === 'function')
    .map(([name]) => name);
  assert.ok(exported.includes('start'));
  for (const name of exported) assert.ok(documented(name), `docs/library.md has no "### \`${name}(...)\`" entry`);

  const standin = await entry.start();
  try {
    const handle = await standin.createImposter({ protocol: 'http' });
    for (const [prefix, object] of [
      ['standin', standin],
      ['handle', handle],
    ] as const) {
      for (const key of Object.keys(object)) {
        const name = `${prefix}.${key}`;
        assert.ok(
          documented(name),
          `docs/library.md has no "### \`${name}${typeof (object as unknown as Record<string, unknown>)[key] === 'function' ? '(...)' : ''}\`" entry`,
        );
      }
    }
  } finally {
    await standin.close();
  }
});

test('every option of start() has a row in the options table', async () => {
  const refused = await entry.start({ notAnOption: true } as never).then(
    () => assert.fail('an unknown option was accepted'),
    (err: Error) => err.message,
  );
  const names = /known options: (.*)$/.exec(refused)![1]!.split(', ');
  assert.ok(names.length > 15, refused);
  const rows = page.split('\n').filter((line) => line.startsWith('| `'));
  for (const name of names)
    assert.ok(
      rows.some((row) => row.split('|')[1]!.includes(`\`${name}\``)),
      `option ${name} has no row`,
    );
});

/** `<!-- example: RUNNER FILE -->` followed by a code block. */
const examples = [...page.matchAll(/<!-- example: (\w+) ([\w.-]+) -->\n```js\n([\s\S]*?)```/g)].map((m) => ({
  runner: m[1]!,
  file: m[2]!,
  code: m[3]!,
}));

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'standin-docs-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'docs-example', private: true, type: 'module' }));
  mkdirSync(join(dir, 'node_modules'));
  // As an installed package: `import ... from 'standin'` resolves through package.json's exports.
  symlinkSync(repoRoot, join(dir, 'node_modules', 'standin'), 'dir');
  return dir;
}

const bin = (name: string): string => join(repoRoot, 'node_modules', '.bin', name);
// Without the variable node:test sets for its own children, which would make the example's run a no-op.
const { NODE_TEST_CONTEXT: _, ...env } = process.env;

const runners: Record<string, (dir: string, file: string) => Promise<{ stdout: string; stderr: string }>> = {
  node: (dir, file) => run(process.execPath, ['--test', file], { cwd: dir, env }),
  // Jest's documented way to load ES modules; no Babel transform (an installed package is not transformed either).
  jest: (dir, file) =>
    run(bin('jest'), ['--rootDir', dir, '--transform', '{}', '--ci', '--runTestsByPath', file], {
      cwd: dir,
      env: { ...env, NODE_OPTIONS: '--experimental-vm-modules' },
    }),
  vitest: (dir, file) => run(bin('vitest'), ['run', '--root', dir, file], { cwd: dir, env: { ...env, CI: 'true' } }),
};

test('the node:test, Jest and Vitest examples run and pass', { timeout: 180_000 }, async () => {
  assert.deepEqual(examples.map((e) => e.runner).sort(), ['jest', 'node', 'vitest']);
  for (const example of examples) {
    const dir = workspace();
    try {
      writeFileSync(join(dir, example.file), example.code);
      const result = await runners[example.runner]!(dir, example.file).catch((err: { stdout: string; stderr: string }) => {
        assert.fail(`the ${example.runner} example in docs/library.md failed:\n${err.stdout}\n${err.stderr}`);
      });
      const output = result.stdout + result.stderr;
      const passed = { node: /^(# |ℹ )pass 1\b/m, jest: /Tests:\s+1 passed/, vitest: /Tests\s+.*1 passed/ }[example.runner as 'node'];
      assert.match(output.replace(new RegExp(String.fromCharCode(27) + '\\[[0-9;]*m', 'g'), ''), passed, output);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});
