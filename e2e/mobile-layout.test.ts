/**
 * Every page type at 390 px, signed out and signed in: nothing scrolls sideways, the header
 * stays one row (at most 64 px), and axe finds nothing serious. The phone menu opens without
 * JavaScript and holds the site's links and the unread count. The confirm page for orphaning
 * all one's series and the notification settings (with the gift and related-work mail choices)
 * are also checked at 1280 px, with their refusals shown, and so are the pages where a collection's
 * maintainer invites a reader's bookmark and the reader accepts it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { expectNoSeriousA11yViolations, screenshotOnFailure, useArchiveAndBrowser } from './harness.ts';
import { seedTour, signIn, TOUR_PAGES, TOUR_READER, TOUR_WRITER, type TourData } from './page-tour.ts';

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

test('the orphan-series confirm page and the notification settings pass axe at 390 px and 1280 px, with their errors shown', async () => {
  const { context, page } = await phone(true);
  try {
    for (const viewport of [PHONE, { width: 1280, height: 900 }]) {
      await page.setViewportSize(viewport);
      const failures: string[] = [];
      const fits = async (what: string) => {
        const m = await measure(page);
        if (m.scrollWidth > viewport.width)
          failures.push(`${what}: scrolls sideways (scrollWidth ${m.scrollWidth} px): ${m.wide.join('; ')}`);
        await expectNoSeriousA11yViolations(page);
      };
      await screenshotOnFailure(page, `orphan-series-${viewport.width}`, async () => {
        await page.goto('/orphans/series');
        await page.getByText('Mystic Falls Summers').first().waitFor();
        await fits('orphan series');
        // Sent without the confirmation (as a stale form might be): the refusal, and still nothing orphaned.
        await page.locator('form[action="/orphans/series"] input[name="confirm"]').evaluate((input) => input.remove());
        await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Yes, orphan all my series' }).click()]);
        await page.locator('.error-summary').waitFor();
        await fits('orphan series, refused');
      });
      await screenshotOnFailure(page, `notification-settings-${viewport.width}`, async () => {
        await page.goto(`/users/${TOUR_WRITER}/notifications`);
        const gifts = page.getByLabel('Email about works given to you as gifts');
        await gifts.waitFor();
        await page.getByLabel('Email about works that name yours as inspiration, or translate, remix or read it').waitFor();
        await fits('notification settings');
        // A choice the form does not offer (as a stale or altered form might send): the 422 keeps the page usable.
        await gifts.evaluate((select) => {
          const option = document.createElement('option');
          option.value = 'hourly';
          option.textContent = 'Hourly';
          select.append(option);
          (select as HTMLSelectElement).value = 'hourly';
        });
        await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Save' }).click()]);
        await page.getByText('Choose each time, daily digest or no email.').first().waitFor();
        await fits('notification settings, refused');
      });
      assert.deepEqual(failures, []);
    }
  } finally {
    await context.close();
  }
});

test('a maintainer invites a reader’s bookmark by its link and the reader accepts it; axe is content at 390 px and 1280 px', async () => {
  const writer = await phone(true);
  const reader = await phone(false);
  await signIn(reader.context, e2e.archive, tour, 'reader');
  const widths = [PHONE, { width: 1280, height: 900 }];
  const checkWidths = async (page: Page, what: string) => {
    for (const viewport of widths) {
      await page.setViewportSize(viewport);
      const m = await measure(page);
      assert.ok(
        m.scrollWidth <= viewport.width,
        `${what} at ${viewport.width} px scrolls sideways (${m.scrollWidth} px): ${m.wide.join('; ')}`,
      );
      await expectNoSeriousA11yViolations(page);
    }
    await page.setViewportSize(PHONE);
  };
  try {
    let link = '';
    await screenshotOnFailure(writer.page, 'bookmark-invitation-maintainer', async () => {
      const page = writer.page;
      // The bookmark's date on its owner's bookmarks page is its link.
      await page.goto(`/users/${TOUR_READER}/bookmarks`);
      const anchor = await page.locator('.bookmark-meta a').first().getAttribute('href');
      assert.match(anchor ?? '', /^#bookmark-\d+$/);
      link = `${e2e.archive.url}/users/${TOUR_READER}/bookmarks${anchor}`;
      await page.goto('/collections/new');
      await page.getByLabel('Name', { exact: true }).fill('tour_recs');
      await page.getByLabel('Display title').fill('Tour Recs');
      await Promise.all([page.waitForURL(/\/collections\/tour_recs$/), page.getByRole('button', { name: 'Create collection' }).click()]);
      const field = page.getByLabel('Invite someone’s bookmark');
      await field.fill('the harbour one');
      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Invite bookmark' }).click()]);
      await page.getByText('Paste the bookmark’s link').first().waitFor();
      assert.equal(await page.getByLabel('Invite someone’s bookmark').inputValue(), 'the harbour one', 'the typing is kept');
      await checkWidths(page, 'the refused invitation');
      await page.getByLabel('Invite someone’s bookmark').fill(link);
      await Promise.all([page.waitForURL(/\/collections\/tour_recs$/), page.getByRole('button', { name: 'Invite bookmark' }).click()]);
      await page.getByText(`(invited: waiting for ${TOUR_READER} to accept)`).waitFor();
      await checkWidths(page, 'the collection with an invited bookmark');
    });
    await screenshotOnFailure(reader.page, 'bookmark-invitation-owner', async () => {
      const page = reader.page;
      await page.goto(`/users/${TOUR_READER}/inbox`);
      await page.getByText(`${TOUR_WRITER} invited your bookmark of “Too Late” into the collection Tour Recs`).first().waitFor();
      await page.goto(`/users/${TOUR_READER}/collection_bookmarks`);
      await page.getByText('invited by its maintainers: accept to show it there').waitFor();
      await checkWidths(page, 'the owner’s bookmarks in collections');
      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Accept' }).click()]);
      await page.locator('.collection-queue li', { hasText: '— in the collection' }).waitFor();
      await page.goto('/collections/tour_recs');
      await page.locator('.collection-bookmarks li', { hasText: `bookmarked by ${TOUR_READER}` }).waitFor();
      await checkWidths(page, 'the collection with the accepted bookmark');
    });
  } finally {
    await writer.context.close();
    await reader.context.close();
  }
});
