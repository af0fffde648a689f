// What one standin instance owns and its imposters share, created with the instance and released
// by its close(): nothing of it lives at module level, so instances in one process stay apart.
import type { InstanceResources, NamedStores } from '../contracts/index.js';
import { ImposterStores } from '../imposterConfig/stores.js';
import type { Log } from '../logging/logger.js';
import { UpstreamPools } from '../proxy/upstreamClient.js';

export interface OwnedResources extends InstanceResources {
  close(): Promise<void>;
}

/** `given`: what a front door prepared (`standin imposter` preloads the stores and logs as Imposter). */
export function createInstanceResources(given: { stores?: NamedStores; imposterLog?: Log } = {}): OwnedResources {
  const upstreams = new UpstreamPools();
  const stores = given.stores ?? new ImposterStores();
  return {
    upstreams,
    stores,
    imposterLog: given.imposterLog,
    async close() {
      await upstreams.close();
    },
  };
}
