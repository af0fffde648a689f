// The port a listening server was given (the one asked for, or the free one the system chose for 0).
import type { AddressInfo } from 'node:net';

/** A server listening on TCP has an address object; a pipe's address is a string, and before it listens there is none. */
export function portOf(address: AddressInfo | string | null): number {
  if (address === null || typeof address === 'string') throw new Error(`not listening on a TCP port (${String(address)})`);
  return address.port;
}
