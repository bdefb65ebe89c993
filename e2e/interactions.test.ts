import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { expectNoSeriousA11yViolations, saveScreenshot, screenshotOnFailure, signUpThroughForm, useArchiveAndBrowser } from './harness.ts';

const e2e = useArchiveAndBrowser();

const TITLE = 'Lanterns Over the Harbour';

async function postWorkThroughForm(page: Page): Promise<string> {
  await page.goto('/works/new');
  const field = (name: string) => page.locator(`form [name="${name}"]`);
  await field('title').fill(TITLE);
  await field('rating').selectOption('General Audiences');
  await page.locator('form input[name="warnings"][value="No Archive Warnings Apply"]').check();
  await page.locator('form input[name="categories"][value="Gen"]').check();
  await field('fandoms').fill('Harbour Tales');
  await field('language').selectOption('en');
  await field('text_format').selectOption('plain');
  await field('body').fill('The lanterns rose one by one.\n\nMira counted them from the pier.\n\nBy midnight the sky was full.');
  await Promise.all([page.waitForURL(/\/works\/\d+(?:[?#].*)?$/), page.locator('form button[name="action"][value="post"]').click()]);
  return new URL(page.url()).pathname;
}

test('a reader leaves kudos, comments on a chapter and a paragraph, bookmarks, subscribes; the creator sees it all in the inbox, the reader hears of the next chapter', async () => {
  const creator = await e2e.visit();
  const reader = await e2e.visit();
  try {
    let workPath = '';
    await screenshotOnFailure(creator.page, 'interactions-creator-post', async () => {
      await signUpThroughForm(creator.page, 'lantern_writer');
      workPath = await postWorkThroughForm(creator.page);
    });
    const workId = Number(workPath.split('/')[2]);
    const chapter = await e2e.archive.handle.db.selectFrom('chapters').select('id').where('work_id', '=', workId).executeTakeFirstOrThrow();
    const chapterPath = `${workPath}/chapters/${chapter.id}`;

    const page = reader.page;
    await screenshotOnFailure(page, 'interactions-reader', async () => {
      await signUpThroughForm(page, 'harbour_reader');

      // Kudos.
      await page.goto(chapterPath);
      await expectNoSeriousA11yViolations(page);
      await page.getByRole('button', { name: 'Kudos ♥' }).click();
      await page.getByRole('status').filter({ hasText: 'Thank you for leaving kudos!' }).waitFor();
      await page.locator('#kudos').getByRole('link', { name: 'harbour_reader' }).waitFor();

      // A comment on the chapter.
      await page.getByLabel('Comment', { exact: true }).fill('The lanterns image is <em>lovely</em>.');
      await page.getByRole('button', { name: 'Comment', exact: true }).click();
      await page.getByRole('status').filter({ hasText: 'Comment created!' }).waitFor();
      assert.match(new URL(page.url()).pathname, new RegExp(`^${chapterPath}$`));
      await page.locator('.comment-body em', { hasText: 'lovely' }).waitFor();
      await expectNoSeriousA11yViolations(page);
      await saveScreenshot(page, 'interactions-chapter-with-comment');

      // A comment on the second paragraph, from the chapter's paragraph view.
      await page.getByRole('link', { name: 'Read this chapter with paragraph comments' }).click();
      await expectNoSeriousA11yViolations(page);
      await page.getByRole('link', { name: 'Comment on paragraph 2' }).click();
      await page.locator('blockquote.paragraph-quote', { hasText: 'Mira counted them from the pier.' }).waitFor();
      await expectNoSeriousA11yViolations(page);
      await page.getByLabel('Comment', { exact: true }).fill('Mira on the pier is my favourite moment.');
      await page.getByRole('button', { name: 'Comment', exact: true }).click();
      await page.getByRole('status').filter({ hasText: 'Comment created!' }).waitFor();
      await page.getByText('Mira on the pier is my favourite moment.').waitFor();
      await page.goto(`${chapterPath}/paragraphs`);
      await page.getByRole('link', { name: '1 comment on paragraph 2' }).waitFor();
      await saveScreenshot(page, 'interactions-paragraph-comments');

      // Back on the chapter, the count sits beside the paragraph (progressive enhancement).
      await page.goto(chapterPath);
      const badge = page.locator('.chapter-text p').nth(1).locator('a.paragraph-count');
      await badge.waitFor();
      assert.equal(await badge.textContent(), '1');
      assert.match((await badge.getAttribute('href')) ?? '', /\/paragraphs\/2\/comments$/);
      await expectNoSeriousA11yViolations(page);

      // A bookmark with notes, tags and a rec.
      await page.getByRole('link', { name: 'Bookmark', exact: true }).click();
      await expectNoSeriousA11yViolations(page);
      await page.getByLabel('Notes').fill('Read this on a quiet night.');
      await page.getByLabel('Your tags').fill('cozy, lanterns');
      await page.getByLabel('Rec (recommend this work)').check();
      await page.getByRole('button', { name: 'Create bookmark' }).click();
      await page.getByRole('status').filter({ hasText: 'Bookmark was successfully created.' }).waitFor();
      await page.goto('/users/harbour_reader/bookmarks?tag=cozy');
      await page.getByRole('link', { name: TITLE }).waitFor();
      await expectNoSeriousA11yViolations(page);
      await saveScreenshot(page, 'interactions-bookmarks');

      // Subscribing to the work: its new chapters will reach the reader's inbox.
      await page.goto(workPath);
      await page.getByRole('button', { name: 'Subscribe to this work' }).click();
      await page.getByRole('status').filter({ hasText: 'You are subscribed. Updates will arrive in your inbox.' }).waitFor();
      await page.getByRole('button', { name: 'Unsubscribe from this work' }).waitFor();
      await expectNoSeriousA11yViolations(page);
      assert.deepEqual(reader.pageErrors.map(String), [], 'no script errors');
    });

    // The day's kudos summary is written by a job at the end of the day: run it now.
    await e2e.archive.handle.db
      .updateTable('jobs')
      .set({ run_at: new Date(Date.now() - 1000) })
      .where('kind', '=', 'kudos.daily-summary')
      .execute();
    await e2e.archive.app.jobs.drain();

    await screenshotOnFailure(creator.page, 'interactions-inbox', async () => {
      const inbox = creator.page;
      await inbox.goto('/users/lantern_writer/inbox');
      await inbox.getByRole('heading', { name: 'Inbox (3 unread)' }).waitFor();
      await inbox.getByRole('link', { name: `harbour_reader commented on ${TITLE}.` }).waitFor();
      await inbox.getByRole('link', { name: `harbour_reader commented on paragraph 2 of ${TITLE}.` }).waitFor();
      await inbox.getByRole('link', { name: new RegExp(`harbour_reader left kudos on ${TITLE}`) }).waitFor();
      await expectNoSeriousA11yViolations(inbox);
      await saveScreenshot(inbox, 'interactions-inbox');

      // Bulk action: mark everything read.
      for (const box of await inbox.locator('input[name="ids"]').all()) await box.check();
      await inbox.getByRole('button', { name: 'Mark read' }).click();
      await inbox.getByRole('heading', { name: 'Inbox (0 unread)' }).waitFor();

      // Following the paragraph notification leads to the comment.
      await inbox.getByRole('link', { name: `harbour_reader commented on paragraph 2 of ${TITLE}.` }).click();
      await inbox.getByText('Mira on the pier is my favourite moment.').waitFor();
      assert.match(inbox.url(), /\/paragraphs\/2\/comments#comment-\d+$/);

      // The creator posts a second chapter: the subscribed reader is told.
      await inbox.goto(`${workPath}/chapters/new`);
      await expectNoSeriousA11yViolations(inbox);
      await inbox.getByLabel('Chapter title (optional)').fill('The Morning After');
      await inbox.locator('form [name="text_format"]').selectOption('plain');
      await inbox.locator('form [name="body"]').fill('Dawn found the lanterns drifting out to sea.');
      await Promise.all([inbox.waitForURL(/\/works\/\d+\/chapters\/\d+$/), inbox.getByRole('button', { name: 'Post chapter' }).click()]);
      await expectNoSeriousA11yViolations(inbox);
      assert.deepEqual(creator.pageErrors.map(String), [], 'no script errors');
    });

    await e2e.archive.app.jobs.drain();
    await screenshotOnFailure(page, 'interactions-reader-inbox', async () => {
      await page.goto('/users/harbour_reader/inbox');
      const update = page.getByRole('link', { name: new RegExp(`posted Chapter 2: The Morning After of “${TITLE}”`) });
      await update.waitFor();
      await expectNoSeriousA11yViolations(page);
      await saveScreenshot(page, 'interactions-reader-inbox');
      await update.click();
      await page.getByText('Dawn found the lanterns drifting out to sea.').waitFor();
      assert.deepEqual(reader.pageErrors.map(String), [], 'no script errors');
    });
  } finally {
    await creator.context.close();
    await reader.context.close();
  }
});
