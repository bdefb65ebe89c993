import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';

const idFrom = (location: unknown) => Number(String(location).split('/').pop());

describe('series', () => {
  let t: TestApp;
  let author: TestVisitor;
  let other: TestVisitor;
  let guest: TestVisitor;
  let first: number;
  let second: number;
  let restricted: number;
  let draft: number;
  let seriesId: number;

  before(async () => {
    t = await createTestApp();
    author = await new TestVisitor(t.app).signUp('sagawriter');
    other = await new TestVisitor(t.app).signUp('stranger');
    guest = new TestVisitor(t.app);
    first = idFrom((await author.post('/works', buildWorkForm({ title: 'Book One' }))).headers.location);
    second = idFrom((await author.post('/works', buildWorkForm({ title: 'Book Two' }))).headers.location);
    restricted = idFrom((await author.post('/works', buildWorkForm({ title: 'Book Three', restricted: '1' }))).headers.location);
    draft = idFrom((await author.post('/works', buildWorkForm({ title: 'Book Four', action: 'draft' }))).headers.location);
  });
  after(() => t.close());

  it('creates a series with a first work, keeping what was typed on a bad form', async () => {
    const bad = await author.post('/series', { title: '   ', summary: 'kept summary', work_id: String(first) });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /Give the series a title/);
    assert.match(bad.body, /kept summary/);
    const created = await author.post('/series', {
      title: 'The Books',
      summary: '<p>Four <em>books</em>.</p><script>alert(1)</script>',
      notes: 'Read in order.',
      work_id: String(first),
    });
    assert.equal(created.statusCode, 303);
    seriesId = idFrom(created.headers.location);
    for (const id of [second, restricted, draft]) {
      assert.equal((await author.post(`/series/${seriesId}/works`, { work_id: String(id) })).statusCode, 303);
    }
    const again = await author.post(`/series/${seriesId}/works`, { work_id: String(first) });
    assert.equal(again.statusCode, 422);
    assert.match(again.body, /already in the series/);
  });

  it('filters its works with the listing sidebar, keeping their part order and the typing of a refused filter', async () => {
    const all = await guest.get(`/series/${seriesId}`);
    assert.equal(all.statusCode, 200);
    assert.match(all.body, /class="listing-filters"/);
    assert.match(all.body, /2 works, in order/);
    const narrowed = await guest.get(`/series/${seriesId}?q=Two`);
    assert.equal(narrowed.statusCode, 200);
    assert.match(narrowed.body, /1 of 2 works match, in order/);
    const blurbs = narrowed.body.slice(narrowed.body.indexOf('series-works'));
    assert.match(blurbs, /Book Two/);
    assert.doesNotMatch(blurbs, /Book One/);
    assert.match(narrowed.body, /class="[^"]*chip/, 'the active filter is a removable chip');
    const refused = await guest.get(`/series/${seriesId}?words_from=lots`);
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /value="lots"/);
    assert.match(refused.body, /Book One[\s\S]*Book Two/, 'a refused filter lists every work');
  });

  it('shows each viewer only the works they may read, as blurbs, with sanitized text', async () => {
    const forGuest = await guest.get(`/series/${seriesId}`);
    assert.equal(forGuest.statusCode, 200);
    assert.match(forGuest.body, /<h1>The Books<\/h1>/);
    assert.match(forGuest.body, /<em>books<\/em>/);
    assert.doesNotMatch(forGuest.body, /<script>alert/);
    assert.match(forGuest.body, /class="blurb"[\s\S]*Book One[\s\S]*Book Two/);
    assert.doesNotMatch(forGuest.body, /Book Three|Book Four/);
    const forReader = await other.get(`/series/${seriesId}`);
    assert.match(forReader.body, /Book Three/);
    assert.doesNotMatch(forReader.body, /Book Four/);
    assert.doesNotMatch(forReader.body, /Edit series/);
    const forAuthor = await author.get(`/series/${seriesId}`);
    assert.match(forAuthor.body, /Book Four/);
    assert.match(forAuthor.body, /Edit series/);
  });

  it('puts series navigation on each work, skipping works the viewer cannot read', async () => {
    const page = await guest.get(`/works/${second}`);
    assert.match(
      page.body,
      new RegExp(
        `<a href="/works/${first}" rel="prev">← Previous work</a> Part 2 of the <a href="/series/${seriesId}">The Books</a> series`,
      ),
    );
    assert.doesNotMatch(page.body, /Next work/, 'the restricted next work is not offered to a guest');
    const signedIn = await other.get(`/works/${second}`);
    assert.match(signedIn.body, new RegExp(`<a href="/works/${restricted}" rel="next">Next work →</a>`));
    assert.match((await author.get(`/works/${first}`)).body, /Add to series/);
    assert.doesNotMatch((await other.get(`/works/${first}`)).body, /Add to series/);
  });

  it('reorders and removes works; the guest page follows', async () => {
    const bad = await author.post(`/series/${seriesId}/order`, {
      [`position_${first}`]: '1',
      [`position_${second}`]: '1',
      [`position_${restricted}`]: '3',
      [`position_${draft}`]: '4',
    });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /different position/);
    const ok = await author.post(`/series/${seriesId}/order`, {
      [`position_${first}`]: '2',
      [`position_${second}`]: '1',
      [`position_${restricted}`]: '3',
      [`position_${draft}`]: '4',
    });
    assert.equal(ok.statusCode, 303);
    assert.match((await guest.get(`/works/${first}`)).body, /Part 2 of the/);
    assert.equal((await author.post(`/series/${seriesId}/works/remove`, { work_id: String(second) })).statusCode, 303);
    assert.match((await guest.get(`/works/${first}`)).body, /Part 1 of the/);
    const positions = await t.db
      .selectFrom('series_works')
      .select(['work_id', 'position'])
      .where('series_id', '=', seriesId)
      .orderBy('position')
      .execute();
    assert.deepEqual(positions, [
      { work_id: first, position: 1 },
      { work_id: restricted, position: 2 },
      { work_id: draft, position: 3 },
    ]);
  });

  it('refuses someone else’s edits and works that are not theirs', async () => {
    assert.equal((await other.get(`/series/${seriesId}/edit`)).statusCode, 403);
    assert.equal((await other.post(`/series/${seriesId}`, { title: 'Taken over' })).statusCode, 403);
    assert.equal((await other.get(`/series/${seriesId}/manage`)).statusCode, 403);
    assert.equal((await other.post(`/series/${seriesId}/works/remove`, { work_id: String(first) })).statusCode, 403);
    assert.equal((await other.post(`/series/${seriesId}/delete`)).statusCode, 403);
    assert.equal((await guest.post(`/series/${seriesId}`, { title: 'Taken over' })).statusCode, 401);
    const theirs = idFrom((await other.post('/works', buildWorkForm({ title: 'Not Yours' }))).headers.location);
    const add = await author.post(`/series/${seriesId}/works`, { work_id: String(theirs) });
    assert.equal(add.statusCode, 422);
    assert.match(add.body, /only add works you created/);
    // Their own series cannot take someone else's work either.
    const own = idFrom((await other.post('/series', { title: 'Mine' })).headers.location);
    assert.equal((await other.post(`/series/${own}/works`, { work_id: String(first) })).statusCode, 422);
    assert.equal((await t.db.selectFrom('series').select('title').where('id', '=', seriesId).executeTakeFirstOrThrow()).title, 'The Books');
  });

  it('hides an empty series from others and 404s unknown ids', async () => {
    const empty = idFrom((await author.post('/series', { title: 'Coming Soon' })).headers.location);
    assert.equal((await author.get(`/series/${empty}`)).statusCode, 200);
    assert.equal((await guest.get(`/series/${empty}`)).statusCode, 404);
    assert.equal((await guest.get('/series/999999')).statusCode, 404);
    assert.equal((await guest.get('/series/abc')).statusCode, 404);
  });

  it('edits and deletes a series, keeping its works', async () => {
    const edited = await author.post(`/series/${seriesId}`, { title: 'The Collected Books', summary: '', notes: '', complete: '1' });
    assert.equal(edited.statusCode, 303);
    assert.match((await guest.get(`/series/${seriesId}`)).body, /The Collected Books[\s\S]*<dt>Complete:<\/dt>\s*<dd>Yes<\/dd>/);
    assert.equal((await author.post(`/series/${seriesId}/delete`)).statusCode, 303);
    assert.equal((await guest.get(`/series/${seriesId}`)).statusCode, 404);
    assert.equal((await guest.get(`/works/${first}`)).statusCode, 200);
    assert.doesNotMatch((await guest.get(`/works/${first}`)).body, /Part 1 of the/);
  });
});
