// mountebank's `fault` responses, for every protocol on a socket (http, https, tcp).
import { Socket } from 'node:net';
import type { Log } from '../logging/logger.js';

const RANDOM_DATA = 'Htijy%@tWXJ/hQ#[Q:7G@dH4"gu[QaX&';
/** A chunked response whose chunk has no size line. */
const MALFORMED_CHUNK = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nlorem ipsum\r\n';

/** Returns false for an unknown fault: mountebank logs it and sends the default response. */
export function applyFault(log: Log, socket: Socket, fault: string): boolean {
  if (fault === 'CONNECTION_RESET_BY_PEER') {
    // Only a TCP handle can be reset: under TLS, reset the socket the TLS layer wraps.
    const parent = '_parent' in socket ? socket._parent : undefined;
    const tcp = parent instanceof Socket ? parent : socket;
    tcp.resetAndDestroy();
    return true;
  }
  if (fault === 'RANDOM_DATA_THEN_CLOSE') {
    socket.end(RANDOM_DATA, () => socket.destroy());
    return true;
  }
  // Rift's (WireMock's) two others, reached through `_rift.fault.tcp`.
  if (fault === 'EMPTY_RESPONSE') {
    socket.end(() => socket.destroy());
    return true;
  }
  if (fault === 'MALFORMED_RESPONSE_CHUNK') {
    socket.end(MALFORMED_CHUNK, () => socket.destroy());
    return true;
  }
  log.error(`unrecognized fault ${JSON.stringify(fault)}; sending the default response`);
  return false;
}
