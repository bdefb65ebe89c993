import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../test/app.ts';
import { seedArchive } from '../seed/seed.ts';
import { ensureFacetIndex } from '../search/facet-index-store.ts';
import { toMediaViews } from './directory.presenter.ts';
import { countFandomWorks, findCanonicalFandoms, findMediaTags } from './directory.repo.ts';
import { listFandomsOfMedia, listMedia } from './directory.service.ts';

describe('fandom directories on a seeded archive', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
    await seedArchive(t.db, { works: 3000, seed: 7, batchSize: 1000 });
  });
  after(() => t.close());

  it('files the seeded fandoms under their media, leaving a few for the wranglers', async () => {
    const media = await listMedia(t.db, 'guests');
    const byName = new Map(media.map((m) => [m.name, m]));
    assert.equal(byName.get('TV Shows')!.top[0]!.name, 'Supernatural', 'the biggest TV fandom of the seed comes first');
    assert.ok(byName.get('Anime & Manga')!.fandomCount > 0);
    assert.ok(byName.get('Books & Literature')!.top.some((f) => f.name === 'Harry Potter - J. K. Rowling'));
    assert.ok(byName.get('Uncategorized Fandoms')!.fandomCount > 0, 'some fandoms wait for a wrangler');
    // Every fandom with works appears under some media or Uncategorized; counts match the works.
    const tv = await listFandomsOfMedia(t.db, 'TV Shows', 'guests');
    const supernatural = tv!.groups.flatMap((g) => g.fandoms).find((f) => f.name === 'Supernatural')!;
    const direct = await t.db
      .selectFrom('works')
      .innerJoin('tags', (j) => j.on('tags.name', '=', 'Supernatural').on('tags.type', '=', 'fandom'))
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('works.is_draft', '=', false)
      .where('works.is_restricted', '=', false)
      .where((eb) => eb(eb.val(eb.ref('tags.id')), '=', eb.fn.any(eb.ref('works.filter_tag_ids'))))
      .executeTakeFirstOrThrow();
    assert.equal(supernatural.works, Number(direct.n));
  });

  it('counts the same from the search index as from SQL, for guests and for signed-in readers', async () => {
    await ensureFacetIndex(t.db);
    const media = await findMediaTags(t.db);
    const fandoms = await findCanonicalFandoms(t.db);
    for (const [audience, viewer] of [
      ['guests', null],
      ['members', { id: 0 }],
    ] as const) {
      const counts = await countFandomWorks(t.db, viewer);
      const fromSql = fandoms.map((f) => ({ ...f, works: counts.get(f.id) ?? 0 })).filter((f) => f.works > 0);
      assert.deepEqual(await listMedia(t.db, audience), toMediaViews(media, fromSql), audience);
    }
  });
});
