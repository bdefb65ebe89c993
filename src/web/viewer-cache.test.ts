import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_PREFERENCES } from '../accounts/reader-preferences.ts';
import { ViewerCache, writtenTables } from './viewer-cache.ts';

const viewer = (id: number) => ({
  viewer: { id, login: `u${id}`, isAdmin: false, defaultPseudId: id, defaultPseudName: `u${id}`, unreadInbox: 0 },
  preferences: { ...DEFAULT_PREFERENCES },
});

describe('viewer cache', () => {
  it('reads the tables a statement writes, from Kysely’s SQL and from hand-written SQL', () => {
    assert.deepEqual(writtenTables('delete from "sessions" where "token_hash" = $1'), [{ how: 'delete', table: 'sessions' }]);
    assert.deepEqual(writtenTables('insert into user_roles (user_id, role) select id from users'), [
      { how: 'insert', table: 'user_roles' },
    ]);
    assert.deepEqual(
      writtenTables('with gone as (delete from search_changes where x) select 1').map((w) => w.table),
      ['search_changes'],
    );
    assert.deepEqual(writtenTables('select 1 from "inbox_items" where "user_id" = $1'), []);
  });

  it('refuses a lookup that started before an invalidation, and keeps at most maxEntries', () => {
    let now = 0;
    const cache = new ViewerCache({ enabled: true, maxEntries: 2, ttlMs: 100, now: () => now });
    try {
      const stale = cache.ticket();
      cache.invalidateUser(1);
      cache.store('a', viewer(1), stale);
      assert.equal(cache.get('a'), undefined);
      cache.store('a', viewer(1), cache.ticket());
      cache.store('b', viewer(2), cache.ticket());
      cache.store('c', viewer(3), cache.ticket());
      assert.equal(cache.get('a'), undefined, 'the least recently used went first');
      assert.equal(cache.get('c')?.viewer.id, 3);
      cache.invalidateUser(3);
      assert.equal(cache.get('c'), undefined);
      now = 100;
      assert.equal(cache.get('b'), undefined, 'expired');
    } finally {
      cache.close();
    }
  });

  it('tells its listeners whenever viewers are dropped (what is kept beside them must not outlive a session)', () => {
    const cache = new ViewerCache({ enabled: true });
    let drops = 0;
    cache.onViewersDropped(() => drops++);
    try {
      cache.store('a', viewer(1), cache.ticket());
      cache.invalidateWork(1);
      assert.equal(drops, 0, 'a work’s answers are not viewers');
      cache.invalidateUser(1);
      assert.equal(drops, 1);
      cache.noticeFromElsewhere(2);
      assert.equal(drops, 2);
      cache.invalidateAll();
      assert.equal(drops, 3);
      cache.setLive(false);
      assert.equal(drops, 4);
    } finally {
      cache.close();
    }
  });

  it('serves and stores nothing while it cannot hear other processes', () => {
    const cache = new ViewerCache({ enabled: true });
    try {
      cache.store('a', viewer(1), cache.ticket());
      cache.setLive(false);
      assert.equal(cache.get('a'), undefined);
      cache.store('a', viewer(1), cache.ticket());
      cache.setLive(true);
      assert.equal(cache.get('a'), undefined);
    } finally {
      cache.close();
    }
  });
});
