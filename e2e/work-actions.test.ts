/**
 * The reader's controls look like what they do: on a work page Kudos, Bookmark, Mark for later,
 * Subscribe and Download share one style whatever element each slice renders, "Kudos:" never
 * wraps apart from its number at any width, and in the inbox Delete looks unlike Mark read.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { expectNoSeriousA11yViolations, screenshotOnFailure, useArchiveAndBrowser } from './harness.ts';
import { seedTour, signIn, TOUR_WRITER, type TourData } from './page-tour.ts';

let tour: TourData;
const e2e = useArchiveAndBrowser({}, async (archive) => {
  tour = await seedTour(archive);
});

const LOOKS = [
  'background-color',
  'color',
  'border-top-color',
  'border-top-width',
  'border-top-style',
  'border-top-left-radius',
  'font-size',
  'font-weight',
  'padding-top',
  'padding-left',
  'line-height',
] as const;

async function looksOf(control: Locator): Promise<Record<string, string>> {
  return control.evaluate(
    (el, names) => {
      const style = getComputedStyle(el);
      return Object.fromEntries(names.map((n) => [n, style.getPropertyValue(n)]));
    },
    LOOKS as unknown as string[],
  );
}

async function visitAs(who: 'writer' | 'reader', width = 1280): Promise<Page> {
  const context = await e2e.browser.newContext({
    baseURL: e2e.archive.url,
    viewport: { width, height: 900 },
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  context.setDefaultTimeout(15_000);
  await signIn(context, e2e.archive, tour, who);
  return context.newPage();
}

test('a reader’s actions on a work page share one style, and Kudos: stays beside its number at every width, in blurbs too', async () => {
  const page = await visitAs('reader');
  try {
    await screenshotOnFailure(page, 'work-actions', async () => {
      // A work the reader has not left kudos on yet, so the Kudos button is there.
      await page.goto(`/works/${tour.multiChapterWorkId}`);
      const controls: Record<string, Locator> = {
        Kudos: page.getByRole('button', { name: /^Kudos/ }),
        Bookmark: page.getByRole('link', { name: 'Bookmark', exact: true }),
        'Mark for later': page.getByRole('button', { name: /^Mark (for later|as read)$/ }),
        Subscribe: page.getByRole('button', { name: 'Subscribe to this work' }),
        Download: page.locator('details.download-menu > summary'),
      };
      const looks = Object.fromEntries(
        await Promise.all(Object.entries(controls).map(async ([name, c]) => [name, await looksOf(c)] as const)),
      );
      for (const [name, look] of Object.entries(looks)) {
        assert.deepEqual(look, looks.Kudos, `${name} looks like Kudos`);
      }
      await expectNoSeriousA11yViolations(page);

      // From a phone to a desktop, a stat's name and its value are on one line: on the work page and in a listing's blurbs.
      const split: string[] = [];
      for (const path of [`/works/${tour.multiChapterWorkId}`, '/works']) {
        await page.goto(path);
        for (let width = 320; width <= 1280; width += 8) {
          await page.setViewportSize({ width, height: 900 });
          const apart = await page.evaluate(() =>
            [...document.querySelectorAll('.stats dt')]
              .filter((dt) => {
                const dd = dt.nextElementSibling;
                const name = [...dt.getClientRects()].at(-1);
                const value = dd ? [...dd.getClientRects()][0] : undefined;
                return !name || !value || Math.abs(name.top - value.top) > 2;
              })
              .map((dt) => dt.textContent ?? ''),
          );
          if (apart.length > 0) split.push(`${path} at ${width} px: ${apart.join(', ')}`);
        }
      }
      assert.deepEqual(split, [], 'no stat is split from its value');
    });
  } finally {
    await page.context().close();
  }
});

test('in the inbox Delete is a destructive button, unlike Mark read', async () => {
  const page = await visitAs('writer', 390);
  try {
    await screenshotOnFailure(page, 'inbox-actions', async () => {
      await page.goto(`/users/${TOUR_WRITER}/inbox`);
      const markRead = await looksOf(page.getByRole('button', { name: 'Mark read' }));
      const remove = await looksOf(page.getByRole('button', { name: 'Delete' }));
      assert.notEqual(remove['background-color'], markRead['background-color'], 'Delete is filled where Mark read is not');
      assert.notEqual(remove['background-color'], 'rgba(0, 0, 0, 0)');
      assert.equal(markRead['background-color'], 'rgba(0, 0, 0, 0)', 'Mark read is outlined');
      // The comment's words and a reply in place.
      await page.locator('.inbox-excerpt').filter({ hasText: 'This broke my heart.' }).waitFor();
      await page.locator('.inbox-reply summary').first().click();
      await page.getByLabel('Your reply').first().waitFor();
      await expectNoSeriousA11yViolations(page);
    });
  } finally {
    await page.context().close();
  }
});
