import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';

// A reader's kept page is found by their session's hash, remembered per Cookie header
// (page-cache.ts, memberSessions): a logout must leave nothing of the session behind.
describe('remembered member sessions and logging out', () => {
  let t: TestApp;
  let reader: TestVisitor;
  let url: string;

  before(async () => {
    t = await createTestApp();
    const author = await new TestVisitor(t.app).signUp('memoauthor');
    reader = await new TestVisitor(t.app).signUp('memoreader');
    const posted = await author.post('/works', buildWorkForm({ title: 'Kept Pages', rating: 'General Audiences' }));
    url = String(posted.headers.location);
  });
  after(() => t.close());

  it('forgets the session when the reader logs out, and serves the old cookie no kept page', async () => {
    // Made through the routes until the page is kept whole (the shared part first, then the reader's answers).
    for (let visit = 0; visit < 6 && t.app.pageCache.memberPageCount === 0; visit++) {
      const page = await reader.get(url);
      assert.equal(page.statusCode, 200);
    }
    assert.equal(t.app.pageCache.memberPageCount, 1, 'the reader’s page is kept');
    const cookie = [...reader.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const kept = await reader.get(url);
    assert.match(kept.body, /href="\/users\/memoreader"/);
    assert.equal(t.app.pageCache.memberSessionCount, 1, 'answered from the kept page, its session remembered');

    const out = await reader.post('/logout');
    assert.equal(out.statusCode, 303);
    assert.equal(t.app.pageCache.memberSessionCount, 0, 'the logout dropped the viewer, and the session with it');

    const stale = await t.app.inject({ method: 'GET', url, headers: { cookie } });
    assert.equal(stale.statusCode, 200);
    assert.doesNotMatch(stale.body, /memoreader/, 'the old cookie reads as a guest');
    assert.equal(t.app.pageCache.memberSessionCount, 0);
  });
});
