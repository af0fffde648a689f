// One imposter's page in a real browser (Debian's Chromium): requests appear live with the stub
// that answered or why none did; a miss is fixed from the page until the request matches; the dry
// run; stubs added, moved and deleted; recording through a proxy, then replaying with the origin
// stopped; and request data (a <script> in the path, a header and the body) shown only as text.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openPage, screenshot } from '../support/browser.js';
import { freePort, get, post } from '../support/http.js';
import { exchange } from '../support/rawHttp.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';

let browser: Browser;
let server: StandinProcess;

before(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startStandin()]);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const ORDERS_STUB = {
  id: 'create-order',
  predicates: [{ equals: { method: 'POST', path: '/orders' } }, { equals: { body: 'book' }, jsonpath: { selector: '$.item' } }],
  responses: [{ is: { statusCode: 201, body: { id: 1 } } }],
};

async function imposter(stubs: unknown[], extra: Record<string, unknown> = {}): Promise<number> {
  const port = await freePort();
  const created = await post(`${server.url}/imposters`, { protocol: 'http', port, recordRequests: true, stubs, ...extra });
  assert.equal(created.status, 201, created.body);
  return port;
}

/** The imposter's page, once its live stream is connected (so no request is missed). */
async function openImposter(port: number): Promise<Page> {
  const page = await openPage(browser);
  await page.goto(`${server.url}/imposters/${port}`);
  await page.getByTestId('request-stream').getByText('live', { exact: true }).waitFor();
  return page;
}

const order = (port: number, item: string) =>
  fetch(`http://127.0.0.1:${port}/orders`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ item }) });

