// Module customization hooks for packageLoads.ts (they run on the loader's own thread): every URL
// the ESM loader loads (static and dynamic imports, CommonJS packages imported from ESM) is posted
// to the main thread.
import type { InitializeHook, LoadHook } from 'node:module';
import type { MessagePort } from 'node:worker_threads';

let port: MessagePort;

export const initialize: InitializeHook<{ port: MessagePort }> = (data) => {
  port = data.port;
};

export const load: LoadHook = (url, context, nextLoad) => {
  port.postMessage(url);
  return nextLoad(url, context);
};
