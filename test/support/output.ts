// Waits for a line in a standin process's output (its log is flushed once per event-loop turn).
import assert from 'node:assert/strict';
import type { StandinProcess } from './standinProcess.js';

export async function waitForOutput(mb: StandinProcess, pattern: RegExp, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(mb.output())) {
    if (Date.now() > deadline) assert.fail(`no output matching ${pattern} in:\n${mb.output()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
