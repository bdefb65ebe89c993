/**
 * Story intelligence in the archive: a writer posts the founding story through the form, asks
 * for suggestions, sees Fanfold's proposals with their passages, accepts the relationship, and a
 * reader opens the story map. axe-core checks every page on the way.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { registerAnalysisJob } from '../src/story-intelligence/analysis-job.ts';
import { ANALYSIS_ATTEMPTS } from '../src/story-intelligence/enqueue.ts';
import {
  expectNoSeriousA11yViolations,
  FOUNDING_STORY,
  saveScreenshot,
  screenshotOnFailure,
  signUpThroughForm,
  useArchiveAndBrowser,
} from './harness.ts';

const e2e = useArchiveAndBrowser();

const TITLE = 'Too Late (mapped)';

test('a writer sees proposals with evidence, accepts the relationship, and readers open the story map', async () => {
  const { context, page, pageErrors } = await e2e.visit();
  let workPath = '';
  try {
    await screenshotOnFailure(page, 'story-map-writer', async () => {
      await signUpThroughForm(page, 'mapping_writer');
      await page.goto('/works/new');
      const field = (name: string) => page.locator(`form [name="${name}"]`);
      await field('title').fill(TITLE);
      await field('fandoms').fill('The Vampire Diaries (TV)');
      await field('rating').selectOption('Teen And Up Audiences');
      await page.locator('form input[name="warnings"][value="No Archive Warnings Apply"]').check();
      await field('text_format').selectOption('plain');
      await field('text_file').setInputFiles(FOUNDING_STORY);

      // Suggestions on the form itself, before anything is posted.
      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Suggest tags from my text' }).click()]);
      const box = page.locator('#proposals');
      await box.getByRole('heading', { name: 'Proposed by Fanfold' }).waitFor();
      assert.equal(await field('title').inputValue(), TITLE, 'what was typed is kept');
      assert.match(await field('body').inputValue(), /Caroline/, 'the uploaded text is kept in the text box');
      assert.ok((await box.locator('blockquote').count()) > 0, 'proposals show their passages');
      await expectNoSeriousA11yViolations(page);
      await saveScreenshot(page, 'story-map-form-proposals');

      // Post it; the proposals wait on the work page until Fanfold has read the story.
      await Promise.all([page.waitForURL(/\/works\/\d+$/), page.locator('form button[name="action"][value="post"]').click()]);
      workPath = new URL(page.url()).pathname;
      const panel = page.locator('section.proposals');
      await panel.getByText('Fanfold is reading your story…').waitFor();
      await expectNoSeriousA11yViolations(page);
      await e2e.archive.app.jobs.drain();
      // The panel's script notices and reloads the page.
      const relationship = panel.locator('li[data-kind="relationship"]').filter({ hasText: 'Caroline/Stefan' });
      await relationship.waitFor({ timeout: 20_000 });
      assert.ok((await relationship.locator('blockquote').count()) > 0, 'the relationship shows its evidence');
      assert.ok(
        (await panel.locator('li[data-kind="warning"]').filter({ hasText: 'Major Character Death' }).count()) === 1,
        'Major Character Death is proposed',
      );
      assert.ok((await panel.locator('li[data-kind="rating"]').count()) === 1, 'a more severe rating is proposed');
      await expectNoSeriousA11yViolations(page);
      await saveScreenshot(page, 'story-map-proposals');

      await Promise.all([page.waitForURL(/\/works\/\d+#proposals$/), relationship.getByRole('button', { name: /^Accept/ }).click()]);
      const tags = page.locator('dd.relationship');
      assert.match((await tags.textContent()) ?? '', /Caroline\/Stefan/, 'the accepted relationship is on the work');
      assert.equal(
        await panel.locator('li[data-kind="relationship"]').filter({ hasText: 'Caroline/Stefan' }).count(),
        0,
        'and no longer proposed',
      );
      assert.deepEqual(pageErrors.map(String), [], 'no script errors');
    });
  } finally {
    await context.close();
  }

  // A reader: no proposals; the story map is one click away, behind a spoiler warning.
  const reader = await e2e.visit();
  try {
    await screenshotOnFailure(reader.page, 'story-map-reader', async () => {
      const { page } = reader;
      await page.goto(workPath);
      assert.equal(await page.locator('section.proposals').count(), 0);
      assert.equal(await page.locator('svg.story-graph').count(), 0, 'no spoilers on the work page');
      await Promise.all([
        page.waitForURL(/\/story_map$/),
        page.getByRole('link', { name: 'Open the story map (contains spoilers)' }).click(),
      ]);
      await page.getByRole('heading', { name: /Story map of/ }).waitFor();
      const graph = page.getByRole('img', { name: /Characters of/ });
      await graph.waitFor();
      const table = page.locator('table.story-pairs');
      assert.match((await table.textContent()) ?? '', /Caroline\/Stefan/);
      await page.getByRole('img', { name: /Emotional arc of/ }).waitFor();
      assert.ok((await page.locator('ol.scene-list li').count()) >= 2, 'the scenes are listed');
      await expectNoSeriousA11yViolations(page);
      await saveScreenshot(page, 'story-map-page');
    });
  } finally {
    await reader.context.close();
  }
});

test('a writer is told when Fanfold could not read the story, and Try again reads it', async () => {
  const { app, handle } = e2e.archive;
  const useAnalyzer = (analyze?: () => never) =>
    registerAnalysisJob(app.jobs, { ...(analyze ? { analyze } : {}), onChanged: (workId) => app.pageCache.invalidateWork(workId) });
  /** Runs the due analysis jobs through all their attempts, each retry brought forward from its backoff. */
  const runAllAttempts = async () => {
    for (let i = 0; i < ANALYSIS_ATTEMPTS; i++) {
      await app.jobs.drain();
      await handle.db
        .updateTable('jobs')
        .set({ run_at: new Date(Date.now() - 1000) })
        .where('done_at', 'is', null)
        .where('failed_at', 'is', null)
        .execute();
    }
  };
  const { context, page, pageErrors } = await e2e.visit();
  try {
    await screenshotOnFailure(page, 'story-map-failed', async () => {
      await signUpThroughForm(page, 'unread_writer');
      await page.goto('/works/new');
      const field = (name: string) => page.locator(`form [name="${name}"]`);
      await field('title').fill('Unread');
      await field('fandoms').fill('Original Work');
      await field('rating').selectOption('General Audiences');
      await page.locator('form input[name="warnings"][value="No Archive Warnings Apply"]').check();
      await field('text_format').selectOption('plain');
      await field('body').fill('"Good morning," Ada said to Tobias. Tobias waved at Ada and smiled.\n\nAda laughed.');
      await Promise.all([page.waitForURL(/\/works\/\d+$/), page.locator('form button[name="action"][value="post"]').click()]);
      const panel = page.locator('section.proposals');
      await panel.getByText('Fanfold is reading your story…').waitFor();

      useAnalyzer(() => {
        throw new Error('the analyzer broke');
      });
      try {
        await runAllAttempts();
      } finally {
        useAnalyzer();
      }
      // The panel's script notices the failure and reloads the page.
      await panel.getByText('Fanfold could not read this chapter.').waitFor({ timeout: 20_000 });
      await expectNoSeriousA11yViolations(page);
      await saveScreenshot(page, 'story-map-failed');

      await Promise.all([page.waitForURL(/#proposals$/), panel.getByRole('button', { name: 'Try again' }).click()]);
      await panel.getByText('Fanfold is reading your story…').waitFor();
      await app.jobs.drain();
      await panel.locator('li[data-kind="character"]').first().waitFor({ timeout: 20_000 });
      assert.equal(await panel.getByText('could not read').count(), 0);
      assert.deepEqual(pageErrors.map(String), [], 'no script errors');
    });
  } finally {
    await context.close();
  }
});
