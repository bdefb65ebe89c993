import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';

// Changes to a work's chapter list take turns on the work's row: on PostgreSQL two requests
// really run at once, and without the lock both would take the same next position.

describe('concurrent changes to a work’s chapters', () => {
  let t: TestApp;
  let author: TestVisitor;
  let workId: number;

  before(async () => {
    t = await createTestApp();
    author = await new TestVisitor(t.app).signUp('chapterwriter');
    const posted = await author.post('/works', buildWorkForm({ title: 'Many Chapters' }));
    assert.equal(posted.statusCode, 303, posted.body.slice(0, 300));
    workId = Number(/^\/works\/(\d+)$/.exec(String(posted.headers.location))![1]);
  });
  after(() => t.close());

  it('adds chapters sent at the same moment one after another, each at its own position', async () => {
    const added = await Promise.all(
      [1, 2, 3, 4].map((k) =>
        author.post(`/works/${workId}/chapters`, { chapter_title: `Part ${k}`, text_format: 'plain', body: `Chapter text ${k}.` }),
      ),
    );
    for (const r of added) assert.equal(r.statusCode, 303, r.body.slice(0, 300));
    const chapters = await t.db
      .selectFrom('chapters')
      .select(['position', 'title'])
      .where('work_id', '=', workId)
      .orderBy('position')
      .execute();
    assert.deepEqual(
      chapters.map((c) => c.position),
      [1, 2, 3, 4, 5],
    );
    assert.deepEqual(new Set(chapters.slice(1).map((c) => c.title)), new Set(['Part 1', 'Part 2', 'Part 3', 'Part 4']));
    const work = await t.db.selectFrom('works').select('chapter_count').where('id', '=', workId).executeTakeFirstOrThrow();
    assert.equal(work.chapter_count, 5);
  });

  it('deletes and adds at the same moment without a gap or a clash in positions', async () => {
    const [second] = await t.db.selectFrom('chapters').select('id').where('work_id', '=', workId).where('position', '=', 2).execute();
    const [deleted, added] = await Promise.all([
      author.post(`/works/${workId}/chapters/${second!.id}/delete`, {}),
      author.post(`/works/${workId}/chapters`, { chapter_title: 'Late', text_format: 'plain', body: 'A late chapter.' }),
    ]);
    assert.equal(deleted.statusCode, 303, deleted.body.slice(0, 300));
    assert.equal(added.statusCode, 303, added.body.slice(0, 300));
    const positions = (
      await t.db.selectFrom('chapters').select('position').where('work_id', '=', workId).orderBy('position').execute()
    ).map((c) => c.position);
    assert.deepEqual(positions, [1, 2, 3, 4, 5]);
  });
});
