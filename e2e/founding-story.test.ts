/**
 * The acceptance test of the core archive: the founding story, uploaded as a file through
 * the posting form, reads back with every paragraph and every quotation exactly as written.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  expectNoSeriousA11yViolations,
  FOUNDING_STORY,
  FOUNDING_STORY_EXPECTED,
  saveScreenshot,
  screenshotOnFailure,
  signUpThroughForm,
  useArchiveAndBrowser,
} from './harness.ts';

const e2e = useArchiveAndBrowser();

const source = fs.readFileSync(FOUNDING_STORY, 'utf8');
/** The author's paragraphs: the file's non-empty lines, exactly as written. */
const paragraphs = source.split(/\r?\n/).filter((line) => line.trim() !== '');
/** Every quotation as delimited in the source, quotation marks included (`" I SAID NO!"` too). */
const delimitedQuotes = source.match(/"[^"]*"/g) ?? [];
/** The hand-checked quotations (their text, without the marks). */
const expectedQuotes = (JSON.parse(fs.readFileSync(FOUNDING_STORY_EXPECTED, 'utf8')) as { quotes: Array<{ text: string }> }).quotes.map(
  (q) => q.text,
);

const TITLE = 'Too Late';
const TAGS = {
  fandoms: 'The Vampire Diaries (TV)',
  relationships: 'Caroline Forbes/Stefan Salvatore, Damon Salvatore/Elena Gilbert',
  characters: 'Caroline Forbes, Stefan Salvatore, Damon Salvatore, Liz Forbes, Elena Gilbert, Matt Donovan',
  freeforms: 'Grief/Mourning, Hurt/Comfort, Death of a Parent',
};

/** The text of each `<p>` in the chapter text, as characters (textContent: no CSS whitespace folding). */
async function chapterParagraphs(page: Page): Promise<string[]> {
  return page.locator('div.userstuff p').evaluateAll((ps) => ps.map((p) => p.textContent ?? ''));
}

async function chapterText(page: Page): Promise<string> {
  return (await page.locator('div.userstuff').evaluateAll((divs) => divs.map((d) => d.textContent ?? ''))).join('\n');
}

/** Checks the work page shows the story exactly: 58 paragraphs in order, 35 quotations. */
async function expectStoryVerbatim(page: Page): Promise<void> {
  const shown = await chapterParagraphs(page);
  const missing = paragraphs.filter((p) => !shown.includes(p));
  assert.deepEqual(
    missing.map((p) => p.slice(0, 80)),
    [],
    `${missing.length} of the ${paragraphs.length} paragraphs are not the text of a <p> in div.userstuff`,
  );
  assert.deepEqual(shown, paragraphs, 'the chapter text holds exactly the paragraphs of the file, in order');

  const text = await chapterText(page);
  const missingQuotes = expectedQuotes.filter((q) => !text.includes(q));
  assert.deepEqual(missingQuotes, [], 'every quotation of the expected analysis appears verbatim');
  const missingDelimited = delimitedQuotes.filter((q) => !text.includes(q));
  assert.deepEqual(missingDelimited, [], 'every "-delimited quotation of the file appears verbatim, marks and stray spaces included');
}

test('the fixture is the founding story as the issue describes it', () => {
  assert.equal(paragraphs.length, 58);
  assert.equal(expectedQuotes.length, 35);
  assert.equal(delimitedQuotes.length, 35);
});

test('a writer uploads the founding story, posts it, and it reads back verbatim', async () => {
  const { context, page, pageErrors } = await e2e.visit();
  let workUrl = '';
  try {
    await screenshotOnFailure(page, 'founding-story', async () => {
      await signUpThroughForm(page, 'founding_writer');

      const form = await page.goto('/works/new');
      assert.equal(form?.status(), 200, `the posting form /works/new answered ${form?.status()} to a signed-in writer`);
      await expectNoSeriousA11yViolations(page);

      const field = (name: string) => page.locator(`form [name="${name}"]`);
      await field('title').fill(TITLE);
      await field('summary').fill('Caroline arrives at the hospital too late; Stefan stays.');
      await field('rating').selectOption('Mature');
      await page.locator('form input[name="warnings"][value="Major Character Death"]').check();
      await page.locator('form input[name="categories"][value="F/M"]').check();
      for (const [name, value] of Object.entries(TAGS)) await field(name).fill(value);
      await field('language').selectOption('en');
      await field('text_format').selectOption('plain');
      await field('text_file').setInputFiles(FOUNDING_STORY);
      await saveScreenshot(page, 'founding-story-form');

      await Promise.all([page.waitForURL(/\/works\/\d+(?:[?#].*)?$/), page.locator('form button[name="action"][value="post"]').click()]);
      workUrl = new URL(page.url()).pathname;

      await page.getByRole('heading', { name: TITLE }).first().waitFor();
      await expectStoryVerbatim(page);
      const body = (await page.locator('body').textContent()) ?? '';
      for (const shown of [
        'Mature',
        'Major Character Death',
        'F/M',
        'The Vampire Diaries (TV)',
        'Caroline Forbes/Stefan Salvatore',
        'Grief/Mourning',
      ]) {
        assert.ok(body.includes(shown), `the work page shows the tag ${shown}`);
      }
      await expectNoSeriousA11yViolations(page);
      await saveScreenshot(page, 'founding-story-work');

      await page.goto('/works');
      await page.getByRole('link', { name: TITLE }).first().waitFor();
      await expectNoSeriousA11yViolations(page);
      await saveScreenshot(page, 'founding-story-works-index');
      assert.deepEqual(pageErrors.map(String), [], 'no script errors in the pages');
    });
  } finally {
    await context.close();
  }

  // A reader who is not logged in reads the same text.
  const reader = await e2e.visit();
  try {
    await screenshotOnFailure(reader.page, 'founding-story-reader', async () => {
      // Rated Mature: the guest proceeds past the adult-content notice.
      const response = await reader.page.goto(`${workUrl}?view_adult=true`);
      assert.equal(response?.status(), 200);
      await expectStoryVerbatim(reader.page);
    });
  } finally {
    await reader.context.close();
  }
});
