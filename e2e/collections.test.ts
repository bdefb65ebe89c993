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

const e2e = useArchiveAndBrowser({}, async (archive) => {
  const writer = await new TestVisitor(archive.app).signUp('fest_runner', DEFAULT_PASSWORD);
  const posted = await writer.post('/works', buildWorkForm({ title: 'Lanterns on the Pier', freeforms: 'Summer' }));
  assert.equal(posted.statusCode, 303);
  workId = Number(/(\d+)$/.exec(String(posted.headers.location))![1]);
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
