import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase } from '../../test/database.ts';
import { seedArchive } from './seed.ts';

/** What a reader could see of the archive, independent of ids. */
async function fingerprint(works: number, seed: number) {
  const handle = await createTestDatabase();
  try {
    const progress: number[] = [];
    const summary = await seedArchive(handle.db, { works, seed, batchSize: 50, onProgress: (done) => progress.push(done) });
    const rows = await sql<{ title: string; words: number; chapters: number; kudos: number; tags: string; creator: string }>`
      select w.title, w.word_count as words, w.chapter_count as chapters, w.kudos_count as kudos,
        (select string_agg(t.type || ':' || t.name, '|' order by wt.position) from work_tags wt join tags t on t.id = wt.tag_id where wt.work_id = w.id) as tags,
        (select string_agg(p.name, ',') from work_creators wc join pseuds p on p.id = wc.pseud_id where wc.work_id = w.id) as creator
      from works w order by w.id
    `.execute(handle.db);
    const synonyms = await sql<{ n: number }>`select count(*)::int as n from tags where merger_id is not null`.execute(handle.db);
    const chapters = await sql<{ n: number }>`select count(*)::int as n from chapters`.execute(handle.db);
    return { summary, rows: rows.rows, progress, synonyms: Number(synonyms.rows[0]!.n), chapters: Number(chapters.rows[0]!.n) };
  } finally {
    await handle.close();
  }
}

describe('fanfold seed', () => {
  it('builds the same archive for the same seed, a different one for another, with progress', async () => {
    const a = await fingerprint(150, 3);
    const b = await fingerprint(150, 3);
    const c = await fingerprint(150, 4);
    assert.equal(a.rows.length, 150);
    assert.deepEqual(a.rows, b.rows);
    assert.notDeepEqual(a.rows, c.rows);
    assert.deepEqual(a.progress, [50, 100, 150]);
    assert.equal(a.chapters, a.summary.chapters);
    assert.ok(a.synonyms > 0, 'additional tags have synonyms');
    assert.ok(a.rows.every((r) => r.tags.includes('rating:') && r.tags.includes('fandom:') && r.creator !== null));
    const words = a.rows.map((r) => r.words).sort((x, y) => x - y);
    assert.ok(words[words.length - 1]! > 5 * words[Math.floor(words.length / 2)]!, 'word counts have a long tail');
  });
});
