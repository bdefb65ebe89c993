import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { expectNoSeriousA11yViolations, saveScreenshot, screenshotOnFailure, signUpThroughForm, useArchiveAndBrowser } from './harness.ts';

const e2e = useArchiveAndBrowser();

const PARAGRAPHS = Array.from(
  { length: 60 },
  (_, i) => `Paragraph ${i + 1} of a long chapter, long enough to scroll through on a screen.`,
).join('\n\n');

async function postWork(page: Page, title: string): Promise<string> {
  await page.goto('/works/new');
  const field = (name: string) => page.locator(`form [name="${name}"]`);
  await field('title').fill(title);
  await field('rating').selectOption('General Audiences');
  await page.locator('form input[name="warnings"][value="No Archive Warnings Apply"]').check();
  await field('fandoms').fill('Original Work');
  await field('expected_chapters').fill('?');
  await field('text_format').selectOption('plain');
  await field('body').fill(PARAGRAPHS);
  await Promise.all([page.waitForURL(/\/works\/\d+(?:[?#].*)?$/), page.locator('form button[name="action"][value="post"]').click()]);
  return new URL(page.url()).pathname;
}

test('a reader subscribes to a work, the creator posts a chapter, the reader finds it in the inbox and keeps their place', async () => {
  const writer = await e2e.visit();
  const reader = await e2e.visit();
  try {
    await screenshotOnFailure(reader.page, 'subscriptions', async () => {
      await signUpThroughForm(writer.page, 'serial_writer');
      const workUrl = await postWork(writer.page, 'The Serial');

      await signUpThroughForm(reader.page, 'loyal_reader');
      await reader.page.goto(workUrl);
      await reader.page.getByRole('button', { name: 'Subscribe to this work' }).click();
      await reader.page.getByRole('status').filter({ hasText: 'You are subscribed' }).waitFor();
      await reader.page.getByRole('button', { name: 'Unsubscribe from this work' }).waitFor();
      await expectNoSeriousA11yViolations(reader.page);
      await saveScreenshot(reader.page, 'subscriptions-work');

      await reader.page.goto('/users/loyal_reader/subscriptions');
      await reader.page.getByRole('link', { name: 'The Serial' }).waitFor();
      await expectNoSeriousA11yViolations(reader.page);

      // The creator posts chapter 2 through the form; the notification job runs.
      await writer.page.goto(`${workUrl}/chapters/new`);
      await writer.page.getByLabel('Chapter title (optional)').fill('The Return');
      await writer.page.locator('form [name="body"]').fill(PARAGRAPHS);
      await Promise.all([writer.page.waitForURL(/\/chapters\/\d+/), writer.page.getByRole('button', { name: 'Post chapter' }).click()]);
      const chapterPath = new URL(writer.page.url()).pathname;
      await e2e.archive.app.jobs.drain();

      await reader.page.goto('/users/loyal_reader/inbox');
      const item = reader.page.getByText('posted Chapter 2: The Return of “The Serial”');
      await item.first().waitFor();
      await expectNoSeriousA11yViolations(reader.page);
      await saveScreenshot(reader.page, 'subscriptions-inbox');

      // Reading the new chapter: the script saves the place as the reader scrolls.
      await reader.page.goto(chapterPath);
      const saved = reader.page.waitForResponse((r) => r.url().endsWith(`${workUrl}/position`) && r.request().method() === 'POST');
      await reader.page.locator('section.chapter .chapter-text > p').nth(30).scrollIntoViewIfNeeded();
      await reader.page.mouse.wheel(0, 400);
      assert.equal((await saved).status(), 204, 'the position was saved with the CSRF header');
      await expectNoSeriousA11yViolations(reader.page);

      // Another device: a fresh login finds the way back.
      const laptop = await e2e.visit();
      try {
        await laptop.page.goto('/login');
        await laptop.page.getByLabel('User name or email').fill('loyal_reader');
        await laptop.page.getByLabel('Password', { exact: true }).fill('correct horse battery staple');
        await Promise.all([
          laptop.page.waitForURL((url) => url.pathname !== '/login'),
          laptop.page.getByRole('button', { name: 'Log in' }).click(),
        ]);
        await laptop.page.goto(workUrl);
        const resume = laptop.page.getByRole('link', { name: /Continue where you stopped \(Chapter 2: The Return\)/ });
        await resume.waitFor();
        await resume.click();
        await laptop.page.waitForURL(/#position-\d+$/);
        const scrolled = await laptop.page.evaluate(() => window.scrollY);
        assert.ok(scrolled > 500, `the page scrolled to the saved paragraph (scrollY ${scrolled})`);
        assert.deepEqual(laptop.pageErrors.map(String), []);
      } finally {
        await laptop.context.close();
      }

      // The writer's series and stats pages.
      await writer.page.goto(`/series/new?work_id=${workUrl.split('/').pop()}`);
      await writer.page.getByLabel('Series title').fill('Serial Universe');
      await Promise.all([writer.page.waitForURL(/\/series\/\d+$/), writer.page.getByRole('button', { name: 'Create series' }).click()]);
      await writer.page.getByRole('link', { name: 'The Serial' }).first().waitFor();
      await expectNoSeriousA11yViolations(writer.page);
      await writer.page.goto(workUrl);
      await writer.page.getByText('Part 1 of the').waitFor();
      await writer.page.goto('/users/serial_writer/stats');
      await writer.page.getByRole('img', { name: /Hits per day/ }).waitFor();
      await expectNoSeriousA11yViolations(writer.page);
      await saveScreenshot(writer.page, 'subscriptions-stats');
      assert.deepEqual([...reader.pageErrors, ...writer.pageErrors].map(String), [], 'no script errors in the pages');
    });
  } finally {
    await writer.context.close();
    await reader.context.close();
  }
});
