// The live event stream (GET /events): Rift's frames, filters, and resuming with Last-Event-ID.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { del, get, post } from '../support/http.js';
import { framesThrough, openSse, recordingImposter, type SseFrame } from '../support/sse.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';

let mb: StandinProcess;
before(async () => {
  mb = await startStandin();
});
after(async () => {
  await mb.stop();
});

const data = (frame: SseFrame) => JSON.parse(frame.data);

describe('GET /events', () => {
  it('says hello, then streams lifecycle changes and recorded requests with the stub that answered or came closest', async () => {
    const client = await openSse(`${mb.url}/events`);
    try {
      assert.equal(client.status, 200);
      assert.equal(client.headers['content-type'], 'text/event-stream');
      const hello = await client.next();
      assert.equal(hello.event, 'hello');
      assert.equal(hello.id, undefined);
      const helloData = data(hello);
      assert.deepEqual(helloData.types, ['requests', 'lifecycle']);
      assert.equal(helloData.port, null);
      assert.equal(typeof helloData.seq, 'number');
      assert.match(helloData.engineVersion, /^\d+\.\d+\.\d+/);

      const port = await recordingImposter(mb.url);
      const created = await client.waitFor('imposter');
      assert.deepEqual(data(created), { action: 'created', port });
      assert.equal(Number(created.id), helloData.seq + 1);

      await get(`http://127.0.0.1:${port}/hello`);
      const hit = await client.waitFor('request');
      assert.equal(Number(hit.id), Number(created.id) + 1);
      const hitData = data(hit);
      assert.equal(hitData.port, port);
      assert.equal(hitData.flowId, String(port));
      assert.equal(hitData.index, 1);
      assert.equal(hitData.request.path, '/hello');
      assert.deepEqual(hitData.stub, { index: 0, id: 'hello' });

      await get(`http://127.0.0.1:${port}/goodbye`);
      const miss = data(await client.waitFor('request'));
      assert.equal(miss.index, 2);
      assert.equal(miss.stub, null);
      assert.equal(miss.nearMiss.id, 'hello');
      assert.deepEqual(miss.nearMiss.failed[0], {
        at: 'predicates[0].equals.path',
        operator: 'equals',
        held: false,
        field: 'path',
        expected: '/hello',
        actual: '/goodbye',
      });

      await post(`${mb.url}/imposters/${port}/stubs`, { stub: { responses: [{ is: {} }] } });
      assert.deepEqual(data(await client.waitFor('imposter')), { action: 'stubsChanged', port });
      await del(`${mb.url}/imposters/${port}`);
      assert.deepEqual(data(await client.waitFor('imposter')), { action: 'deleted', port });
    } finally {
      client.close();
    }
  });

  it('filters by types, port and match clauses', async () => {
    const port = await recordingImposter(mb.url);
    const other = await recordingImposter(mb.url);
    const lifecycle = await openSse(`${mb.url}/events?types=lifecycle`);
    const onePath = await openSse(`${mb.url}/events?port=${port}&match=path=/hello&types=requests`);
    const alias = await openSse(`${mb.url}/imposters/${other}/savedRequests/stream`);
    try {
      assert.deepEqual(data(await lifecycle.next()).types, ['lifecycle']);
      assert.deepEqual(data(await onePath.next()).port, port);
      assert.deepEqual(data(await alias.next()).types, ['requests']);
      await get(`http://127.0.0.1:${port}/nope`);
      await get(`http://127.0.0.1:${other}/hello`);
      await get(`http://127.0.0.1:${port}/hello`);
      await del(`${mb.url}/imposters/${other}`);
      const only = data(await onePath.waitFor('request'));
      assert.deepEqual([only.port, only.request.path], [port, '/hello']);
      const aliased = data(await alias.waitFor('request'));
      assert.deepEqual([aliased.port, aliased.request.path], [other, '/hello']);
      assert.deepEqual(data(await lifecycle.next()), { action: 'deleted', port: other }, 'no request events on a lifecycle stream');
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(
        onePath.pending().filter((f) => f.event !== undefined),
        [],
        'nothing else passed the filters',
      );
      assert.deepEqual(
        alias.pending().filter((f) => f.event !== undefined),
        [],
      );
    } finally {
      lifecycle.close();
      onePath.close();
      alias.close();
    }
    assert.equal((await get(`${mb.url}/events?types=everything`)).status, 400);
    assert.equal(
      (await get(`${mb.url}/events?match=query=a`)).json().errors[0].message,
      "unsupported match clause 'query=a' (expected header:<Name>=<Value>, flow_id=<Value>, method=<Verb> or path=<Path>)",
    );
    assert.equal((await get(`${mb.url}/events?port=1`)).status, 404);
  });

  it('gives a client that reconnects with Last-Event-ID exactly the events it missed', async () => {
    const port = await recordingImposter(mb.url);
    const first = await openSse(`${mb.url}/events?port=${port}`);
    await first.next(); // hello
    await get(`http://127.0.0.1:${port}/hello?n=1`);
    const seen = await first.waitFor('request');
    first.close();

    // While nobody is connected: two requests and a stub change.
    await get(`http://127.0.0.1:${port}/hello?n=2`);
    await get(`http://127.0.0.1:${port}/missing?n=3`);
    await post(`${mb.url}/imposters/${port}/stubs`, { stub: { responses: [{ is: {} }] } });
    const watcher = await openSse(`${mb.url}/events`);
    const lastId = data(await watcher.next()).seq as number;
    watcher.close();

    const resumed = await openSse(`${mb.url}/events?port=${port}`, { 'Last-Event-ID': seen.id! });
    try {
      assert.equal((await resumed.next()).event, 'hello');
      const missed = await framesThrough(resumed, lastId);
      assert.deepEqual(
        missed.map((f) => [f.event, Number(f.id)]),
        [
          ['request', Number(seen.id) + 1],
          ['request', Number(seen.id) + 2],
          ['imposter', Number(seen.id) + 3],
        ],
      );
      assert.deepEqual(
        missed.slice(0, 2).map((f) => data(f).request.query.n),
        ['2', '3'],
      );
      assert.equal(data(missed[2]!).action, 'stubsChanged');
      await get(`http://127.0.0.1:${port}/hello?n=4`);
      const live = await resumed.waitFor('request');
      assert.equal(Number(live.id), lastId + 1, 'then it goes on live, without a gap or a repeat');
      assert.equal(data(live).request.query.n, '4');
    } finally {
      resumed.close();
    }
  });
  it('delivers a burst of requests once each, in order, with consecutive ids, live and on resume', async () => {
    const port = await recordingImposter(mb.url);
    const client = await openSse(`${mb.url}/events?port=${port}&types=requests`);
    const burst = 300;
    try {
      const hello = data(await client.next());
      // Fifty at a time, so that many requests arrive within one delivery.
      for (let sent = 0; sent < burst; sent += 50) {
        await Promise.all(Array.from({ length: 50 }, (_, i) => get(`http://127.0.0.1:${port}/hello?n=${sent + i + 1}`)));
      }
      const frames = (await framesThrough(client, hello.seq + burst)).filter((f) => f.comment === undefined);
      assert.deepEqual(
        frames.map((f) => f.event),
        Array.from({ length: burst }, () => 'request'),
      );
      assert.deepEqual(
        frames.map((f) => Number(f.id)),
        Array.from({ length: burst }, (_, i) => hello.seq + 1 + i),
        'every id once, in order',
      );
      assert.deepEqual(
        frames.map((f) => data(f).index),
        Array.from({ length: burst }, (_, i) => i + 1),
        'every recorded request once, in the order it was recorded',
      );
      assert.deepEqual(
        frames.map((f) => data(f).request.query.n).sort((a: string, b: string) => Number(a) - Number(b)),
        Array.from({ length: burst }, (_, i) => String(i + 1)),
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.deepEqual(client.pending(), [], 'nothing repeated after the last event');

      const resumeFrom = hello.seq + 120;
      const resumed = await openSse(`${mb.url}/events?port=${port}&types=requests`, { 'Last-Event-ID': String(resumeFrom) });
      try {
        assert.equal((await resumed.next()).event, 'hello');
        const replayed = await framesThrough(resumed, hello.seq + burst);
        assert.deepEqual(
          replayed.map((f) => Number(f.id)),
          Array.from({ length: burst - 120 }, (_, i) => resumeFrom + 1 + i),
        );
        assert.deepEqual(
          replayed.map((f) => f.data),
          frames.slice(120).map((f) => f.data),
          'the same events as live',
        );
      } finally {
        resumed.close();
      }
    } finally {
      client.close();
    }
  });
});
