/**
 * Every page type at 390 px, signed out and signed in: nothing scrolls sideways, the header
 * stays one row (at most 64 px), and axe finds nothing serious. The phone menu opens without
 * JavaScript and holds the site's links and the unread count.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { expectNoSeriousA11yViolations, screenshotOnFailure, useArchiveAndBrowser } from './harness.ts';
import { seedTour, signIn, TOUR_PAGES, type TourData } from './page-tour.ts';

const PHONE = { width: 390, height: 844 };
const MAX_HEADER_PX = 64;

let tour: TourData;
const e2e = useArchiveAndBrowser({}, async (archive) => {
  tour = await seedTour(archive);
});

/** A phone-sized visitor, signed in as the tour's writer or not; JavaScript on unless said otherwise. */
async function phone(signedIn: boolean, javaScriptEnabled = true): Promise<{ context: BrowserContext; page: Page }> {
  const context = await e2e.browser.newContext({
    baseURL: e2e.archive.url,
    viewport: PHONE,
    javaScriptEnabled,
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  context.setDefaultTimeout(15_000);
  if (signedIn) await signIn(context, e2e.archive, tour);
  return { context, page: await context.newPage() };
}

/** What sticks out: the document's scroll width, the header's height, and the widest elements past the right edge (for the message). */
function measure(page: Page) {
  return page.evaluate((viewport) => {
    const header = document.querySelector('.site-header')?.getBoundingClientRect().height ?? 0;
    // No named functions in here: the test's transpiler would wrap them in a helper the page lacks.
    const sticking: Array<[Element | null, number]> = [];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > viewport + 0.5) sticking.push([el, r.right]);
    }
    // Text running out of a box that kept its width (a long unbroken word) shows only in its own rectangle.
    const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (texts.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(texts.currentNode);
      const right = range.getBoundingClientRect().right;
      if (right > viewport + 0.5) sticking.push([texts.currentNode.parentElement, right]);
    }
    const wide = sticking.map(
      ([el, right]) =>
        `<${el?.tagName.toLowerCase()} class="${el?.getAttribute('class') ?? ''}"> ${el?.textContent?.trim().slice(0, 40) ?? ''}… to ${Math.round(right)} px`,
    );
    return { scrollWidth: document.documentElement.scrollWidth, header, wide: wide.slice(0, 5) };
  }, PHONE.width);
}

for (const signedIn of [false, true]) {
  test(`at 390 px every page type fits the screen with a one-row header (${signedIn ? 'signed in' : 'signed out'})`, async () => {
    const { context, page } = await phone(signedIn);
    try {
      const failures: string[] = [];
      for (const pageType of TOUR_PAGES) {
        await screenshotOnFailure(page, `mobile-${pageType.name}-${signedIn ? 'in' : 'out'}`, async () => {
          await page.goto(pageType.path(tour));
          const m = await measure(page);
          if (m.scrollWidth > PHONE.width)
            failures.push(`${pageType.name}: scrolls sideways (scrollWidth ${m.scrollWidth} px): ${m.wide.join('; ')}`);
          if (m.header > MAX_HEADER_PX) failures.push(`${pageType.name}: header ${m.header} px tall`);
          await expectNoSeriousA11yViolations(page);
        });
      }
      assert.deepEqual(failures, []);
    } finally {
      await context.close();
    }
  });
}

test('the phone menu opens without JavaScript, holds every link and the unread count, and the header stays one row', async () => {
  // Without JavaScript (so no page.evaluate either): the details element opens by itself.
  const noScript = await phone(true, false);
  try {
    const { page } = noScript;
    await screenshotOnFailure(page, 'mobile-menu-no-js', async () => {
      await page.goto('/works');
      const button = page.locator('summary.site-menu-button');
      assert.match((await button.textContent()) ?? '', /Menu\s*\d+ unread/, 'the unread count shows on the closed menu');
      assert.equal(await page.getByRole('link', { name: 'Post a work' }).count(), 0, 'the links wait behind Menu');
      const closed = await page.locator('.site-header').boundingBox();
      assert.ok(closed && closed.height <= MAX_HEADER_PX, `one row: ${closed?.height} px`);
      await button.click();
      for (const name of ['Works', 'Search', 'Fandoms', 'Post a work', 'My works']) {
        await page.getByRole('link', { name, exact: true }).waitFor();
      }
      await page.getByRole('link', { name: /^Inbox \d+ unread$/ }).waitFor();
      await page.getByRole('button', { name: 'Log out' }).waitFor();
      const open = await page.locator('.site-header').boundingBox();
      assert.equal(open?.height, closed.height, 'the open menu lies over the page instead of growing the header');
      await Promise.all([page.waitForURL(/\/media$/), page.getByRole('link', { name: 'Fandoms', exact: true }).click()]);
    });
  } finally {
    await noScript.context.close();
  }
  // With the menu open: nothing sideways, and axe is content.
  const { context, page } = await phone(true);
  try {
    await screenshotOnFailure(page, 'mobile-menu', async () => {
      await page.goto('/works');
      await page.locator('summary.site-menu-button').click();
      await page.getByRole('link', { name: 'My works', exact: true }).waitFor();
      const m = await measure(page);
      assert.ok(m.scrollWidth <= PHONE.width, `nothing scrolls sideways with the menu open (${m.scrollWidth} px): ${m.wide.join('; ')}`);
      await expectNoSeriousA11yViolations(page);
    });
  } finally {
    await context.close();
  }
});
