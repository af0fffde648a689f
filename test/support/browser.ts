// A real browser for the dashboard's tests: Debian's Chromium (/usr/bin/chromium, installed by
// .ci/run) driven by playwright-core, headless. No browser is ever downloaded.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { repoRoot } from './standinProcess.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (.ci/run does)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Root (CI here) cannot use Chromium's sandbox; /dev/shm is small in containers.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
    timeout: 60_000,
  });
}

/** A page with generous timeouts: the suite runs on a loaded 2-core machine. */
export async function openPage(browser: Browser, options: { colorScheme?: 'light' | 'dark' } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 }, colorScheme: options.colorScheme ?? 'light' });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

/** Saves a screenshot for docs/dashboard.md when STANDIN_SCREENSHOTS is set (`npm run screenshots`). */
export async function screenshot(target: Page | Locator, name: string): Promise<void> {
  if (!process.env.STANDIN_SCREENSHOTS) return;
  const dir = join(repoRoot, 'docs', 'images');
  mkdirSync(dir, { recursive: true });
  await target.screenshot({ path: join(dir, `dashboard-${name}.png`) });
}
