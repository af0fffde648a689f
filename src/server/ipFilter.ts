// --localOnly and --ipWhitelist, as mountebank applies them to the admin API and imposters.
import os from 'node:os';

function localAddresses(): Set<string> {
  const out = new Set<string>(['127.0.0.1', '::1', 'localhost']);
  for (const list of Object.values(os.networkInterfaces())) {
    for (const info of list ?? []) {
      if (info.internal) out.add(info.address);
    }
  }
  return out;
}

const normalize = (address: string): string => (address.startsWith('::ffff:') ? address.slice(7) : address);

export function createIpFilter(localOnly: boolean, ipWhitelist: string[]): (address: string | undefined) => boolean {
  if (!localOnly && ipWhitelist.includes('*')) return () => true;
  const local = localAddresses();
  const allowed = new Set([...local, ...(localOnly ? [] : ipWhitelist.map(normalize))]);
  return (address) => address !== undefined && (allowed.has(address) || allowed.has(normalize(address)) || normalize(address).startsWith('127.'));
}
