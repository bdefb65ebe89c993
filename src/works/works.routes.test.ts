import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm, readFoundingStory } from '../../test/factories.ts';

function workIdFrom(location: unknown): number {
  const match = /^\/works\/(\d+)$/.exec(String(location));
  assert.ok(match, `expected a redirect to a work, got ${String(location)}`);
  return Number(match[1]);
}

/** The text content of each <p> inside the chapter text, entities decoded. */
function chapterParagraphs(html: string): string[] {
  const text = html.split('class="userstuff chapter-text"')[1] ?? '';
  const body = text.split('</div>')[0] ?? '';
  return [...body.matchAll(/<p>([\s\S]*?)<\/p>/g)].map((m) =>
    m[1]!
      .replace(/<[^>]+>/g, '')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&'),
  );
}

describe('works', () => {
  let t: TestApp;
  let author: TestVisitor;
  before(async () => {
    t = await createTestApp();
    author = await new TestVisitor(t.app).signUp('author');
  });
  after(() => t.close());

  it('posts the founding story from an uploaded file and shows every paragraph verbatim', async () => {
    const story = readFoundingStory();
    const form = buildWorkForm({
      title: 'Founding Story',
      rating: 'Mature',
      warnings: ['Major Character Death'],
      categories: ['F/M'],
      fandoms: 'The Vampire Diaries (TV)',
      relationships: 'Caroline Forbes/Stefan Salvatore',
      characters: 'Caroline Forbes, Stefan Salvatore',
    });
    delete form.body;
    const posted = await author.postMultipart('/works', form, { text_file: { filename: 'story.txt', content: story } });
    assert.equal(posted.statusCode, 303, posted.body.slice(0, 400));
    const id = workIdFrom(posted.headers.location);
    // Rated Mature: a guest proceeds past the adult-content notice (reader preferences).
    const page = await new TestVisitor(t.app).get(`/works/${id}?view_adult=true`);
    assert.equal(page.statusCode, 200);
    const expected = story.split(/\r?\n/).filter((line) => line.trim() !== '');
    assert.equal(expected.length, 58);
    assert.deepEqual(chapterParagraphs(page.body), expected);
    assert.match(page.body, /Caroline Forbes\/Stefan Salvatore/);
    assert.match(page.body, /Major Character Death/);
    const row = await t.db.selectFrom('works').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.ok(row.word_count > 1400 && row.word_count < 1700, `word count ${row.word_count}`);
    assert.equal(row.is_complete, true);
  });

  it('keeps what was typed and explains every error on a bad post, writing nothing', async () => {
    const before = await t.db
      .selectFrom('works')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const r = await author.post(
      '/works',
      buildWorkForm({ title: '', rating: 'Very Spicy', warnings: [], fandoms: '', body: '   ', summary: 'kept summary' }),
    );
    assert.equal(r.statusCode, 422);
    assert.match(r.body, /Give your work a title/);
    assert.match(r.body, /Choose a rating/);
    assert.match(r.body, /at least one archive warning/);
    assert.match(r.body, /at least one fandom/);
    assert.match(r.body, /Add the text/);
    assert.match(r.body, /kept summary/);
    const after = await t.db
      .selectFrom('works')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(after.n, before.n);
  });

  it('refuses a binary or non-UTF-8 upload with a clear message', async () => {
    const form = buildWorkForm();
    delete form.body;
    const binary = await author.postMultipart('/works', form, {
      text_file: { filename: 'x.txt', content: Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80, 0x81]) },
    });
    assert.equal(binary.statusCode, 422);
    assert.match(binary.body, /UTF-8|binary/i);
    assert.match(binary.body, /value="A Test Work"/);
  });

  it('sanitizes HTML and escapes titles and tags', async () => {
    const r = await author.post(
      '/works',
      buildWorkForm({
        title: '<script>alert(1)</script> Title',
        freeforms: 'Tag <b>bold</b>',
        text_format: 'html',
        body: '<p onclick="x()">Hello <em>there</em></p><script>alert(2)</script><a href="javascript:alert(3)">link</a><img src=x onerror="alert(4)">',
      }),
    );
    assert.equal(r.statusCode, 422, 'tags with < > are refused');
    assert.match(r.body, /cannot have/);
    const ok = await author.post(
      '/works',
      buildWorkForm({
        title: '<script>alert(1)</script> Title',
        text_format: 'html',
        body: '<p onclick="x()">Hello <em>there</em></p><script>alert(2)</script><a href="javascript:alert(3)">link</a><img src=x onerror="alert(4)">',
      }),
    );
    assert.equal(ok.statusCode, 303);
    const page = await author.get(String(ok.headers.location));
    assert.doesNotMatch(page.body, /<script>alert/);
    assert.doesNotMatch(page.body, /onclick|onerror|javascript:/);
    assert.match(page.body, /&lt;script>alert\(1\)&lt;\/script> Title/);
    assert.match(page.body, /Hello <em>there<\/em>/);
  });

  it('keeps drafts to their creator until posted, and restricted works to members', async () => {
    const draft = await author.post('/works', buildWorkForm({ title: 'Secret Draft', action: 'draft' }));
    const id = workIdFrom(draft.headers.location);
    assert.equal((await author.get(`/works/${id}`)).statusCode, 200);
    const guest = new TestVisitor(t.app);
    assert.equal((await guest.get(`/works/${id}`)).statusCode, 404);
    const other = await new TestVisitor(t.app).signUp('other_reader');
    assert.equal((await other.get(`/works/${id}`)).statusCode, 404);
    assert.doesNotMatch((await guest.get('/works')).body, /Secret Draft/);
    assert.equal((await other.post(`/works/${id}/post`)).statusCode, 404);
    assert.equal((await author.post(`/works/${id}/post`)).statusCode, 303);
    assert.equal((await guest.get(`/works/${id}`)).statusCode, 200);
    assert.match((await guest.get('/works')).body, /Secret Draft/);

    const restricted = await author.post('/works', buildWorkForm({ title: 'Members Only', restricted: '1' }));
    const rid = workIdFrom(restricted.headers.location);
    assert.equal((await guest.get(`/works/${rid}`)).statusCode, 401);
    assert.doesNotMatch((await guest.get('/works')).body, /Members Only/);
    assert.equal((await other.get(`/works/${rid}`)).statusCode, 200);
    assert.match((await other.get('/works')).body, /Members Only/);
  });

  it('adds, edits, reorders and deletes chapters with x/y counts and word counts', async () => {
    const created = await author.post('/works', buildWorkForm({ title: 'Chaptered', expected_chapters: '?', body: 'one two three' }));
    const id = workIdFrom(created.headers.location);
    const second = await author.post(`/works/${id}/chapters`, { chapter_title: 'Second', text_format: 'plain', body: 'four five' });
    assert.equal(second.statusCode, 303);
    const third = await author.post(`/works/${id}/chapters`, {
      chapter_title: 'Third',
      text_format: 'markdown',
      body: 'six *seven* eight nine',
    });
    assert.equal(third.statusCode, 303);
    let work = await t.db.selectFrom('works').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(work.chapter_count, 3);
    assert.equal(work.word_count, 9);
    assert.equal(work.is_complete, false);
    const page = await author.get(`/works/${id}`);
    assert.match(page.body, /3\/\?/);
    const chapters = await t.db
      .selectFrom('chapters')
      .select(['id', 'position', 'title'])
      .where('work_id', '=', id)
      .orderBy('position')
      .execute();
    // Reverse the order.
    const reorder = await author.post(
      `/works/${id}/chapters/manage`,
      Object.fromEntries(chapters.map((c, i) => [`position_${c.id}`, String(3 - i)])),
    );
    assert.equal(reorder.statusCode, 303);
    const reordered = await t.db.selectFrom('chapters').select(['title']).where('work_id', '=', id).orderBy('position').execute();
    assert.deepEqual(
      reordered.map((c) => c.title),
      ['Third', 'Second', ''],
    );
    const duplicate = await author.post(`/works/${id}/chapters/manage`, Object.fromEntries(chapters.map((c) => [`position_${c.id}`, '1'])));
    assert.equal(duplicate.statusCode, 422);
    const edit = await author.post(`/works/${id}/chapters/${chapters[1]!.id}`, {
      chapter_title: 'Second, revised',
      text_format: 'plain',
      body: 'just three words',
    });
    assert.equal(edit.statusCode, 303);
    const del = await author.post(`/works/${id}/chapters/${chapters[0]!.id}/delete`);
    assert.equal(del.statusCode, 303);
    work = await t.db.selectFrom('works').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(work.chapter_count, 2);
    assert.equal(work.word_count, 7);
    const full = await new TestVisitor(t.app).get(`/works/${id}?view_full_work=true`);
    assert.match(full.body, /Chapter 1: Third/);
    assert.match(full.body, /Chapter 2: Second, revised/);
    const last = await t.db.selectFrom('chapters').select('id').where('work_id', '=', id).execute();
    await author.post(`/works/${id}/chapters/${last[0]!.id}/delete`);
    const refused = await author.post(`/works/${id}/chapters/${last[1]!.id}/delete`);
    assert.equal(refused.statusCode, 422);
  });

  it('edits metadata and deletes only with the creator, after confirmation', async () => {
    const created = await author.post('/works', buildWorkForm({ title: 'To Edit' }));
    const id = workIdFrom(created.headers.location);
    const other = await new TestVisitor(t.app).signUp('meddler');
    assert.equal((await other.post(`/works/${id}`, buildWorkForm({ title: 'Hijacked' }))).statusCode, 403);
    assert.equal((await other.post(`/works/${id}/delete`)).statusCode, 403);
    const form = await author.get(`/works/${id}/edit`);
    assert.match(form.body, /value="To Edit"/);
    const updated = await author.post(`/works/${id}`, buildWorkForm({ title: 'Edited Title', fandoms: 'Other Fandom, Test Fandom' }));
    assert.equal(updated.statusCode, 303);
    const page = await author.get(`/works/${id}`);
    assert.match(page.body, /Edited Title/);
    assert.match(page.body, /Other Fandom/);
    assert.match((await author.get(`/works/${id}/confirm_delete`)).body, /cannot be undone/);
    assert.equal((await author.post(`/works/${id}/delete`)).statusCode, 303);
    assert.equal((await author.get(`/works/${id}`)).statusCode, 404);
  });

  it('answers a page past the end of a listing with a 404 that links to its last page', async () => {
    const guest = new TestVisitor(t.app);
    const past = await guest.get('/works?page=999');
    assert.equal(past.statusCode, 404);
    assert.match(past.body, /<a href="\/works">Go to the last page \(page 1\)<\/a>/);
    assert.equal((await guest.get('/works?page=1')).statusCode, 200);
  });

  it('answers malformed requests with 4xx, never 500', async () => {
    const guest = new TestVisitor(t.app);
    for (const url of [
      '/works/abc',
      '/works/0',
      '/works/99999999999',
      '/works/1/chapters/x',
      '/works/%E0%A4%A',
      '/tags/%FF/works',
      '/works?page=-1',
    ]) {
      const r = await guest.get(url);
      assert.ok(r.statusCode >= 400 && r.statusCode < 500, `${url} gave ${r.statusCode}`);
    }
    const json = await t.app.inject({
      method: 'POST',
      url: '/works',
      headers: { 'content-type': 'application/json', cookie: `ff_csrf=${author.csrfToken}` },
      payload: '{bad',
    });
    assert.ok(json.statusCode >= 400 && json.statusCode < 500, `bad JSON gave ${json.statusCode}`);
    const weird = await t.app.inject({ method: 'POST', url: '/works', headers: { 'content-type': 'text/x-nonsense' }, payload: 'hello' });
    assert.equal(weird.statusCode, 415);
    const broken = await t.app.inject({
      method: 'POST',
      url: '/works',
      headers: { 'content-type': 'multipart/form-data; boundary=xyz', cookie: [...author.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      payload: '--xyz\r\nContent-Disposition: form-data; name="title"\r\n\r\nunterminated',
    });
    assert.ok(broken.statusCode >= 400 && broken.statusCode < 500, `broken multipart gave ${broken.statusCode}`);
    const huge = await author.post('/works', buildWorkForm({ body: 'word '.repeat(2_000_000) }));
    assert.equal(huge.statusCode, 413);
  });

  it("credits a work to a chosen pseud of the poster, never to someone else's", async () => {
    const added = await author.post('/users/author/pseuds', { name: 'Quill Name' });
    assert.equal(added.statusCode, 303);
    const again = await author.post('/users/author/pseuds', { name: 'quill name' });
    assert.equal(again.statusCode, 422);
    assert.match(again.body, /already have a pseud/);
    const form = await author.get('/works/new');
    assert.match(form.body, /Quill Name/);
    const pseud = await t.db.selectFrom('pseuds').select('id').where('name', '=', 'Quill Name').executeTakeFirstOrThrow();
    const posted = await author.post('/works', buildWorkForm({ title: 'Under A Pseud', pseud_id: String(pseud.id) }));
    const page = await new TestVisitor(t.app).get(String(posted.headers.location));
    assert.match(page.body, /Quill Name \(author\)/);
    assert.match((await new TestVisitor(t.app).get('/users/author/pseuds/Quill%20Name/works')).body, /Under A Pseud/);
    const thief = await new TestVisitor(t.app).signUp('pseud_thief');
    const stolen = await thief.post('/works', buildWorkForm({ title: 'Stolen Credit', pseud_id: String(pseud.id) }));
    assert.equal(stolen.statusCode, 403);
  });

  it('lists works by tag, by user and by pseud, and counts hits', async () => {
    const created = await author.post('/works', buildWorkForm({ title: 'Listed Work', fandoms: 'Listing Fandom' }));
    const id = workIdFrom(created.headers.location);
    const guest = new TestVisitor(t.app);
    assert.match((await guest.get('/tags/Listing%20Fandom/works')).body, /Listed Work/);
    assert.match((await guest.get('/users/author/works')).body, /Listed Work/);
    assert.match((await guest.get('/users/author/pseuds/author/works')).body, /Listed Work/);
    assert.equal((await guest.get('/tags/Nope/works')).statusCode, 404);
    await guest.get(`/works/${id}`);
    await guest.get(`/works/${id}`);
    await new TestVisitor(t.app).get(`/works/${id}`, { 'user-agent': 'another browser' });
    await author.get(`/works/${id}`);
    await t.app.close();
    const row = await t.db.selectFrom('works').select('hits').where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.hits, 2, 'one hit per visitor per day; the creator does not count');
  });
});
