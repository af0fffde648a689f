// One compiled behavior: takes the response object so far (and the request) and gives the next.
import type { ResolveScope, ResponseObject } from '../contracts/index.js';
import type { ProtocolRequest } from '../model/request.js';

export type { ResponseObject };

/** `scope`: the stub answering, when the caller has one (Rhai behaviors read its port and routePattern). */
export type BehaviorStep = (request: ProtocolRequest, response: ResponseObject, scope?: ResolveScope) => ResponseObject | Promise<ResponseObject>;
