import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { createAccount } from '../src/accounts/accounts.service.ts';
import { WorkMetadataSchema } from '../src/works/works.schema.ts';
import { createWork } from '../src/works/works.service.ts';
import {
  DEFAULT_PASSWORD,
  expectNoSeriousA11yViolations,
  logInThroughForm,
  saveScreenshot,
  screenshotOnFailure,
  signUpThroughForm,
  useArchiveAndBrowser,
} from './harness.ts';

let workId: number;

const e2e = useArchiveAndBrowser({ PAGE_CACHE: 'on' }, async (archive) => {
  const db = archive.handle.db;
  const creator = await createAccount(db, { login: 'cora_creator', email: 'cora@example.org', password: DEFAULT_PASSWORD });
  await createAccount(db, { login: 'max_moderator', email: 'max@example.org', password: DEFAULT_PASSWORD });
  await sql`insert into user_roles (user_id, role) select id, 'moderator' from users where login = 'max_moderator'`.execute(db);
  const meta = WorkMetadataSchema.parse({
    title: 'Buy Cheap Watches',
    rating: 'Not Rated',
    warnings: ['No Archive Warnings Apply'],
    fandoms: 'Original Work',
  });
  workId = await createWork(db, creator, {
    meta,
    chapter: { title: '', summary: '', notes: '', endNotes: '', text: 'Visit my shop for the best prices.', format: 'plain' },
    draft: false,
  });
});

test('a reader reports a work, a moderator hides it, and its creator sees why', async () => {
  const reader = await e2e.visit();
  const moderator = await e2e.visit();
  const creator = await e2e.visit();
  try {
    await screenshotOnFailure(reader.page, 'moderation-reader', async () => {
      await signUpThroughForm(reader.page, 'rhea_reader');
      // Not Rated: the reader proceeds past the adult-content notice.
      await reader.page.goto(`/works/${workId}?view_adult=true`);
      await reader.page.getByRole('link', { name: 'Report' }).click();
      await reader.page.getByRole('heading', { level: 1, name: /Report the work “Buy Cheap Watches”/ }).waitFor();
      await expectNoSeriousA11yViolations(reader.page);
      await reader.page.getByLabel('Reason').selectOption('Spam');
      await reader.page.getByLabel('Details').fill('This is an advert for watches, not a story.');
      await reader.page.getByRole('button', { name: 'Send report' }).click();
      await reader.page.getByRole('status').filter({ hasText: 'Your report has been sent' }).waitFor();
      await saveScreenshot(reader.page, 'moderation-reported');
    });

    await screenshotOnFailure(moderator.page, 'moderation-moderator', async () => {
      await logInThroughForm(moderator.page, 'max_moderator');
      await moderator.page.goto('/moderation');
      await moderator.page.getByText('This is an advert for watches, not a story.').waitFor();
      await expectNoSeriousA11yViolations(moderator.page);
      await saveScreenshot(moderator.page, 'moderation-queue');
      await moderator.page.getByRole('link', { name: 'Act on it' }).click();
      await moderator.page.getByLabel('Reason (the creator will see it)').fill('Advertising is not allowed here: see the content policy.');
      await expectNoSeriousA11yViolations(moderator.page);
      await moderator.page.getByRole('button', { name: 'Hide work' }).click();
      await moderator.page.getByRole('status').filter({ hasText: 'The work is hidden' }).waitFor();
      await moderator.page.goto('/moderation');
      await moderator.page.getByRole('button', { name: 'Mark handled' }).click();
      await moderator.page.getByText('No open reports.').waitFor();
    });

    await screenshotOnFailure(reader.page, 'moderation-reader-after', async () => {
      const response = await reader.page.goto(`/works/${workId}`);
      assert.equal(response?.status(), 404, 'the hidden work is gone for readers');
    });
    const guest = await e2e.visit();
    assert.equal((await guest.page.goto(`/works/${workId}`))?.status(), 404, 'and for guests, cached page or not');
    await guest.context.close();

    await screenshotOnFailure(creator.page, 'moderation-creator', async () => {
      await logInThroughForm(creator.page, 'cora_creator');
      const response = await creator.page.goto(`/works/${workId}`);
      assert.equal(response?.status(), 200, 'the creator still sees the work');
      const notice = creator.page.getByRole('note');
      await notice.getByText('This work has been hidden by the moderators.').waitFor();
      await notice.getByText('Reason: Advertising is not allowed here: see the content policy.').waitFor();
      await expectNoSeriousA11yViolations(creator.page);
      await saveScreenshot(creator.page, 'moderation-creator-sees-why');
    });
    for (const v of [reader, moderator, creator]) assert.deepEqual(v.pageErrors, []);
  } finally {
    await reader.context.close();
    await moderator.context.close();
    await creator.context.close();
  }
});
