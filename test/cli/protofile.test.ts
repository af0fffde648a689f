// --protofile: a custom protocol run as its own process, as mountebank runs one. The protocol here
// is a line-based TCP server that asks standin for each answer over the callback URL.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, tempDir, waitFor } from '../support/cliHarness.js';
import { del, freePort, get, post } from '../support/http.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';

const LINE_PROTOCOL = `'use strict';
const net = require('net');
const http = require('http');
const config = JSON.parse(process.argv[process.argv.length - 1]);
const server = net.createServer((socket) => {
  let buffered = '';
  socket.on('data', (chunk) => {
    buffered += chunk;
    let end;
    while ((end = buffered.indexOf('\\n')) >= 0) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      const url = config.callbackURLTemplate.replace(':port', server.address().port);
      const req = http.request(url, { method: 'POST', headers: { 'Content-Type': 'application/json' } }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => {
          const answer = JSON.parse(text).response || {};
          socket.write((answer.data || (config.defaultResponse || {}).data || '') + '\\n');
        });
      });
      req.end(JSON.stringify({ request: { data: line, ip: socket.remoteAddress } }));
    }
  });
});
server.listen(config.port || 0, '127.0.0.1', () => {
  console.log(JSON.stringify({ port: server.address().port }));
  console.log('info line protocol ready, greeting ' + config.greeting);
});
process.on('SIGTERM', () => process.exit(0));
`;

const tmp = tempDir();
after(() => tmp.cleanup());
let server: StandinProcess;
before(async () => {
  writeFileSync(join(tmp.dir, 'lineProtocol.js'), LINE_PROTOCOL);
  writeFileSync(join(tmp.dir, 'protocols.json'), JSON.stringify({ line: { createCommand: `${process.execPath} ${join(tmp.dir, 'lineProtocol.js')}` } }));
  server = await startStandin(['--protofile', join(tmp.dir, 'protocols.json')]);
});
after(async () => {
  await server.stop();
});

/** Sends lines over one connection and collects one answer line per line sent. */
function converse(port: number, lines: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      received += text;
      const answers = received.split('\n').slice(0, -1);
      if (answers.length === lines.length) {
        socket.end();
        resolve(answers);
      }
    });
    socket.on('error', reject);
    // One line at a time, so answers come back in order.
    let sent = 0;
    const next = () => {
      if (sent < lines.length) socket.write(`${lines[sent++]}\n`);
    };
    socket.on('data', next);
    next();
  });
}

describe('--protofile', () => {
  it('runs the protocol command with the imposter JSON and answers its requests from the stubs', async () => {
    const port = await freePort();
    const created = await post(`${server.url}/imposters`, {
      protocol: 'line',
      port,
      greeting: 'hi there',
      defaultResponse: { data: 'no match' },
      stubs: [{ predicates: [{ equals: { data: 'hello' } }], responses: [{ is: { data: 'world' } }, { is: { data: 'again' } }] }],
    });
    assert.equal(created.status, 201, created.body);
    assert.deepEqual(await converse(port, ['hello', 'hello', 'bye']), ['world', 'again', 'no match']);

    const imposter = (await get(`${server.url}/imposters/${port}`)).json();
    assert.equal(imposter.protocol, 'line');
    assert.equal(imposter.numberOfRequests, 3);
    assert.equal(imposter.greeting, 'hi there', 'the protocol field is echoed');
    await waitFor(() => server.output().includes(`[line:${port}] line protocol ready, greeting hi there`), 5_000, 'the relayed log line');

    assert.equal((await del(`${server.url}/imposters/${port}`)).status, 200);
    await assert.rejects(converse(port, ['hello']), /ECONNREFUSED/, 'the protocol process was stopped');
  });

  it('a command that fails to start is a 400 naming the protocol; nothing keeps running', async () => {
    writeFileSync(join(tmp.dir, 'broken.json'), JSON.stringify({ broken: { createCommand: `${process.execPath} -e process.exit(3)` } }));
    const other = await startStandin(['--protofile', join(tmp.dir, 'broken.json')]);
    try {
      const answer = await post(`${other.url}/imposters`, { protocol: 'broken', port: await freePort() });
      assert.equal(answer.status, 400);
      assert.match(answer.json().errors[0].message, /"broken" start command failed \(exit code 3\)/);
      assert.deepEqual((await get(`${other.url}/imposters`)).json().imposters, []);
    } finally {
      await other.stop();
    }
  });

  it('a --protofile that is not JSON stops start with one line', async () => {
    writeFileSync(join(tmp.dir, 'bad.json'), '{"line": ');
    const result = await runCli(
      ['start', '--port', String(await freePort()), '--nologfile', '--pidfile', join(tmp.dir, 'x.pid'), '--protofile', join(tmp.dir, 'bad.json')],
      tmp.dir,
    );
    assert.equal(result.code, 1);
    assert.match(result.stderr.trimEnd(), /^standin: cannot load --protofile .*bad\.json: /);
  });

  it('a --protofile that is missing: a warning, and standin starts with the built-in protocols, as mb', async () => {
    const other = await startStandin(['--protofile', join(tmp.dir, 'absent.json')]);
    try {
      const warning = /warn: \[mb:\d+\] Cannot find --protofile .*absent\.json; starting without custom protocols/;
      await waitFor(() => warning.test(other.output()), 5_000, 'the warning');
      const port = await freePort();
      assert.equal((await post(`${other.url}/imposters`, { protocol: 'http', port })).status, 201);
    } finally {
      await other.stop();
    }
  });
});
