// The package's entry point: `import { start } from 'standin'`. Everything exported here is
// documented in docs/library.md (a test checks it).
export { start } from './start.js';
export type { SaveOptions, Standin } from './start.js';
export type { ImposterHandle, ImposterState } from './imposterHandle.js';
export type { LogRecord, StartOptions } from './startOptions.js';
export { VerificationError } from './verification.js';
export type { Clause, ExpectedCount, VerifyOptions, VerifyResult } from './verification.js';
export { StandinError, ValidationFailure } from '../model/errors.js';
export type * from '../model/imposterDefinition.js';
