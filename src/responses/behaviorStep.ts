// One compiled behavior: takes the response object so far (and the request) and gives the next.
import type { ResponseObject } from '../contracts/index.js';
import type { ProtocolRequest } from '../model/request.js';

export type { ResponseObject };

export type BehaviorStep = (request: ProtocolRequest, response: ResponseObject) => ResponseObject | Promise<ResponseObject>;
