/**
 * Email in a browser: with verification turned on, a new writer is asked to confirm their address
 * before posting, follows the mailed link and posts; a reader's comment then reaches the writer by
 * email, and the writer turns comment mail off from the link in that email. Mail is rendered into
 * the archive's outbox (SMTP_URL=json:), so nothing leaves the machine. axe checks every page.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { expectNoSeriousA11yViolations, screenshotOnFailure, signUpThroughForm, useArchiveAndBrowser } from './harness.ts';

const e2e = useArchiveAndBrowser({ SMTP_URL: 'json:' }, async (archive) => {
  // The admin setting "On" (automatic would stay off: json: renders mail without delivering it).
  await archive.handle.db.updateTable('site_settings').set({ email_verification: true }).execute();
  archive.app.siteSettings.emailVerification = true;
});

/** The newest mail to this address after the queued jobs have run. */
async function lastMailTo(address: string) {
  await e2e.archive.app.jobs.drain();
  const mail = e2e.archive.app.mailer.outbox.filter((m) => m.to === address).at(-1);
  assert.ok(mail, `a mail to ${address}`);
  return mail;
}

/** The path of the first link to this archive in a mail's text. */
function linkPathIn(text: string, path: RegExp): string {
  const url = text.match(/https?:\/\/\S+/g)?.find((u) => path.test(new URL(u).pathname));
  assert.ok(url, `a link matching ${path} in:\n${text}`);
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
}

async function postWork(page: Page, title: string): Promise<string> {
  await page.goto('/works/new');
  const field = (name: string) => page.locator(`form [name="${name}"]`);
  await field('title').fill(title);
  await field('fandoms').fill('Original Work');
  await field('rating').selectOption('General Audiences');
  await page.locator('form input[name="warnings"][value="No Archive Warnings Apply"]').check();
  await field('body').fill('The letter arrived a day late.\n\nShe read it twice before she opened the window.');
  await Promise.all([page.waitForURL(/\/works\/\d+$/), page.locator('form button[name="action"][value="post"]').click()]);
  return new URL(page.url()).pathname;
}

test('a writer confirms their address from the mailed link before posting; a comment reaches them by email, which turns itself off', async () => {
  const writer = await e2e.visit();
  const reader = await e2e.visit();
  await screenshotOnFailure(writer.page, 'email-writer', async () => {
    await signUpThroughForm(writer.page, 'mail_writer');
    await writer.page.goto('/works/new');
    await writer.page.getByText('Confirm your email address first').first().waitFor();
    await expectNoSeriousA11yViolations(writer.page);

    const confirmation = await lastMailTo('mail_writer@example.org');
    assert.match(confirmation.subject, /Confirm your email address/);
    await writer.page.goto(linkPathIn(confirmation.text, /^\/verify-email\//));
    await writer.page.getByText('Your email address is confirmed').first().waitFor();
    await expectNoSeriousA11yViolations(writer.page);
    const workPath = await postWork(writer.page, 'The Late Letter');

    // A verified reader comments (marked verified directly: their own confirmation is the same journey).
    await signUpThroughForm(reader.page, 'mail_reader');
    const db = e2e.archive.handle.db;
    const readerRow = await db.selectFrom('users').select('id').where('login', '=', 'mail_reader').executeTakeFirstOrThrow();
    await db.insertInto('user_email_verifications').values({ user_id: readerRow.id, email: 'mail_reader@example.org' }).execute();
    await reader.page.goto(workPath);
    await reader.page.getByLabel('Comment', { exact: true }).fill('The open window at the end is perfect.');
    await reader.page.getByRole('button', { name: 'Comment', exact: true }).click();
    await reader.page.getByRole('status').filter({ hasText: 'Comment created!' }).waitFor();

    const commentMail = await lastMailTo('mail_writer@example.org');
    assert.match(commentMail.subject, /mail_reader commented on The Late Letter/);
    assert.match(commentMail.text, /\/comments\/\d+/, 'a link to the comment');

    // The mail's unsubscribe link asks first; only the button turns comment mail off.
    await writer.page.goto(linkPathIn(commentMail.text, /^\/unsubscribe\b|unsubscribe/));
    await expectNoSeriousA11yViolations(writer.page);
    await writer.page
      .getByRole('button')
      .filter({ hasText: /turn|stop|unsubscribe/i })
      .first()
      .click();
    await writer.page
      .getByText(/gets no more emails about/)
      .first()
      .waitFor();

    await writer.page.goto('/users/mail_writer/notifications');
    await expectNoSeriousA11yViolations(writer.page);
  });
  await writer.context.close();
  await reader.context.close();
});
