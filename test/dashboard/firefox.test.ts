// The dashboard's main scenario in Firefox (Debian's firefox-esr, driven by puppeteer-core over
// WebDriver BiDi; no browser is downloaded): create an imposter from the page, watch a request
// arrive live, and see why a request matched no stub. Skipped, saying so, only where no Firefox
// is installed (.ci/run installs firefox-esr).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { freePort, get } from '../support/http.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';

const FIREFOX = [process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox'].find((path) => path !== undefined && existsSync(path));
const skip = FIREFOX === undefined ? 'no Firefox here: install firefox-esr (or set FIREFOX_PATH) to run the dashboard in Firefox' : false;

let browser: Browser | undefined;
let server: StandinProcess | undefined;

before(async () => {
  if (skip) return;
  [browser, server] = await Promise.all([puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true, timeout: 90_000 }), startStandin()]);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Waits until an element matching `selector` contains `text`. */
async function waitForText(page: Page, selector: string, text: string): Promise<void> {
  await page.waitForFunction(
    (sel: string, wanted: string) => [...document.querySelectorAll(sel)].some((element) => element.textContent?.includes(wanted)),
    { timeout: 30_000 },
    selector,
    text,
  );
}

/** Clicks the first button whose text is `label`. */
async function clickButton(page: Page, label: string): Promise<void> {
  await page.waitForFunction(
    (wanted: string) => [...document.querySelectorAll('button')].some((b) => b.textContent?.trim() === wanted),
    { timeout: 30_000 },
    label,
  );
  await page.evaluate((wanted: string) => [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === wanted)!.click(), label);
}

const ORDERS_STUB = {
  id: 'create-order',
  predicates: [{ equals: { method: 'POST', path: '/orders' } }, { equals: { body: 'book' }, jsonpath: { selector: '$.item' } }],
  responses: [{ is: { statusCode: 201, body: { id: 1 } } }],
};

const order = (port: number, item: string) =>
  fetch(`http://127.0.0.1:${port}/orders`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ item }) });

describe('the dashboard in Firefox', { skip, timeout: 180_000 }, () => {
  it('creates an imposter from the page, shows a request live and explains a miss', async () => {
    const page = await browser!.newPage();
    try {
      assert.match(await browser!.version(), /firefox/i);
      const port = await freePort();
      await page.goto(`${server!.url}/imposters`);
      await clickButton(page, 'New imposter');
      await page.waitForSelector('[data-testid="create-imposter"] textarea');
      const imposter = JSON.stringify({ protocol: 'http', port, recordRequests: true, stubs: [ORDERS_STUB] }, null, 2);
      await page.$eval(
        '[data-testid="create-imposter"] textarea',
        (area, text) => {
          const textarea = area as HTMLTextAreaElement;
          textarea.value = text;
          textarea.dispatchEvent(new Event('input', { bubbles: true }));
        },
        imposter,
      );
      await clickButton(page, 'Create');
      const deadline = Date.now() + 30_000;
      while ((await get(`${server!.url}/imposters/${port}`)).status !== 200) {
        assert.ok(Date.now() < deadline, 'the imposter was never created');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }

      await page.goto(`${server!.url}/imposters/${port}`);
      await waitForText(page, '[data-testid="request-stream"]', 'live');
      await waitForText(page, '[data-testid="stub-0"]', 'create-order');
      assert.equal((await order(port, 'book')).status, 201);
      await waitForText(page, '[data-testid="live-request"]', '→ stub 0 “create-order”');

      assert.equal((await order(port, 'pen')).status, 200, 'no stub matched: the default response');
      await waitForText(page, '[data-testid="live-request"]', '→ no stub matched');
      await waitForText(page, '[data-testid="near-miss"]', '2 of 3 clauses held');
      const explained = await page.$eval('[data-testid="near-miss"]', (element) => (element as HTMLElement).innerText);
      assert.match(explained, /stub 0 “create-order”/);
      assert.match(explained, /predicates\[1\]\.equals\.body/);
      assert.match(explained, /"book"\s+"pen"/);
      // Opening the request fetches its body (the live list carries summaries).
      await page.click('[data-testid="live-request"] summary');
      await waitForText(page, '[data-testid="live-request"] .request-detail', '{"item":"pen"}');
    } finally {
      await page.close();
    }
  });
});
