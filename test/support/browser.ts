/**
 * The console in a real browser for the integration tests: Debian's Chromium, driven by
 * playwright-core (installed when the machine lacks it, with a CJK font: it reaches Debian's packages), a page
 * signed in with a key, and screenshots kept in test/console/artifacts/ of screens that pass
 * axe-core's accessibility check.
 */
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { projectRoot } from '../../infra/config.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const artifacts = path.join(projectRoot, 'test/console/artifacts');

/**
 * Installs a Debian package, one install at a time across the lanes: two files that need the
 * browser can start together on a fresh machine, and the second apt-get would fail on dpkg's lock
 * (it did: desk.int.test.ts, 2026-12-06). The lock is held by `flock`; whoever comes second finds
 * the package there.
 */
function aptInstall(pkg: string, present: () => boolean): void {
  if (present()) return;
  const install = `apt-get install -y --no-install-recommends ${pkg}`;
  execSync(`flock /tmp/hotline-hub-apt.lock sh -c '${install} || (apt-get update && ${install})'`, { stdio: 'ignore', timeout: 900_000 });
  if (!present()) throw new Error(`${pkg} is not installed after apt-get install ${pkg}`);
}

/** Debian's Chromium, installed when missing. */
function ensureChromium(): void {
  aptInstall('chromium', () => fs.existsSync(CHROMIUM));
}

/** A font with Chinese glyphs (WenQuanYi Micro Hei, 1.6 MB from Debian), installed when the machine has none: else the screenshots show boxes. */
function ensureCjkFont(): void {
  const has = (): boolean => {
    try {
      return execSync('fc-list :lang=zh family', { encoding: 'utf8', timeout: 30_000 }).trim().length > 0;
    } catch {
      return false;
    }
  };
  aptInstall('fonts-wqy-microhei', has);
}

export async function launchBrowser(): Promise<Browser> {
  ensureChromium();
  ensureCjkFont();
  fs.mkdirSync(artifacts, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--lang=zh-CN', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
}

/** A browser for the file's tests, launched before them and closed after. */
export function useBrowser(): { readonly browser: Browser } {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  }, 900_000);
  afterAll(async () => {
    await browser?.close();
  });
  return {
    get browser() {
      return browser!;
    },
  };
}

/** A page with the console open and signed in with `key`; the page's script errors are kept in `errors`. */
export async function signIn(browser: Browser, hubUrl: string, key: string): Promise<Page & { errors: string[] }> {
  const page = (await browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: 'zh-CN' })) as Page & { errors: string[] };
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  await page.goto(`${hubUrl}/console/`);
  await page.fill('#key', key);
  await page.click('#login button');
  await page.waitForSelector('#nav:not([hidden])');
  return page;
}

const axeScript = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/**
 * axe-core's check of the page as it stands (WCAG 2.1 A and AA rules): its serious and critical
 * violations, each as "rule (impact): the elements", none when the screen passes.
 */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  // Evaluated rather than added as a <script>: the console's Content-Security-Policy rightly refuses inline scripts.
  if (!(await page.evaluate('typeof axe !== "undefined"'))) await page.evaluate(fs.readFileSync(axeScript, 'utf8'));
  // Run in the page (a string: this project's TypeScript has no DOM types).
  return (await page.evaluate(`(async () => {
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.id + ' (' + v.impact + ', ' + v.help + '): ' + v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(', ') + (v.nodes.length > 4 ? ' and ' + (v.nodes.length - 4) + ' more' : ''));
  })()`)) as string[];
}

/** A screenshot of the screen (test/console/artifacts/<name>.png), which must pass axe-core first: every screen a test shows is checked. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
  const problems = await accessibilityProblems(page);
  if (problems.length > 0) throw new Error(`the screen "${name}" has serious accessibility problems (axe-core):\n${problems.join('\n')}`);
}

/**
 * The stuck board's row for this order and reason, once the board lists it (the board is read
 * again until it does); its action button pressed, waiting for the board to say it was done.
 */
export async function actOnStuckRow(page: Page, hubUrl: string, orderNo: string, reason: string, opts: { press: boolean; shot?: string; contains?: string }): Promise<string> {
  const rows = page.locator(`#stuck tr[data-order="${orderNo}"][data-reason="${reason}"]`);
  const row = opts.contains === undefined ? rows : rows.filter({ hasText: opts.contains });
  const deadline = Date.now() + 30_000;
  await page.goto(`${hubUrl}/console/#/stuck`);
  for (;;) {
    await page.waitForSelector('#stuck tbody tr');
    if ((await row.count()) > 0 || Date.now() > deadline) break;
    await page.waitForTimeout(500);
    await page.click('#stuck-refresh');
  }
  if ((await row.count()) !== 1) throw new Error(`the stuck board has ${await row.count()} ${reason} rows for order "${orderNo}"${opts.contains === undefined ? '' : ` saying "${opts.contains}"`}: ${(await rows.allTextContents()).join(' | ') || 'none'}`);
  const text = (await row.textContent()) ?? '';
  if (opts.shot) await shot(page, opts.shot);
  if (opts.press) {
    await row.locator('button').click();
    await row.locator('.result.ok').waitFor();
  }
  return text;
}
