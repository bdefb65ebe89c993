import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { feedparse } from '../downloads/test-tools.ts';

describe('Atom feeds', () => {
  let t: TestApp;
  let author: TestVisitor;
  let guest: TestVisitor;
  const ids: Record<string, number> = {};
  before(async () => {
    t = await createTestApp();
    author = await new TestVisitor(t.app).signUp('feedwriter');
    guest = new TestVisitor(t.app);
    const post = async (key: string, form: Record<string, string | string[]>) => {
      const r = await author.post('/works', buildWorkForm(form));
      assert.equal(r.statusCode, 303);
      ids[key] = Number(/\d+$/.exec(String(r.headers.location))![0]);
    };
    await post('first', {
      title: 'Tom & Jerry <Chase>',
      fandoms: 'Cartoons & Co',
      summary: 'A <b>bold</b> summary <script>alert(1)</script>',
      body: 'Chapter one text.',
    });
    await post('second', { title: 'Second Work', fandoms: 'Cartoons & Co', freeforms: 'Fluff' });
    await post('restricted', { title: 'Hidden Restricted', fandoms: 'Cartoons & Co', restricted: '1' });
    await post('draft', { title: 'Hidden Draft', fandoms: 'Cartoons & Co', action: 'draft' });
    const chapter = await author.post(`/works/${ids.first}/chapters`, {
      chapter_title: 'The Storm',
      chapter_summary: 'Rain & thunder.',
      text_format: 'html',
      body: '<p>It rained <em>hard</em>.<script>x()</script></p>',
    });
    assert.equal(chapter.statusCode, 303);
  });
  after(() => t.close());

  it('gives a tag feed that feedparser reads without errors, with only works guests may read', async () => {
    const r = await guest.get('/tags/Cartoons%20*a*%20Co/feed.atom');
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers['content-type'], 'application/atom+xml; charset=utf-8');
    const feed = feedparse(r.body);
    assert.equal(feed.bozo, 0, feed.bozo_exception);
    assert.equal(feed.feed.id, 'http://archive.test/tags/Cartoons%20*a*%20Co/feed.atom');
    assert.deepEqual(feed.entries.map((e) => e.title).sort(), ['Second Work', 'Tom & Jerry <Chase>']);
    const first = feed.entries.find((e) => e.title === 'Tom & Jerry <Chase>')!;
    assert.equal(first.id, `http://archive.test/works/${ids.first}`);
    assert.equal(first.link, `http://archive.test/works/${ids.first}`);
    assert.equal(first.author, 'feedwriter');
    assert.ok(first.published && first.updated);
    assert.match(String(first.summary), /<b>bold<\/b> summary/);
    assert.doesNotMatch(String(first.summary), /script/);
    assert.ok((first.tags as Array<{ term: string }>).some((tag) => tag.term === 'Cartoons & Co'));
  });

  it('gives a creator feed of their visible works', async () => {
    const r = await guest.get('/users/feedwriter/works/feed.atom');
    const feed = feedparse(r.body);
    assert.equal(feed.bozo, 0, feed.bozo_exception);
    assert.equal(feed.entries.length, 2);
    assert.equal(feed.feed.title, 'Works by feedwriter on Fanfold');
    assert.equal((await guest.get('/users/nobody-here/works/feed.atom')).statusCode, 404);
  });

  it("gives a work's chapters, newest first, with sanitized content", async () => {
    const r = await guest.get(`/works/${ids.first}/chapters/feed.atom`);
    assert.equal(r.statusCode, 200);
    const feed = feedparse(r.body);
    assert.equal(feed.bozo, 0, feed.bozo_exception);
    assert.deepEqual(
      feed.entries.map((e) => e.title),
      ['Tom & Jerry <Chase>: Chapter 2: The Storm', 'Tom & Jerry <Chase>: Chapter 1'],
    );
    const newest = feed.entries[0]!;
    assert.match(String(newest.id), new RegExp(`^http://archive\\.test/works/${ids.first}/chapters/\\d+$`));
    const content = (newest.content as Array<{ value: string }>)[0]!.value;
    assert.match(content, /It rained <em>hard<\/em>\./);
    assert.match(content, /Rain &amp; thunder\./);
    assert.doesNotMatch(content, /script/);
  });

  it('gives a series feed of the works guests may read, with their parts', async () => {
    const created = await author.post('/series', { title: 'Chase & Co', work_id: String(ids.second) });
    assert.equal(created.statusCode, 303);
    const seriesId = /\d+$/.exec(String(created.headers.location))![0];
    for (const key of ['first', 'restricted'])
      assert.equal((await author.post(`/series/${seriesId}/works`, { work_id: String(ids[key]) })).statusCode, 303);
    const r = await guest.get(`/series/${seriesId}/feed.atom`);
    assert.equal(r.statusCode, 200);
    const feed = feedparse(r.body);
    assert.equal(feed.bozo, 0, feed.bozo_exception);
    assert.deepEqual(feed.entries.map((e) => e.title).sort(), [
      'Second Work (Part 1 of Chase & Co)',
      'Tom & Jerry <Chase> (Part 2 of Chase & Co)',
    ]);
    assert.equal((await guest.get('/series/999999/feed.atom')).statusCode, 404);
  });

  it("applies the work's restrictions and answers unknown tags with 404", async () => {
    assert.equal((await guest.get(`/works/${ids.restricted}/chapters/feed.atom`)).statusCode, 401);
    assert.equal((await guest.get(`/works/${ids.draft}/chapters/feed.atom`)).statusCode, 404);
    assert.equal((await guest.get('/tags/No%20Such%20Tag/feed.atom')).statusCode, 404);
    assert.equal((await guest.get('/works/abc/chapters/feed.atom')).statusCode, 404);
  });
});
