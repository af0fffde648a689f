// A minimal SMTP client for tests (RFC 5321 over a plain socket): enough to send one message and
// see every reply the server gave.
import net from 'node:net';
import tls from 'node:tls';

export interface Envelope {
  from: string;
  to: string[];
}

export interface SendOptions {
  /** Upgrade with STARTTLS, trusting only this certificate (PEM); the server name checked is localhost. */
  starttlsCa?: string;
}

export interface SmtpSession {
  /** Every reply, as `code text` of its last line. */
  replies: string[];
  /** The reply to the end of DATA. */
  queued: string;
  /** The server's certificate, when STARTTLS was used. */
  peerCertificate?: tls.PeerCertificate;
}

class ReplyReader {
  private buffer = '';
  private waiting: ((line: string) => void) | null = null;
  private readonly lines: string[] = [];
  private failure: Error | null = null;

  constructor(private readonly socket: net.Socket) {
    socket.on('data', this.onData);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
  }

  /** Stops reading this socket (before TLS takes it over). */
  detach(): void {
    this.socket.off('data', this.onData);
    this.socket.off('error', this.onError);
    this.socket.off('close', this.onClose);
  }

  private readonly onData = (chunk: Buffer) => {
    this.buffer += chunk.toString('utf8');
    let end: number;
    while ((end = this.buffer.indexOf('\r\n')) !== -1) {
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      // `250-...` continues a multi-line reply; `250 ...` ends it.
      if (/^\d{3}-/.test(line)) continue;
      this.lines.push(line);
    }
    this.wake();
  };

  private readonly onError = (err: Error) => {
    this.failure = err;
    this.wake();
  };

  private readonly onClose = () => {
    this.failure ??= new Error('the smtp server closed the connection');
    this.wake();
  };

  next(timeoutMs = 5_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timeout waiting for an smtp reply')), timeoutMs);
      const attempt = () => {
        const line = this.lines.shift();
        if (line !== undefined) {
          clearTimeout(timer);
          resolve(line);
        } else if (this.failure) {
          clearTimeout(timer);
          reject(this.failure);
        } else {
          this.waiting = attempt;
        }
      };
      attempt();
    });
  }

  private wake(): void {
    const w = this.waiting;
    this.waiting = null;
    w?.('');
  }
}

/** Sends `message` (headers and body, LF or CRLF line ends) and quits. Throws on an unexpected reply. */
export async function sendMail(port: number, envelope: Envelope, message: string, options: SendOptions = {}): Promise<SmtpSession> {
  let socket: net.Socket = net.connect({ host: '127.0.0.1', port });
  let reader = new ReplyReader(socket);
  let peerCertificate: tls.PeerCertificate | undefined;
  const replies: string[] = [];
  const expect = async (code: string) => {
    const reply = await reader.next();
    replies.push(reply);
    if (!reply.startsWith(code)) throw new Error(`expected ${code}, got ${JSON.stringify(reply)}`);
    return reply;
  };
  const command = async (line: string, code: string) => {
    socket.write(`${line}\r\n`);
    return expect(code);
  };
  try {
    await expect('220');
    await command('EHLO test.local', '250');
    if (options.starttlsCa !== undefined) {
      await command('STARTTLS', '220');
      reader.detach();
      const secure = tls.connect({ socket, servername: 'localhost', ca: options.starttlsCa });
      reader = new ReplyReader(secure);
      await new Promise<void>((resolve, reject) => {
        secure.once('secureConnect', resolve);
        secure.once('error', reject);
      });
      peerCertificate = secure.getPeerCertificate();
      socket = secure;
      await command('EHLO test.local', '250');
    }
    await command(`MAIL FROM:<${envelope.from}>`, '250');
    for (const to of envelope.to) await command(`RCPT TO:<${to}>`, '250');
    await command('DATA', '354');
    const body = message.replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..');
    const queued = await command(`${body}${body.endsWith('\r\n') ? '' : '\r\n'}.`, '250');
    await command('QUIT', '221');
    return { replies, queued, peerCertificate };
  } finally {
    socket.destroy();
  }
}
