import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { HitCounter } from '../works/hits.ts';

function workIdFrom(location: unknown): number {
  const match = /^\/works\/(\d+)$/.exec(String(location));
  assert.ok(match, `expected a redirect to a work, got ${String(location)}`);
  return Number(match[1]);
}

describe('stats for creators', () => {
  let t: TestApp;
  let author: TestVisitor;
  let reader: TestVisitor;
  let workId: number;
  let otherId: number;
  const today = new Date().toISOString().slice(0, 10);

  before(async () => {
    t = await createTestApp();
    author = await new TestVisitor(t.app).signUp('statwriter');
    reader = await new TestVisitor(t.app).signUp('statreader');
    // A title a spreadsheet would run as a formula, with a comma and quotes to escape.
    workId = workIdFrom(
      (await author.post('/works', buildWorkForm({ title: '=HYPERLINK("http://evil.test","click"), ok' }))).headers.location,
    );
    otherId = workIdFrom((await author.post('/works', buildWorkForm({ title: 'Quiet Work' }))).headers.location);
    assert.equal((await reader.post(`/works/${workId}/kudos`)).statusCode, 303);
    assert.equal((await reader.post(`/works/${workId}/comments`, { comment: 'Lovely.' })).statusCode, 303);
    assert.equal((await reader.post('/subscriptions', { kind: 'work', id: String(workId) })).statusCode, 303);
    const hits = new HitCounter(t.db);
    for (const visitor of ['a', 'b', 'c', 'c']) hits.record(workId, visitor);
    hits.record(otherId, 'a');
    await hits.flush();
  });
  after(() => t.close());

  it('counts a day’s hits in the daily table as the hit counter flushes', async () => {
    const rows = await t.db.selectFrom('work_hits_daily').select(['work_id', 'hits']).orderBy('work_id').execute();
    assert.deepEqual(rows, [
      { work_id: workId, hits: 3 },
      { work_id: otherId, hits: 1 },
    ]);
  });

  it('shows the creator totals per work and accessible charts', async () => {
    const page = await author.get('/users/statwriter/stats');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<svg[^>]*role="img"[^>]*aria-labelledby="chart-hits-title chart-hits-desc"/);
    assert.match(page.body, /<title id="chart-hits-title">Hits per day/);
    assert.match(page.body, /4 hits in all over 30 days/);
    assert.match(page.body, /Over 30 days: 1 kudos, 1 comments, 0 bookmarks, 1 subscriptions/);
    assert.match(page.body, /<th scope="row">All works<\/th><td>[\d,]+<\/td><td>4<\/td><td>1<\/td><td>1<\/td><td>0<\/td><td>1<\/td>/);
    assert.match(page.body, new RegExp(`<th scope="row">${today}</th><td>4</td>`));
    assert.match((await author.get('/users/statwriter/stats?days=7')).body, /aria-current="page">Last 7 days/);
    assert.match((await author.get('/users/statwriter/stats?days=12345')).body, /aria-current="page">Last 30 days/);
  });

  it('refuses another user’s stats and guests', async () => {
    assert.equal((await reader.get('/users/statwriter/stats')).statusCode, 403);
    assert.equal((await reader.get('/users/statwriter/stats.csv')).statusCode, 403);
    assert.equal((await new TestVisitor(t.app).get('/users/statwriter/stats')).statusCode, 401);
    assert.equal((await author.get('/users/nobody_here/stats')).statusCode, 404);
  });

  it('downloads the figures as CSV with formulas neutralised', async () => {
    const csv = await author.get('/users/statwriter/stats.csv');
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    assert.match(String(csv.headers['content-disposition']), /attachment; filename="statwriter-stats-\d{4}-\d{2}-\d{2}\.csv"/);
    const lines = csv.body.split('\r\n');
    assert.equal(lines[0], 'date,work_id,work_title,hits,kudos,comments,bookmarks,subscriptions');
    const title = `"'=HYPERLINK(""http://evil.test"",""click""), ok"`;
    assert.ok(lines.includes(`${today},${workId},${title},3,1,1,0,1`), csv.body);
    assert.ok(lines.includes(`${today},${otherId},Quiet Work,1,0,0,0,0`), csv.body);
    assert.ok(lines.includes(`all time,${workId},${title},3,1,1,0,1`), csv.body);
  });
});
