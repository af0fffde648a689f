// The package's entry point: `import { start } from 'standin'`. Everything exported here is
// documented in docs/library.md (a test checks it).
export { start } from './library/start.js';
export type { SaveOptions, Standin } from './library/start.js';
export type { ImposterHandle, ImposterState } from './library/imposterHandle.js';
export type { LogRecord, StartOptions } from './library/startOptions.js';
export { StandinError, ValidationFailure } from './model/errors.js';
export type * from './model/imposterDefinition.js';
