// Types for require('standin'): the same as the ES module's (verify's VerifyResult, ExpectedCount…).
// The error classes (StandinError, ValidationFailure, VerificationError) are types only
// here (their values load with the ES core); recognise them by `name` and `code`.
import type { StartOptions, Standin } from '../dist/src/library/index.js';

export type * from '../dist/src/library/index.js';

export declare function start(options?: StartOptions): Promise<Standin>;
