import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type MemberPage, memberPageKeyOf, PageCache, type RequestHead } from './page-cache.ts';
import type { Viewer } from './viewer.ts';

const viewer: Viewer = { id: 7, login: 'reader', isAdmin: false, defaultPseudId: 7, defaultPseudName: 'reader', unreadInbox: 0 };

/** A kept page whose currency the test decides. */
function memberPage(workId: number, state: { current: boolean }): MemberPage {
  return {
    workId,
    route: '/works/:id',
    body: Buffer.from(`<p>work ${workId}</p>`),
    headers: {},
    viewer,
    current: () => state.current,
  };
}

const request = (url: string, cookie: string | undefined): RequestHead => ({ url, headers: cookie === undefined ? {} : { cookie } });

/** Keeps a page for this request under the key the routes store it under. */
function keep(cache: PageCache, head: RequestHead, workId: number, state = { current: true }): typeof state {
  const key = memberPageKeyOf(head);
  assert.ok(key, 'a member key');
  cache.storeMemberPage(key, memberPage(workId, state));
  return state;
}

describe('the page cache’s remembered member sessions', () => {
  it('answers a reader’s kept page by the hash it remembers for their Cookie header, as memberPageKeyOf keys it', () => {
    const cache = new PageCache({ enabled: true, ttlMs: 60_000 });
    const cookie = 'ff_csrf=token-a; ff_session=session-a';
    keep(cache, request('/works/1', cookie), 1);
    assert.equal(cache.memberSessionCount, 0, 'nothing remembered before a page is answered');
    assert.equal(cache.answer(request('/works/1', cookie))?.workId, 1);
    assert.equal(cache.memberSessionCount, 1);
    assert.equal(cache.answer(request('/works/1', cookie))?.workId, 1, 'answered from the remembered hash');
    // The same reader's page of another work, kept later, is found through the same remembered header.
    keep(cache, request('/works/2', cookie), 2);
    assert.equal(cache.answer(request('/works/2', cookie))?.workId, 2);
    assert.equal(cache.memberSessionCount, 1);
    // Another session with the same CSRF token gets nothing of this reader's.
    assert.equal(cache.answer(request('/works/1', 'ff_csrf=token-a; ff_session=session-b')), undefined);
    // A page not kept yet is a miss that forgets nothing.
    assert.equal(cache.answer(request('/works/3', cookie)), undefined);
    assert.equal(cache.memberSessionCount, 1);
  });

  it('remembers nothing for headers that were not answered a page: a notice due, no CSRF cookie, an unknown session', () => {
    const cache = new PageCache({ enabled: true, ttlMs: 60_000 });
    keep(cache, request('/works/1', 'ff_csrf=t; ff_session=s'), 1);
    assert.equal(cache.answer(request('/works/1', 'ff_csrf=t; ff_session=s; ff_flash=notice')), undefined);
    assert.equal(cache.answer(request('/works/1', 'ff_session=s')), undefined);
    for (let i = 0; i < 50; i++) assert.equal(cache.answer(request('/works/1', `ff_csrf=t; ff_session=guess-${i}`)), undefined);
    assert.equal(cache.memberSessionCount, 0);
  });

  it('forgets a session whose page stopped being current, and every session when told to (the viewer cache dropped viewers)', () => {
    const cache = new PageCache({ enabled: true, ttlMs: 60_000 });
    const a = 'ff_csrf=ta; ff_session=sa';
    const b = 'ff_csrf=tb; ff_session=sb';
    const pageA = keep(cache, request('/works/1', a), 1);
    keep(cache, request('/works/1', b), 1);
    cache.answer(request('/works/1', a));
    cache.answer(request('/works/1', b));
    assert.equal(cache.memberSessionCount, 2);
    pageA.current = false;
    assert.equal(cache.answer(request('/works/1', a)), undefined, 'a page made before the session ended is not served');
    assert.equal(cache.memberSessionCount, 1, 'and its session is forgotten');
    cache.forgetMemberSessions();
    assert.equal(cache.memberSessionCount, 0);
    assert.equal(cache.answer(request('/works/1', b))?.workId, 1, 'still answered, hashing again');
    cache.clear();
    assert.equal(cache.memberSessionCount, 0);
  });

  it('remembers at most maxEntries sessions, the oldest going first', () => {
    const cache = new PageCache({ enabled: true, ttlMs: 60_000, maxEntries: 3 });
    for (let i = 0; i < 10; i++) {
      const cookie = `ff_csrf=t${i}; ff_session=s${i}`;
      keep(cache, request('/works/1', cookie), 1);
      assert.equal(cache.answer(request('/works/1', cookie))?.workId, 1);
      assert.ok(cache.memberSessionCount <= 3);
    }
    assert.equal(cache.memberSessionCount, 3);
    cache.forgetMemberSessions();
    // A header padded past the limit is answered, hashing each time, and never remembered.
    const padded = `ff_csrf=t0; ff_session=s0; pad=${'x'.repeat(4096)}`;
    keep(cache, request('/works/2', padded), 2);
    assert.equal(cache.answer(request('/works/2', padded))?.workId, 2);
    assert.equal(cache.memberSessionCount, 0);
  });
});
