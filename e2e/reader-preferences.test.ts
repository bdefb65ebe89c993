import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { TestVisitor } from '../test/app.ts';
import { buildWorkForm } from '../test/factories.ts';
import { expectNoSeriousA11yViolations, saveScreenshot, screenshotOnFailure, useArchiveAndBrowser } from './harness.ts';

let workId = 0;

const e2e = useArchiveAndBrowser({ PAGE_CACHE: 'on' }, async (archive) => {
  const writer = await new TestVisitor(archive.app).signUp('pref_writer');
  const posted = await writer.post(
    '/works',
    buildWorkForm({
      title: 'After the Storm',
      rating: 'Explicit',
      warnings: ['Major Character Death'],
      fandoms: 'Lighthouse Keepers (TV)',
      freeforms: 'Angst, Grief',
      body: 'The lamp went dark at midnight.\n\nShe climbed the stairs anyway.',
    }),
  );
  assert.equal(posted.statusCode, 303);
  workId = Number(/\/works\/(\d+)/.exec(String(posted.headers.location))![1]);
  // As wranglers would leave it: the fandom canonical and filed under TV Shows.
  const db = archive.handle.db;
  await db.updateTable('tags').set({ canonical: true, unwrangled: false }).where('name', '=', 'Lighthouse Keepers (TV)').execute();
  await sql`insert into tag_parents (parent_id, child_id, kind)
    select m.id, f.id, 'media' from tags m, tags f where m.type = 'media' and m.name = 'TV Shows' and f.name = 'Lighthouse Keepers (TV)'`.execute(
    db,
  );
});

/** Records the page's background colour in its first animation frame: what the first paint shows. */
const RECORD_FIRST_FRAME = `
  (() => {
    const look = () => {
      if (!document.body) return requestAnimationFrame(look);
      window.__firstFrameBackground = getComputedStyle(document.body).backgroundColor;
      window.__firstFrameTheme = document.documentElement.getAttribute('data-theme');
    };
    requestAnimationFrame(look);
  })();
`;

test('a guest proceeds past the adult notice, chooses a dark theme and hidden spoilers, and browses fandoms by media', async () => {
  // The device asks for light: a dark page can only come from the reader's preference.
  const context = await e2e.browser.newContext({ baseURL: e2e.archive.url, colorScheme: 'light', viewport: { width: 390, height: 844 } });
  context.setDefaultTimeout(15_000);
  await context.addInitScript(RECORD_FIRST_FRAME);
  const page = await context.newPage();
  const pageErrors: Error[] = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  try {
    await screenshotOnFailure(page, 'reader-preferences', async () => {
      // The adult-content notice, then Proceed (a plain link: no script needed).
      await page.goto(`/works/${workId}`);
      await page.getByRole('heading', { name: 'This work could have adult content' }).waitFor();
      assert.equal(await page.getByText('The lamp went dark at midnight.').count(), 0, 'the text waits behind the notice');
      await expectNoSeriousA11yViolations(page);
      await saveScreenshot(page, 'adult-notice-390');
      await page.getByRole('link', { name: 'Proceed' }).click();
      await page.getByText('The lamp went dark at midnight.').waitFor();
      await page.goto(`/works/${workId}`);
      await page.getByText('She climbed the stairs anyway.').waitFor();

      // Preferences: a dark theme and archive warnings hidden.
      await page.goto('/preferences');
      await expectNoSeriousA11yViolations(page);
      await page.getByLabel('Theme').selectOption('dark');
      await page.getByLabel('Hide archive warnings').check();
      await page.getByRole('button', { name: 'Save preferences' }).click();
      await page.getByRole('status').filter({ hasText: 'Your preferences were saved' }).waitFor();

      // The first frame of the next page is already dark: the theme comes with the HTML.
      await page.goto(`/works/${workId}`);
      const first = await page.evaluate(() => ({
        background: (window as unknown as { __firstFrameBackground?: string }).__firstFrameBackground,
        theme: (window as unknown as { __firstFrameTheme?: string }).__firstFrameTheme,
      }));
      assert.equal(first.theme, 'dark');
      assert.equal(first.background, 'rgb(27, 26, 24)', 'the first paint is dark, not light then dark');

      // Spoilers: the warning is hidden until the reader reveals it.
      const warning = page.locator('dd.warning').getByRole('link', { name: 'Major Character Death' });
      assert.equal(await warning.isVisible(), false, 'hidden warnings are not shown');
      await expectNoSeriousA11yViolations(page);
      await saveScreenshot(page, 'work-dark-spoilers-390');
      await page.locator('dd.warning').getByText('Show warnings').click();
      await warning.waitFor({ state: 'visible' });

      // Fandoms by media: the navigation's Fandoms, a media, its fandom, its works.
      await page.goto('/');
      await page.getByRole('button', { name: /Menu/ }).or(page.locator('summary.site-menu-button')).first().click();
      await page.getByRole('link', { name: 'Fandoms' }).filter({ visible: true }).first().click();
      await page.getByRole('heading', { level: 1, name: 'Fandoms' }).waitFor();
      await expectNoSeriousA11yViolations(page);
      await saveScreenshot(page, 'media-390');
      await page.getByRole('link', { name: 'TV Shows', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'TV Shows fandoms' }).waitFor();
      await page
        .getByRole('navigation', { name: 'Fandoms by letter' })
        .or(page.getByRole('heading', { level: 2, name: 'L' }))
        .first()
        .waitFor();
      await expectNoSeriousA11yViolations(page);
      assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390, 'no sideways scrolling at 390 px');
      await page.getByRole('link', { name: 'Lighthouse Keepers (TV)' }).click();
      await page.getByRole('link', { name: 'After the Storm' }).first().waitFor();
    });
    assert.deepEqual(pageErrors.map(String), []);
  } finally {
    await context.close();
  }
});
