import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { workIdOf } from '../../test/staff.ts';
import { asciiFileName } from '../downloads/downloads.formats.ts';

const inAnHour = () => new Date(Date.now() + 3600_000).toISOString().slice(0, 16);
const chapterForm = (body: string, extra: Record<string, string> = {}) => ({ chapter_title: '', text_format: 'plain', body, ...extra });
const chapterIdOf = (location: unknown) => Number(/\/chapters\/(\d+)$/.exec(String(location))?.[1]);

describe('scheduled chapters', () => {
  let t: TestApp;
  let author: TestVisitor;
  let reader: TestVisitor;
  const guest = () => new TestVisitor(t.app);
  before(async () => {
    t = await createTestApp({ PAGE_CACHE: 'off' });
    author = await new TestVisitor(t.app).signUp('serialist');
    reader = await new TestVisitor(t.app).signUp('follower');
  });
  after(() => t.close());

  /** Moves the chapter's time (and its job) into the past, as time passing would. */
  const timePasses = async (chapterId: number) => {
    const past = new Date(Date.now() - 1000);
    await t.db.updateTable('chapters').set({ scheduled_at: past }).where('id', '=', chapterId).execute();
    await t.db
      .updateTable('jobs')
      .set({ run_at: past })
      .where('kind', '=', 'scheduling.post_chapter')
      .where('done_at', 'is', null)
      .execute();
  };
  const workRow = (id: number) =>
    t.db
      .selectFrom('works')
      .select(['chapter_count', 'word_count', 'expected_chapters', 'is_complete'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  /** Everything a reader can get the work's text from, in one string. */
  const whatReadersGet = async (workId: number) => {
    const pages = await Promise.all([
      reader.get(`/works/${workId}?view_full_work=true`),
      guest().get(`/works/${workId}?view_full_work=true`),
      reader.get(`/works/${workId}/navigate`),
      guest().get(`/downloads/${workId}/${asciiFileName('Serial', workId)}.html`),
      guest().get(`/works/${workId}/chapters/feed.atom`),
      guest().get(`/api/v1/works/${workId}`),
    ]);
    for (const page of pages) assert.equal(page.statusCode, 200, page.body.slice(0, 300));
    return pages.map((p) => p.body).join('\n');
  };
  /** Whether a search for the chapter's word finds the work (the page echoes the query, so look for the work's link). */
  const searchFinds = async (workId: number) => {
    const page = await guest().get('/works/search?q=Zanzibar');
    assert.equal(page.statusCode, 200);
    return page.body.includes(`href="/works/${workId}"`);
  };

  it('offers Schedule on the new-chapter form, and refuses a time that is not in the future', async () => {
    const workId = workIdOf((await author.post('/works', buildWorkForm({ title: 'Form test' }))).headers.location);
    const form = await author.get(`/works/${workId}/chapters/new`);
    assert.match(form.body, /<input[^>]*type="datetime-local"[^>]*name="post_at"|<input[^>]*name="post_at"[^>]*type="datetime-local"/);
    assert.match(form.body, /<button[^>]*value="schedule"[^>]*>Schedule<\/button>/);

    const past = await author.post(
      `/works/${workId}/chapters`,
      chapterForm('Kept text.', { action: 'schedule', post_at: '2001-01-01T10:00' }),
    );
    assert.equal(past.statusCode, 422);
    assert.match(past.body, /at least a minute from now/);
    assert.match(past.body, /Kept text\./, 'what the creator typed is kept');
    const missing = await author.post(`/works/${workId}/chapters`, chapterForm('Kept text.', { action: 'schedule', post_at: '' }));
    assert.equal(missing.statusCode, 422);
    assert.match(missing.body, /Enter the date and time like/);
    assert.equal(
      (await reader.post(`/works/${workId}/chapters`, chapterForm('Not mine.', { action: 'schedule', post_at: inAnHour() }))).statusCode,
      403,
    );
    assert.equal((await workRow(workId)).chapter_count, 1, 'nothing was added');
  });

  it('keeps a scheduled chapter from readers until its time, then posts it and tells the creator', async () => {
    const workId = workIdOf(
      (await author.post('/works', buildWorkForm({ title: 'Serial', expected_chapters: '2', body: 'Opening chapter.' }))).headers.location,
    );
    const scheduled = await author.post(
      `/works/${workId}/chapters`,
      chapterForm('The Zanzibar chapter, still a secret.', { action: 'schedule', post_at: inAnHour() }),
    );
    assert.equal(scheduled.statusCode, 303);
    const chapterId = chapterIdOf(scheduled.headers.location);

    // The creator sees it, marked; readers see nothing of it anywhere.
    const own = await author.get(`/works/${workId}/chapters/${chapterId}`);
    assert.equal(own.statusCode, 200);
    assert.match(own.body, /Zanzibar chapter/);
    assert.match(own.body, /not posted yet \(scheduled for \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\)/);
    assert.equal((await reader.get(`/works/${workId}/chapters/${chapterId}`)).statusCode, 404);
    assert.equal((await guest().get(`/works/${workId}/chapters/${chapterId}/paragraphs`)).statusCode, 404);
    assert.doesNotMatch(await whatReadersGet(workId), /Zanzibar/);
    assert.equal(await searchFinds(workId), false);
    assert.deepEqual(await workRow(workId), { chapter_count: 1, word_count: 2, expected_chapters: 2, is_complete: false });

    // A chapter posted meanwhile goes before the waiting one: readers' chapter numbers have no gaps.
    const now = await author.post(`/works/${workId}/chapters`, chapterForm('Posted straight away.'));
    const nowId = chapterIdOf(now.headers.location);
    assert.match((await reader.get(`/works/${workId}/chapters/${nowId}`)).body, /Chapter 2/);
    assert.equal((await workRow(workId)).chapter_count, 2);

    await t.app.jobs.drain();
    assert.equal((await reader.get(`/works/${workId}/chapters/${chapterId}`)).statusCode, 404, 'not before its time');

    await timePasses(chapterId);
    await t.app.jobs.drain();
    const posted = await reader.get(`/works/${workId}/chapters/${chapterId}`);
    assert.equal(posted.statusCode, 200, 'posted at its time');
    assert.match(posted.body, /Chapter 3/);
    assert.doesNotMatch(posted.body, /not posted yet/);
    assert.match(await whatReadersGet(workId), /Zanzibar/);
    assert.equal(await searchFinds(workId), true);
    assert.deepEqual(await workRow(workId), { chapter_count: 3, word_count: 2 + 3 + 6, expected_chapters: 3, is_complete: true });
    const notices = await t.db
      .selectFrom('inbox_items')
      .selectAll()
      .where('kind', '=', 'scheduled.chapter_posted')
      .where('work_id', '=', workId)
      .execute();
    assert.equal(notices.length, 1);
    assert.match(notices[0]!.text, /Chapter 3 of “Serial” has been posted/);
    assert.equal(notices[0]!.url, `/works/${workId}/chapters/${chapterId}`);

    // The job is done once: running it again posts nothing twice.
    await t.db
      .updateTable('jobs')
      .set({ run_at: new Date(Date.now() - 1000) })
      .where('kind', '=', 'scheduling.post_chapter')
      .execute();
    await t.app.jobs.drain();
    assert.equal(
      (
        await t.db
          .selectFrom('inbox_items')
          .select('id')
          .where('kind', '=', 'scheduled.chapter_posted')
          .where('work_id', '=', workId)
          .execute()
      ).length,
      1,
    );
  });

  it('does nothing when the scheduled chapter was deleted before its time, and never lets the last posted chapter go', async () => {
    const workId = workIdOf((await author.post('/works', buildWorkForm({ title: 'Deleted' }))).headers.location);
    const firstId = (await t.db.selectFrom('chapters').select('id').where('work_id', '=', workId).executeTakeFirstOrThrow()).id;
    const chapterId = chapterIdOf(
      (await author.post(`/works/${workId}/chapters`, chapterForm('Gone before its time.', { action: 'schedule', post_at: inAnHour() })))
        .headers.location,
    );
    // The only posted chapter cannot be deleted while a scheduled one waits: readers would have none.
    assert.equal((await author.post(`/works/${workId}/chapters/${firstId}/delete`)).statusCode, 422);
    assert.equal((await author.post(`/works/${workId}/chapters/${chapterId}/delete`)).statusCode, 303);
    await timePasses(chapterId);
    await t.app.jobs.drain();
    assert.equal((await workRow(workId)).chapter_count, 1);
    assert.equal(
      (
        await t.db
          .selectFrom('inbox_items')
          .select('id')
          .where('kind', '=', 'scheduled.chapter_posted')
          .where('work_id', '=', workId)
          .execute()
      ).length,
      0,
    );
  });
});
