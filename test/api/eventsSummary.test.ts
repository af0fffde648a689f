// The summary view of recorded requests (what the dashboard's live list reads): GET /events and
// savedRequests with view=summary, a burst folded into one `more` frame, resuming from it, and
// one recorded request fetched by its index.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { get, post } from '../support/http.js';
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

/** What the summary of a full `request` event's data must be. */
function summaryOfFull(full: Record<string, any>): Record<string, unknown> {
  const out: Record<string, unknown> = {
    port: full.port,
    index: full.index,
    timestamp: full.request.timestamp,
    method: full.request.method,
    path: full.request.path,
    query: full.request.query,
    stub: full.stub,
  };
  if (full.nearMiss !== undefined) out.nearMiss = full.nearMiss;
  return out;
}

describe('view=summary', () => {
  it('sends each recorded request as its summary (no headers, no body), the full stream beside it unchanged', async () => {
    const port = await recordingImposter(mb.url);
    const summary = await openSse(`${mb.url}/events?port=${port}&view=summary`);
    const full = await openSse(`${mb.url}/events?port=${port}`);
    try {
      const hello = data(await summary.next());
      assert.equal(hello.view, 'summary');
      assert.equal('view' in data(await full.next()), false, "the full stream's hello is as before");

      await get(`http://127.0.0.1:${port}/hello?q=1`, { headers: { 'X-Secret': 'not in a summary' } });
      await post(`http://127.0.0.1:${port}/goodbye`, 'a body');
      const [hit, miss] = [await summary.waitFor('request'), await summary.waitFor('request')];
      const [fullHit, fullMiss] = [await full.waitFor('request'), await full.waitFor('request')];
      assert.equal(hit.id, fullHit.id, 'the same event, the same id');
      assert.equal(miss.id, fullMiss.id);
      assert.deepEqual(data(hit), summaryOfFull(data(fullHit)));
      assert.deepEqual(data(hit), {
        port,
        index: 1,
        timestamp: data(fullHit).request.timestamp,
        method: 'GET',
        path: '/hello',
        query: { q: '1' },
        stub: { index: 0, id: 'hello' },
      });
      assert.equal(hit.data.includes('not in a summary'), false);
      assert.ok(data(fullHit).request.headers['X-Secret'], 'the full event still carries the headers');
      assert.equal(data(fullMiss).request.body, 'a body');
      assert.deepEqual(data(miss), summaryOfFull(data(fullMiss)));
      assert.equal(data(miss).stub, null);
      assert.equal(data(miss).nearMiss.id, 'hello', 'a miss says which stub came closest');
    } finally {
      summary.close();
      full.close();
    }
  });

  it('folds what one delivery holds beyond 10 requests into one `more` frame, and resumes after it exactly', async () => {
    const port = await recordingImposter(mb.url);
    const watcher = await openSse(`${mb.url}/events?port=${port}&types=requests`);
    const seq = data(await watcher.next()).seq as number;
    watcher.close();
    // Recorded while nobody reads this port's summaries: a client resuming before them gets all 25 in its first delivery.
    for (let n = 1; n <= 25; n++) assert.equal((await get(`http://127.0.0.1:${port}/hello?n=${n}`)).status, 200);

    const resumed = await openSse(`${mb.url}/events?port=${port}&view=summary`, { 'Last-Event-ID': String(seq) });
    let moreId: string;
    try {
      assert.equal((await resumed.next()).event, 'hello');
      const frames = await framesThrough(resumed, seq + 25);
      assert.deepEqual(
        frames.map((f) => [f.event, Number(f.id)]),
        [...Array.from({ length: 10 }, (_, i) => ['request', seq + 1 + i]), ['more', seq + 25]],
      );
      assert.deepEqual(
        frames.slice(0, 10).map((f) => data(f).query.n),
        Array.from({ length: 10 }, (_, i) => String(i + 1)),
      );
      assert.deepEqual(data(frames[10]!), { requests: 15 });
      moreId = frames[10]!.id!;
    } finally {
      resumed.close();
    }

    const again = await openSse(`${mb.url}/events?port=${port}&view=summary`, { 'Last-Event-ID': moreId });
    try {
      assert.equal((await again.next()).event, 'hello');
      await get(`http://127.0.0.1:${port}/hello?n=26`);
      const next = await again.waitFor('request');
      assert.equal(Number(next.id), seq + 26, 'nothing the `more` frame counted is sent again, nothing after it is skipped');
      assert.equal(data(next).query.n, '26');
    } finally {
      again.close();
    }

    const saved = await get(`${mb.url}/imposters/${port}/savedRequests?view=summary&last=3`);
    assert.equal(saved.status, 200);
    assert.deepEqual(
      saved.json().map((s: { index: number; query: { n: string } }) => [s.index, s.query.n]),
      [
        [24, '24'],
        [25, '25'],
        [26, '26'],
      ],
    );
    assert.deepEqual(Object.keys(saved.json()[0]), ['port', 'index', 'timestamp', 'method', 'path', 'query', 'stub']);
  });

  it('GET savedRequests/:index gives one recorded request as explain=true does; a request no longer held is a 404', async () => {
    const port = await recordingImposter(mb.url);
    await post(`http://127.0.0.1:${port}/goodbye?x=1`, '<b>body</b>');
    await get(`http://127.0.0.1:${port}/hello`);
    const explained = (await get(`${mb.url}/imposters/${port}/savedRequests?explain=true`)).json();
    const one = await get(`${mb.url}/imposters/${port}/savedRequests/1`);
    assert.equal(one.status, 200);
    assert.deepEqual(one.json(), explained[0]);
    assert.equal(one.json().request.body, '<b>body</b>');
    assert.equal(one.json().nearMiss.id, 'hello');
    assert.deepEqual((await get(`${mb.url}/imposters/${port}/savedRequests/2`)).json(), explained[1]);

    const gone = await get(`${mb.url}/imposters/${port}/savedRequests/3`);
    assert.equal(gone.status, 404);
    assert.match(gone.json().errors[0].message, /request 3 is not in the journal of imposter \d+ \(it holds 1 to 2\)/);
    const bad = await get(`${mb.url}/imposters/${port}/savedRequests/0`);
    assert.equal(bad.status, 400);
    assert.match(bad.json().errors[0].message, /invalid request index '0'/);
    assert.equal((await get(`${mb.url}/imposters/${port}/savedRequests?view=brief`)).status, 400);
    assert.equal((await get(`${mb.url}/imposters/${port}/savedRequests?last=-1`)).status, 400);
    assert.equal((await get(`${mb.url}/events?view=brief`)).status, 400);
  });
});
