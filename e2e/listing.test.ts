import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TestVisitor } from '../test/app.ts';
import { buildWorkForm } from '../test/factories.ts';
import { expectNoSeriousA11yViolations, saveScreenshot, screenshotOnFailure, useArchiveAndBrowser } from './harness.ts';

const TAG_PAGE = '/tags/Harbour%20Lights/works';

const e2e = useArchiveAndBrowser({}, async (archive) => {
  const writer = await new TestVisitor(archive.app).signUp('harbour_writer');
  let first = 0;
  for (let i = 1; i <= 24; i++) {
    const posted = await writer.post(
      '/works',
      buildWorkForm({
        title: `Harbour ${String(i).padStart(2, '0')}`,
        fandoms: 'Harbour Lights',
        freeforms: i % 2 === 0 ? 'Fluff' : 'Angst',
        rating: i % 3 === 0 ? 'Mature' : 'General Audiences',
        body: `${'The lamp turned over the water. '.repeat(i)}`,
      }),
    );
    assert.equal(posted.statusCode, 303);
    first ||= Number(/(\d+)$/.exec(String(posted.headers.location))![1]);
  }
  const reader = await new TestVisitor(archive.app).signUp('harbour_bookmarker');
  assert.equal((await reader.post(`/works/${first}/bookmarks`, { tags: 'cozy', notes: 'A calm one.', rec: '1' })).statusCode, 303);
});

test('a reader filters a tag page from its sidebar, removes a chip, and the sort stays', async () => {
  const { context, page, pageErrors } = await e2e.visit();
  try {
    await screenshotOnFailure(page, 'listing-desktop', async () => {
      await page.goto(TAG_PAGE);
      // At 1280 px the sidebar stands open beside the results.
      const sidebar = page.getByRole('form', { name: 'Sort and filter' });
      assert.ok(await sidebar.isVisible(), 'the sidebar is open on a wide screen');
      assert.equal(await page.getByRole('heading', { level: 2, name: /1 – 20 of 24 works/ }).count(), 1);
      await expectNoSeriousA11yViolations(page);

      const include = sidebar.getByRole('group', { name: 'Include' });
      await include.locator('summary', { hasText: 'Additional Tags' }).click();
      await include.getByRole('checkbox', { name: /Fluff \(12\)/ }).check();
      await sidebar.getByLabel('Sort by').selectOption('title');
      await Promise.all([page.waitForURL(/with=/), sidebar.getByRole('button', { name: 'Sort and Filter' }).first().click()]);
      assert.match(page.url(), /sort=title/);
      await page.getByRole('heading', { level: 2, name: /1 – 12 of 12 works/ }).waitFor();
      const titles = await page.locator('.blurb-title a').allTextContents();
      assert.equal(titles[0], 'Harbour 02');
      const chip = page.getByRole('link', { name: 'Remove filter: Additional tag: Fluff' });
      await chip.waitFor();
      await expectNoSeriousA11yViolations(page);
      await saveScreenshot(page, 'listing-filtered-1280');

      // A new sort keeps the filter.
      await sidebar.getByLabel('Sort by').selectOption('words');
      await Promise.all([page.waitForURL(/sort=words/), sidebar.getByRole('button', { name: 'Sort and Filter' }).first().click()]);
      assert.match(page.url(), /with=\d+/);
      await page.getByRole('heading', { level: 2, name: /of 12 works/ }).waitFor();
      assert.equal((await page.locator('.blurb-title a').allTextContents())[0], 'Harbour 24', 'most words first');

      // Removing the chip keeps the sort; the numbered pages keep it too.
      await Promise.all([page.waitForURL((url) => !url.search.includes('with=')), chip.click()]);
      assert.match(page.url(), /sort=words/);
      await page.getByRole('heading', { level: 2, name: /1 – 20 of 24 works/ }).waitFor();
      const pages = page.getByRole('navigation', { name: 'Pages' });
      await Promise.all([page.waitForURL(/page=2/), pages.getByRole('link', { name: 'Page 2' }).click()]);
      assert.match(page.url(), /sort=words/);
      await page.getByRole('heading', { level: 2, name: /21 – 24 of 24 works/ }).waitFor();
      await expectNoSeriousA11yViolations(page);

      // Past the last page: a 404 that leads back.
      const past = await page.goto(`${TAG_PAGE}?sort=words&page=9`);
      assert.equal(past?.status(), 404);
      await Promise.all([page.waitForURL(/page=2/), page.getByRole('link', { name: /Go to the last page/ }).click()]);
      await expectNoSeriousA11yViolations(page);

      // The bookmarks page: full blurbs, and the filter row's controls share one bottom edge.
      await page.goto('/users/harbour_bookmarker/bookmarks');
      await page.locator('.blurb .required-tags').first().waitFor();
      const bottoms = await page.evaluate(() =>
        ['#filter-tag', '#filter-type', '.bookmark-filters .checkbox', '.bookmark-filters button'].map(
          (selector) => document.querySelector(selector)!.getBoundingClientRect().bottom,
        ),
      );
      assert.ok(Math.max(...bottoms) - Math.min(...bottoms) <= 2, `filter controls aligned: ${bottoms.join(', ')}`);
      await expectNoSeriousA11yViolations(page);
      await saveScreenshot(page, 'listing-bookmarks-1280');
    });
    assert.deepEqual(pageErrors, []);
  } finally {
    await context.close();
  }
});

