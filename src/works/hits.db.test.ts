import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase } from '../../test/database.ts';
import type { DatabaseHandle } from '../db/connection.ts';
import { HitCounter } from './hits.ts';

describe('hit counting', () => {
  let handle: DatabaseHandle;
  let first: number;
  let second: number;

  before(async () => {
    handle = await createTestDatabase();
    const works = await handle.db
      .insertInto('works')
      .values([{ title: 'Counted' }, { title: 'Also counted' }])
      .returning('id')
      .execute();
    first = works[0]!.id;
    second = works[1]!.id;
  });
  after(() => handle.close());

  const hitsOf = async (workId: number) =>
    Number((await handle.db.selectFrom('works').select('hits').where('id', '=', workId).executeTakeFirstOrThrow()).hits);
  const dailyHits = async (workId: number) =>
    (await handle.db.selectFrom('work_hits_daily').select(['day', 'hits']).where('work_id', '=', workId).orderBy('day').execute()).map(
      (row) => `${new Date(row.day).toISOString().slice(0, 10)} ${row.hits}`,
    );

  it('counts one hit per visitor per work per UTC day, exactly at the day’s edges', async () => {
    let now = Date.parse('2026-12-06T23:59:59.999Z');
    const hits = new HitCounter(handle.db, () => now);
    hits.record(first, 'a');
    hits.record(first, 'a');
    hits.record(first, 'b');
    hits.record(second, 'a');
    await hits.flush();
    assert.equal(await hitsOf(first), 2);
    assert.equal(await hitsOf(second), 1);

    now = Date.parse('2026-12-07T00:00:00.000Z');
    hits.record(first, 'a');
    now = Date.parse('2026-12-07T23:59:59.999Z');
    hits.record(first, 'a');
    hits.record(second, 'a');
    await hits.flush();
    assert.equal(await hitsOf(first), 3, 'a new day counts the visitor again, once');
    assert.equal(await hitsOf(second), 2);
    assert.deepEqual(await dailyHits(first), ['2026-12-06 2', '2026-12-07 1']);

    // A clock set back to an earlier day starts that day's count again, as it always did.
    now = Date.parse('2026-12-06T12:00:00.000Z');
    hits.record(first, 'a');
    await hits.flush();
    assert.equal(await hitsOf(first), 4);
  });
});
