import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../db/connection.ts';
import { seedArchive } from '../seed/seed.ts';
import { createTestDatabase } from '../../test/database.ts';
import { FacetIndex } from './facet-index.ts';
import { decodeSnapshot, encodeSnapshot, findLatestSnapshot } from './facet-index-snapshot.ts';
import {
  configureFacetIndex,
  currentFacetIndex,
  dropFacetIndex,
  ensureFacetIndex,
  lastSnapshotLoad,
  shareFacetIndex,
} from './facet-index-store.ts';
import { emptyFilters, type SearchFilters } from './search.schema.ts';
import { readSearchGeneration } from './search.repo.ts';
import { searchWorks } from './search.service.ts';

// A process starts from the stored snapshot (decision 040) and catches up from the change log:
// what it then answers must be what SQL answers, and one process builds while the others wait.

const SEARCHES: Array<Partial<SearchFilters>> = [
  {},
  { complete: 'complete', sort: 'kudos' },
  { q: 'library', sort: 'best' },
  { crossover: 'only', sort: 'words', direction: 'asc' },
];

async function assertAnswersLikeSql(handle: DatabaseHandle): Promise<void> {
  for (const overrides of SEARCHES) {
    const filters = emptyFilters(overrides);
    const fromIndex = await searchWorks(handle.db, null, filters, { cache: false, index: true });
    const fromSql = await searchWorks(handle.db, null, filters, { cache: false, index: false });
    const label = JSON.stringify(overrides);
    assert.deepEqual(
      fromIndex.rows.map((r) => r.id),
      fromSql.rows.map((r) => r.id),
      `page of ${label}`,
    );
    assert.equal(fromIndex.total, fromSql.total, `total of ${label}`);
    assert.deepEqual(fromIndex.facets, fromSql.facets, `sidebar of ${label}`);
  }
}

