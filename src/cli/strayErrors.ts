// What no code path caught would otherwise end the process and every imposter with it. The usual
// source is a user's inject script: `Promise.reject(...)` left unawaited, or a throw from a
// microtask it queued. Such an error is logged with its stack and the server keeps serving.
import type { Log } from '../logging/logger.js';

export function logStrayErrors(log: Log): void {
  process.on('unhandledRejection', (reason) => {
    log.error(`a promise was rejected and nothing handled it (an inject script's?); standin keeps running: ${describe(reason)}`);
  });
  process.on('uncaughtException', (err) => {
    log.error(`an error was thrown where nothing could catch it (an inject script's?); standin keeps running: ${describe(err)}`);
  });
}

function describe(value: unknown): string {
  return value instanceof Error ? (value.stack ?? value.message) : String(value);
}