describe('an imposter in the browser', { timeout: 180_000 }, () => {
  it('shows a request live, explains the miss, and the stub fixed from the page then matches', async () => {
    const port = await imposter([ORDERS_STUB, { predicates: [{ equals: { method: 'GET', path: '/orders' } }], responses: [{ is: { body: '[]' } }] }]);
    const p = await openImposter(port);
    await p.getByTestId('stub-0').getByText('create-order').waitFor();
    assert.equal((await order(port, 'pen')).status, 200, 'no stub matched: the default response');

    const item = p.getByTestId('live-request').first();
    await item.getByText('→ no stub matched').waitFor();
    const miss = item.getByTestId('near-miss');
    await miss.getByText('stub 0 “create-order”', { exact: true }).waitFor();
    await miss.getByText('2 of 3 clauses held').waitFor();
    const clause = miss.getByRole('row', { name: /predicates\[1\]\.equals\.body/ });
    assert.match(await clause.innerText(), /"book"\s+"pen"/);
    // The list carries summaries; opening a request fetches its headers and body.
    await item.locator('summary').click();
    await item.locator('.request-detail').getByText('{"item":"pen"}', { exact: true }).waitFor();
    await item.locator('.request-detail').getByText('Content-Type: application/json').waitFor();
    await screenshot(p, 'imposter');

    // Open the closest stub's editor from the explanation; a refused edit is shown there, and nothing changes.
    await miss.getByRole('button', { name: 'Edit stub 0 “create-order”' }).click();
    const editor = p.getByTestId('edit-stub-0');
    const fixed = { ...ORDERS_STUB, predicates: [ORDERS_STUB.predicates[0], { equals: { body: 'pen' }, jsonpath: { selector: '$.item' } }] };
    await editor.getByRole('textbox').fill(JSON.stringify({ ...fixed, responses: [{ is: { statusCode: 201 }, proxy: { to: 'http://x' } }] }, null, 2));
    await editor.getByRole('button', { name: 'Save stub' }).click();
    await editor.getByRole('alert').filter({ hasText: 'bad data' }).waitFor();
    await screenshot(p, 'edit-error');
    assert.equal((await order(port, 'book')).status, 201, 'the refused edit changed nothing');

    await editor.getByRole('textbox').fill(JSON.stringify(fixed, null, 2));
    await editor.getByRole('button', { name: 'Save stub' }).click();
    await editor.waitFor({ state: 'detached' });
    await p.getByTestId('stub-0').getByText('pen', { exact: true }).waitFor();
    assert.equal((await order(port, 'pen')).status, 201);
    await p.getByTestId('live-request').first().getByText('→ stub 0 “create-order”').waitFor();
    // The stub kept its id: it is still addressed by it.
    assert.equal((await get(`${server.url}/imposters/${port}/stubs/by-id/create-order`)).json().predicates[1].equals.body, 'pen');
    await p.close();
  });

  it('accounts for a burst: every request is listed or counted as arrived faster than the list shows', async () => {
    const port = await imposter([{ responses: [{ is: { body: 'ok' } }] }]);
    const p = await openImposter(port);
    const burst = 60;
    const answers = await Promise.all(Array.from({ length: burst }, (_, n) => fetch(`http://127.0.0.1:${port}/burst/${n}`)));
    assert.deepEqual(new Set(answers.map((a) => a.status)), new Set([200]));
    await p.waitForFunction((expected) => {
      const listed = document.querySelectorAll('[data-testid="live-request"]').length;
      const unlisted = Number(/(\d+) more/.exec(document.querySelector('[data-testid="unlisted"]')?.textContent ?? '')?.[1] ?? 0);
      return listed + unlisted === expected;
    }, burst);
    await p.close();
  });

  it('tests a request without sending it: the stub that would answer, or the closest one and why', async () => {
    const port = await imposter([ORDERS_STUB]);
    const p = await openImposter(port);
    const form = p.getByTestId('dry-run');
    await form.getByLabel('Method').fill('POST');
    await form.getByLabel('Path').fill('/orders');
    await form.getByLabel('Body').fill('{"item": "book"}');
    await form.getByRole('button', { name: 'Test' }).click();
    await form.getByRole('status').getByText('stub 0 “create-order” would answer with').waitFor();
    assert.match(await form.getByRole('status').innerText(), /"statusCode": 201/);
    await form.getByLabel('Body').fill('{"item": "pen"}');
    await form.getByRole('button', { name: 'Test' }).click();
    await form.getByTestId('near-miss').getByText('2 of 3 clauses held').waitFor();
    await screenshot(form, 'dry-run');
    // Nothing was recorded or counted.
    assert.equal((await get(`${server.url}/imposters/${port}`)).json().numberOfRequests, 0);
    await p.close();
  });

  it('adds a stub, moves it up, and deletes a stub by its id', async () => {
    const port = await imposter([ORDERS_STUB]);
    const p = await openImposter(port);
    await p.getByRole('button', { name: 'Add a stub' }).click();
    const adding = p.getByTestId('add-stub');
    await adding
      .getByRole('textbox')
      .fill(JSON.stringify({ id: 'health', predicates: [{ equals: { path: '/health' } }], responses: [{ is: { body: 'ok' } }] }));
    await adding.getByRole('button', { name: 'Add stub' }).click();
    await p.getByTestId('stub-1').getByRole('heading', { name: 'Stub 1 “health”' }).waitFor();
    await p.getByRole('button', { name: 'Move Stub 1 “health” up' }).click();
    await p.getByTestId('stub-0').getByRole('heading', { name: 'Stub 0 “health”' }).waitFor();
    const ids = async () => ((await get(`${server.url}/imposters/${port}`)).json().stubs as Array<{ id?: string }>).map((s) => s.id);
    assert.deepEqual(await ids(), ['health', 'create-order']);
    await p.getByRole('button', { name: 'Delete Stub 1 “create-order”' }).click();
    await p.getByRole('button', { name: 'Really delete stub 1 “create-order”?' }).click();
    await p.getByRole('heading', { name: /create-order/ }).waitFor({ state: 'detached' });
    assert.deepEqual(await ids(), ['health']);
    assert.equal(await (await fetch(`http://127.0.0.1:${port}/health`)).text(), 'ok');
    await p.close();
  });

  it('records through a proxy, then replays the recorded responses with the origin stopped', async () => {
    let calls = 0;
    const origin = http.createServer((req, res) => {
      calls++;
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(`origin says hello to ${req.url}`);
    });
    const originPort = await freePort();
    await new Promise<void>((resolve) => origin.listen(originPort, '127.0.0.1', resolve));
    // The proxy keeps its connections to the origin alive: they are cut, or close() would wait for them.
    const stopOrigin = () =>
      new Promise<void>((resolve) => {
        if (!origin.listening) return resolve();
        origin.close(() => resolve());
        origin.closeAllConnections();
      });
    try {
      const port = await imposter([
        { responses: [{ proxy: { to: `http://127.0.0.1:${originPort}`, mode: 'proxyOnce', predicateGenerators: [{ matches: { path: true } }] } }] },
      ]);
      const p = await openImposter(port);
      await p.getByText(`proxy to http://127.0.0.1:${originPort}`).waitFor();
      assert.equal(await (await fetch(`http://127.0.0.1:${port}/greeting`)).text(), 'origin says hello to /greeting');
      assert.equal(calls, 1);
      await p.getByRole('button', { name: 'Replay recorded responses' }).click();
      await p.getByRole('status').filter({ hasText: 'Now replaying' }).waitFor();
      await stopOrigin();
      assert.equal(await (await fetch(`http://127.0.0.1:${port}/greeting`)).text(), 'origin says hello to /greeting');
      assert.equal(calls, 1, 'the origin was not called again');
      const stubs = (await get(`${server.url}/imposters/${port}?replayable=true`)).json().stubs as unknown[];
      assert.ok(!JSON.stringify(stubs).includes('"proxy"'), 'no proxy is left');
      await p.getByText('proxy to').waitFor({ state: 'detached' });
      await p.close();
    } finally {
      await stopOrigin();
    }
  });

  it("shows Rift's flow state: each flow id with its keys, values and TTLs", async () => {
    const script =
      "function should_inject(request, flow_store) flow_store:increment(request.headers['x-user'] or 'anonymous', 'calls'); return { inject = false } end";
    const port = await imposter([{ responses: [{ is: { body: 'ok' }, _rift: { script: { engine: 'lua', code: script } } }] }], {
      _rift: { flowState: { ttlSeconds: 90 } },
    });
    const p = await openImposter(port);
    for (const user of ['alice', 'alice', 'bob']) await fetch(`http://127.0.0.1:${port}/`, { headers: { 'x-user': user } });
    const table = p.getByTestId('flow-state');
    await table.getByRole('row', { name: /alice\s+calls\s+2\s+\d+ s/ }).waitFor();
    await table.getByRole('row', { name: /bob\s+calls\s+1\s+\d+ s/ }).waitFor();
    await table.getByText('keys expire 90 s after their last write').waitFor();
    await screenshot(table, 'flow-state');
    await p.close();
  });

  it("shows Rift's script predicate: its engine and code, and the clause of a miss", async () => {
    const code = 'ctx.state.get("tier") == "vip"';
    const port = await imposter([{ id: 'vip', predicates: [{ _rift: { script: { engine: 'rhai', code } } }], responses: [{ is: { body: 'vip' } }] }]);
    const p = await openImposter(port);
    await p.getByTestId('stub-0').getByText(`script (rhai) ${code}`).waitFor();
    assert.equal(await (await fetch(`http://127.0.0.1:${port}/`)).text(), '', 'no tier: no match');
    const miss = p.getByTestId('live-request').first().getByTestId('near-miss');
    await miss.getByText('predicates[0]._rift', { exact: true }).waitFor();
    await p.close();
  });

  it("shows Rift's scenarios and spaces: the stubs they gate, each flow's scenario state, and a reset", async () => {
    const port = await imposter(
      [
        {
          scenarioName: 'checkout',
          requiredScenarioState: 'Started',
          newScenarioState: 'paid',
          predicates: [{ equals: { path: '/pay' } }],
          responses: [{ is: { body: 'payment required' } }],
        },
        { scenarioName: 'checkout', requiredScenarioState: 'paid', predicates: [{ equals: { path: '/pay' } }], responses: [{ is: { body: 'fulfilled' } }] },
        { space: 'alice', predicates: [{ equals: { path: '/data' } }], responses: [{ is: { body: 'alice data' } }] },
      ],
      { _rift: { flowState: { flowIdSource: 'header:X-Mock-Space' } } },
    );
    const p = await openImposter(port);
    await p.getByTestId('stub-0').getByText('Scenario checkout: answers while it is Started, then moves it to paid').waitFor();
    await p.getByTestId('stub-2').getByText('Only for flow alice (its space)').waitFor();
    const pay = async () => (await fetch(`http://127.0.0.1:${port}/pay`, { headers: { 'X-Mock-Space': 'alice' } })).text();
    assert.equal(await pay(), 'payment required');
    const panel = p.getByTestId('flow-state');
    await panel.getByText('alice (1 stub)').waitFor();
    await panel.getByRole('row', { name: /alice.*checkout \(scenario state\)\s+"paid"/ }).waitFor();
    assert.equal(await pay(), 'fulfilled');
    await screenshot(panel, 'scenarios');
    await panel.getByRole('button', { name: 'Reset scenarios' }).click();
    await panel.getByRole('row', { name: /"paid"/ }).waitFor({ state: 'detached' });
    assert.equal(await pay(), 'payment required', 'the scenario is back to Started');
    await p.close();
  });

  it('shows request data as text: a <script> in the path, a header and the body never runs', async () => {
    const port = await imposter([{ predicates: [{ equals: { path: '/never' } }], responses: [{ is: { body: 'x' } }] }]);
    const p = await openImposter(port);
    const dialogs: string[] = [];
    p.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const pathPayload = '/<script>window.__pwned="path"</script>';
    const headerPayload = '<img src=x onerror="window.__pwned=\'header\'">';
    const bodyPayload = '<script>window.__pwned="body"</script><svg onload=alert(1)>';
    const raw = [
      `POST ${pathPayload} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      `X-Evil: ${headerPayload}`,
      'Connection: close',
      `Content-Length: ${Buffer.byteLength(bodyPayload)}`,
      '',
      bodyPayload,
    ].join('\r\n');
    assert.match((await exchange('http', port, raw)).toString(), /^HTTP\/1\.1 200/);

    const item = p.getByTestId('live-request').first();
    await item.getByText(pathPayload).waitFor();
    await item.locator('summary').click();
    await item.getByText(`X-Evil: ${headerPayload}`).waitFor();
    await item.getByText(bodyPayload).waitFor();
    await item.getByTestId('near-miss').getByText(JSON.stringify(pathPayload)).waitFor();
    // The same request in the dry run's answer.
    const form = p.getByTestId('dry-run');
    await form.getByLabel('Path').fill(pathPayload);
    await form.getByLabel('Body').fill(bodyPayload);
    await form.getByRole('button', { name: 'Test' }).click();
    await form.getByTestId('near-miss').getByText(JSON.stringify(pathPayload)).waitFor();
    await screenshot(item, 'escaped');

    assert.equal(await p.evaluate(() => (window as unknown as { __pwned?: string }).__pwned), undefined);
    assert.deepEqual(dialogs, []);
    assert.equal(await p.locator('main script, main img, main svg:not(.chart svg) [onload], main iframe').count(), 0);
    assert.equal(await p.locator('[onerror], [onload]').count(), 0);
    await p.close();
  });
});
