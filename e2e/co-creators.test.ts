import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { TestVisitor } from '../test/app.ts';
import { buildWorkForm } from '../test/factories.ts';
import {
  DEFAULT_PASSWORD,
  expectNoSeriousA11yViolations,
  logInThroughForm,
  saveScreenshot,
  screenshotOnFailure,
  useArchiveAndBrowser,
} from './harness.ts';

let sharedId = 0;
let orphanId = 0;

const e2e = useArchiveAndBrowser({}, async (archive) => {
  const writer = await new TestVisitor(archive.app).signUp('rowan_writes', DEFAULT_PASSWORD);
  await new TestVisitor(archive.app).signUp('sage_writes', DEFAULT_PASSWORD);
  const idOf = (location: unknown) => Number(/(\d+)$/.exec(String(location))![1]);
  const shared = await writer.post('/works', buildWorkForm({ title: 'Two Hands, One Map' }));
  assert.equal(shared.statusCode, 303);
  sharedId = idOf(shared.headers.location);
  const given = await writer.post('/works', buildWorkForm({ title: 'Letters Left Behind' }));
  assert.equal(given.statusCode, 303);
  orphanId = idOf(given.headers.location);
});

const submit = (page: Page, name: string) => Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name }).click()]);

async function fitsPhone(page: Page, paths: string[]): Promise<void> {
  await page.setViewportSize({ width: 390, height: 844 });
  for (const path of paths) {
    await page.goto(path);
    assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390, `no sideways scrolling at 390 px on ${path}`);
    await expectNoSeriousA11yViolations(page);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test('a writer invites a co-creator, who accepts, edits the work and removes themselves; the writer orphans another work', async () => {
  const writer = await e2e.visit();
  const invitee = await e2e.visit();
  try {
    await screenshotOnFailure(writer.page, 'co-creators-writer', async () => {
      const page = writer.page;
      await logInThroughForm(page, 'rowan_writes');
      await page.goto(`/works/${sharedId}`);
      await Promise.all([page.waitForURL(/\/creators$/), page.getByRole('link', { name: 'Co-creators' }).click()]);
      await expectNoSeriousA11yViolations(page);
      await page.getByLabel('Pseud or login').fill('nobody_by_that_name');
      await submit(page, 'Send invitation');
      await page.getByText('There is no pseud or user called “nobody_by_that_name”').first().waitFor();
      assert.equal(await page.getByLabel('Pseud or login').inputValue(), 'nobody_by_that_name');
      await expectNoSeriousA11yViolations(page);
      await page.getByLabel('Pseud or login').fill('sage_writes');
      await submit(page, 'Send invitation');
      await page.getByText('sage_writes was invited. They are credited once they accept.').waitFor();
      await page.getByRole('heading', { name: 'Invited, not answered yet' }).waitFor();
    });

    await screenshotOnFailure(invitee.page, 'co-creators-invitee', async () => {
      const page = invitee.page;
      await logInThroughForm(page, 'sage_writes');
      // Not credited until accepted.
      const early = await page.goto(`/works/${sharedId}/edit`);
      assert.equal(early?.status(), 403);
      await page.goto('/co_creator_invitations');
      await expectNoSeriousA11yViolations(page);
      await Promise.all([page.waitForURL(new RegExp(`/works/${sharedId}$`)), page.getByRole('button', { name: /^Accept/ }).click()]);
      await page.getByText('You are now a creator of “Two Hands, One Map”.').waitFor();
      await page.locator('a[rel="author"]', { hasText: 'sage_writes' }).first().waitFor();

      await page.goto(`/works/${sharedId}/edit`);
      await page.getByLabel('Work title').fill('Two Hands, One Map, Redrawn');
      await Promise.all([page.waitForURL(new RegExp(`/works/${sharedId}$`)), page.getByRole('button', { name: 'Save changes' }).click()]);
      await page.getByText('Two Hands, One Map, Redrawn').first().waitFor();

      await page.goto(`/works/${sharedId}/creators`);
      await expectNoSeriousA11yViolations(page);
      await Promise.all([
        page.waitForURL(new RegExp(`/works/${sharedId}$`)),
        page.getByRole('button', { name: 'Remove me as a creator' }).click(),
      ]);
      await page.getByText('You are no longer a creator of “Two Hands, One Map, Redrawn”.').waitFor();
      const after = await page.goto(`/works/${sharedId}/edit`);
      assert.equal(after?.status(), 403);
      await fitsPhone(page, ['/co_creator_invitations']);
    });

    await screenshotOnFailure(writer.page, 'co-creators-orphan', async () => {
      const page = writer.page;
      await page.goto(`/works/${orphanId}/edit`);
      await Promise.all([page.waitForURL(/\/orphan$/), page.getByRole('link', { name: 'Orphan this work' }).click()]);
      await page.getByText('Orphaning cannot be undone.').waitFor();
      await expectNoSeriousA11yViolations(page);
      await saveScreenshot(page, 'orphan-confirm-1280');
      await fitsPhone(page, [`/works/${orphanId}/orphan`, `/works/${sharedId}/creators`, '/orphans']);
      await page.goto(`/works/${orphanId}/orphan`);
      await page.getByLabel(/Keep my pseud’s name/).check();
      await Promise.all([
        page.waitForURL(new RegExp(`/works/${orphanId}$`)),
        page.getByRole('button', { name: 'Yes, orphan this work' }).click(),
      ]);
      await page.getByText('“Letters Left Behind” was orphaned.').waitFor();
      await page.locator('a[rel="author"]', { hasText: 'rowan_writes (orphan_account)' }).first().waitFor();
      await expectNoSeriousA11yViolations(page);
      const edit = await page.goto(`/works/${orphanId}/edit`);
      assert.equal(edit?.status(), 403);
    });
    assert.deepEqual(writer.pageErrors, []);
    assert.deepEqual(invitee.pageErrors, []);
  } finally {
    await writer.context.close();
    await invitee.context.close();
  }
});
