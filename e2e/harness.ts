/**
 * Browser-test harness: the real archive in-process on a fresh embedded database and a
 * port of its own, Debian's Chromium driven by playwright-core (never a downloaded
 * browser), axe-core for accessibility, and screenshots kept in test-results/.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import type { DatabaseHandle } from '../src/db/connection.ts';
import { openConfiguredDatabase } from '../src/main.ts';

/** The repository's root (this file lives in e2e/). */
export const REPO_ROOT = path.resolve(import.meta.dirname, '..');

/** Where artifacts go: screenshots of the pages the tests visit (gitignored). */
export const RESULTS_DIR = path.join(REPO_ROOT, 'test-results');

export interface RunningArchive {
  /** http://127.0.0.1:PORT, no trailing slash. */
  url: string;
  dataDir: string;
  app: FastifyInstance;
  handle: DatabaseHandle;
  close(): Promise<void>;
}

/**
 * Starts the archive as `fanfold serve` does (config → PGlite in a fresh DATA_DIR →
 * migrations → buildApp), listening on 127.0.0.1 on a free port.
 */
export async function startArchive(env: Record<string, string> = {}): Promise<RunningArchive> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fanfold-e2e-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'silent',
    ...env,
  });
  const handle = await openConfiguredDatabase(config);
  let app: FastifyInstance | undefined;
  try {
    app = await buildApp({ db: handle.db, config }, { logger: config.logLevel === 'silent' ? false : { level: config.logLevel } });
    await app.listen({ port: 0, host: '127.0.0.1' });
  } catch (error) {
    await app?.close();
    await handle.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const { port } = app.server.address() as AddressInfo;
  const running = app;
  return {
    url: `http://127.0.0.1:${port}`,
    dataDir,
    app: running,
    handle,
    close: async () => {
      await running.close();
      await handle.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium (CHROMIUM_PATH to use another), headless. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) {
    throw new Error(
      `No Chromium at ${executablePath}. Install Debian's package (apt-get install chromium; .ci/run does) ` +
        'or set CHROMIUM_PATH to a Chromium binary.',
    );
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export interface Visit {
  context: BrowserContext;
  page: Page;
  /** Uncaught script errors seen in the page so far. */
  pageErrors: Error[];
}

/**
 * A fresh visitor (own cookies) on the archive. The site's CSP stays on: axe is injected
 * through the DevTools protocol, which CSP does not govern.
 */
export async function openVisitor(browser: Browser, archive: RunningArchive): Promise<Visit> {
  const context = await browser.newContext({
    baseURL: archive.url,
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(30_000);
  const page = await context.newPage();
  const pageErrors: Error[] = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  return { context, page, pageErrors };
}

const require = createRequire(import.meta.url);
let axeSource: string | undefined;

interface AxeNode {
  target: unknown[];
  html: string;
  failureSummary?: string;
}
interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: AxeNode[];
}

/** Runs axe-core (WCAG 2.x A/AA rules and best practices) on the page as it is now. */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  axeSource ??= fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
  if (!loaded) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const results = await axe.run(document, { resultTypes: ['violations'] });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, failureSummary: n.failureSummary })),
    }));
  });
}

/** Fails, listing every one of them, when axe finds serious or critical violations on the page. */
export async function expectNoSeriousA11yViolations(page: Page): Promise<void> {
  const violations = await runAxe(page);
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = serious
    .map((v) => {
      const nodes = v.nodes.map((n) => `      at ${JSON.stringify(n.target)}: ${n.html.slice(0, 200)}`).join('\n');
      return `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}`;
    })
    .join('\n');
  assert.equal(serious.length, 0, `axe-core found ${serious.length} serious or critical violation(s) on ${page.url()}:\n${report}`);
}

/** Saves a full-page screenshot as test-results/NAME.png and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name.replace(/[^A-Za-z0-9_.-]+/g, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Runs body; on failure keeps a screenshot of the page (NAME-failure.png) before rethrowing. */
export async function screenshotOnFailure<T>(page: Page, name: string, body: () => Promise<T>): Promise<T> {
  fs.rmSync(path.join(RESULTS_DIR, `${name}-failure.png`), { force: true });
  try {
    return await body();
  } catch (error) {
    await saveScreenshot(page, `${name}-failure`).catch(() => undefined);
    throw error;
  }
}

export const DEFAULT_PASSWORD = 'correct horse battery staple';

/** Signs up through the form; the archive logs the new account in. */
export async function signUpThroughForm(page: Page, login: string, password = DEFAULT_PASSWORD): Promise<void> {
  await page.goto('/signup');
  await page.getByLabel('User name').fill(login);
  await page.getByLabel('Email').fill(`${login}@example.org`);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Confirm password').fill(password);
  await Promise.all([page.waitForURL((url) => url.pathname !== '/signup'), page.getByRole('button', { name: 'Create account' }).click()]);
}

/** Logs in through the form. */
export async function logInThroughForm(page: Page, login: string, password = DEFAULT_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('User name or email').fill(login);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await Promise.all([page.waitForURL((url) => url.pathname !== '/login'), page.getByRole('button', { name: 'Log in' }).click()]);
}

/** The site header's account area, where a logged-in visitor sees their name and "Log out". */
export function accountArea(page: Page) {
  return page.locator('header .account-links');
}

/**
 * Starts a fresh archive and Chromium before a test file's tests and stops both after them.
 * The returned object's fields are set once the `before` hook has run.
 */
export function useArchiveAndBrowser(
  env: Record<string, string> = {},
  /** Data the file's tests need, written once the archive runs (hooks of one file may not be ordered). */
  seed?: (archive: RunningArchive) => Promise<void>,
): {
  readonly archive: RunningArchive;
  readonly browser: Browser;
  visit(): Promise<Visit>;
} {
  const running = {} as { archive: RunningArchive; browser: Browser };
  before(async () => {
    running.archive = await startArchive(env);
    running.browser = await launchBrowser();
    await seed?.(running.archive);
  });
  after(async () => {
    await running.browser?.close();
    await running.archive?.close();
  });
  return {
    get archive() {
      return running.archive;
    },
    get browser() {
      return running.browser;
    },
    visit: () => openVisitor(running.browser, running.archive),
  };
}

/** The founding story and its hand-written expected analysis, kept in the repository (test/fixtures). */
export { FOUNDING_STORY_PATH as FOUNDING_STORY, FOUNDING_STORY_EXPECTED_PATH as FOUNDING_STORY_EXPECTED } from '../test/factories.ts';
