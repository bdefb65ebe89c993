import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import type { DatabaseHandle } from '../db/connection.ts';
import { createTestDatabase } from '../../test/database.ts';
import { TestVisitor } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { etagMatches, PageCache } from './page-cache.ts';

function workIdFrom(location: unknown): number {
  const match = /^\/works\/(\d+)$/.exec(String(location));
  assert.ok(match, `expected a redirect to a work, got ${String(location)}`);
  return Number(match[1]);
}

const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1];

describe('PageCache', () => {
  const page = (workId: number, html = `<p>${workId}</p>`) => ({ workId, route: '/works/:id', html });

  it('keeps a page until its TTL runs out', () => {
    let now = 1_000;
    const cache = new PageCache({ enabled: true, ttlMs: 5_000, now: () => now });
    cache.store('/works/1', page(1), cache.ticket());
    assert.equal(cache.get('/works/1')?.body.toString(), '<p>1</p>');
    now += 3_999;
    assert.ok(cache.get('/works/1'));
    // Near its expiry one reader is sent to render it again; the others still get it meanwhile.
    now += 1;
    assert.equal(cache.get('/works/1'), undefined);
    assert.ok(cache.get('/works/1'));
    now += 999;
    assert.ok(cache.get('/works/1'));
    now += 1;
    assert.equal(cache.get('/works/1'), undefined);
    assert.equal(cache.size, 0);
  });

  it('refreshes a page ahead of its expiry: a new copy resets the clock, and a failed refresh lets another reader try', () => {
    let now = 0;
    const cache = new PageCache({ enabled: true, ttlMs: 10_000, now: () => now });
    cache.store('/works/1', page(1), cache.ticket());
    now = 8_000;
    assert.equal(cache.get('/works/1'), undefined, 'the first reader past 80% refreshes');
    assert.ok(cache.get('/works/1'));
    now = 9_000;
    assert.equal(cache.get('/works/1'), undefined, 'that reader stored nothing within a second: the next one tries');
    cache.store('/works/1', page(1, '<p>new</p>'), cache.ticket());
    now = 16_000;
    assert.equal(cache.get('/works/1')?.body.toString(), '<p>new</p>');
  });

  it('drops every page of a work on invalidation, and refuses a page read before it', () => {
    const cache = new PageCache({ enabled: true, ttlMs: 60_000 });
    cache.store('/works/1', page(1), cache.ticket());
    cache.store('/works/1?view_full_work=true', page(1), cache.ticket());
    cache.store('/works/2', page(2), cache.ticket());
    const ticket = cache.ticket();
    cache.invalidateWork(1);
    assert.equal(cache.get('/works/1'), undefined);
    assert.equal(cache.get('/works/1?view_full_work=true'), undefined);
    assert.ok(cache.get('/works/2'));
    assert.equal(cache.store('/works/1', page(1, 'stale'), ticket), undefined, 'a render begun before the write is not stored');
    assert.ok(cache.store('/works/1', page(1, 'fresh'), cache.ticket()));
  });

  it('tells invalidation listeners which work changed', () => {
    const cache = new PageCache({ enabled: true, ttlMs: 60_000 });
    const seen: number[] = [];
    cache.onInvalidate((workId) => seen.push(workId));
    cache.invalidateWork(7);
    assert.deepEqual(seen, [7]);
  });

  it('evicts the least recently used page beyond its limits', () => {
    const cache = new PageCache({ enabled: true, ttlMs: 60_000, maxEntries: 2 });
    cache.store('/a', page(1), cache.ticket());
    cache.store('/b', page(2), cache.ticket());
    cache.get('/a');
    cache.store('/c', page(3), cache.ticket());
    assert.ok(cache.get('/a'));
    assert.equal(cache.get('/b'), undefined);
    assert.ok(cache.get('/c'));
    const small = new PageCache({ enabled: true, ttlMs: 60_000, maxBytes: 10 });
    small.store('/a', page(1, '12345678'), small.ticket());
    small.store('/b', page(2, '12345678'), small.ticket());
    assert.equal(small.get('/a'), undefined);
    assert.ok(small.get('/b'));
  });

  it('stores nothing when disabled', () => {
    const cache = new PageCache({ enabled: false, ttlMs: 60_000 });
    assert.equal(cache.store('/a', page(1), cache.ticket()), undefined);
  });

  it('compares ETags as If-None-Match asks', () => {
    assert.ok(etagMatches('"abc"', '"abc"'));
    assert.ok(etagMatches('"x", W/"abc"', '"abc"'));
    assert.ok(etagMatches('*', '"abc"'));
    assert.ok(!etagMatches('"abd"', '"abc"'));
    assert.ok(!etagMatches(undefined, '"abc"'));
  });
});