describe('the facet index snapshot', () => {
  let handle: DatabaseHandle;

  before(async () => {
    handle = await createTestDatabase();
    await seedArchive(handle.db, { works: 120, seed: 5, batchSize: 60 });
  });
  after(() => handle.close());

  it('encodes and decodes an index to the same bytes', async () => {
    dropFacetIndex(handle.db);
    const built = await ensureFacetIndex(handle.db);
    assert.ok(built);
    const parts = built.toSnapshotParts();
    assert.ok(parts, 'a full build can be stored');
    const bytes = encodeSnapshot(parts, 1000);
    const decoded = decodeSnapshot(bytes);
    assert.equal(decoded.maxTextPostings, 1000);
    const again = FacetIndex.fromSnapshotParts(decoded.parts);
    assert.deepEqual(encodeSnapshot(again.toSnapshotParts()!, 1000), bytes);
    assert.equal(again.generation, built.generation);
    assert.deepEqual(Array.from(again.perm('kudos')), Array.from(built.perm('kudos')));
  });

  it('is built and stored by the first process, then loaded and caught up by the next', async () => {
    await sql`delete from search_cache.index_snapshot_parts`.execute(handle.db);
    await sql`delete from search_cache.index_snapshots`.execute(handle.db);
    dropFacetIndex(handle.db);
    configureFacetIndex(handle.db, { snapshots: true });
    const first = await ensureFacetIndex(handle.db);
    assert.ok(first);
    assert.equal(lastSnapshotLoad(handle.db), null, 'nothing to load yet: built');
    const stored = await findLatestSnapshot(handle.db);
    assert.equal(stored?.generation, first.generation);
    assert.equal(stored?.works, 120);

    // Writes after the snapshot: a restarted process must see them.
    const [a, b] = (await sql<{ id: number }>`select id from works order by id limit 2`.execute(handle.db)).rows;
    await sql`update works set is_complete = not is_complete, word_count = word_count + 7 where id = ${a!.id}`.execute(handle.db);
    await sql`update works set is_draft = true where id = ${b!.id}`.execute(handle.db);

    dropFacetIndex(handle.db); // a restart: this process's index is gone, the stored one is not
    configureFacetIndex(handle.db, { snapshots: true });
    const loaded = await ensureFacetIndex(handle.db);
    assert.ok(loaded);
    const load = lastSnapshotLoad(handle.db);
    assert.ok(load, 'started from the snapshot');
    assert.equal(load.changes, 2, 'caught up with the two changed works');
    assert.equal(loaded.generation, await readSearchGeneration(handle.db));
    await assertAnswersLikeSql(handle);
    await sql`update works set is_draft = false where id = ${b!.id}`.execute(handle.db);
  });

  it('is not used when its text budget differs from this process’s', async () => {
    dropFacetIndex(handle.db);
    configureFacetIndex(handle.db, { snapshots: true, maxTextPostings: 50 });
    try {
      const index = await ensureFacetIndex(handle.db);
      assert.ok(index);
      assert.equal(lastSnapshotLoad(handle.db), null);
      assert.equal(index.text, null, 'built with this process’s budget');
    } finally {
      dropFacetIndex(handle.db);
    }
  });

  it('is not used for an archive that changed without the change log (a restore)', async () => {
    dropFacetIndex(handle.db);
    configureFacetIndex(handle.db, { snapshots: true });
    assert.ok(await ensureFacetIndex(handle.db));
    // As a restore does: rows written with the triggers off never reach the change log.
    const tables = ['works', 'work_tags', 'work_creators', 'chapters'];
    await handle.db.transaction().execute(async (trx) => {
      for (const table of tables) await sql`alter table ${sql.table(table)} disable trigger user`.execute(trx);
      await sql`delete from work_tags where work_id = (select max(id) from works)`.execute(trx);
      await sql`delete from work_creators where work_id = (select max(id) from works)`.execute(trx);
      await sql`delete from chapters where work_id = (select max(id) from works)`.execute(trx);
      await sql`delete from works where id = (select max(id) from works)`.execute(trx);
      for (const table of tables) await sql`alter table ${sql.table(table)} enable trigger user`.execute(trx);
    });
    dropFacetIndex(handle.db);
    configureFacetIndex(handle.db, { snapshots: true });
    const index = await ensureFacetIndex(handle.db);
    assert.ok(index);
    assert.equal(lastSnapshotLoad(handle.db), null, 'the snapshot disagreed with the archive: rebuilt');
    assert.equal(index.live, 119);
    await assertAnswersLikeSql(handle);
  });

  it('is built by one process at a time: the others wait for it', async () => {
    await sql`delete from search_cache.index_snapshot_parts`.execute(handle.db);
    await sql`delete from search_cache.index_snapshots`.execute(handle.db);
    await sql`insert into search_cache.build_lease (id, holder, expires_at) values (1, 'another process', now() + interval '1 hour')
      on conflict (id) do update set holder = excluded.holder, expires_at = excluded.expires_at`.execute(handle.db);
    dropFacetIndex(handle.db);
    configureFacetIndex(handle.db, { snapshots: true });
    let done = false;
    const waiting = ensureFacetIndex(handle.db).then((index) => {
      done = true;
      return index;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(done, false, 'waits while another process holds the lease');
    assert.equal(await currentFacetIndex(handle.db, await readSearchGeneration(handle.db)), null, 'searches use SQL meanwhile');
    // The other process is gone (its lease lapsed): this one builds and stores the snapshot.
    await sql`update search_cache.build_lease set expires_at = now() - interval '1 second'`.execute(handle.db);
    const index = await waiting;
    assert.ok(index);
    assert.ok(await findLatestSnapshot(handle.db));
    const lease = await sql`select 1 from search_cache.build_lease`.execute(handle.db);
    assert.equal(lease.rows.length, 0, 'the lease is released after the build');
  });

  it('is one index per process when reads go through another handle (replicas)', async () => {
    const reads = handle.db.withPlugin({ transformQuery: (args) => args.node, transformResult: async (args) => args.result });
    shareFacetIndex(reads, handle.db);
    const index = await ensureFacetIndex(handle.db);
    assert.ok(index);
    assert.equal(await currentFacetIndex(reads, await readSearchGeneration(reads)), index);
  });
});
