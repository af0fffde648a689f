// Protocols an imposter can speak, by the name used in its `protocol` field.
import type { ProtocolAdapter } from '../contracts/index.js';
import { httpProtocol } from './http/httpProtocol.js';
import { httpsProtocol } from './https/httpsProtocol.js';
import { smtpProtocol } from './smtp/smtpProtocol.js';
import { tcpProtocol } from './tcp/tcpProtocol.js';

export const protocols: ReadonlyMap<string, ProtocolAdapter> = new Map(
  [httpProtocol, httpsProtocol, tcpProtocol, smtpProtocol].map((protocol) => [protocol.name, protocol]),
);
