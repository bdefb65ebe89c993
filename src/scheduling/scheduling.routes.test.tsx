import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { workIdOf } from '../../test/staff.ts';

const inAnHour = () => new Date(Date.now() + 3600_000).toISOString().slice(0, 16);

describe('preview and scheduled posting', () => {
  let t: TestApp;
  let author: TestVisitor;
  let other: TestVisitor;
  before(async () => {
    t = await createTestApp({ PAGE_CACHE: 'off' });
    author = await new TestVisitor(t.app).signUp('planner');
    other = await new TestVisitor(t.app).signUp('other');
  });
  after(() => t.close());

  /** Moves a scheduled post (and its job) into the past, as time passing would. */
  const timePasses = async (workId: number) => {
    const past = new Date(Date.now() - 1000);
    await t.db.updateTable('scheduled_posts').set({ post_at: past }).where('work_id', '=', workId).execute();
    await t.db.updateTable('jobs').set({ run_at: past }).where('kind', '=', 'scheduling.post_work').where('done_at', 'is', null).execute();
  };

  it('previews a new work exactly as readers will see it, saved as a draft only its creator sees', async () => {
    const r = await author.post('/works', buildWorkForm({ title: 'Previewed', action: 'preview', body: 'The text readers will read.' }));
    assert.equal(r.statusCode, 303);
    const id = workIdOf(r.headers.location);
    const page = await author.get(`/works/${id}`);
    assert.match(page.body, /Preview: this is what readers will see/);
    assert.match(page.body, /The text readers will read\./);
    assert.match(page.body, /<h2 class="work-title">Previewed<\/h2>/);
    assert.equal((await other.get(`/works/${id}`)).statusCode, 404);
  });

  it('posts a scheduled draft when its time comes, and tells the creator', async () => {
    const id = workIdOf((await author.post('/works', buildWorkForm({ title: 'Scheduled', action: 'draft' }))).headers.location);
    assert.match((await author.get(`/works/${id}`)).body, /Schedule posting/);
    assert.equal((await other.post(`/works/${id}/schedule`, { post_at: inAnHour() })).statusCode, 404);
    const past = await author.post(`/works/${id}/schedule`, { post_at: '2001-01-01T10:00' });
    assert.equal(past.statusCode, 422);
    assert.match(past.body, /at least a minute from now/);
    assert.equal((await author.post(`/works/${id}/schedule`, { post_at: 'tomorrow' })).statusCode, 422);
    assert.equal((await author.post(`/works/${id}/schedule`, { post_at: inAnHour() })).statusCode, 303);
    assert.match((await author.get(`/works/${id}`)).body, /Scheduled: \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);

    await t.app.jobs.drain();
    assert.equal((await other.get(`/works/${id}`)).statusCode, 404, 'not before its time');

    await timePasses(id);
    await t.app.jobs.drain();
    assert.equal((await other.get(`/works/${id}`)).statusCode, 200, 'posted at its time');
    const notice = await t.db
      .selectFrom('inbox_items')
      .selectAll()
      .where('kind', '=', 'scheduled.posted')
      .where('work_id', '=', id)
      .execute();
    assert.equal(notice.length, 1);
    assert.match(notice[0]!.text, /Scheduled/);
    assert.equal((await t.db.selectFrom('scheduled_posts').select('work_id').where('work_id', '=', id).execute()).length, 0);
  });

  it('leaves a cancelled schedule a draft, and a draft never expires', async () => {
    const id = workIdOf((await author.post('/works', buildWorkForm({ title: 'Cancelled', action: 'draft' }))).headers.location);
    await author.post(`/works/${id}/schedule`, { post_at: inAnHour() });
    await timePasses(id);
    assert.equal((await author.post(`/works/${id}/schedule/cancel`)).statusCode, 303);
    await t.app.jobs.drain();
    assert.equal((await other.get(`/works/${id}`)).statusCode, 404);
    // Years later the draft is still there for its creator: nothing deletes drafts.
    await t.db
      .updateTable('works')
      .set({ updated_at: new Date('2001-01-01') })
      .where('id', '=', id)
      .execute();
    await t.app.jobs.drain();
    assert.equal((await author.get(`/works/${id}`)).statusCode, 200);
  });
});
