import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { workIdOf } from '../../test/staff.ts';

describe('related works: a translation, remix, podfic or inspiration, approved by the parent’s creators', () => {
  let t: TestApp;
  let original: TestVisitor;
  let translator: TestVisitor;
  let other: TestVisitor;
  const guest = () => new TestVisitor(t.app);
  const post = async (visitor: TestVisitor, overrides: Record<string, string | string[]> = {}) => {
    const r = await visitor.post('/works', buildWorkForm(overrides));
    assert.equal(r.statusCode, 303, r.body.slice(0, 800));
    return workIdOf(r.headers.location);
  };
  const linkOf = async (child: number) =>
    await t.db.selectFrom('related_works').select(['id', 'status']).where('work_id', '=', child).executeTakeFirstOrThrow();

  before(async () => {
    t = await createTestApp({ PAGE_CACHE: 'off' });
    original = await new TestVisitor(t.app).signUp('rel_original');
    translator = await new TestVisitor(t.app).signUp('rel_translator');
    other = await new TestVisitor(t.app).signUp('rel_other');
  });
  after(() => t.close());

  it('links a translation to a work here: the child shows it at once, the parent once its creator approves', async () => {
    const parent = await post(original, { title: 'The Original' });
    const child = await post(translator, {
      title: 'La Traduction',
      related_relation: 'translation_of',
      related_url: `http://archive.test/works/${parent}/chapters/1`,
    });
    assert.match((await guest().get(`/works/${child}`)).body, /This work is a translation of <a href="\/works\/\d+">The Original<\/a> by/);
    assert.doesNotMatch((await guest().get(`/works/${parent}`)).body, /La Traduction/);
    const inbox = await t.db
      .selectFrom('inbox_items')
      .innerJoin('users', 'users.id', 'inbox_items.user_id')
      .select(['inbox_items.text', 'inbox_items.url'])
      .where('users.login', '=', 'rel_original')
      .where('inbox_items.kind', '=', 'related_work')
      .execute();
    assert.equal(inbox.length, 1);
    assert.equal(inbox[0]!.url, '/users/rel_original/related_works');
    const page = await original.get('/users/rel_original/related_works');
    assert.match(page.body, /La Traduction<\/a> is a translation of/);
    const link = await linkOf(child);
    assert.equal((await other.post(`/related_works/${link.id}/approve`)).statusCode, 403);
    assert.equal((await translator.post(`/related_works/${link.id}/approve`)).statusCode, 403, 'the child’s creator does not approve');
    assert.equal((await other.get('/users/rel_original/related_works')).statusCode, 403);
    assert.equal((await guest().get('/users/rel_original/related_works')).statusCode, 401);
    assert.equal((await original.post(`/related_works/${link.id}/approve`)).statusCode, 303);
    assert.match((await guest().get(`/works/${parent}`)).body, /La Traduction<\/a> by .*a translation of this work/);
    assert.equal((await original.post(`/related_works/${link.id}/remove`)).statusCode, 303);
    assert.doesNotMatch((await guest().get(`/works/${parent}`)).body, /La Traduction/);
    assert.equal((await original.post('/related_works/999999/remove')).statusCode, 404);
  });

  it('links a work elsewhere by http(s) only, escaped, with its title required', async () => {
    const noTitle = await translator.post(
      '/works',
      buildWorkForm({ title: 'Kept', related_relation: 'podfic_of', related_url: 'https://example.org/a' }),
    );
    assert.equal(noTitle.statusCode, 422);
    assert.match(noTitle.body, /Give the title of the work elsewhere/);
    assert.match(noTitle.body, /value="https:\/\/example.org\/a"/);
    const script = await translator.post(
      '/works',
      buildWorkForm({ related_relation: 'remix_of', related_url: 'javascript:alert(1)', related_title: 'X' }),
    );
    assert.equal(script.statusCode, 422);
    assert.match(script.body, /must start with http:\/\/ or https:\/\//);
    const noRelation = await translator.post('/works', buildWorkForm({ related_url: 'https://example.org/a' }));
    assert.equal(noRelation.statusCode, 422);
    assert.match(noRelation.body, /Choose how this work is related/);
    const child = await post(translator, {
      title: 'A Remix',
      related_relation: 'remix_of',
      related_url: 'https://example.org/story?a=1&b="2"',
      related_title: '<b>Bold</b> Title',
      related_creator: 'Someone <i>',
    });
    const page = (await guest().get(`/works/${child}`)).body;
    assert.match(
      page,
      /a remix of <a href="https:\/\/example.org\/story\?a=1&amp;b=%222%22" rel="nofollow ugc noopener noreferrer">&lt;b>Bold&lt;\/b> Title<\/a> by Someone &lt;i> \(elsewhere\)/,
    );
  });

  it('never links or shows a work the viewer may not read: drafts, restricted works to guests', async () => {
    const draft = await post(original, { title: 'Secret Draft', action: 'draft' });
    const refused = await translator.post('/works', buildWorkForm({ related_relation: 'inspired_by', related_url: String(draft) }));
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, new RegExp(`There is no work ${draft} on this archive that you can read`));
    const restricted = await post(original, { title: 'Members Only', restricted: '1' });
    const child = await post(translator, { title: 'Inspired Child', related_relation: 'inspired_by', related_url: `/works/${restricted}` });
    assert.doesNotMatch((await guest().get(`/works/${child}`)).body, /Members Only/);
    assert.match((await other.get(`/works/${child}`)).body, /inspired by <a href="\/works\/\d+">Members Only/);
    // A draft child is not shown to the parent's creator, and they are told only once it is posted.
    const draftChild = await post(translator, {
      title: 'Draft Child',
      action: 'draft',
      related_relation: 'inspired_by',
      related_url: String(restricted),
    });
    assert.doesNotMatch((await original.get('/users/rel_original/related_works')).body, /Draft Child/);
    const link = await linkOf(draftChild);
    assert.equal((await original.post(`/related_works/${link.id}/approve`)).statusCode, 404);
  });

  it('does not name the creators of a work in an anonymous collection, nor show one in an unrevealed collection', async () => {
    const created = await original.post('/collections', { name: 'rel_masks', title: 'Masks', anonymous: '1' });
    assert.equal(created.statusCode, 303, created.body.slice(0, 300));
    const hiddenParent = await post(original, { title: 'Masked Original', gifts: 'rel_other' });
    assert.equal((await original.post('/collection_items', { collection: 'rel_masks', work_id: String(hiddenParent) })).statusCode, 303);
    const child = await post(translator, { title: 'Masked Child', related_relation: 'translation_of', related_url: String(hiddenParent) });
    const page = (await other.get(`/works/${child}`)).body;
    assert.match(page, /a translation of <a href="\/works\/\d+">Masked Original<\/a> by Anonymous\./);
    assert.doesNotMatch(page.slice(page.indexOf('related-parents')), /rel_original/);
    const told = await t.db
      .selectFrom('inbox_items')
      .innerJoin('users', 'users.id', 'inbox_items.user_id')
      .select('inbox_items.text')
      .where('users.login', '=', 'rel_other')
      .where('inbox_items.kind', '=', 'gift')
      .execute();
    assert.ok(
      told.some((i) => i.text.startsWith('rel_original gave you a gift: “Masked Original”')),
      'told before it joined the collection',
    );
    const later = await post(original, { title: 'Masked Later' });
    assert.equal((await original.post('/collection_items', { collection: 'rel_masks', work_id: String(later) })).statusCode, 303);
    const saved = await original.post(`/works/${later}`, buildWorkForm({ title: 'Masked Later', gifts: 'rel_other' }));
    assert.equal(saved.statusCode, 303);
    const after = await t.db
      .selectFrom('inbox_items')
      .innerJoin('users', 'users.id', 'inbox_items.user_id')
      .select(['inbox_items.text', 'inbox_items.actor_user_id'])
      .where('users.login', '=', 'rel_other')
      .where('inbox_items.text', 'like', '%Masked Later%')
      .executeTakeFirstOrThrow();
    assert.match(after.text, /^An anonymous creator gave you a gift/);
    assert.equal(after.actor_user_id, null);
    const gifts = (await other.get('/users/rel_other/gifts')).body;
    assert.match(gifts, /Masked Later/);
    assert.doesNotMatch(gifts.slice(gifts.indexOf('Masked Later')), /rel_original/);
  });

  it('lists the links on the edit form and removes the ones ticked; a creator’s link to their own work is approved at once', async () => {
    const mine = await post(original, { title: 'My First' });
    const sequel = await post(original, { title: 'My Second', related_relation: 'inspired_by', related_url: String(mine) });
    assert.equal((await linkOf(sequel)).status, 'approved');
    assert.match((await guest().get(`/works/${mine}`)).body, /My Second/);
    const edit = await original.get(`/works/${sequel}/edit`);
    const link = await linkOf(sequel);
    assert.match(edit.body, new RegExp(`name="related_remove" value="${link.id}"`));
    const saved = await original.post(`/works/${sequel}`, buildWorkForm({ title: 'My Second', related_remove: String(link.id) }));
    assert.equal(saved.statusCode, 303);
    assert.equal(await t.db.selectFrom('related_works').select('id').where('work_id', '=', sequel).executeTakeFirst(), undefined);
  });
});