describe('anonymous page cache in the app', () => {
  let handle: DatabaseHandle;
  let app: FastifyInstance;
  let author: TestVisitor;
  let reader: TestVisitor;
  let workId: number;
  let url: string;
  const guest = (headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url, headers: { 'user-agent': 'guest-0', ...headers } });

  before(async () => {
    handle = await createTestDatabase();
    // A long TTL, so every change a guest sees below comes from invalidation.
    const config = loadConfig({ LOG_LEVEL: 'silent', BASE_URL: 'http://archive.test', PAGE_CACHE_TTL: '3600' });
    app = await buildApp({ db: handle.db, config }, { logger: false });
    await app.ready();
    author = await new TestVisitor(app).signUp('author');
    reader = await new TestVisitor(app).signUp('reader');
    const posted = await author.post('/works', buildWorkForm({ title: 'First Title' }));
    workId = workIdFrom(posted.headers.location);
    url = `/works/${workId}`;
  });
  let closed = false;
  after(async () => {
    if (!closed) await app.close();
    await handle.close();
  });

  it('serves a guest the same page twice, the second time from the cache, with no cookie', async () => {
    const first = await guest();
    assert.equal(first.statusCode, 200);
    assert.equal(titleOf(first.body), 'First Title | Fanfold');
    assert.equal(first.headers['set-cookie'], undefined, 'a page without a form sets no CSRF cookie');
    assert.ok(app.pageCache.get(url), 'stored after the first guest read');
    // Change the row behind the app's back: only a cached page can still show the old title.
    await handle.db.updateTable('works').set({ title: 'Changed Behind The Cache' }).where('id', '=', workId).execute();
    const second = await guest();
    assert.equal(second.statusCode, 200);
    assert.equal(second.body, first.body);
    assert.equal(second.headers.etag, first.headers.etag);
    assert.match(String(second.headers['content-security-policy']), /default-src 'self'/, 'security headers are replayed');
    assert.equal(second.headers['x-content-type-options'], 'nosniff');
    assert.equal(second.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(second.headers['set-cookie'], undefined);
  });

  it('answers a matching If-None-Match with 304 and no body', async () => {
    const page = await guest();
    const etag = String(page.headers.etag);
    assert.match(etag, /^"[A-Za-z0-9_-]+"$/);
    const notModified = await guest({ 'if-none-match': etag });
    assert.equal(notModified.statusCode, 304);
    assert.equal(notModified.body, '');
    assert.equal(notModified.headers.etag, etag);
    assert.equal((await guest({ 'if-none-match': '"something-else"' })).statusCode, 200);
  });

  it("shows a guest the creator's edit immediately", async () => {
    const edited = await author.post(url, buildWorkForm({ title: 'Second Title' }));
    assert.equal(edited.statusCode, 303);
    const page = await guest();
    assert.equal(titleOf(page.body), 'Second Title | Fanfold');
    const again = await guest();
    assert.equal(again.body, page.body);
  });

  it('never gives a signed-in reader the cached page', async () => {
    assert.ok(app.pageCache.get(url));
    const page = await reader.get(url);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /href="\/users\/reader"/, 'the reader sees their own header');
    assert.match(page.body, /Log out/);
    assert.doesNotMatch(page.body, /href="\/login"/);
    assert.notEqual(page.headers['cache-control'], 'no-cache');
    // The creator sees their edit buttons, never the guest page either.
    const own = await author.get(url);
    assert.match(own.body, /Edit work/);
    // And the guest page never carries them.
    assert.doesNotMatch((await guest()).body, /Edit work|Log out/);
  });

  it('renders afresh for a guest with a one-time notice, and does not store it', async () => {
    const withFlash = await guest({ cookie: `ff_flash=${encodeURIComponent('You have been logged out.')}` });
    assert.match(withFlash.body, /You have been logged out\./);
    assert.doesNotMatch((await guest()).body, /You have been logged out\./);
  });

  it('never serves a restricted work or a draft to a guest from the cache', async () => {
    const restricted = workIdFrom(
      (await author.post('/works', buildWorkForm({ title: 'Members Only', restricted: '1' }))).headers.location,
    );
    assert.equal((await reader.get(`/works/${restricted}`)).statusCode, 200);
    assert.equal(app.pageCache.get(`/works/${restricted}`), undefined, 'a page rendered for a member is not stored');
    const asGuest = await app.inject({ method: 'GET', url: `/works/${restricted}` });
    assert.equal(asGuest.statusCode, 401);
    assert.doesNotMatch(asGuest.body, /Members Only/);

    // A cached public work that its creator restricts is gone from the cache at once.
    assert.equal((await guest()).statusCode, 200);
    assert.ok(app.pageCache.get(url));
    assert.equal((await author.post(url, buildWorkForm({ title: 'Second Title', restricted: '1' }))).statusCode, 303);
    assert.equal((await guest()).statusCode, 401);
    assert.equal(app.pageCache.get(url), undefined);
    assert.equal((await author.post(url, buildWorkForm({ title: 'Second Title' }))).statusCode, 303);

    const draft = await author.post('/works', buildWorkForm({ title: 'Secret Draft', action: 'draft' }));
    const draftId = workIdFrom(draft.headers.location);
    assert.equal((await author.get(`/works/${draftId}`)).statusCode, 200);
    assert.equal((await app.inject({ method: 'GET', url: `/works/${draftId}` })).statusCode, 404);
    assert.equal(app.pageCache.get(`/works/${draftId}`), undefined);
  });

  it('keeps CSRF protection: forms still set the cookie, and a post without the token is refused', async () => {
    const login = await app.inject({ method: 'GET', url: '/login' });
    assert.match(String(login.headers['set-cookie']), /ff_csrf=/);
    const noToken = await app.inject({
      method: 'POST',
      url: `/works/${workId}`,
      headers: { cookie: `ff_session=x`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'title=Hijack',
    });
    assert.equal(noToken.statusCode, 403);
  });

  it('counts hits for pages served from the cache', async () => {
    const counted = workIdFrom((await author.post('/works', buildWorkForm({ title: 'Counted' }))).headers.location);
    const countedUrl = `/works/${counted}`;
    const visit = (agent: string) => app.inject({ method: 'GET', url: countedUrl, headers: { 'user-agent': agent } });
    assert.equal((await visit('visitor-0')).statusCode, 200);
    assert.ok(app.pageCache.get(countedUrl), 'the next visits come from the cache');
    for (let i = 1; i <= 3; i++) assert.equal((await visit(`visitor-${i}`)).statusCode, 200);
    await visit('visitor-1'); // the same visitor the same day: not a new hit
    await app.close(); // flushes the buffered hits
    closed = true;
    const row = await handle.db.selectFrom('works').select('hits').where('id', '=', counted).executeTakeFirstOrThrow();
    assert.equal(row.hits, 4);
  });
});
