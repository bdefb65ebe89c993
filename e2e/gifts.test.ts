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

let originalId = 0;

const e2e = useArchiveAndBrowser({}, async (archive) => {
  await new TestVisitor(archive.app).signUp('gift_writer', DEFAULT_PASSWORD);
  await new TestVisitor(archive.app).signUp('gift_reader', DEFAULT_PASSWORD);
  const author = await new TestVisitor(archive.app).signUp('first_author', DEFAULT_PASSWORD);
  const posted = await author.post('/works', buildWorkForm({ title: 'The Lighthouse Keeper' }));
  assert.equal(posted.statusCode, 303);
  originalId = Number(/(\d+)$/.exec(String(posted.headers.location))![1]);
});

const fitsPhone = async (page: Page, path: string) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(path);
  assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390, `no sideways scrolling at 390 px on ${path}`);
  await expectNoSeriousA11yViolations(page);
  await page.setViewportSize({ width: 1280, height: 900 });
};

test('a writer gifts a translation; the recipient sees and refuses the gift; the original’s author approves the link', async () => {
  const writer = await e2e.visit();
  const reader = await e2e.visit();
  const author = await e2e.visit();
  try {
    let workPath = '';
    await screenshotOnFailure(writer.page, 'gifts-writer', async () => {
      const page = writer.page;
      await logInThroughForm(page, 'gift_writer');
      await page.goto('/works/new');
      await expectNoSeriousA11yViolations(page);
      const field = (name: string) => page.locator(`form [name="${name}"]`);
      await field('title').fill('Le Gardien du Phare');
      await field('fandoms').fill('Original Work');
      await field('rating').selectOption('General Audiences');
      await page.locator('form input[name="warnings"][value="No Archive Warnings Apply"]').check();
      await field('body').fill('Le phare brillait toute la nuit.');
      await page.getByLabel('Gift this work to').fill('gift_reader');
      await page.getByLabel('This work is').selectOption('translation_of');
      // An address that is not http(s) is refused, with everything typed kept.
      await page.getByLabel('Of the work at').fill('javascript:alert(1)');
      await Promise.all([page.waitForLoadState('load'), page.locator('form button[name="action"][value="post"]').click()]);
      await page.getByText('must start with http:// or https://').first().waitFor();
      assert.equal(await page.getByLabel('Gift this work to').inputValue(), 'gift_reader');
      assert.equal(await field('title').inputValue(), 'Le Gardien du Phare');
      await expectNoSeriousA11yViolations(page);
      await page.getByLabel('Of the work at').fill(String(originalId));
      await Promise.all([page.waitForURL(/\/works\/\d+$/), page.locator('form button[name="action"][value="post"]').click()]);
      workPath = new URL(page.url()).pathname;
      await page.locator('.work-gifts', { hasText: 'For gift_reader.' }).waitFor();
      await page.locator('.related-parents', { hasText: 'This work is a translation of The Lighthouse Keeper by first_author' }).waitFor();
      await expectNoSeriousA11yViolations(page);
      await saveScreenshot(page, 'gift-work-1280');
      await fitsPhone(page, workPath);
      await fitsPhone(page, `${workPath}/edit`);
    });

    await screenshotOnFailure(reader.page, 'gifts-reader', async () => {
      const page = reader.page;
      await logInThroughForm(page, 'gift_reader');
      await page.goto('/users/gift_reader/inbox');
      await page.getByText('gift_writer gave you a gift: “Le Gardien du Phare”').first().waitFor();
      await page.goto('/users/gift_reader/gifts');
      await page.getByRole('heading', { level: 1, name: 'Gifts for you' }).waitFor();
      await page.locator('.blurb', { hasText: 'Le Gardien du Phare' }).waitFor();
      await expectNoSeriousA11yViolations(page);
      await fitsPhone(page, '/users/gift_reader/gifts');
      await Promise.all([
        page.waitForURL(/\/users\/gift_reader\/gifts$/),
        page.getByRole('button', { name: 'Refuse gift of Le Gardien du Phare' }).click(),
      ]);
      await page.getByText('You refused the gift').first().waitFor();
      assert.equal(await page.locator('.blurb', { hasText: 'Le Gardien du Phare' }).count(), 0);
      await page.getByText('No one has given you a work yet.').waitFor();
      await expectNoSeriousA11yViolations(page);
      await page.goto(workPath);
      assert.equal(await page.locator('.work-gifts').count(), 0, 'the work is no longer shown as for them');
    });

    await screenshotOnFailure(author.page, 'gifts-author', async () => {
      const page = author.page;
      await logInThroughForm(page, 'first_author');
      await page.goto(`/works/${originalId}`);
      assert.equal(await page.locator('.related-children').count(), 0, 'not shown before it is approved');
      await page.goto('/users/first_author/inbox');
      await Promise.all([
        page.waitForURL(/\/related_works$/),
        page
          .getByRole('link', { name: /posted “Le Gardien du Phare”, a translation of your work/ })
          .first()
          .click(),
      ]);
      await expectNoSeriousA11yViolations(page);
      await fitsPhone(page, '/users/first_author/related_works');
      await Promise.all([
        page.waitForURL(/\/related_works$/),
        page.getByRole('button', { name: 'Approve the link from Le Gardien du Phare' }).click(),
      ]);
      await page.getByText('The link is approved').first().waitFor();
      await expectNoSeriousA11yViolations(page);
      await page.goto(`/works/${originalId}`);
      await page.locator('.related-children', { hasText: 'Le Gardien du Phare by gift_writer, a translation of this work.' }).waitFor();
      await expectNoSeriousA11yViolations(page);
      await saveScreenshot(page, 'related-parent-1280');
    });
    assert.deepEqual([...writer.pageErrors, ...reader.pageErrors, ...author.pageErrors], []);
  } finally {
    await writer.context.close();
    await reader.context.close();
    await author.context.close();
  }
});
