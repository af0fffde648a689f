// The dashboard in a real browser (Debian's Chromium): home, the imposters list (create from the
// page with errors shown inline, delete, download and upload), logs, and the API key prompt.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openPage, screenshot } from '../support/browser.js';
import { freePort, get, post } from '../support/http.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';

let browser: Browser;
let server: StandinProcess;
const pages: Page[] = [];

before(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startStandin(['--allowInjection'])]);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function page(): Promise<Page> {
  const opened = await openPage(browser);
  pages.push(opened);
  return opened;
}

describe('the dashboard in Chromium', { timeout: 120_000 }, () => {
  it('home shows the version, the flags in force and the imposter count', async () => {
    const port = await freePort();
    await post(`${server.url}/imposters`, { protocol: 'http', port, stubs: [] });
    const p = await page();
    await p.goto(`${server.url}/`);
    await p
      .getByTestId('version')
      .filter({ hasText: /\d+\.\d+\.\d+/ })
      .waitFor();
    await p.getByTestId('imposter-count').filter({ hasText: '1' }).waitFor();
    await p.getByRole('row', { name: /--allowInjection/ }).waitFor();
    await p.getByRole('img', { name: /Requests per second/ }).waitFor();
    // Traffic shows in the rate once two samples of /metrics (2 s apart) have seen it.
    const rate = p.getByTestId('request-rate');
    const deadline = Date.now() + 30_000;
    while (!/^[1-9]\d*\.\d|^0\.[1-9]/.test(await rate.innerText())) {
      assert.ok(Date.now() < deadline, 'the request rate never went above 0');
      await Promise.all(Array.from({ length: 10 }, () => fetch(`http://127.0.0.1:${port}/`).then((r) => r.text())));
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    await screenshot(p, 'home');
    await fetch(`${server.url}/imposters/${port}`, { method: 'DELETE' });
    await p.close();
  });

  it('home charts the traffic of the minutes before the page was opened', async () => {
    const port = await freePort();
    await post(`${server.url}/imposters`, { protocol: 'http', port, stubs: [{ responses: [{ is: { body: 'hi' } }] }] });
    await Promise.all(Array.from({ length: 25 }, () => fetch(`http://127.0.0.1:${port}/`).then((r) => r.text())));
    const sent = Date.now();
    // Kept by the server once a second: wait for a second that ended after these requests, so
    // that every second before it (the earlier tests' traffic too) is in the history, then open the page.
    const history = async () => (await get(`${server.url}/metrics/history`)).json().seconds as Array<{ t: number; requests: number }>;
    const deadline = Date.now() + 20_000;
    let seconds = await history();
    while (!seconds.some((s) => s.t > sent)) {
      assert.ok(Date.now() < deadline, 'the history never reached the second after the requests');
      await new Promise((resolve) => setTimeout(resolve, 250));
      seconds = await history();
    }
    const max = Math.max(0, ...seconds.map((s) => s.requests));
    assert.ok(max > 0);
    const shown = max >= 100 ? max.toFixed(0) : max >= 10 ? max.toFixed(1) : max.toFixed(2);
    const p = await page();
    try {
      await p.goto(`${server.url}/`);
      // No request since: a page that charted only from its opening would show a maximum of 0.
      await p
        .getByRole('figure')
        .filter({ hasText: 'Requests per second' })
        .filter({ hasText: `(max ${shown}, last 10 min)` })
        .waitFor();
    } finally {
      // The next test expects no imposters, whatever happened here.
      await fetch(`${server.url}/imposters/${port}`, { method: 'DELETE' });
      await p.close();
    }
  });

  it('creates an imposter from pasted JSON: a refused field is shown inline, the fixed one is created and answers', async () => {
    const port = await freePort();
    const p = await page();
    await p.goto(`${server.url}/imposters`);
    await p.getByText('No imposters yet').waitFor();
    await p.getByRole('button', { name: 'New imposter' }).click();
    const editor = p.getByTestId('create-imposter');
    const bad = {
      protocol: 'http',
      port,
      stubs: [{ responses: [{ is: { statusCode: 200 } }], predicates: [{ equals: { path: '/x' }, caseSensitive: 'yes' }] }],
    };
    await editor.getByRole('textbox').fill(JSON.stringify({ ...bad, protocol: 'htp' }));
    await editor.getByRole('button', { name: 'Create' }).click();
    const alert = editor.getByRole('alert');
    await alert.filter({ hasText: 'bad data' }).waitFor();
    assert.match(await alert.innerText(), /htp/);
    await screenshot(editor, 'create-error');
    // Not JSON at all: said before anything is sent, with where.
    await editor.getByRole('textbox').fill('{"protocol": "http",\n "port": }');
    await editor.getByRole('button', { name: 'Create' }).click();
    await alert.filter({ hasText: /Not valid JSON/ }).waitFor();
    await editor.getByRole('textbox').fill(
      JSON.stringify(
        {
          protocol: 'http',
          port,
          name: 'orders',
          recordRequests: true,
          stubs: [{ predicates: [{ equals: { path: '/hello' } }], responses: [{ is: { body: 'hi there' } }] }],
        },
        null,
        2,
      ),
    );
    await editor.getByRole('button', { name: 'Create' }).click();
    await p
      .getByRole('status')
      .filter({ hasText: `Imposter ${port} created.` })
      .waitFor();
    const row = p.getByTestId('imposters').getByRole('row', { name: new RegExp(`${port}`) });
    await row.filter({ hasText: 'orders' }).waitFor();
    const answer = await fetch(`http://127.0.0.1:${port}/hello`);
    assert.equal(await answer.text(), 'hi there');
    // The request count follows (the list refreshes by itself).
    await row.getByRole('cell', { name: '1', exact: true }).first().waitFor();
    await screenshot(p, 'imposters');
    await p.close();
  });

  it('deletes an imposter after a second click to confirm', async () => {
    const port = await freePort();
    await post(`${server.url}/imposters`, { protocol: 'http', port, name: 'doomed', stubs: [] });
    const p = await page();
    await p.goto(`${server.url}/imposters`);
    await p.getByRole('button', { name: `Delete imposter ${port}` }).click();
    assert.equal((await get(`${server.url}/imposters/${port}`)).status, 200, 'one click only arms the button');
    await p.getByRole('button', { name: `Really delete imposter ${port}?` }).click();
    await p.getByRole('cell', { name: 'doomed' }).waitFor({ state: 'detached' });
    assert.equal((await get(`${server.url}/imposters/${port}`)).status, 404);
    await p.close();
  });

  it('downloads every imposter as `save` writes it, and uploads a file in place of them all', async () => {
    const [a, b] = [await freePort(), await freePort()];
    await post(`${server.url}/imposters`, { protocol: 'http', port: a, name: 'kept', stubs: [{ responses: [{ is: { body: 'a' } }] }] });
    const p = await page();
    await p.goto(`${server.url}/imposters`);
    await p.getByRole('cell', { name: 'kept' }).waitFor();
    const [download] = await Promise.all([p.waitForEvent('download'), p.getByRole('button', { name: 'Download all' }).click()]);
    const saved = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    assert.deepEqual(saved, (await get(`${server.url}/imposters?replayable=true`)).json());
    const file = join(mkdtempSync(join(tmpdir(), 'standin-upload-')), 'imposters.json');
    writeFileSync(file, JSON.stringify({ imposters: [{ protocol: 'http', port: b, name: 'uploaded', stubs: [{ responses: [{ is: { body: 'b' } }] }] }] }));
    await p.getByTestId('upload-all').setInputFiles(file);
    await p.getByRole('status').filter({ hasText: 'Loaded 1 imposter(s)' }).waitFor();
    await p.getByRole('cell', { name: 'uploaded' }).waitFor();
    assert.equal(await (await fetch(`http://127.0.0.1:${b}/`)).text(), 'b');
    assert.equal((await get(`${server.url}/imposters/${a}`)).status, 404);
    // A file that is not JSON is refused where it was chosen, and nothing changes.
    writeFileSync(file, '{ not json');
    await p.getByTestId('upload-all').setInputFiles(file);
    await p.getByRole('alert').filter({ hasText: 'Not valid JSON' }).waitFor();
    assert.equal((await get(`${server.url}/imposters/${b}`)).status, 200);
    await fetch(`${server.url}/imposters`, { method: 'DELETE' });
    await p.close();
  });

  it('is used with the keyboard alone, and follows the light or dark setting', async () => {
    const p = await page();
    await p.goto(`${server.url}/imposters`);
    await p.getByRole('button', { name: 'New imposter' }).waitFor();
    let focused = '';
    for (let tab = 0; tab < 15 && focused !== 'New imposter'; tab++) {
      await p.keyboard.press('Tab');
      focused = await p.evaluate(() => document.activeElement?.textContent ?? '');
    }
    assert.equal(focused, 'New imposter', 'Tab reaches the first control');
    await p.keyboard.press('Enter');
    await p.getByRole('heading', { name: 'New imposter' }).waitFor();
    const background = (target: Page) => target.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(await background(p), 'rgb(251, 251, 250)');
    const dark = await openPage(browser, { colorScheme: 'dark' });
    await dark.goto(`${server.url}/imposters`);
    await dark.getByRole('button', { name: 'New imposter' }).waitFor();
    assert.equal(await background(dark), 'rgb(20, 24, 23)');
    await screenshot(dark, 'dark');
    await dark.close();
    await p.close();
  });

  it('logs: newest entries with a level filter', async () => {
    const p = await page();
    assert.equal((await post(`${server.url}/imposters`, { protocol: 'gopher' })).status, 400);
    await p.goto(`${server.url}/logs`);
    const entries = p.getByTestId('log-entries');
    await entries.getByText('now taking orders').waitFor();
    await entries
      .getByText(/error creating imposter.*gopher/)
      .first()
      .waitFor();
    await p.getByTestId('log-level').selectOption('warn');
    await entries.getByText('now taking orders').waitFor({ state: 'detached' });
    await entries
      .getByText(/error creating imposter.*gopher/)
      .first()
      .waitFor();
    await p.close();
  });
});

describe('--apikey in the browser', { timeout: 120_000 }, () => {
  let secured: StandinProcess;
  before(async () => {
    secured = await startStandin(['--apikey', 'sesame']);
  });
  after(() => secured?.stop());

  it('the page asks for the key, says when it is refused, and works once given', async () => {
    const port = await freePort();
    assert.equal(
      (await post(`${secured.url}/imposters`, { protocol: 'http', port, name: 'secret-one', stubs: [] }, { headers: { 'x-api-key': 'sesame' } })).status,
      201,
    );
    const p = await page();
    await p.goto(`${secured.url}/imposters`);
    const key = p.getByLabel('API key');
    await key.fill('wrong');
    await key.press('Enter');
    await p.getByRole('alert').filter({ hasText: 'refused' }).waitFor();
    await screenshot(p, 'apikey');
    await p.getByLabel('API key').fill('sesame');
    await p.getByRole('button', { name: 'Use this key' }).click();
    await p.getByRole('cell', { name: 'secret-one' }).waitFor();
    // The key is sent with every call, and kept for the tab's next page.
    await p.goto(`${secured.url}/`);
    await p.getByTestId('imposter-count').filter({ hasText: '1' }).waitFor();
    await p.close();
  });
});
