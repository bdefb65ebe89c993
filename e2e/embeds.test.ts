/**
 * A fanvid in a work: the reader sees a placeholder (title, host, a link and a Play button), the
 * player's host hears nothing until the reader presses Play, and then a sandboxed player loads.
 * The host is a fake one on the embed list, answered by the browser test itself (page.route),
 * which also records every request the page makes. axe-core checks the page before and after.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applySiteSettings, saveEmbedHosts } from '../src/admin/site-settings.ts';
import { expectNoSeriousA11yViolations, saveScreenshot, screenshotOnFailure, signUpThroughForm, useArchiveAndBrowser } from './harness.ts';

const HOST = 'vids.example';
const PLAYER = `https://www.${HOST}/embed/storm?autoplay=0`;

const e2e = useArchiveAndBrowser({ PAGE_CACHE: 'off' }, async (archive) => {
  await saveEmbedHosts(archive.handle.db, [HOST]);
  applySiteSettings(archive.app, { ...archive.app.siteSettings, embedHosts: [HOST] });
});

test('a reader sees a placeholder, nothing is asked of the host before Play, and the player loads on the click', async () => {
  const writer = await e2e.visit();
  let workPath = '';
  try {
    await screenshotOnFailure(writer.page, 'embeds-writer', async () => {
      const page = writer.page;
      await signUpThroughForm(page, 'vidder');
      await page.goto('/works/new');
      const field = (name: string) => page.locator(`form [name="${name}"]`);
      await field('title').fill('Storm (fanvid)');
      await field('fandoms').fill('Teen Wolf (TV)');
      await field('rating').selectOption('Teen And Up Audiences');
      await page.locator('form input[name="warnings"][value="No Archive Warnings Apply"]').check();
      await field('text_format').selectOption('html');
      await field('body').fill(
        `<p>Made for the anniversary.</p><iframe src="http://www.${HOST}/embed/storm?autoplay=0" title="Storm vid" width="560" height="315"></iframe><p>Song: Storm.</p>`,
      );
      await Promise.all([page.waitForURL(/\/works\/\d+$/), page.locator('form button[name="action"][value="post"]').click()]);
      workPath = new URL(page.url()).pathname;
    });
  } finally {
    await writer.context.close();
  }

  const { context, page, pageErrors } = await e2e.visit();
  const hostRequests: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).hostname.endsWith(HOST)) hostRequests.push(request.url());
  });
  // The fake host: whatever the page asks of it is answered here (and recorded above).
  await context.route(`https://*.${HOST}/**`, (route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/html',
      body: '<!doctype html><html lang="en"><title>Player</title><p>Playing Storm</p></html>',
    }),
  );
  try {
    await screenshotOnFailure(page, 'embeds-reader', async () => {
      await page.goto(workPath);
      const holder = page.locator('.chapter-text .embed');
      await holder.waitFor();
      assert.equal(await holder.locator('.embed-title').textContent(), 'Storm vid');
      assert.match((await holder.locator('.embed-host').textContent()) ?? '', new RegExp(`from www\\.${HOST.replace('.', '\\.')}`));
      const link = holder.getByRole('link', { name: `Open it on www.${HOST}` });
      assert.equal(await link.getAttribute('href'), PLAYER);
      const play = holder.getByRole('button', { name: 'Play here' });
      await play.waitFor({ state: 'visible' });
      // Nothing of the player is in the page, and its host has heard nothing.
      assert.equal(await page.locator('iframe').count(), 0);
      await page.waitForLoadState('networkidle');
      assert.deepEqual(hostRequests, [], 'no request to the player host before the click');
      const csp = (await page.request.get(workPath)).headers()['content-security-policy'] ?? '';
      assert.match(csp, new RegExp(`frame-src https://${HOST.replace('.', '\\.')} https://www\\.${HOST.replace('.', '\\.')}(;|$)`));
      await expectNoSeriousA11yViolations(page);
      await saveScreenshot(page, 'embeds-placeholder');
      // On a phone the placeholder fits the screen: nothing scrolls sideways.
      await page.setViewportSize({ width: 390, height: 844 });
      assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390, 'no sideways scrolling at 390 px');
      await saveScreenshot(page, 'embeds-placeholder-phone');
      await page.setViewportSize({ width: 1280, height: 900 });

      await play.click();
      const frame = holder.locator('iframe');
      await frame.waitFor();
      assert.equal(await frame.getAttribute('src'), PLAYER);
      assert.match((await frame.getAttribute('sandbox')) ?? '', /allow-scripts/);
      assert.doesNotMatch((await frame.getAttribute('sandbox')) ?? '', /allow-top-navigation/);
      assert.equal(await frame.getAttribute('title'), 'Storm vid');
      await page.frameLocator('.chapter-text .embed iframe').getByText('Playing Storm').waitFor();
      assert.ok(
        hostRequests.some((url) => url === PLAYER),
        `the click loads the player (requests: ${hostRequests.join(', ')})`,
      );
      // The link to the media stays beside the player.
      assert.equal(await holder.getByRole('link', { name: `Open it on www.${HOST}` }).count(), 1);
      await expectNoSeriousA11yViolations(page);
      await saveScreenshot(page, 'embeds-loaded');
      assert.deepEqual(pageErrors, []);
    });
  } finally {
    await context.close();
  }

  // Without JavaScript the link is there and no button pretends to do anything.
  const noScript = await e2e.browser.newContext({ baseURL: e2e.archive.url, javaScriptEnabled: false });
  try {
    const bare = await noScript.newPage();
    const bareRequests: string[] = [];
    bare.on('request', (request) => {
      if (new URL(request.url()).hostname.endsWith(HOST)) bareRequests.push(request.url());
    });
    await bare.goto(workPath);
    assert.equal(await bare.getByRole('link', { name: `Open it on www.${HOST}` }).count(), 1);
    assert.equal(await bare.getByRole('button', { name: 'Play here' }).count(), 0);
    assert.deepEqual(bareRequests, []);
  } finally {
    await noScript.close();
  }
});
