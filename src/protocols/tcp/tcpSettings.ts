// A tcp imposter's own fields, read once by tcpProtocol's configure: its encoding and how it
// knows a request is complete.
import type { EndOfRequest } from './endOfRequest.js';
import type { TcpEncoding } from './tcpReply.js';

export interface TcpSettings {
  encoding: TcpEncoding;
  endOfRequest: EndOfRequest;
}
