// Protocols an imposter can speak, by the name used in its `protocol` field.
import { httpProtocol } from './http/httpProtocol.js';
import { httpsProtocol } from './https/httpsProtocol.js';
import type { ProtocolAdapter } from './protocol.js';
import { tcpProtocol } from './tcp/tcpProtocol.js';

export const protocols: ReadonlyMap<string, ProtocolAdapter> = new Map(
  [httpProtocol, httpsProtocol, tcpProtocol].map((protocol) => [protocol.name, protocol]),
);
