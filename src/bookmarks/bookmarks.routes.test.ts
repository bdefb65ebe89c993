import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { postWork, quickUser, workCounts } from '../comments/interactions.test-helpers.ts';

describe('bookmarks, mark for later and reading history', () => {
  let t: TestApp;
  let author: TestVisitor;
  let reader: TestVisitor;
  let workId: number;
  before(async () => {
    t = await createTestApp();
    author = await new TestVisitor(t.app).signUp('bm_author');
    reader = await quickUser(t, 'bm_reader');
    workId = await postWork(author, { title: 'Bookmarkable' });
  });
  after(() => t.close());

  it('bookmarks a work with notes, own tags and a rec flag; editing updates it; the public count stays exact', async () => {
    const page = await reader.get(`/works/${workId}`);
    assert.match(page.body, /href="\/works\/\d+\/bookmarks\/new">Bookmark</);
    const r = await reader.post(`/works/${workId}/bookmarks`, {
      notes: 'So <i>good</i>',
      tags: 'comfort read, Comfort Read, slow burn',
      rec: '1',
    });
    assert.equal(r.statusCode, 303);
    const row = await t.db.selectFrom('bookmarks').selectAll().where('work_id', '=', workId).executeTakeFirstOrThrow();
    assert.deepEqual(row.tags, ['comfort read', 'slow burn']);
    assert.equal(row.is_rec, true);
    assert.equal(row.notes_html, '<p>So <i>good</i></p>');
    assert.equal((await workCounts(t.db, workId)).bookmarks_count, 1);
    assert.equal((await reader.post(`/works/${workId}/bookmarks`, { notes: 'Private now', private: '1' })).statusCode, 303);
    assert.equal((await workCounts(t.db, workId)).bookmarks_count, 0, 'private bookmarks are not counted');
    const n = await t.db.selectFrom('bookmarks').select('id').where('user_id', 'is not', null).where('work_id', '=', workId).execute();
    assert.equal(n.length, 1, 'one bookmark per user per work');
    assert.match((await reader.get(`/works/${workId}`)).body, />Edit bookmark</);
  });

  it('lists a bookmarked work with its full blurb, the bookmarker’s part inside it, and the filter controls in one row', async () => {
    const work = await postWork(author, {
      title: 'Blurbed Bookmark',
      fandoms: 'Lighthouse Keepers',
      rating: 'Mature',
      warnings: 'Graphic Depictions Of Violence',
      relationships: 'Keeper/Sea',
      freeforms: 'Storms',
    });
    const fan = await quickUser(t, 'bm_blurbs');
    assert.equal((await fan.post(`/works/${work}/bookmarks`, { notes: 'Salt and light.', tags: 'weather' })).statusCode, 303);
    const page = await new TestVisitor(t.app).get('/users/bm_blurbs/bookmarks');
    assert.equal(page.statusCode, 200);
    const card = new RegExp(`<li class="blurb" id="work_${work}">[\\s\\S]*?</li>\\s*(?=<li class="blurb|</ol>)`).exec(page.body);
    assert.ok(card, 'the work is shown as a blurb');
    const html = card[0];
    assert.match(html, /<li class="req rating-mature" title="Mature">/, 'rating');
    assert.match(html, /<li class="tag-warning"><a href="[^"]*">Graphic Depictions Of Violence<\/a>/, 'warnings');
    assert.match(html, /<li class="tag-relationship"><a href="[^"]*">Keeper\/Sea<\/a>/, 'tags');
    assert.match(html, /<dl class="stats">[\s\S]*<dt>Words:<\/dt>/, 'stats');
    assert.match(html, /<a rel="author" href="\/users\/bm_author[^"]*">bm_author<\/a>/, 'the creator is a link');
    assert.match(
      html,
      /<div class="bookmark-notes" id="bookmark-\d+">[\s\S]*weather[\s\S]*Salt and light\./,
      'the bookmark inside the card',
    );
    // The filter row: every control in a .field of the flex row, the button too, so their bottoms line up.
    const form = /<form method="get" action="\/users\/bm_blurbs\/bookmarks" class="bookmark-filters"[^>]*>([\s\S]*?)<\/form>/.exec(
      page.body,
    )![1]!;
    const parts = form.replace(/<div class="field[^"]*">[\s\S]*?<\/div>/g, '').trim();
    assert.equal(parts, '', `nothing outside a field: ${parts}`);
  });

  it('filters a bookmark list with the search sidebar, in bookmark order, keeping the list’s own filters', async () => {
    const one = await postWork(author, { title: 'Sidebar First', fandoms: 'Sidebar One' });
    const two = await postWork(author, { title: 'Sidebar Second', fandoms: 'Sidebar One' });
    const other = await postWork(author, { title: 'Sidebar Third', fandoms: 'Sidebar Two' });
    const fan = await quickUser(t, 'bm_sidebar');
    for (const [work, tags] of [
      [one, 'keep'],
      [two, ''],
      [other, 'keep'],
    ] as const)
      assert.equal((await fan.post(`/works/${work}/bookmarks`, { tags })).statusCode, 303);
    await fan.post('/bookmarks/external', { url: 'https://elsewhere.example/s', title: 'Sidebar External', creator: 'x', tags: 'keep' });
    const guest = new TestVisitor(t.app);
    const all = await guest.get('/users/bm_sidebar/bookmarks');
    assert.equal(all.statusCode, 200);
    assert.match(all.body, /1 – 4 of 4 bookmarks/);
    const fandom = await t.db.selectFrom('tags').select('id').where('name', '=', 'Sidebar One').executeTakeFirstOrThrow();
    assert.match(all.body, new RegExp(`name="with" value="${fandom.id}"/> <span>Sidebar One<span class="facet-count"> \\(2\\)</span>`));
    const filtered = await guest.get(`/users/bm_sidebar/bookmarks?with=${fandom.id}`);
    assert.match(filtered.body, /1 – 2 of 2 bookmarks/);
    assert.deepEqual(
      [...filtered.body.matchAll(/<li class="blurb" id="work_(\d+)"/g)].map((m) => Number(m[1])),
      [two, one],
      'newest bookmark first',
    );
    assert.doesNotMatch(filtered.body, /Sidebar External|Sidebar Third/);
    assert.match(filtered.body, new RegExp(`<input type="hidden" name="with" value="${fandom.id}"/>`), 'the bookmark filter row keeps it');
    const both = await guest.get(`/users/bm_sidebar/bookmarks?tag=keep&with=${fandom.id}`);
    assert.match(both.body, /1 – 1 of 1 bookmark/);
    const chip = /<a class="chip" href="([^"]*)"><span class="visually-hidden">Remove filter: <\/span>Fandom: Sidebar One/.exec(both.body);
    assert.ok(chip, 'a chip for the sidebar filter');
    assert.equal(chip[1]!.replace(/&amp;/g, '&'), '/users/bm_sidebar/bookmarks?tag=keep', 'removing it keeps the bookmark tag');
    assert.match(both.body, /<input type="hidden" name="tag" value="keep"\/>/, 'the sidebar keeps the bookmark tag');
    const past = await guest.get('/users/bm_sidebar/bookmarks?page=3');
    assert.equal(past.statusCode, 404);
    assert.match(past.body, /<a href="\/users\/bm_sidebar\/bookmarks">Go to the last page \(page 1\)<\/a>/);
  });

  it('shows private bookmarks only to their owner and filters by tag, rec, type and privacy', async () => {
    const second = await postWork(author, { title: 'Second Work' });
    await reader.post(`/works/${second}/bookmarks`, { tags: 'angst', rec: '1' });
    const ext = await reader.post('/bookmarks/external', {
      url: 'https://elsewhere.example/story/1',
      title: 'Far Away Fic',
      creator: 'someone',
      fandom: 'Other Fandom',
      summary: 'Elsewhere.',
      tags: 'angst',
    });
    assert.equal(ext.statusCode, 303);
    const own = await reader.get('/users/bm_reader/bookmarks');
    assert.match(own.body, /Bookmarkable/);
    assert.match(own.body, /Far Away Fic/);
    const guest = await new TestVisitor(t.app).get('/users/bm_reader/bookmarks');
    assert.doesNotMatch(guest.body, /Bookmarkable/, 'private bookmark hidden from others');
    assert.match(guest.body, /Second Work/);
    const byTag = await new TestVisitor(t.app).get('/users/bm_reader/bookmarks?tag=ANGST');
    assert.match(byTag.body, /Second Work/);
    assert.match(byTag.body, /Far Away Fic/);
    const external = await reader.get('/users/bm_reader/bookmarks?type=external');
    assert.doesNotMatch(external.body, /Second Work/);
    assert.match(external.body, /Far Away Fic/);
    const internalRecs = await reader.get('/users/bm_reader/bookmarks?type=internal&rec=1');
    assert.match(internalRecs.body, /Second Work/);
    assert.doesNotMatch(internalRecs.body, /Far Away Fic/);
    const privateOnly = await reader.get('/users/bm_reader/bookmarks?privacy=private');
    assert.match(privateOnly.body, /Bookmarkable/);
    assert.doesNotMatch(privateOnly.body, /Second Work/);
  });

  it('accepts only http and https addresses for external works, keeping what was typed', async () => {
    for (const url of ['javascript:alert(1)', 'ftp://x.example/a', 'not a url']) {
      const r = await reader.post('/bookmarks/external', { url, title: 'Kept Title', creator: 'c' });
      assert.equal(r.statusCode, 422, url);
      assert.match(r.body, /starting with http:\/\/ or https:\/\//);
      assert.match(r.body, /value="Kept Title"/);
    }
    const missing = await reader.post('/bookmarks/external', { url: 'https://ok.example', title: '', creator: '' });
    assert.equal(missing.statusCode, 422);
    assert.match(missing.body, /Enter the title/);
  });

  it('refuses bookmarks of restricted works to guests, of drafts, and deletion of others’ bookmarks', async () => {
    assert.equal((await new TestVisitor(t.app).post(`/works/${workId}/bookmarks`, {})).statusCode, 401);
    const draft = await postWork(author, { title: 'Unposted', action: 'draft' });
    assert.equal((await reader.post(`/works/${draft}/bookmarks`, {})).statusCode, 404);
    const mine = await t.db.selectFrom('bookmarks').select('id').where('work_id', '=', workId).executeTakeFirstOrThrow();
    const other = await quickUser(t, 'bm_other');
    assert.equal((await other.post(`/bookmarks/${mine.id}/delete`)).statusCode, 403);
    assert.equal((await reader.post(`/bookmarks/${mine.id}/delete`)).statusCode, 303);
    assert.equal(await t.db.selectFrom('bookmarks').select('id').where('id', '=', mine.id).executeTakeFirst(), undefined);
  });

  it('bookmarks a series: button on the series page, edit in place, filter by type, visibility and deletion', async () => {
    const sagaWork = await postWork(author, { title: 'Saga Part One' });
    const created = await author.post('/series', { title: 'Bookmarkable Saga', summary: 'A saga summary.', work_id: String(sagaWork) });
    assert.equal(created.statusCode, 303);
    const seriesId = Number(String(created.headers.location).split('/').pop());
    assert.match((await reader.get(`/series/${seriesId}`)).body, new RegExp(`href="/series/${seriesId}/bookmarks/new">Bookmark series<`));
    assert.doesNotMatch((await new TestVisitor(t.app).get(`/series/${seriesId}`)).body, /Bookmark series/, 'no button for guests');
    assert.equal((await new TestVisitor(t.app).post(`/series/${seriesId}/bookmarks`, {})).statusCode, 401);
    assert.equal((await reader.post('/series/999999/bookmarks', {})).statusCode, 404);

    const form = await reader.get(`/series/${seriesId}/bookmarks/new`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, new RegExp(`action="/series/${seriesId}/bookmarks"`));
    const bad = await reader.post(`/series/${seriesId}/bookmarks`, { notes: 'x'.repeat(5001), tags: 'kept tag' });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /at most 5,000 characters/);
    assert.match(bad.body, /value="kept tag"/);

    const r = await reader.post(`/series/${seriesId}/bookmarks`, { notes: 'All of it.', tags: 'saga', rec: '1' });
    assert.equal(r.statusCode, 303);
    assert.equal(r.headers.location, `/series/${seriesId}`);
    assert.match((await reader.get(`/series/${seriesId}`)).body, />Edit series bookmark</);
    assert.match((await reader.get(`/series/${seriesId}/bookmarks/new`)).body, /value="saga"/, 'the form edits the existing bookmark');
    assert.equal((await reader.post(`/series/${seriesId}/bookmarks`, { notes: 'Updated.', tags: 'saga, epic' })).statusCode, 303);
    const rows = await t.db.selectFrom('bookmarks').selectAll().where('series_id', '=', seriesId).execute();
    assert.equal(rows.length, 1, 'one bookmark per user per series');
    assert.deepEqual(rows[0]!.tags, ['saga', 'epic']);
    assert.equal(rows[0]!.work_id, null);

    // Shown on the bookmarks page, with its creator and summary, and by the type filter.
    const guest = new TestVisitor(t.app);
    const all = await guest.get('/users/bm_reader/bookmarks');
    assert.match(
      all.body,
      new RegExp(
        `<a href="/series/${seriesId}">Bookmarkable Saga</a> by <a rel="author" href="/users/bm_author">bm_author</a> \\(series\\)`,
      ),
    );
    assert.match(all.body, /A saga summary\./);
    const onlySeries = await guest.get('/users/bm_reader/bookmarks?type=series');
    assert.match(onlySeries.body, /Bookmarkable Saga/);
    assert.doesNotMatch(onlySeries.body, /Second Work|Far Away Fic/);
    assert.match(onlySeries.body, /<option value="series" selected/);
    assert.doesNotMatch((await guest.get('/users/bm_reader/bookmarks?type=internal')).body, /Bookmarkable Saga/);
    assert.doesNotMatch((await guest.get('/users/bm_reader/bookmarks?type=external')).body, /Bookmarkable Saga/);

    // Private: only its owner sees it.
    assert.equal((await reader.post(`/series/${seriesId}/bookmarks`, { tags: 'saga', private: '1' })).statusCode, 303);
    assert.doesNotMatch((await guest.get('/users/bm_reader/bookmarks?type=series')).body, /Bookmarkable Saga/);
    assert.match((await reader.get('/users/bm_reader/bookmarks?type=series')).body, /Bookmarkable Saga/);
    assert.equal((await reader.post(`/series/${seriesId}/bookmarks`, { tags: 'saga' })).statusCode, 303);

    // A series holding no work the viewer may read cannot be bookmarked by them, nor is it listed to them.
    const restrictedWork = await postWork(author, { title: 'Members Saga', restricted: '1' });
    const members = Number(
      String((await author.post('/series', { title: 'Members Only Saga', work_id: String(restrictedWork) })).headers.location)
        .split('/')
        .pop(),
    );
    const empty = Number(
      String((await author.post('/series', { title: 'Empty Saga' })).headers.location)
        .split('/')
        .pop(),
    );
    assert.equal((await reader.post(`/series/${empty}/bookmarks`, {})).statusCode, 404, 'an empty series is not found by others');
    assert.equal((await reader.get(`/series/${empty}/bookmarks/new`)).statusCode, 404);
    assert.equal(
      (await reader.post(`/series/${members}/bookmarks`, { tags: 'members' })).statusCode,
      303,
      'signed-in readers may read restricted works',
    );
    assert.match((await reader.get('/users/bm_reader/bookmarks?type=series')).body, /Members Only Saga/);
    assert.doesNotMatch(
      (await guest.get('/users/bm_reader/bookmarks?type=series')).body,
      /Members Only Saga/,
      'guests may not read the series’ only work',
    );
    assert.match((await guest.get('/users/bm_reader/bookmarks?type=series')).body, /Bookmarkable Saga/);

    // Deleted by its owner only; deleting the series deletes its bookmarks.
    const bookmark = rows[0]!;
    assert.equal((await author.post(`/bookmarks/${bookmark.id}/delete`)).statusCode, 403);
    assert.equal((await reader.post(`/bookmarks/${bookmark.id}/delete`)).statusCode, 303);
    assert.equal(await t.db.selectFrom('bookmarks').select('id').where('id', '=', bookmark.id).executeTakeFirst(), undefined);
    assert.match((await reader.get(`/series/${seriesId}`)).body, />Bookmark series</);
    assert.equal((await author.post(`/series/${members}/delete`)).statusCode, 303);
    assert.equal(
      (await t.db.selectFrom('bookmarks').select('id').where('series_id', '=', members).execute()).length,
      0,
      'cascade on series delete',
    );
  });

  it('keeps a private Marked for Later list', async () => {
    assert.equal((await reader.post(`/works/${workId}/mark_for_later`, { to_read: '1' })).statusCode, 303);
    const list = await reader.get('/users/bm_reader/readings?show=to-read');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /Bookmarkable/);
    assert.equal((await author.get('/users/bm_reader/readings?show=to-read')).statusCode, 403);
    assert.equal((await new TestVisitor(t.app).get('/users/bm_reader/readings?show=to-read')).statusCode, 401);
    assert.match((await reader.get(`/works/${workId}`)).body, />Mark as read</);
    assert.equal((await reader.post(`/works/${workId}/mark_for_later`, { to_read: '0' })).statusCode, 303);
    assert.doesNotMatch((await reader.get('/users/bm_reader/readings?show=to-read')).body, /Bookmarkable/);
  });

  it('records reading history only when turned on, and clears it', async () => {
    const historian = await quickUser(t, 'historian');
    await historian.get(`/works/${workId}`);
    const hist = await t.db
      .selectFrom('readings')
      .innerJoin('users', 'users.id', 'readings.user_id')
      .select('readings.visits')
      .where('users.login', '=', 'historian')
      .execute();
    assert.equal(hist.length, 0, 'nothing recorded while history is off');
    assert.doesNotMatch((await historian.get('/users/historian/readings?show=history')).body, /Bookmarkable/, 'off by default');
    assert.equal((await historian.post('/users/historian/readings/preferences', { history_enabled: '1' })).statusCode, 303);
    await historian.get(`/works/${workId}`);
    await historian.get(`/works/${workId}`);
    const history = await historian.get('/users/historian/readings?show=history');
    assert.match(history.body, /Bookmarkable<\/a> — last read \d{4}-\d{2}-\d{2}, 2 visits/);
    assert.equal((await historian.post('/users/historian/readings/clear')).statusCode, 303);
    assert.doesNotMatch((await historian.get('/users/historian/readings?show=history')).body, /Bookmarkable/);
  });
});
