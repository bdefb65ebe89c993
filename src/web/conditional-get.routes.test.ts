import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';

// Feed readers and e-reader apps poll: a feed or catalogue they already have costs a 304.
describe('conditional GETs of feeds and OPDS catalogues', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ PAGE_CACHE: 'off' });
    const writer = await new TestVisitor(t.app).signUp('feed_writer');
    await writer.post('/works', buildWorkForm({ fandoms: 'Test Fandom' }));
  });
  after(() => t.close());

  for (const url of ['/opds', '/opds/recent', '/tags/Test%20Fandom/feed.atom', '/users/feed_writer/works/feed.atom']) {
    it(`answers ${url} with an ETag and a 304 for If-None-Match`, async (context) => {
      context.mock.timers.enable({ apis: ['Date'], now: Date.now() });
      const first = await t.app.inject({ method: 'GET', url });
      assert.equal(first.statusCode, 200);
      const etag = String(first.headers.etag);
      assert.match(etag, /^"[A-Za-z0-9_-]+"$/);
      // a reader polls later: an unchanged catalogue is still unchanged when the clock has moved on
      context.mock.timers.tick(5_000);
      const again = await t.app.inject({ method: 'GET', url, headers: { 'if-none-match': etag } });
      assert.equal(again.statusCode, 304);
      assert.equal(again.body, '');
      const changed = await t.app.inject({ method: 'GET', url, headers: { 'if-none-match': '"stale"' } });
      assert.equal(changed.statusCode, 200);
      assert.equal(changed.body, first.body);
    });
  }
});
