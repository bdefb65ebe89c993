import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectNoSeriousA11yViolations, saveScreenshot, screenshotOnFailure, signUpThroughForm, useArchiveAndBrowser } from './harness.ts';

const e2e = useArchiveAndBrowser();

/** A datetime-local value (UTC, whole minutes) `hours` from now. */
const hoursFromNow = (hours: number) => new Date(Date.now() + hours * 3600_000).toISOString().slice(0, 16);

test('a creator schedules a chapter, moves its time, is told off for a past time, then posts it now', async () => {
  const writer = await e2e.visit();
  const { page } = writer;
  try {
    await screenshotOnFailure(page, 'scheduled-chapters', async () => {
      await signUpThroughForm(page, 'timely_writer');
      await page.goto('/works/new');
      const field = (name: string) => page.locator(`form [name="${name}"]`);
      await field('title').fill('Timely');
      await field('rating').selectOption('General Audiences');
      await page.locator('form input[name="warnings"][value="No Archive Warnings Apply"]').check();
      await field('fandoms').fill('Original Work');
      await field('text_format').selectOption('plain');
      await field('body').fill('The first chapter.');
      await Promise.all([page.waitForURL(/\/works\/\d+$/), page.locator('form button[name="action"][value="post"]').click()]);
      const workPath = new URL(page.url()).pathname;

      // Schedule chapter 2 in an hour.
      await page.goto(`${workPath}/chapters/new`);
      await page.locator('form [name="body"]').fill('The second chapter, waiting.');
      await page.getByLabel('Schedule for (UTC, optional)').fill(hoursFromNow(1));
      await Promise.all([page.waitForURL(/\/chapters\/\d+$/), page.getByRole('button', { name: 'Schedule', exact: true }).click()]);
      const chapterPath = new URL(page.url()).pathname;
      const waiting = page.getByRole('region', { name: 'Chapter not posted yet' });
      await waiting.waitFor();
      await expectNoSeriousA11yViolations(page);

      // Move it to three hours from now, from the chapter's page.
      const later = hoursFromNow(3);
      await waiting.getByLabel('Post at (UTC)').fill(later);
      await Promise.all([
        page.waitForURL((url) => url.pathname === chapterPath),
        waiting.getByRole('button', { name: 'Change the time' }).click(),
      ]);
      await page
        .getByRole('status')
        .filter({ hasText: `The chapter will be posted at ${later.replace('T', ' ')} UTC` })
        .waitFor();

      // A time in the past comes back with the message beside the field.
      await page.goto(`${chapterPath}/edit`);
      await page.getByRole('region', { name: 'Chapter not posted yet' }).getByLabel('Post at (UTC)').fill('2001-01-01T10:00');
      await Promise.all([page.waitForURL(/\/schedule$/), page.getByRole('button', { name: 'Change the time' }).click()]);
      await page.locator('#error-post_at').filter({ hasText: 'at least a minute from now' }).waitFor();
      assert.equal(await page.getByLabel('Post at (UTC)').inputValue(), '2001-01-01T10:00');
      await expectNoSeriousA11yViolations(page);
      await saveScreenshot(page, 'scheduled-chapters-error');

      // Post it now.
      await Promise.all([page.waitForURL((url) => url.pathname === chapterPath), page.getByRole('button', { name: 'Post now' }).click()]);
      await page.getByRole('status').filter({ hasText: 'Chapter was successfully posted.' }).waitFor();
      assert.equal(await page.getByRole('region', { name: 'Chapter not posted yet' }).count(), 0);
      await expectNoSeriousA11yViolations(page);
      assert.deepEqual(writer.pageErrors, []);
    });
  } finally {
    await writer.context.close();
  }
});
