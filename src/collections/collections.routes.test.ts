import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { workIdOf } from '../../test/staff.ts';

/** The ids of the works listed on a page, in order. */
function listedIds(html: string): number[] {
  return [...html.matchAll(/<li class="blurb" id="work_(\d+)"/g)].map((m) => Number(m[1]));
}

describe('collections: owners and moderators, open or closed, moderated or not, listed like any listing', () => {
  let t: TestApp;
  let owner: TestVisitor;
  let writer: TestVisitor;
  let moderator: TestVisitor;
  const guest = () => new TestVisitor(t.app);
  const works: Record<string, number> = {};

  const post = async (visitor: TestVisitor, key: string, overrides: Record<string, string | string[]> = {}) => {
    const r = await visitor.post('/works', buildWorkForm({ title: `Work ${key}`, ...overrides }));
    assert.equal(r.statusCode, 303, r.body.slice(0, 300));
    works[key] = workIdOf(r.headers.location);
  };
  const create = async (visitor: TestVisitor, form: Record<string, string>) => {
    const r = await visitor.post('/collections', { title: 'A Collection', description: '', rules: '', faq: '', ...form });
    assert.equal(r.statusCode, 303, r.body.slice(0, 600));
    return String(r.headers.location);
  };
  const add = (visitor: TestVisitor, collection: string, work: number) =>
    visitor.post('/collection_items', { collection, work_id: String(work) });
  const auditActions = async () => (await t.db.selectFrom('audit_log').select('action').orderBy('id').execute()).map((r) => r.action);

  before(async () => {
    t = await createTestApp({ PAGE_CACHE: 'off' });
    owner = await new TestVisitor(t.app).signUp('fest_owner');
    writer = await new TestVisitor(t.app).signUp('fest_writer');
    moderator = await new TestVisitor(t.app).signUp('fest_mod');
    await post(writer, 'open', { freeforms: 'Fluff' });
    await post(writer, 'angst', { freeforms: 'Angst' });
    await post(writer, 'draft', { action: 'draft' });
    await post(writer, 'restricted', { restricted: '1' });
    await post(writer, 'moderated');
    await post(owner, 'owned');
    await post(writer, 'child');
  });
  after(() => t.close());

  it('creates a collection with sanitized text, and keeps the typing with a message when the form is wrong', async () => {
    const bad = await owner.post('/collections', { name: 'has spaces', title: 'Summer Fest', description: 'Kept text' });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /Use 3 to 64 letters, digits or underscores for the name/);
    assert.match(bad.body, /value="has spaces"/);
    assert.match(bad.body, />Kept text<\/textarea>/);
    const guestTry = await guest().post('/collections', { name: 'guest_fest', title: 'X' });
    assert.equal(guestTry.statusCode, 401);
    const location = await create(owner, {
      name: 'summer_fest',
      title: 'Summer Fest',
      description: 'A <b>summer</b> fest<script>alert(1)</script>',
      rules: 'Be kind.',
      faq: 'Q: When? A: June.',
    });
    assert.equal(location, '/collections/summer_fest');
    const page = await guest().get(location);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h1>Summer Fest<\/h1>/);
    assert.match(page.body, /A <b>summer<\/b> fest/);
    assert.doesNotMatch(page.body, /<script>alert/);
    assert.match(page.body, /Be kind\./);
    assert.match(page.body, /Q: When\? A: June\./);
    assert.match(page.body, /fest_owner/);
    assert.doesNotMatch(page.body, /gift exchange|prompt meme|>Prompts</i, 'readers see no challenge the collection does not run');
    const ownersPage = (await owner.get(location)).body;
    assert.match(ownersPage, /href="\/collections\/summer_fest\/exchange\/settings">Set up a gift exchange</);
    assert.match(ownersPage, /href="\/collections\/summer_fest\/prompts">Set up a prompt meme</);
    const taken = await owner.post('/collections', { name: 'SUMMER_FEST', title: 'Again' });
    assert.equal(taken.statusCode, 422);
    assert.match(taken.body, /The name SUMMER_FEST is taken/);
    assert.deepEqual(await auditActions(), ['collection.create']);
    assert.equal((await guest().get('/collections?page=abc')).statusCode, 422);
    assert.equal((await guest().get('/collections?page=9')).statusCode, 404);
    assert.equal(
      (await owner.get(`/collection_items/new?work_id=${works.open}`)).statusCode,
      404,
      'only a work’s creators add it from its page',
    );
    assert.equal((await writer.get(`/collection_items/new?work_id=${works.open}`)).statusCode, 200);
    const index = await guest().get('/collections');
    assert.match(index.body, /href="\/collections\/summer_fest">Summer Fest</);
  });

  it('takes a creator’s work at once in an open, unmoderated collection and lists it with the listing’s filters', async () => {
    const r = await add(writer, 'summer_fest', works.open!);
    assert.equal(r.statusCode, 303);
    assert.equal(r.headers.location, '/collections/summer_fest');
    assert.equal((await add(writer, 'summer_fest', works.angst!)).statusCode, 303);
    const again = await add(writer, 'summer_fest', works.open!);
    assert.equal(again.statusCode, 422);
    assert.match(again.body, /This work is already in Summer Fest/);
    const listing = await guest().get('/collections/summer_fest/works');
    assert.equal(listing.statusCode, 200);
    assert.deepEqual(new Set(listedIds(listing.body)), new Set([works.open, works.angst]));
    assert.match(listing.body, /<details class="listing-filters"/);
    const past = await guest().get('/collections/summer_fest/works?page=3');
    assert.equal(past.statusCode, 404);
    assert.match(past.body, /<a href="\/collections\/summer_fest\/works">Go to the last page \(page 1\)<\/a>/);
    assert.equal((await guest().get('/collections/summer_fest/works?words_from=lots')).statusCode, 422);
    const filtered = await guest().get('/collections/summer_fest/works?tags=Fluff');
    assert.deepEqual(listedIds(filtered.body), [works.open]);
    const workPage = await guest().get(`/works/${works.open}`);
    assert.match(workPage.body, /In collections: <a href="\/collections\/summer_fest">Summer Fest<\/a>/);
    const own = await writer.get(`/works/${works.open}`);
    assert.match(own.body, /href="\/collection_items\/new\?work_id=\d+">Add to collection</);
    const feed = await guest().get('/collections/summer_fest/feed.atom');
    assert.equal(feed.statusCode, 200);
    assert.match(String(feed.headers['content-type']), /application\/atom\+xml/);
    assert.match(feed.body, new RegExp(`<id>http://archive.test/works/${works.open}</id>`));
  });

  it('keeps drafts out for everyone but their creators, and restricted works out for guests, in the listing and the feed', async () => {
    assert.equal((await add(writer, 'summer_fest', works.draft!)).statusCode, 303);
    assert.equal((await add(writer, 'summer_fest', works.restricted!)).statusCode, 303);
    const asGuest = listedIds((await guest().get('/collections/summer_fest/works')).body);
    assert.ok(!asGuest.includes(works.draft!) && !asGuest.includes(works.restricted!));
    const asOwner = listedIds((await owner.get('/collections/summer_fest/works')).body);
    assert.ok(asOwner.includes(works.restricted!), 'a signed-in reader sees the restricted work');
    assert.ok(!asOwner.includes(works.draft!), 'someone else’s draft stays hidden');
    const feed = (await guest().get('/collections/summer_fest/feed.atom')).body;
    assert.doesNotMatch(feed, new RegExp(`/works/${works.draft}</id>|/works/${works.restricted}</id>`));
    const opds = await guest().get('/opds/collections/summer_fest');
    assert.equal(opds.statusCode, 200);
    assert.match(String(opds.headers['content-type']), /profile=opds-catalog;kind=acquisition/);
    assert.match(opds.body, new RegExp(`<id>http://archive.test/works/${works.open}</id>`));
    assert.match(opds.body, /rel="http:\/\/opds-spec.org\/acquisition"/);
    assert.doesNotMatch(opds.body, new RegExp(`/works/${works.draft}</id>|/works/${works.restricted}</id>`));
    assert.equal((await guest().get('/opds/collections/summer_fest?page=x')).statusCode, 400);
    assert.equal((await guest().get('/opds/collections/no_such_fest')).statusCode, 404);
    // Another user cannot add a work they did not create.
    const notMine = await owner.post('/collection_items', { collection: 'summer_fest', work_id: String(works.moderated) });
    assert.equal(notMine.statusCode, 303, 'an owner may invite it');
    const stranger = await moderator.post('/collection_items', { collection: 'summer_fest', work_id: String(works.child) });
    assert.equal(stranger.statusCode, 422);
    assert.match(stranger.body, /You can add only your own works/);
    const hiddenDraft = await moderator.post('/collection_items', { collection: 'summer_fest', work_id: String(works.draft) });
    assert.match(hiddenDraft.body, /There is no work \d+ that you can see/);
  });

  it('holds works for approval in a moderated collection: the queue, approve and reject, each audited', async () => {
    await create(owner, { name: 'mod_fest', title: 'Mod Fest', moderated: '1' });
    const addMod = await owner.post('/collections/mod_fest/participants', { login: 'fest_mod', role: 'moderator' });
    assert.equal(addMod.statusCode, 303);
    const r = await add(writer, 'mod_fest', works.moderated!);
    assert.equal(r.statusCode, 303);
    assert.deepEqual(listedIds((await guest().get('/collections/mod_fest/works')).body), [], 'not listed before approval');
    assert.equal((await writer.get('/collections/mod_fest/items')).statusCode, 403, 'the queue is for maintainers');
    const queue = await moderator.get('/collections/mod_fest/items');
    assert.equal(queue.statusCode, 200);
    assert.match(queue.body, /Waiting for a maintainer/);
    const item = Number(/id="item_(\d+)"/.exec(queue.body)![1]);
    assert.equal(
      (await writer.post(`/collection_items/${item}/approve`)).statusCode,
      409,
      'the creator already agreed; only maintainers approve',
    );
    const approved = await moderator.post(`/collection_items/${item}/approve`, { return_to: '/collections/mod_fest/items' });
    assert.equal(approved.statusCode, 303);
    assert.equal(approved.headers.location, '/collections/mod_fest/items');
    assert.deepEqual(listedIds((await guest().get('/collections/mod_fest/works')).body), [works.moderated]);
    const rejected = await moderator.post(`/collection_items/${item}/reject`);
    assert.equal(rejected.statusCode, 303);
    assert.deepEqual(listedIds((await guest().get('/collections/mod_fest/works')).body), []);
    // A moderator approves but does not change settings or maintainers, and may step down.
    assert.equal((await moderator.get('/collections/mod_fest/edit')).statusCode, 403);
    assert.equal((await moderator.post('/collections/mod_fest/participants', { login: 'fest_writer' })).statusCode, 403);
    const unknown = await owner.post('/collections/mod_fest/participants', { login: 'nobody_here', role: 'moderator' });
    assert.equal(unknown.statusCode, 422);
    assert.match(unknown.body, /There is no user called nobody_here/);
    assert.match(unknown.body, /value="nobody_here"/);
    const stepDown = await moderator.post('/collections/mod_fest/participants/remove', { login: 'fest_mod' });
    assert.equal(stepDown.statusCode, 303);
    assert.equal(stepDown.headers.location, '/collections/mod_fest');
    assert.equal((await moderator.get('/collections/mod_fest/items')).statusCode, 403);
    const actions = await auditActions();
    assert.ok(actions.includes('collection.participant.remove'));
    assert.ok(actions.includes('collection.participant.add'));
    assert.ok(actions.includes('collection.item.approve'));
    assert.ok(actions.includes('collection.item.reject'));
  });

  it('lets a maintainer invite a work, which joins when its creator accepts', async () => {
    const invite = await owner.post('/collection_items', { collection: 'mod_fest', work_id: String(works.open) });
    assert.equal(invite.statusCode, 303);
    assert.deepEqual(listedIds((await guest().get('/collections/mod_fest/works')).body), []);
    assert.equal((await owner.get('/users/fest_writer/collection_items')).statusCode, 403);
    const mine = await writer.get('/users/fest_writer/collection_items');
    assert.match(mine.body, /Invited: waiting for the creator/);
    const item = Number(
      new RegExp(`id="item_(\\d+)"><a href="/works/${works.open}">[^<]*</a> in <a href="/collections/mod_fest">`).exec(mine.body)![1],
    );
    const accepted = await writer.post(`/collection_items/${item}/approve`);
    assert.equal(accepted.statusCode, 303);
    assert.deepEqual(listedIds((await guest().get('/collections/mod_fest/works')).body), [works.open]);
    assert.ok((await auditActions()).includes('collection.item.invite'));
  });

  it('refuses new works in a closed collection with a message, but lets its maintainers invite', async () => {
    await create(owner, { name: 'closed_fest', title: 'Closed Fest', closed: '1' });
    const page = await writer.get('/collections/closed_fest');
    assert.match(page.body, /This collection is closed: it takes no new works\./);
    const r = await add(writer, 'closed_fest', works.angst!);
    assert.equal(r.statusCode, 422);
    assert.match(r.body, /Closed Fest is closed: it takes no new works/);
    assert.equal((await owner.post('/collection_items', { collection: 'closed_fest', work_id: String(works.owned) })).statusCode, 303);
    const fromWork = await writer.post('/collection_items', { collection: 'closed_fest', work_id: String(works.angst), from: 'work' });
    assert.equal(fromWork.statusCode, 422);
    assert.match(fromWork.body, /<h1>Add to collection<\/h1>/);
    assert.match(fromWork.body, /value="closed_fest"/, 'the typing is kept');
  });

  it('has one level of sub-collections whose works the parent lists, under its owners only', async () => {
    const notOwner = await writer.post('/collections', { name: 'writer_sub', title: 'Sub', parent: 'summer_fest' });
    assert.equal(notOwner.statusCode, 422);
    assert.match(notOwner.body, /Only the owners of summer_fest can add sub-collections/);
    await create(owner, { name: 'summer_fest_drabbles', title: 'Drabbles', parent: 'summer_fest' });
    const deeper = await owner.post('/collections', { name: 'too_deep', title: 'Deep', parent: 'summer_fest_drabbles' });
    assert.equal(deeper.statusCode, 422);
    assert.match(deeper.body, /is itself a sub-collection/);
    assert.equal((await add(writer, 'summer_fest_drabbles', works.child!)).statusCode, 303);
    const parent = await guest().get('/collections/summer_fest');
    assert.match(parent.body, /href="\/collections\/summer_fest_drabbles">Drabbles</);
    assert.ok(listedIds((await guest().get('/collections/summer_fest/works')).body).includes(works.child!));
    const child = await guest().get('/collections/summer_fest_drabbles');
    assert.match(child.body, /Part of:<\/dt><dd><a href="\/collections\/summer_fest">Summer Fest</);
  });

  it('filters any search by collection (sub-collections included), as a parameter, a form field and a chip', async () => {
    const inFest = new Set(listedIds((await guest().get('/collections/summer_fest/works')).body));
    const search = await guest().get('/works/search?collection=SUMMER_FEST');
    assert.equal(search.statusCode, 200);
    assert.deepEqual(new Set(listedIds(search.body)), inFest);
    assert.ok(inFest.has(works.child!), 'a sub-collection’s works are in the parent’s filter');
    assert.match(search.body, /Collection: SUMMER_FEST/);
    assert.match(search.body, /name="collection"/);
    const narrowed = await guest().get('/works/search?collection=summer_fest&freeforms=Fluff');
    const fluffy = new Set([works.open, works.child]);
    assert.deepEqual(new Set(listedIds(narrowed.body)), fluffy);
    assert.deepEqual(listedIds((await guest().get('/works/search?collection=no_such_fest')).body), []);
    const bad = await guest().get('/works/search?collection=has%20spaces');
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /Name the collection as in its address/);
    const listing = await guest().get(`/tags/Fluff/works?collection=summer_fest`);
    assert.deepEqual(new Set(listedIds(listing.body)), fluffy);
    assert.match(listing.body, /<input type="hidden" name="collection" value="summer_fest"/);
  });

  it('lets owners edit and delete (works stay posted), and no one else', async () => {
    assert.equal((await writer.get('/collections/summer_fest/edit')).statusCode, 403);
    assert.equal((await guest().get('/collections/summer_fest/edit')).statusCode, 401);
    assert.equal((await moderator.post('/collections/mod_fest', { title: 'Taken over' })).statusCode, 403);
    const bad = await owner.post('/collections/summer_fest', { title: '', description: 'Still here' });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /Give the collection a title\./);
    assert.match(bad.body, />Still here<\/textarea>/);
    const ok = await owner.post('/collections/summer_fest', {
      title: 'Summer Fest 2026',
      description: 'New',
      rules: '',
      faq: '',
      moderated: '1',
    });
    assert.equal(ok.statusCode, 303);
    assert.match((await guest().get('/collections/summer_fest')).body, /Open, moderated/);
    const lastOwner = await owner.post('/collections/summer_fest/participants/remove', { login: 'fest_owner' });
    assert.equal(lastOwner.statusCode, 422);
    assert.match(lastOwner.body, /A collection needs an owner/);
    assert.equal((await writer.post('/collections/closed_fest/delete')).statusCode, 403);
    const deleted = await owner.post('/collections/closed_fest/delete');
    assert.equal(deleted.statusCode, 303);
    assert.equal((await guest().get('/collections/closed_fest')).statusCode, 404);
    assert.equal((await guest().get(`/works/${works.owned}`)).statusCode, 200);
    assert.equal((await guest().get('/collections/closed_fest/works')).statusCode, 404);
    assert.equal((await guest().get('/collections/closed_fest/feed.atom')).statusCode, 404);
    assert.ok((await auditActions()).includes('collection.delete'));
  });
});
