// The smtp protocol as the core sees it: record-only, so replies are nothing to compile.
import type { ProtocolAdapter } from '../../contracts/index.js';
import { listenSmtp } from './smtpServer.js';

export const smtpProtocol: ProtocolAdapter = {
  name: 'smtp',
  testRequest: { from: 'test@test.com', to: ['test@test.com'], subject: 'Test', text: 'Test' },
  compileReply: () => null,
  describeReply: () => ({}),
  listen: listenSmtp,
};
