import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../db/connection.ts';
import { seedArchive } from '../seed/seed.ts';
import { createTestDatabase } from '../../test/database.ts';
import { emptyFilters } from './search.schema.ts';
import { TEXT_FIELDS, type FacetIndex, type NumberKey } from './facet-index.ts';
import { configureFacetIndex, currentFacetIndex, dropFacetIndex, ensureFacetIndex, reloadCounters } from './facet-index-store.ts';
import { readSearchGeneration } from './search.repo.ts';
import { searchWorks } from './search.service.ts';

// The index is read in chunks with turns of the event loop between them (PGlite runs every query
// in this thread): how the works are cut must never change what the index holds.

const NUMBER_KEYS: NumberKey[] = ['words', 'chapters', 'hits', 'kudos', 'comments', 'bookmarks', 'posted', 'updated', 'ratio'];

/** Everything an index holds, as plain values to compare. */
function contentsOf(index: FacetIndex): Record<string, unknown> {
  const keyCount = index.baseCounts[0].length;
  const listsOf = (positions: (key: number) => Int32Array, keys: number) =>
    Array.from({ length: keys }, (_, k) => Array.from(positions(k)));
  return {
    generation: index.generation,
    n: index.n,
    ids: Array.from(index.ids),
    flags: Array.from(index.flags),
    lang: Array.from(index.lang),
    langCodes: [...index.langCodes],
    fandoms: Array.from(index.fandoms),
    num: Object.fromEntries(Object.entries(index.num).map(([k, v]) => [k, Array.from(v)])),
    tagStart: Array.from(index.tagStart),
    tagList: Array.from(index.tagList),
    tags: listsOf((k) => index.tags.positions(k), keyCount),
    tagType: [...index.tagType],
    tagName: [...index.tagName],
    facetType: Array.from(index.facetType),
    baseCounts: index.baseCounts.map((c) => Array.from(c)),
    baseSize: index.baseSize,
    lexemes: index.text ? [...index.text.lexemeIds] : null,
    text: index.text ? TEXT_FIELDS.map((f) => listsOf((k) => index.text!.fields[f].positions(k), index.text!.lexemeIds.size)) : null,
    perms: NUMBER_KEYS.map((k) => Array.from(index.perm(k))),
  };
}

describe('the facet index loads in chunks', () => {
  let handle: DatabaseHandle;

  before(async () => {
    handle = await createTestDatabase();
    await seedArchive(handle.db, { works: 80, seed: 11, batchSize: 40, longTextEvery: 40 });
  });
  after(() => handle.close());

  async function buildWith(chunkSize: number): Promise<FacetIndex> {
    dropFacetIndex(handle.db);
    configureFacetIndex(handle.db, { chunkSize });
    const index = await ensureFacetIndex(handle.db);
    assert.ok(index, 'the index builds');
    return index;
  }

  it('holds the same works, tags, text and orders whatever the chunk size', async () => {
    const whole = contentsOf(await buildWith(100_000));
    assert.equal(whole.n, 80);
    for (const chunkSize of [1, 7, 79, 80, 0]) {
      assert.deepEqual(contentsOf(await buildWith(chunkSize)), whole, `chunks of ${chunkSize || 'a size set by their cost'}`);
    }
  });

  it('lets the event loop run between chunks', async () => {
    let turns = 0;
    let building = true;
    const tick = () => {
      turns++;
      if (building) setImmediate(tick);
    };
    setImmediate(tick);
    try {
      await buildWith(7);
    } finally {
      building = false;
    }
    // Each chunk's queries are preceded by a turn of their own.
    assert.ok(turns >= Math.ceil(80 / 7), `the loop turned ${turns} times during a load of 12 chunks`);
  });

  it('catches up and reloads counters in chunks, and answers as SQL does', async () => {
    const built = await buildWith(7);
    try {
      const ids = (await handle.db.selectFrom('works').select('id').orderBy('id').execute()).map((r) => r.id);
      const changed = ids.filter((_, k) => k % 3 === 0);
      await sql`update works set title = title || ' revisited' where id = any(${changed}::int[])`.execute(handle.db);
      const index = await currentFacetIndex(handle.db, await readSearchGeneration(handle.db));
      assert.ok(index, 'the index caught up');
      assert.equal(index.n, built.n + changed.length, 'each changed work appended once');
      for (const filters of [emptyFilters({}), emptyFilters({ q: 'revisited', sort: 'best' }), emptyFilters({ sort: 'words', page: 2 })]) {
        for (const viewer of [null, { id: 1 }]) {
          const fromSql = await searchWorks(handle.db, viewer, filters, { cache: false, index: false, perPage: 10 });
          const fromIndex = await searchWorks(handle.db, viewer, filters, { cache: false, index: true, perPage: 10 });
          const what = `${JSON.stringify({ q: filters.q, sort: filters.sort, page: filters.page })} as ${viewer ? 'member' : 'guest'}`;
          assert.deepEqual(
            fromIndex.rows.map((r) => r.id),
            fromSql.rows.map((r) => r.id),
            what,
          );
          assert.equal(fromIndex.total, fromSql.total, what);
          assert.deepEqual(fromIndex.facets, fromSql.facets, what);
        }
      }

      await sql`update works set hits = hits + 1000 + id % 13`.execute(handle.db);
      assert.equal(await readSearchGeneration(handle.db), index.generation, 'counters do not move the generation');
      await reloadCounters(handle.db, index);
      const hits = await handle.db.selectFrom('works').select(['id', 'hits']).execute();
      for (const { id, hits: h } of hits) assert.equal(index.num.hits[index.indexOf(id)], h, `hits of work ${id}`);
    } finally {
      configureFacetIndex(handle.db, { chunkSize: 0 });
    }
  });
});
