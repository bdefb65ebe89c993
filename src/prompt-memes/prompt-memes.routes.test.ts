import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp, TestVisitor } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { workIdOf } from '../../test/staff.ts';

const promptIdOf = (location: unknown) => Number(/\/prompts\/(\d+)$/.exec(String(location))![1]);

describe('prompt memes: prompts (optionally anonymous), claims, fills that link back, filtered listings', () => {
  let t: TestApp;
  let mod: TestVisitor;
  let prompter: TestVisitor;
  let writer: TestVisitor;
  let other: TestVisitor;
  const guest = () => new TestVisitor(t.app);
  const listed = (html: string) => [...html.matchAll(/<li class="blurb" id="prompt_(\d+)"/g)].map((m) => Number(m[1]));

  const postPrompt = async (visitor: TestVisitor, form: Record<string, string>, collection = 'meme_fest') => {
    const r = await visitor.post(`/collections/${collection}/prompts`, { title: 'A Prompt', fandoms: 'Meme Fandom', ...form });
    assert.equal(r.statusCode, 303, r.body.slice(0, 800));
    return promptIdOf(r.headers.location);
  };
  const postWork = async (visitor: TestVisitor, overrides: Record<string, string> = {}) => {
    const r = await visitor.post('/works', buildWorkForm(overrides));
    assert.equal(r.statusCode, 303, r.body.slice(0, 300));
    return workIdOf(r.headers.location);
  };

  before(async () => {
    t = await createTestApp({ PAGE_CACHE: 'off' });
    mod = await new TestVisitor(t.app).signUp('meme_mod');
    prompter = await new TestVisitor(t.app).signUp('meme_prompter');
    writer = await new TestVisitor(t.app).signUp('meme_writer');
    other = await new TestVisitor(t.app).signUp('meme_other');
    for (const [name, extra] of [
      ['meme_fest', {}],
      ['meme_moderated', { moderated: '1' }],
    ] as const) {
      const r = await mod.post('/collections', { name, title: `Fest ${name}`, description: '', rules: '', faq: '', ...extra });
      assert.equal(r.statusCode, 303, r.body.slice(0, 300));
    }
  });
  after(() => t.close());

  it('lets only maintainers start the meme (audited); without one the listing is 404 to others', async () => {
    assert.equal((await guest().get('/collections/meme_fest/prompts')).statusCode, 404);
    assert.equal((await other.post('/collections/meme_fest/prompt_meme', { prompts_open: '1' })).statusCode, 403);
    assert.equal((await guest().post('/collections/meme_fest/prompt_meme', { prompts_open: '1' })).statusCode, 401);
    const page = await mod.get('/collections/meme_fest/prompts');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Start the prompt meme/);
    for (const name of ['meme_fest', 'meme_moderated'])
      assert.equal((await mod.post(`/collections/${name}/prompt_meme`, { prompts_open: '1' })).statusCode, 303);
    assert.equal((await guest().get('/collections/meme_fest/prompts')).statusCode, 200);
    const audit = await t.db.selectFrom('audit_log').select('action').where('action', 'like', 'prompt_meme.%').execute();
    assert.equal(audit.length, 2);
  });

  it('posts a prompt with archive tags and a sanitized description; refuses bad forms with the typing kept', async () => {
    const id = await postPrompt(prompter, {
      title: 'Coffee shop AU',
      characters: 'Alice, Bob',
      relationships: 'Alice/Bob',
      freeforms: 'Fluff',
      description: '<p>Please <b>fluff</b></p><script>alert(1)</script>',
    });
    const page = await guest().get(`/prompts/${id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Coffee shop AU/);
    assert.match(page.body, /<b>fluff<\/b>/);
    assert.doesNotMatch(page.body, /alert\(1\)/);
    assert.match(page.body, /Prompt by <a href="\/users\/meme_prompter">meme_prompter<\/a>/);
    for (const tag of ['Meme Fandom', 'Alice', 'Alice/Bob', 'Fluff']) assert.ok(page.body.includes(`>${tag}</a>`), tag);
    const tag = await t.db.selectFrom('tags').select('type').where('name', '=', 'Alice/Bob').executeTakeFirstOrThrow();
    assert.equal(tag.type, 'relationship');
    const bad = await prompter.post('/collections/meme_fest/prompts', { title: 'Kept <Title>', fandoms: '', description: 'kept text' });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /Add at least one fandom/);
    assert.match(bad.body, /value="Kept &lt;Title>"/);
    assert.match(bad.body, /kept text/);
    assert.equal((await guest().post('/collections/meme_fest/prompts', { title: 'x', fandoms: 'y' })).statusCode, 401);
    assert.equal((await prompter.post('/collections/no_such_meme/prompts', { title: 'x', fandoms: 'y' })).statusCode, 404);
  });

  it('hides an anonymous prompter from everyone but themselves, marks it for maintainers, and edits and deletes', async () => {
    const id = await postPrompt(prompter, { title: 'Secret wish', anonymous: '1' });
    for (const visitor of [guest(), other, mod]) {
      const body = (await visitor.get(`/prompts/${id}`)).body;
      assert.match(body, /Prompt by Anonymous/);
      assert.doesNotMatch(body, /meme_prompter/);
      const list = (await visitor.get('/collections/meme_fest/prompts')).body;
      assert.doesNotMatch(list.slice(list.indexOf(`prompt_${id}`), list.indexOf('</li>', list.indexOf(`prompt_${id}`))), /meme_prompter/);
    }
    assert.match((await mod.get(`/prompts/${id}`)).body, /\(posted anonymously\)/);
    assert.match((await prompter.get(`/prompts/${id}`)).body, /meme_prompter<\/a> \(you, posted anonymously/);
    assert.equal((await other.post(`/prompts/${id}`, { title: 'Hijack', fandoms: 'X' })).statusCode, 403);
    assert.equal((await other.get(`/prompts/${id}/edit`)).statusCode, 403);
    const edit = await prompter.get(`/prompts/${id}/edit`);
    assert.match(edit.body, /value="Meme Fandom"/);
    const saved = await prompter.post(`/prompts/${id}`, { title: 'Secret wish, edited', fandoms: 'Meme Fandom', anonymous: '1' });
    assert.equal(saved.statusCode, 303);
    assert.match((await guest().get(`/prompts/${id}`)).body, /Secret wish, edited/);
    const badEdit = await prompter.post(`/prompts/${id}`, { title: '', fandoms: 'Meme Fandom' });
    assert.equal(badEdit.statusCode, 422);
    assert.match(badEdit.body, /Give the prompt a title/);
    assert.equal((await other.post(`/prompts/${id}/delete`)).statusCode, 403);
    assert.equal((await mod.post(`/prompts/${id}/delete`)).statusCode, 303);
    assert.equal((await guest().get(`/prompts/${id}`)).statusCode, 404);
    const audit = await t.db.selectFrom('audit_log').select(['action', 'actor_login']).where('action', '=', 'prompt.delete').execute();
    assert.deepEqual(audit, [{ action: 'prompt.delete', actor_login: 'meme_mod' }]);
    const own = await postPrompt(prompter, { title: 'Mine to delete' });
    assert.equal((await prompter.post(`/prompts/${own}/delete`)).statusCode, 303);
    assert.equal(
      (await t.db.selectFrom('audit_log').select('id').where('action', '=', 'prompt.delete').execute()).length,
      1,
      'own deletes are not audited',
    );
  });

  it('claims (several people), unclaims, and fills with an own posted work that joins the collection and links back', async () => {
    const id = await postPrompt(prompter, { title: 'Fill me', anonymous: '1' });
    assert.equal((await guest().post(`/prompts/${id}/claim`)).statusCode, 401);
    assert.equal((await writer.post(`/prompts/${id}/claim`)).statusCode, 303);
    assert.equal((await other.post(`/prompts/${id}/claim`)).statusCode, 303);
    let page = (await guest().get(`/prompts/${id}`)).body;
    assert.match(page, /meme_writer/);
    assert.match(page, /meme_other/);
    assert.equal((await other.post(`/prompts/${id}/unclaim`)).statusCode, 303);
    assert.equal((await other.post(`/prompts/${id}/unclaim`)).statusCode, 422);
    assert.doesNotMatch((await guest().get(`/prompts/${id}`)).body, /meme_other/);

    const draft = await postWork(writer, { title: 'Draft Fill', action: 'draft' });
    const othersWork = await postWork(other, { title: 'Not Yours' });
    const work = await postWork(writer, { title: 'The Fill' });
    const refusedDraft = await writer.post(`/prompts/${id}/fills`, { work_id: String(draft) });
    assert.equal(refusedDraft.statusCode, 422);
    assert.match(refusedDraft.body, /This work is a draft: post it first/);
    assert.match(refusedDraft.body, new RegExp(`value="${draft}"`));
    const notOwn = await writer.post(`/prompts/${id}/fills`, { work_id: String(othersWork) });
    assert.equal(notOwn.statusCode, 422);
    assert.match(notOwn.body, /There is no work \d+ of yours/);
    const unclaimed = await other.post(`/prompts/${id}/fills`, { work_id: String(othersWork) });
    assert.equal(unclaimed.statusCode, 422);
    assert.match(unclaimed.body, /Claim this prompt before filling it/);
    assert.equal((await writer.post(`/prompts/${id}/fills`, { work_id: 'abc' })).statusCode, 422);
    assert.equal((await writer.post(`/prompts/${id}/fills`, { work_id: String(work) })).statusCode, 303);
    assert.equal((await writer.post(`/prompts/${id}/fills`, { work_id: String(work) })).statusCode, 422, 'once only');

    page = (await guest().get(`/prompts/${id}`)).body;
    assert.match(page, new RegExp(`<a href="/works/${work}">The Fill</a> by meme_writer`));
    const workPage = (await guest().get(`/works/${work}`)).body;
    assert.match(
      workPage,
      /In response to a prompt \(<a href="\/prompts\/\d+">Fill me<\/a>\) by Anonymous in <a href="\/collections\/meme_fest">Fest meme_fest<\/a>/,
    );
    assert.doesNotMatch(workPage, /meme_prompter/);
    const item = await t.db
      .selectFrom('collection_items')
      .innerJoin('collections', 'collections.id', 'collection_items.collection_id')
      .select(['collection_approval', 'creator_approval'])
      .where('work_id', '=', work)
      .where('collections.name', '=', 'meme_fest')
      .executeTakeFirstOrThrow();
    assert.deepEqual(item, { collection_approval: 'approved', creator_approval: 'approved' });
    const inbox = await t.db
      .selectFrom('inbox_items')
      .innerJoin('users', 'users.id', 'inbox_items.user_id')
      .select(['text', 'url'])
      .where('users.login', '=', 'meme_prompter')
      .where('kind', '=', 'prompt_fill')
      .execute();
    assert.deepEqual(inbox, [
      { text: `meme_writer filled your prompt “Fill me” in Fest meme_fest with “The Fill”.`, url: `/prompts/${id}` },
    ]);
  });

  it('keeps a moderated collection’s approval rule for fills', async () => {
    const id = await postPrompt(prompter, { title: 'Moderated one' }, 'meme_moderated');
    assert.equal((await writer.post(`/prompts/${id}/claim`)).statusCode, 303);
    const work = await postWork(writer, { title: 'Waiting Fill' });
    const r = await writer.post(`/prompts/${id}/fills`, { work_id: String(work) });
    assert.equal(r.statusCode, 303);
    const item = await t.db
      .selectFrom('collection_items')
      .select('collection_approval')
      .where('work_id', '=', work)
      .executeTakeFirstOrThrow();
    assert.equal(item.collection_approval, 'pending');
  });

  it('closes the meme to new prompts with a clear message; claims still work', async () => {
    const id = await postPrompt(prompter, { title: 'Before closing' });
    assert.equal((await mod.post('/collections/meme_moderated/prompt_meme', {})).statusCode, 303);
    const closed = await prompter.post('/collections/meme_moderated/prompts', { title: 'Too late', fandoms: 'X' });
    assert.equal(closed.statusCode, 422);
    assert.match(closed.body, /closed to new prompts/);
    assert.match(closed.body, /value="Too late"/);
    assert.ok(id > 0);
  });

  it('lists newest first with tag, state and own filters, paged, refusing unreadable filters', async () => {
    const fandomA = await postPrompt(other, { title: 'Filter A', fandoms: 'Filter Fandom', freeforms: 'Angst' });
    const fandomB = await postPrompt(other, { title: 'Filter B', fandoms: 'Filter Fandom', freeforms: 'Fluff' });
    const all = listed((await guest().get('/collections/meme_fest/prompts')).body);
    assert.ok(all.indexOf(fandomB) < all.indexOf(fandomA), 'newest first');
    assert.deepEqual(listed((await guest().get('/collections/meme_fest/prompts?tag=filter%20fandom')).body), [fandomB, fandomA]);
    assert.deepEqual(listed((await guest().get('/collections/meme_fest/prompts?tag=Filter+Fandom&exclude_tag=Angst')).body), [fandomB]);
    assert.deepEqual(listed((await guest().get('/collections/meme_fest/prompts?tag=No+Such+Tag')).body), []);
    const filled = listed((await guest().get('/collections/meme_fest/prompts?state=filled')).body);
    assert.ok(filled.length === 1, String(filled));
    const unclaimed = listed((await guest().get('/collections/meme_fest/prompts?state=unclaimed')).body);
    assert.ok(unclaimed.includes(fandomA) && !unclaimed.includes(filled[0]!));
    assert.deepEqual(listed((await writer.get('/collections/meme_fest/prompts?mine=claims')).body), filled);
    assert.deepEqual(listed((await other.get('/collections/meme_fest/prompts?mine=prompts')).body), [fandomB, fandomA]);
    const bad = await guest().get('/collections/meme_fest/prompts?state=done&tag=Kept');
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /state is one of unclaimed, claimed, filled/);
    assert.match(bad.body, /value="Kept"/);
    assert.equal((await guest().get('/collections/meme_fest/prompts?mine=prompts')).statusCode, 422);
    assert.equal((await guest().get('/collections/meme_fest/prompts?page=99')).statusCode, 404);
  });

  it('refuses a user the prompter blocked to claim or fill, with one message that does not say why', async () => {
    const blocked = await new TestVisitor(t.app).signUp('meme_blocked');
    const id = await postPrompt(prompter, { title: 'Not for blocked users' });
    assert.equal((await blocked.post(`/prompts/${id}/claim`)).statusCode, 303);
    const work = await postWork(blocked, { title: 'Blocked Fill' });
    assert.equal((await prompter.post('/users/meme_prompter/blocked', { user: 'meme_blocked', action: 'add' })).statusCode, 303);
    const claim = await blocked.post(`/prompts/${id}/claim`);
    assert.equal(claim.statusCode, 403);
    assert.match(claim.body, /You cannot claim or fill this prompt\./);
    assert.doesNotMatch(claim.body, /blocked you|you are blocked|has blocked/i);
    const fill = await blocked.post(`/prompts/${id}/fills`, { work_id: String(work) });
    assert.equal(fill.statusCode, 403);
    assert.match(fill.body, /You cannot claim or fill this prompt\./);
    assert.match(fill.body, new RegExp(`value="${work}"`));
    const fills = await t.db.selectFrom('prompt_fills').select('id').where('prompt_id', '=', id).execute();
    assert.equal(fills.length, 0);
    assert.equal((await other.post(`/prompts/${id}/claim`)).statusCode, 303);
  });

  it('tells claimants in their inbox when a prompt they claimed is deleted, without naming an anonymous prompter', async () => {
    const id = await postPrompt(prompter, { title: 'Soon Gone', anonymous: '1' });
    for (const v of [writer, other]) assert.equal((await v.post(`/prompts/${id}/claim`)).statusCode, 303);
    assert.equal((await mod.post(`/prompts/${id}/delete`)).statusCode, 303);
    const items = await t.db
      .selectFrom('inbox_items')
      .innerJoin('users', 'users.id', 'inbox_items.user_id')
      .select(['users.login', 'inbox_items.text', 'inbox_items.url'])
      .where('inbox_items.kind', '=', 'prompt_deleted')
      .where('inbox_items.text', 'like', '%Soon Gone%')
      .orderBy('users.login')
      .execute();
    assert.deepEqual(
      items.map((i) => i.login),
      ['meme_other', 'meme_writer'],
    );
    for (const i of items) {
      assert.match(i.text, /The prompt “Soon Gone” you claimed in Fest meme_fest was deleted/);
      assert.doesNotMatch(i.text, /meme_prompter/);
      assert.equal(i.url, '/collections/meme_fest/prompts');
    }
    const inbox = await writer.get('/users/meme_writer/inbox');
    assert.match(inbox.body, /Soon Gone/);
  });

  it('does not count an unrevealed fill as filled in the listing, but for the one who filled with it', async () => {
    const made = await mod.post('/collections', {
      name: 'meme_secret',
      title: 'Secret Fest',
      description: '',
      rules: '',
      faq: '',
      unrevealed: '1',
    });
    assert.equal(made.statusCode, 303, made.body.slice(0, 300));
    assert.equal((await mod.post('/collections/meme_secret/prompt_meme', { prompts_open: '1' })).statusCode, 303);
    const id = await postPrompt(prompter, { title: 'Secret prompt' }, 'meme_secret');
    assert.equal((await writer.post(`/prompts/${id}/claim`)).statusCode, 303);
    const work = await postWork(writer, { title: 'Mystery Fill' });
    assert.equal((await writer.post(`/prompts/${id}/fills`, { work_id: String(work) })).statusCode, 303);
    for (const reader of [guest(), other, prompter]) {
      assert.deepEqual(listed((await reader.get('/collections/meme_secret/prompts?state=filled')).body), []);
      assert.deepEqual(listed((await reader.get('/collections/meme_secret/prompts?state=claimed')).body), [id]);
      assert.doesNotMatch((await reader.get(`/prompts/${id}`)).body, /Mystery Fill/);
    }
    assert.deepEqual(listed((await writer.get('/collections/meme_secret/prompts?state=filled')).body), [id]);
    assert.deepEqual(listed((await writer.get('/collections/meme_secret/prompts?state=claimed')).body), []);
    assert.match((await writer.get(`/prompts/${id}`)).body, /Mystery Fill/);
  });
});
