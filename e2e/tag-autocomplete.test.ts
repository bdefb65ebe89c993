import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TestVisitor } from '../test/app.ts';
import { buildWorkForm } from '../test/factories.ts';
import { expectNoSeriousA11yViolations, screenshotOnFailure, signUpThroughForm, useArchiveAndBrowser } from './harness.ts';

const e2e = useArchiveAndBrowser({}, async (archive) => {
  // A canonical fandom and a synonym of it, as wranglers would leave them. The synonym is a name a
  // posted work uses: a tag no readable work uses and no wrangler made canonical is shown to nobody.
  const db = archive.handle.db;
  const canonical = await db
    .insertInto('tags')
    .values({ type: 'fandom', name: 'The Vampire Diaries (TV)', canonical: true, unwrangled: false, sortable_name: 'vampire diaries (tv)' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const writer = await new TestVisitor(archive.app).signUp('synonym_writer');
  const posted = await writer.post('/works', buildWorkForm({ fandoms: 'Vampire Diaries' }));
  assert.equal(posted.statusCode, 303);
  await db.updateTable('tags').set({ merger_id: canonical.id, unwrangled: false }).where('name', '=', 'Vampire Diaries').execute();
});

test('the fandom field suggests tags, canonical first, and the keyboard picks one', async () => {
  const { context, page, pageErrors } = await e2e.visit();
  try {
    await screenshotOnFailure(page, 'tag-autocomplete', async () => {
      await signUpThroughForm(page, 'ac_author');
      await page.goto('/works/new');
      const field = page.getByRole('combobox', { name: 'Fandoms' });
      await field.waitFor();
      await field.fill('Original Work, vamp');
      const options = page.getByRole('listbox', { name: 'Suggestions' }).getByRole('option');
      await options.first().waitFor();
      assert.deepEqual(await options.allTextContents(), ['The Vampire Diaries (TV)', 'Vampire Diaries → The Vampire Diaries (TV)']);
      assert.equal(await field.getAttribute('aria-expanded'), 'true');
      await expectNoSeriousA11yViolations(page);
      // The synonym, chosen with the keyboard, inserts its canonical; Enter does not submit the form.
      await field.press('ArrowDown');
      await field.press('ArrowDown');
      assert.match((await field.getAttribute('aria-activedescendant')) ?? '', /option-1$/);
      await field.press('Enter');
      assert.equal(await field.inputValue(), 'Original Work, The Vampire Diaries (TV), ');
      assert.equal(await field.getAttribute('aria-expanded'), 'false');
      assert.equal(new URL(page.url()).pathname, '/works/new');
    });
    assert.deepEqual(pageErrors, []);
  } finally {
    await context.close();
  }
});
