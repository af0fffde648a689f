// smtp imposters over a real socket: a client sends messages, the server answers as mountebank does
// (`250 OK: message queued`), and each message appears in GET /imposters/:port `requests` in
// mountebank's shape (its own smtpImposterTest expectations, then a multipart message).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { del, freePort, get, post } from '../support/http.js';
import { sendMail } from '../support/smtp.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';

let mb: StandinProcess;
before(async () => {
  mb = await startStandin();
});
after(async () => {
  await mb.stop();
});

async function create(definition: Record<string, unknown> = {}): Promise<{ port: number; body: Record<string, any> }> {
  const port = await freePort();
  const res = await post(`${mb.url}/imposters`, { protocol: 'smtp', port, ...definition });
  assert.equal(res.status, 201, res.body);
  return { port, body: res.json() };
}

const requestsOf = async (port: number) => (await get(`${mb.url}/imposters/${port}`)).json().requests as Record<string, any>[];

describe('smtp imposter', () => {
  it('answers 250 OK: message queued and records messages as mountebank does', async () => {
    const { port, body } = await create({ recordRequests: true });
    assert.equal(body.protocol, 'smtp');
    assert.deepEqual(body.requests, []);

    const first = await sendMail(
      port,
      { from: 'envelopeFrom1@mb.org', to: ['envelopeTo1@mb.org'] },
      'From: "From 1" <from1@mb.org>\nTo: "To 1" <to1@mb.org>\nSubject: subject 1\n\ntext 1\n',
    );
    assert.equal(first.queued, '250 OK: message queued');
    await sendMail(
      port,
      { from: 'envelopeFrom2@mb.org', to: ['envelopeTo2@mb.org'] },
      'From: "From 2" <from2@mb.org>\nTo: "To 2" <to2@mb.org>\nCc: "CC 2" <cc2@mb.org>\nBcc: "BCC 2" <bcc2@mb.org>\nSubject: subject 2\n\ntext 2\n',
    );

    const requests = await requestsOf(port);
    for (const r of requests) {
      assert.match(r.timestamp, /^\d{4}-\d\d-\d\dT/);
      assert.equal(r.requestFrom, '127.0.0.1');
      r.timestamp = 'NOW';
    }
    assert.deepEqual(requests, [
      {
        requestFrom: '127.0.0.1',
        ip: '127.0.0.1',
        envelopeFrom: 'envelopeFrom1@mb.org',
        envelopeTo: ['envelopeTo1@mb.org'],
        from: { address: 'from1@mb.org', name: 'From 1' },
        to: [{ address: 'to1@mb.org', name: 'To 1' }],
        cc: [],
        bcc: [],
        subject: 'subject 1',
        priority: 'normal',
        references: [],
        inReplyTo: [],
        text: 'text 1',
        html: '',
        attachments: [],
        timestamp: 'NOW',
      },
      {
        requestFrom: '127.0.0.1',
        ip: '127.0.0.1',
        envelopeFrom: 'envelopeFrom2@mb.org',
        envelopeTo: ['envelopeTo2@mb.org'],
        from: { address: 'from2@mb.org', name: 'From 2' },
        to: [{ address: 'to2@mb.org', name: 'To 2' }],
        cc: [{ address: 'cc2@mb.org', name: 'CC 2' }],
        bcc: [{ address: 'bcc2@mb.org', name: 'BCC 2' }],
        subject: 'subject 2',
        priority: 'normal',
        references: [],
        inReplyTo: [],
        text: 'text 2',
        html: '',
        attachments: [],
        timestamp: 'NOW',
      },
    ]);
  });

  it('records every recipient, the html part and attachments of a multipart message', async () => {
    const { port } = await create({ recordRequests: true });
    const attachment = Buffer.from([0, 1, 2, 250, 251, 252]);
    const message = [
      'From: Sender <sender@example.test>',
      'To: A <a@example.test>, b@example.test',
      'Subject: report',
      'In-Reply-To: <earlier@example.test>',
      'X-Priority: 1',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="outer"',
      '',
      '--outer',
      'Content-Type: multipart/alternative; boundary="inner"',
      '',
      '--inner',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'plain body',
      '--inner',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>html body</p>',
      '--inner--',
      '--outer',
      'Content-Type: application/octet-stream; name="data.bin"',
      'Content-Disposition: attachment; filename="data.bin"',
      'Content-Transfer-Encoding: base64',
      '',
      attachment.toString('base64'),
      '--outer--',
      '',
    ].join('\n');
    await sendMail(port, { from: 'sender@example.test', to: ['a@example.test', 'b@example.test'] }, message);

    const [request] = await requestsOf(port);
    assert.deepEqual(request!.envelopeTo, ['a@example.test', 'b@example.test']);
    assert.deepEqual(request!.to, [
      { address: 'a@example.test', name: 'A' },
      { address: 'b@example.test', name: '' },
    ]);
    assert.equal(request!.subject, 'report');
    assert.equal(request!.text, 'plain body');
    assert.equal(request!.html, '<p>html body</p>');
    assert.equal(request!.inReplyTo, '<earlier@example.test>');
    assert.equal(request!.priority, 'high');
    assert.equal(request!.attachments.length, 1);
    const [file] = request!.attachments;
    assert.equal(file.filename, 'data.bin');
    assert.equal(file.contentType, 'application/octet-stream');
    assert.equal(file.size, attachment.length);
    assert.deepEqual(file.content, { type: 'Buffer', data: [...attachment] });
  });

  it('offers STARTTLS with the generated certificate, which a client trusting only it accepts', async () => {
    const { port } = await create({ recordRequests: true });
    const https = await post(`${mb.url}/imposters`, { protocol: 'https', port: await freePort() });
    const cert = https.json().cert as string;
    const session = await sendMail(port, { from: 'x@example.test', to: ['y@example.test'] }, 'Subject: secret\n\nover tls\n', { starttlsCa: cert });
    assert.equal(session.queued, '250 OK: message queued');
    assert.equal(session.peerCertificate?.subject.CN, 'localhost');
    const [request] = await requestsOf(port);
    assert.equal(request!.subject, 'secret');
    await del(`${mb.url}/imposters/${https.json().port}`);
  });

  it('counts messages without recording them unless recordRequests', async () => {
    const { port } = await create();
    await sendMail(port, { from: 'x@example.test', to: ['y@example.test'] }, 'Subject: one\n\nbody\n');
    await sendMail(port, { from: 'x@example.test', to: ['y@example.test'] }, 'Subject: two\n\nbody\n');
    const json = (await get(`${mb.url}/imposters/${port}`)).json();
    assert.equal(json.numberOfRequests, 2);
    assert.deepEqual(json.requests, []);
  });

  it('gets a port when none is given, and frees it when deleted', async () => {
    const res = await post(`${mb.url}/imposters`, { protocol: 'smtp' });
    assert.equal(res.status, 201, res.body);
    const port = res.json().port as number;
    assert.ok(port > 0);
    assert.equal((await del(`${mb.url}/imposters/${port}`)).status, 200);
    const again = await post(`${mb.url}/imposters`, { protocol: 'smtp', port });
    assert.equal(again.status, 201, again.body);
    await del(`${mb.url}/imposters/${port}`);
  });
});
