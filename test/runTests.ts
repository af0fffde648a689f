// `npm test`: runs the compiled test files with node's test runner on the node that runs this.
// node --test takes files (Node 22 and later refuse a directory, and Node 20 takes no globs), so
// the files are listed here. Arguments: test files to run instead of all of them, and options for
// the runner (--test-name-pattern=..., --test-reporter=spec). --test-force-exit: a test file that fails
// before closing a server it started ends when its tests end, instead of holding the whole run open;
// flushReports.js, loaded into each file's process, keeps that exit from losing the file's results.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const testDir = fileURLToPath(new URL('.', import.meta.url));
const args = process.argv.slice(2);
const options = args.filter((a) => a.startsWith('-'));
const chosen = args.filter((a) => !a.startsWith('-'));
const files = chosen.length > 0 ? chosen : allTestFiles();

const flushReports = pathToFileURL(join(testDir, 'flushReports.js')).href;
const child = spawn(process.execPath, ['--import', flushReports, '--test', '--test-concurrency=2', '--test-force-exit', ...options, ...files], {
  stdio: 'inherit',
});
child.on('exit', (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});

function allTestFiles(): string[] {
  return (readdirSync(testDir, { recursive: true }) as string[])
    .filter((name) => name.endsWith('.test.js'))
    .map((name) => relative(process.cwd(), join(testDir, name)).split(sep).join('/'))
    .sort();
}
