import assert from 'node:assert/strict';
import { test } from 'node:test';
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

let workId = 0;
let maskedWork = 0;
let masked: TestVisitor;

const e2e = useArchiveAndBrowser({}, async (archive) => {
  const writer = await new TestVisitor(archive.app).signUp('fest_runner', DEFAULT_PASSWORD);
  const posted = await writer.post('/works', buildWorkForm({ title: 'Lanterns on the Pier', freeforms: 'Summer' }));
  assert.equal(posted.statusCode, 303);
  workId = Number(/(\d+)$/.exec(String(posted.headers.location))![1]);
  masked = await new TestVisitor(archive.app).signUp('masked_writer', DEFAULT_PASSWORD);
  const draft = await masked.post('/works', buildWorkForm({ title: 'Moths Around The Lamp', action: 'draft' }));
  maskedWork = Number(/(\d+)$/.exec(String(draft.headers.location))![1]);
});

test('a creator starts a collection, adds a work from its page, and finds it in the collection’s listing', async () => {
  const { context, page, pageErrors } = await e2e.visit();
  try {
    await screenshotOnFailure(page, 'collections', async () => {
      await logInThroughForm(page, 'fest_runner');
      await page.goto('/collections/new');
      await expectNoSeriousA11yViolations(page);
      await page.getByLabel('Name', { exact: true }).fill('pier fest');
      await page.getByLabel('Display title').fill('Pier Fest');
      await page.getByLabel('Brief description').fill('Stories by the <em>sea</em>.');
      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Create collection' }).click()]);
      // A name with a space is refused, with the typing kept.
      await page.getByText('Use 3 to 64 letters, digits or underscores for the name').first().waitFor();
      assert.equal(await page.getByLabel('Display title').inputValue(), 'Pier Fest');
      await expectNoSeriousA11yViolations(page);
      await page.getByLabel('Name', { exact: true }).fill('pier_fest');
      await Promise.all([page.waitForURL(/\/collections\/pier_fest$/), page.getByRole('button', { name: 'Create collection' }).click()]);
      await page.getByRole('heading', { level: 1, name: 'Pier Fest' }).waitFor();
      assert.equal(await page.locator('.userstuff em').textContent(), 'sea');

      await page.goto(`/works/${workId}`);
      await Promise.all([page.waitForURL(/\/collection_items\/new/), page.getByRole('link', { name: 'Add to collection' }).click()]);
      await expectNoSeriousA11yViolations(page);
      await page.getByLabel('Collection name').fill('pier_fest');
      await Promise.all([page.waitForURL(/\/collections\/pier_fest$/), page.getByRole('button', { name: 'Add to collection' }).click()]);
      await page.getByText('The work was added to the collection.').waitFor();
      await expectNoSeriousA11yViolations(page);

      await Promise.all([
        page.waitForURL(/\/collections\/pier_fest\/works$/),
        page.getByRole('link', { name: 'Works', exact: true }).last().click(),
      ]);
      await page.locator('.blurb-title a', { hasText: 'Lanterns on the Pier' }).waitFor();
      await expectNoSeriousA11yViolations(page);
      await saveScreenshot(page, 'collection-works-1280');

      // The maintainer's queue and the creator's own list of items pass axe too.
      for (const path of ['/collections/pier_fest/items', '/users/fest_runner/collection_items', '/collections']) {
        await page.goto(path);
        await expectNoSeriousA11yViolations(page);
      }
      assert.equal(await page.getByRole('link', { name: 'Pier Fest' }).count(), 1, 'the collection is in the index');

      await page.setViewportSize({ width: 390, height: 844 });
      for (const path of [
        '/collections/pier_fest/works',
        '/collections/pier_fest',
        '/collections/pier_fest/edit',
        '/users/fest_runner/collection_items',
      ]) {
        await page.goto(path);
        assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390, `no sideways scrolling at 390 px on ${path}`);
        await expectNoSeriousA11yViolations(page);
      }
      await saveScreenshot(page, 'collection-edit-390');
    });
    assert.deepEqual(pageErrors, []);
  } finally {
    await context.close();
  }
});

test('a maintainer runs an anonymous, unrevealed collection: readers see a mystery work until the reveal button', async () => {
  const owner = await e2e.visit();
  const reader = await e2e.visit();
  try {
    await screenshotOnFailure(owner.page, 'collections-reveal', async () => {
      const { page } = owner;
      await logInThroughForm(page, 'fest_runner');
      await page.goto('/collections/new');
      await page.getByLabel('Name', { exact: true }).fill('moth_fest');
      await page.getByLabel('Display title').fill('Moth Fest');
      await page.getByRole('checkbox', { name: /Anonymous: readers/ }).check();
      await page.getByRole('checkbox', { name: /Unrevealed: readers/ }).check();
      await Promise.all([page.waitForURL(/\/collections\/moth_fest$/), page.getByRole('button', { name: 'Create collection' }).click()]);
      await page.getByText('When the maintainers reveal it').waitFor();
      await expectNoSeriousA11yViolations(page);

      // The writer sends the draft in, then posts it (through the forms, outside the browser).
      assert.equal((await masked.post('/collection_items', { collection: 'moth_fest', work_id: String(maskedWork) })).statusCode, 303);
      assert.equal((await masked.post(`/works/${maskedWork}/post`)).statusCode, 303);

      const guest = reader.page;
      for (const path of [`/works/${maskedWork}`, '/collections/moth_fest/works', '/works']) {
        await guest.goto(path);
        const text = (await guest.locator('main').textContent()) ?? '';
        assert.ok(!text.includes('masked_writer') && !text.includes('Moths Around The Lamp'), `${path} keeps the secret`);
        assert.ok(text.includes('Mystery work'), `${path} shows a mystery work`);
        await expectNoSeriousA11yViolations(guest);
      }
      await guest.setViewportSize({ width: 390, height: 844 });
      await guest.goto(`/works/${maskedWork}`);
      assert.ok((await guest.evaluate(() => document.documentElement.scrollWidth)) <= 390, 'the mystery page fits 390 px');
      await saveScreenshot(guest, 'mystery-work-390');

      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto('/collections/moth_fest');
      assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390, 'the reveal section fits 390 px');
      await expectNoSeriousA11yViolations(page);
      await Promise.all([page.waitForURL(/\/collections\/moth_fest$/), page.getByRole('button', { name: 'Reveal now' }).click()]);
      await page.getByText('Revealed: readers now see the works of this collection and their creators.').waitFor();
      await expectNoSeriousA11yViolations(page);

      await guest.goto(`/works/${maskedWork}`);
      await guest.getByRole('heading', { name: 'Moths Around The Lamp' }).waitFor();
      await guest.getByRole('link', { name: 'masked_writer' }).first().waitFor();
      await expectNoSeriousA11yViolations(guest);
    });
    assert.deepEqual(owner.pageErrors, []);
    assert.deepEqual(reader.pageErrors, []);
  } finally {
    await owner.context.close();
    await reader.context.close();
  }
});
