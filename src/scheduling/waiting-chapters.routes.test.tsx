import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { workIdOf } from '../../test/staff.ts';
import { POST_SCHEDULED_CHAPTER } from './scheduling.service.ts';

const HOUR = 3600_000;
/** A datetime-local value (UTC, whole minutes) `ms` from now. */
const fromNow = (ms: number) => new Date(Date.now() + ms).toISOString().slice(0, 16);
const chapterForm = (body: string, extra: Record<string, string> = {}) => ({ chapter_title: '', text_format: 'plain', body, ...extra });
const chapterIdOf = (location: unknown) => Number(/\/chapters\/(\d+)$/.exec(String(location))?.[1]);

describe('chapters not posted yet: change the time, post now', () => {
  let t: TestApp;
  let author: TestVisitor;
  let reader: TestVisitor;
  const guest = () => new TestVisitor(t.app);
  before(async () => {
    // The guest page cache stays on: "Post now" must drop the cached work page.
    t = await createTestApp();
    author = await new TestVisitor(t.app).signUp('timekeeper');
    reader = await new TestVisitor(t.app).signUp('watcher');
  });
  after(() => t.close());

  const newWork = async (title: string, extra: Record<string, string> = {}) =>
    workIdOf((await author.post('/works', buildWorkForm({ title, body: 'Opening chapter.', ...extra }))).headers.location);
  const scheduleChapter = async (workId: number, body: string, postAt: string) => {
    const r = await author.post(`/works/${workId}/chapters`, chapterForm(body, { action: 'schedule', post_at: postAt }));
    assert.equal(r.statusCode, 303, r.body.slice(0, 300));
    return chapterIdOf(r.headers.location);
  };
  const chapterRow = (id: number) =>
    t.db
      .selectFrom('chapters')
      .select(['posted', 'scheduled_at', 'published_at', 'position'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const workRow = (id: number) =>
    t.db
      .selectFrom('works')
      .select(['chapter_count', 'word_count', 'expected_chapters', 'updated_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  /** The chapter's post jobs not yet done or failed. */
  const pendingJobs = async (chapterId: number) =>
    (
      await t.db
        .selectFrom('jobs')
        .select(['id', 'payload', 'run_at'])
        .where('kind', '=', POST_SCHEDULED_CHAPTER)
        .where('done_at', 'is', null)
        .where('failed_at', 'is', null)
        .execute()
    ).filter((j) => (j.payload as { chapterId?: number }).chapterId === chapterId);
  const postedNotices = async (chapterId: number) =>
    (
      await t.db
        .selectFrom('inbox_items')
        .select('id')
        .where('kind', '=', 'scheduled.chapter_posted')
        .where('url', 'like', `%/chapters/${chapterId}`)
        .execute()
    ).length;
  /**
   * Time passing, as the existing scheduling tests make it pass: the chapter's time and its
   * pending jobs move `ms` into the past (the clocks stay where they are).
   */
  const timePasses = async (chapterId: number, ms: number) => {
    const chapter = await chapterRow(chapterId);
    if (chapter.scheduled_at)
      await t.db
        .updateTable('chapters')
        .set({ scheduled_at: new Date(chapter.scheduled_at.getTime() - ms) })
        .where('id', '=', chapterId)
        .execute();
    for (const job of await pendingJobs(chapterId))
      await t.db
        .updateTable('jobs')
        .set({ run_at: new Date(job.run_at.getTime() - ms) })
        .where('id', '=', job.id)
        .execute();
  };
  /** A post job left behind and due now, as a retried or stale copy of the old one would be. */
  const staleJob = (chapterId: number) =>
    t.db
      .insertInto('jobs')
      .values({ kind: POST_SCHEDULED_CHAPTER, payload: JSON.stringify({ chapterId }), run_at: new Date(Date.now() - 1000) })
      .execute();

  it('offers "Change the time" and "Post now" to the creators of a chapter not posted yet, on its page, its edit page and its schedule page', async () => {
    const workId = await newWork('Offered');
    const postedId = (await t.db.selectFrom('chapters').select('id').where('work_id', '=', workId).executeTakeFirstOrThrow()).id;
    const at = fromNow(HOUR);
    const chapterId = await scheduleChapter(workId, 'Waiting text.', at);
    const base = `/works/${workId}/chapters/${chapterId}`;
    for (const url of [base, `${base}/edit`, `${base}/schedule`]) {
      const page = await author.get(url);
      assert.equal(page.statusCode, 200, url);
      assert.match(page.body, new RegExp(`<form method="post" action="${base}/schedule"`), url);
      assert.match(
        page.body,
        new RegExp(`<input id="field-post_at" name="post_at" type="datetime-local" value="${at}"`),
        `${url}: the field starts at the chapter's time`,
      );
      assert.match(page.body, />Change the time<\/button>/, url);
      assert.match(
        page.body,
        new RegExp(`<form method="post" action="${base}/post"[^>]*><input type="hidden" name="_csrf" value="[^"]+"`),
        `${url}: Post now carries the CSRF token`,
      );
      assert.match(page.body, />Post now<\/button>/, url);
    }
    // A posted chapter has no such forms, and its schedule page sends the creator to it.
    const postedBase = `/works/${workId}/chapters/${postedId}`;
    for (const url of [postedBase, `${postedBase}/edit`]) assert.doesNotMatch((await author.get(url)).body, />Post now</, url);
    const gone = await author.get(`${postedBase}/schedule`);
    assert.equal(gone.statusCode, 303);
    assert.equal(gone.headers.location, postedBase);
  });

  it('moves the chapter and its job to the new time: nothing posts it at the old time, it is posted at the new one', async () => {
    const workId = await newWork('Moved');
    const chapterId = await scheduleChapter(workId, 'The moved chapter.', fromNow(HOUR));
    const [oldJob] = await pendingJobs(chapterId);
    assert.ok(oldJob);

    const newTime = fromNow(3 * HOUR);
    const moved = await author.post(`/works/${workId}/chapters/${chapterId}/schedule`, { post_at: newTime });
    assert.equal(moved.statusCode, 303, moved.body.slice(0, 300));
    assert.equal(moved.headers.location, `/works/${workId}/chapters/${chapterId}`);
    const page = await author.get(String(moved.headers.location));
    assert.match(page.body, new RegExp(`The chapter will be posted at ${newTime.replace('T', ' ')} UTC`));
    assert.match(page.body, new RegExp(`not posted yet \\(scheduled for ${newTime.replace('T', ' ')} UTC\\)`));
    assert.equal((await chapterRow(chapterId)).scheduled_at?.toISOString(), `${newTime}:00.000Z`);
    const jobs = await pendingJobs(chapterId);
    assert.equal(jobs.length, 1, 'one job waits for the chapter');
    assert.notEqual(jobs[0]!.id, oldJob.id, 'the old job is gone');
    assert.equal(jobs[0]!.run_at.toISOString(), `${newTime}:00.000Z`);

    // Two hours pass: past the old time, before the new one. Even an old job that is still about (a retry) posts nothing.
    await timePasses(chapterId, 2 * HOUR);
    await staleJob(chapterId);
    await t.app.jobs.drain();
    assert.equal((await chapterRow(chapterId)).posted, false, 'not posted before its new time');
    assert.equal((await reader.get(`/works/${workId}/chapters/${chapterId}`)).statusCode, 404);
    assert.equal((await workRow(workId)).chapter_count, 1);
    assert.equal(await postedNotices(chapterId), 0);
    assert.equal((await pendingJobs(chapterId)).length, 1, 'the job for the new time still waits');

    // Two more hours: the new time has come.
    await timePasses(chapterId, 2 * HOUR);
    await t.app.jobs.drain();
    assert.equal((await chapterRow(chapterId)).posted, true);
    assert.equal((await reader.get(`/works/${workId}/chapters/${chapterId}`)).statusCode, 200);
    assert.equal((await workRow(workId)).chapter_count, 2);
    assert.equal(await postedNotices(chapterId), 1);
    // Changing the time of a posted chapter makes no sense.
    assert.equal((await author.post(`/works/${workId}/chapters/${chapterId}/schedule`, { post_at: fromNow(HOUR) })).statusCode, 409);
  });

  it('posts the chapter now exactly as its job would, and the old job posts nothing twice', async () => {
    const workId = await newWork('Posted Early', { expected_chapters: '1' });
    assert.equal((await reader.post('/subscriptions', { kind: 'work', id: String(workId) })).statusCode, 303);
    const chapterId = await scheduleChapter(workId, 'Four words right here.', fromNow(2 * HOUR));
    await t.app.jobs.drain();
    const readerNotices = async () =>
      (
        await t.db
          .selectFrom('inbox_items')
          .innerJoin('users', 'users.id', 'inbox_items.user_id')
          .select('inbox_items.url')
          .where('users.login', '=', 'watcher')
          .where('inbox_items.work_id', '=', workId)
          .execute()
      ).map((r) => r.url);
    assert.deepEqual(await readerNotices(), []);
    // A guest's view of the work page is cached now.
    assert.match((await guest().get(`/works/${workId}`)).body, /<dt>Chapters:<\/dt>\s*<dd>1\/1<\/dd>/);
    const before = await workRow(workId);

    const posted = await author.post(`/works/${workId}/chapters/${chapterId}/post`);
    assert.equal(posted.statusCode, 303);
    assert.equal(posted.headers.location, `/works/${workId}/chapters/${chapterId}`);
    assert.match((await author.get(String(posted.headers.location))).body, /Chapter was successfully posted\./);
    const chapter = await chapterRow(chapterId);
    assert.equal(chapter.posted, true);
    assert.equal(chapter.scheduled_at, null);
    assert.ok(chapter.published_at, 'dated now');
    const after = await workRow(workId);
    assert.equal(after.chapter_count, 2);
    assert.equal(after.word_count, before.word_count + 4);
    assert.equal(after.expected_chapters, 2, 'the expected count moves on, as for any new chapter');
    assert.ok(after.updated_at.getTime() >= before.updated_at.getTime());
    assert.equal(await postedNotices(chapterId), 1, 'the creators hear of it, as from the job');
    assert.deepEqual(await pendingJobs(chapterId), [], 'the job is cancelled');
    // Readers and guests (whose cached page is dropped) see it now.
    const readerPage = await reader.get(`/works/${workId}/chapters/${chapterId}`);
    assert.equal(readerPage.statusCode, 200);
    assert.match(readerPage.body, /Four words right here\./);
    assert.match((await guest().get(`/works/${workId}`)).body, /<dt>Chapters:<\/dt>\s*<dd>2\/2<\/dd>/);
    await t.app.jobs.drain();
    assert.deepEqual(await readerNotices(), [`/works/${workId}/chapters/${chapterId}`], 'subscribers hear of it once');

    // The old time comes, and a stale copy of the job with it: nothing is posted twice.
    await staleJob(chapterId);
    await t.app.jobs.drain();
    await t.app.jobs.drain();
    assert.deepEqual(await workRow(workId), after);
    assert.equal(await postedNotices(chapterId), 1);
    assert.deepEqual(await readerNotices(), [`/works/${workId}/chapters/${chapterId}`]);
    // A second click changes nothing either.
    const again = await author.post(`/works/${workId}/chapters/${chapterId}/post`);
    assert.equal(again.statusCode, 303);
    assert.match((await author.get(String(again.headers.location))).body, /This chapter was already posted\./);
    assert.deepEqual(await workRow(workId), after);
  });

  it('refuses a time that is past or malformed with the form again, what was typed kept, and changes nothing', async () => {
    const workId = await newWork('Refused');
    const at = fromNow(HOUR);
    const chapterId = await scheduleChapter(workId, 'Stays put.', at);
    const url = `/works/${workId}/chapters/${chapterId}/schedule`;
    const [job] = await pendingJobs(chapterId);
    const cases: Array<[string, RegExp]> = [
      ['2001-01-01T10:00', /at least a minute from now/],
      ['next tuesday', /Enter the date and time like 2030-01-31T18:00/],
      // Date would roll it over to the next day's midnight, a time that is otherwise fine.
      [`${fromNow(24 * HOUR).slice(0, 10)}T24:00`, /That is not a real date\./],
      ['', /Enter the date and time like/],
      [fromNow(400 * 24 * HOUR), /within 366 days/],
    ];
    for (const [typed, message] of cases) {
      const r = await author.post(url, { post_at: typed });
      assert.equal(r.statusCode, 422, typed);
      // The message beside the field, and in the summary above the form.
      assert.match(r.body, new RegExp(`<p class="error-message" id="error-post_at">[^<]*(?:${message.source})`), typed);
      assert.match(r.body, /class="error-summary"/);
      if (typed)
        assert.match(r.body, new RegExp(`name="post_at" type="datetime-local" value="${typed}"`), `${typed}: what was typed is kept`);
    }
    assert.equal((await chapterRow(chapterId)).scheduled_at?.toISOString(), `${at}:00.000Z`);
    assert.deepEqual(await pendingJobs(chapterId), [job]);
  });

  it('refuses everyone but the work’s creators, and forms without the CSRF token', async () => {
    const workId = await newWork('Guarded');
    const at = fromNow(HOUR);
    const chapterId = await scheduleChapter(workId, 'Guarded text.', at);
    const base = `/works/${workId}/chapters/${chapterId}`;
    assert.equal((await reader.get(`${base}/schedule`)).statusCode, 403);
    assert.equal((await reader.post(`${base}/schedule`, { post_at: fromNow(2 * HOUR) })).statusCode, 403);
    assert.equal((await reader.post(`${base}/post`)).statusCode, 403);
    assert.equal((await guest().post(`${base}/schedule`, { post_at: fromNow(2 * HOUR) })).statusCode, 401);
    assert.equal((await guest().post(`${base}/post`)).statusCode, 401);
    // Nothing on the reader's view of the chapter page either.
    assert.doesNotMatch((await reader.get(`/works/${workId}`)).body, /Post now/);
    // Someone else's draft does not exist for them.
    const draftId = await newWork('Guarded Draft', { action: 'draft' });
    const draftChapter = await scheduleChapter(draftId, 'Draft text.', at);
    assert.equal((await reader.post(`/works/${draftId}/chapters/${draftChapter}/post`)).statusCode, 404);
    assert.equal(
      (await reader.post(`/works/${draftId}/chapters/${draftChapter}/schedule`, { post_at: fromNow(2 * HOUR) })).statusCode,
      404,
    );
    // A chapter of another work, or none at all.
    assert.equal((await author.post(`/works/${draftId}/chapters/${chapterId}/post`)).statusCode, 404);
    assert.equal((await author.post(`/works/${workId}/chapters/999999/schedule`, { post_at: fromNow(2 * HOUR) })).statusCode, 404);
    assert.equal((await author.post(`/works/${workId}/chapters/x/post`)).statusCode, 404);
    // The creator's own forms need the token.
    assert.equal((await author.post(`${base}/post`, { _csrf: 'forged' })).statusCode, 403);
    assert.equal((await author.post(`${base}/schedule`, { _csrf: 'forged', post_at: fromNow(2 * HOUR) })).statusCode, 403);
    const chapter = await chapterRow(chapterId);
    assert.equal(chapter.posted, false);
    assert.equal(chapter.scheduled_at?.toISOString(), `${at}:00.000Z`);
    assert.equal((await chapterRow(draftChapter)).posted, false);
  });
});