test('in search, an excluded sidebar tag shows as a removable excluded chip and a new sort keeps it', async () => {
  const { context, page, pageErrors } = await e2e.visit();
  try {
    await screenshotOnFailure(page, 'listing-search', async () => {
      await page.goto('/works/search?fandoms=Harbour+Lights');
      await page.getByRole('heading', { level: 2, name: /of 24 works found/ }).waitFor();
      await Promise.all([page.waitForURL(/without=/), page.getByRole('link', { name: 'Exclude works tagged Angst' }).click()]);
      await page.getByRole('heading', { level: 2, name: /of 12 works found/ }).waitFor();
      const chip = page.getByRole('link', { name: 'Remove filter: excluded Additional tag: Angst' });
      await chip.waitFor();
      await expectNoSeriousA11yViolations(page);
      await page.getByLabel('Sort by').selectOption('title');
      await Promise.all([page.waitForURL(/sort=title/), page.getByRole('button', { name: 'Search' }).first().click()]);
      assert.match(page.url(), /without=\d+/);
      await page.getByRole('heading', { level: 2, name: /of 12 works found/ }).waitFor();
      await chip.waitFor();
      assert.equal((await page.locator('.blurb-title a').allTextContents())[0], 'Harbour 02');
      await Promise.all([page.waitForURL((url) => !url.search.includes('without=')), chip.click()]);
      assert.match(page.url(), /sort=title/);
      await page.getByRole('heading', { level: 2, name: /of 24 works found/ }).waitFor();
      await expectNoSeriousA11yViolations(page);
      await page.setViewportSize({ width: 390, height: 844 });
      assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390, 'no sideways scrolling at 390 px');
      await saveScreenshot(page, 'listing-search-390');
    });
    assert.deepEqual(pageErrors, []);
  } finally {
    await context.close();
  }
});

test('on a 390 px phone the sidebar opens from a Filters button above the results, and the first result is on the first screen', async () => {
  const { context, page, pageErrors } = await e2e.visit();
  try {
    await screenshotOnFailure(page, 'listing-phone', async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(TAG_PAGE);
      const toggle = page.locator('summary.listing-filters-toggle');
      assert.ok(await toggle.isVisible(), 'a Filters button');
      assert.match((await toggle.textContent()) ?? '', /^Filters/);
      const sidebar = page.getByRole('form', { name: 'Sort and filter' });
      assert.equal(await sidebar.isVisible(), false, 'closed until asked for');
      const firstResult = await page.locator('li.blurb').first().boundingBox();
      const button = await toggle.boundingBox();
      assert.ok(firstResult && button);
      assert.ok(button.y < firstResult.y, 'the button is above the results');
      assert.ok(firstResult.y + 60 < 844, `the first result starts on the first screen (at ${firstResult.y} px)`);
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(scrollWidth <= 390, `no sideways scrolling (${scrollWidth} px)`);
      await expectNoSeriousA11yViolations(page);
      await saveScreenshot(page, 'listing-390');

      await toggle.click();
      await sidebar.waitFor();
      await sidebar.getByLabel('Sort by').selectOption('title');
      await Promise.all([page.waitForURL(/sort=title/), sidebar.getByRole('button', { name: 'Sort and Filter' }).first().click()]);
      assert.equal((await page.locator('.blurb-title a').allTextContents())[0], 'Harbour 01');
      assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390);
      await toggle.click();
      await expectNoSeriousA11yViolations(page);
      await saveScreenshot(page, 'listing-390-filters-open');
    });
    assert.deepEqual(pageErrors, []);
  } finally {
    await context.close();
  }
});
