import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { feedparse } from '../downloads/test-tools.ts';

type Link = { rel: string; href: string; type?: string };
const links = (o: Record<string, unknown>) => (o.links ?? []) as Link[];

describe('OPDS catalogue', () => {
  let t: TestApp;
  let guest: TestVisitor;
  before(async () => {
    t = await createTestApp();
    const author = await new TestVisitor(t.app).signUp('opdswriter');
    for (let i = 1; i <= 27; i++) {
      const r = await author.post(
        '/works',
        buildWorkForm({ title: `Work ${i}`, fandoms: i % 2 ? 'Odd Fandom' : 'Even & Fandom', freeforms: 'Fluff' }),
      );
      assert.equal(r.statusCode, 303);
    }
    await author.post('/works', buildWorkForm({ title: 'Secret Restricted', fandoms: 'Odd Fandom', restricted: '1' }));
    guest = new TestVisitor(t.app);
  });
  after(() => t.close());

  const read = async (url: string, kind: 'navigation' | 'acquisition') => {
    const r = await guest.get(url);
    assert.equal(r.statusCode, 200, `${url}: ${r.body.slice(0, 200)}`);
    assert.equal(r.headers['content-type'], `application/atom+xml;profile=opds-catalog;kind=${kind};charset=utf-8`);
    const feed = feedparse(r.body);
    assert.equal(feed.bozo, 0, feed.bozo_exception);
    return feed;
  };

  it('has a root navigation feed linking to recent works, fandoms, tags, creators and search', async () => {
    const root = await read('/opds', 'navigation');
    assert.deepEqual(
      root.entries.map((e) => e.title),
      ['Recently updated works', 'Fandoms', 'Tags', 'Creators'],
    );
    const search = links(root.feed).find((l) => l.rel === 'search');
    assert.equal(search?.href, 'http://archive.test/opds/search.xml');
    assert.equal(search?.type, 'application/opensearchdescription+xml');
    assert.ok(links(root.feed).some((l) => l.rel === 'start'));
    const recent = links(root.entries[0]!).find((l) => l.rel === 'subsection');
    assert.equal(recent?.type, 'application/atom+xml;profile=opds-catalog;kind=acquisition');
  });

  it('pages acquisition feeds with EPUB acquisition links, hiding restricted works', async () => {
    const first = await read('/opds/recent', 'acquisition');
    assert.equal(first.entries.length, 25);
    const next = links(first.feed).find((l) => l.rel === 'next');
    assert.equal(next?.href, 'http://archive.test/opds/recent?page=2');
    const second = await read('/opds/recent?page=2', 'acquisition');
    assert.equal(second.entries.length, 2);
    assert.ok(links(second.feed).some((l) => l.rel === 'previous' && l.href === 'http://archive.test/opds/recent'));
    assert.ok(!links(second.feed).some((l) => l.rel === 'next'));
    const all = [...first.entries, ...second.entries].map((e) => e.title);
    assert.ok(!all.includes('Secret Restricted'));
    const entry = first.entries[0]!;
    const epub = links(entry).find((l) => l.rel === 'http://opds-spec.org/acquisition' && l.type === 'application/epub+zip');
    assert.ok(epub, 'an EPUB acquisition link');
    const download = await guest.get(epub.href.replace('http://archive.test', ''));
    assert.equal(download.statusCode, 200);
    assert.equal(download.headers['content-type'], 'application/epub+zip');
    assert.equal(entry.author, 'opdswriter');
  });

  it('browses by fandom, tag and creator', async () => {
    const fandoms = await read('/opds/fandoms', 'navigation');
    assert.deepEqual(
      fandoms.entries.map((e) => e.title),
      ['Odd Fandom', 'Even & Fandom'],
    );
    const even = links(fandoms.entries[1]!).find((l) => l.rel === 'subsection')!;
    const works = await read(even.href.replace('http://archive.test', ''), 'acquisition');
    assert.equal(works.entries.length, 13);
    const tags = await read('/opds/tags', 'navigation');
    assert.ok(tags.entries.some((e) => e.title === 'Fluff'));
    const creators = await read('/opds/creators', 'navigation');
    assert.deepEqual(
      creators.entries.map((e) => e.title),
      ['opdswriter'],
    );
    const byCreator = await read('/opds/creators/opdswriter?page=2', 'acquisition');
    assert.equal(byCreator.entries.length, 2);
    assert.equal((await guest.get('/opds/tags/Nothing%20Here')).statusCode, 404);
    assert.equal((await guest.get('/opds/recent?page=zero')).statusCode, 400);
  });

  it('describes its search with OpenSearch and answers searches with an acquisition feed', async () => {
    const description = await guest.get('/opds/search.xml');
    assert.equal(description.headers['content-type'], 'application/opensearchdescription+xml;charset=utf-8');
    const template = /<Url type="application\/atom\+xml;profile=opds-catalog;kind=acquisition" template="([^"]+)"/.exec(
      description.body,
    )?.[1];
    assert.equal(template, 'http://archive.test/opds/search?q={searchTerms}&amp;page={startPage?}');
    const found = await read('/opds/search?q=work%2027', 'acquisition');
    assert.deepEqual(
      found.entries.map((e) => e.title),
      ['Work 27'],
    );
    const byTag = await read('/opds/search?q=even%20%26', 'acquisition');
    assert.equal(byTag.entries.length, 13);
    const none = await read('/opds/search?q=%25', 'acquisition');
    assert.equal(none.entries.length, 0);
  });
});
