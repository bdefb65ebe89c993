import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';

describe('reading position', () => {
  let t: TestApp;
  let author: TestVisitor;
  let reader: TestVisitor;
  let workId: number;
  let chapters: number[];

  before(async () => {
    t = await createTestApp();
    author = await new TestVisitor(t.app).signUp('longwriter');
    reader = await new TestVisitor(t.app).signUp('longreader');
    const posted = await author.post(
      '/works',
      buildWorkForm({ title: 'Very Long', expected_chapters: '?', body: 'One.\n\nTwo.\n\nThree.' }),
    );
    workId = Number(String(posted.headers.location).split('/').pop());
    for (const title of ['Second', 'Third']) {
      await author.post(`/works/${workId}/chapters`, { chapter_title: title, text_format: 'plain', body: 'A.\n\nB.\n\nC.\n\nD.' });
    }
    chapters = (await t.db.selectFrom('chapters').select('id').where('work_id', '=', workId).orderBy('position').execute()).map(
      (c) => c.id,
    );
  });
  after(() => t.close());

  it('gives signed-in readers the script, the CSRF meta and a remember button; guests none of it', async () => {
    const page = await reader.get(`/works/${workId}/chapters/${chapters[1]}`);
    assert.match(page.body, /<meta name="csrf-token" content="[A-Za-z0-9_-]{43}"\/?>/);
    assert.match(page.body, /<script src="\/static\/reading-position.js\?v=1" defer/);
    assert.match(page.body, new RegExp(`data-chapter-ids="${chapters.join(',')}"`));
    assert.match(page.body, /Remember my place here/);
    assert.doesNotMatch(page.body, /Continue where you stopped/);
    const guestPage = await new TestVisitor(t.app).get(`/works/${workId}/chapters/${chapters[1]}`);
    assert.equal(guestPage.statusCode, 200);
    assert.doesNotMatch(guestPage.body, /csrf-token|reading-position\.js|Remember my place/);
    const script = await reader.get('/static/reading-position.js');
    assert.equal(script.statusCode, 200);
    assert.match(script.body, /x-csrf-token/);
  });

  it('saves from the script (JSON with the CSRF header) and offers to continue on another device', async () => {
    const saved = await t.app.inject({
      method: 'POST',
      url: `/works/${workId}/position`,
      headers: {
        cookie: [...reader.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        'content-type': 'application/json',
        'x-csrf-token': reader.csrfToken,
      },
      payload: JSON.stringify({ chapter_id: chapters[2], paragraph: 3, fraction: 0.42 }),
    });
    assert.equal(saved.statusCode, 204, saved.body);
    const row = await t.db.selectFrom('reading_positions').selectAll().executeTakeFirstOrThrow();
    assert.equal(row.chapter_id, chapters[2]);
    assert.equal(row.paragraph, 3);
    assert.ok(Math.abs(row.fraction! - 0.42) < 1e-6);

    // Another device: a new session of the same reader.
    const laptop = new TestVisitor(t.app);
    await laptop.post('/login', { login: 'longreader', password: 'correct horse battery' });
    const page = await laptop.get(`/works/${workId}`);
    assert.match(
      page.body,
      new RegExp(`<a href="/works/${workId}/chapters/${chapters[2]}#position-3">Continue where you stopped \\(Chapter 3: Third\\)</a>`),
    );
  });

  it('refuses a JSON save without the CSRF header', async () => {
    const forged = await t.app.inject({
      method: 'POST',
      url: `/works/${workId}/position`,
      headers: { cookie: [...reader.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/json' },
      payload: JSON.stringify({ chapter_id: chapters[0] }),
    });
    assert.equal(forged.statusCode, 403);
    const row = await t.db.selectFrom('reading_positions').select('chapter_id').executeTakeFirstOrThrow();
    assert.equal(row.chapter_id, chapters[2]);
  });

  it('saves from the no-script button and redirects back', async () => {
    const r = await reader.post(`/works/${workId}/position`, {
      chapter_id: String(chapters[1]),
      return_to: `/works/${workId}/chapters/${chapters[1]}`,
    });
    assert.equal(r.statusCode, 303);
    assert.equal(r.headers.location, `/works/${workId}/chapters/${chapters[1]}`);
    const row = await t.db.selectFrom('reading_positions').selectAll().executeTakeFirstOrThrow();
    assert.equal(row.chapter_id, chapters[1]);
    assert.equal(row.paragraph, null);
    assert.match((await reader.get(`/works/${workId}`)).body, /Continue where you stopped \(Chapter 2: Second\)/);
  });

  it('refuses guests, chapters of other works, drafts of others and bad input', async () => {
    assert.equal((await new TestVisitor(t.app).post(`/works/${workId}/position`, { chapter_id: String(chapters[0]) })).statusCode, 401);
    const other = await author.post('/works', buildWorkForm({ title: 'Other' }));
    const otherId = Number(String(other.headers.location).split('/').pop());
    assert.equal((await reader.post(`/works/${otherId}/position`, { chapter_id: String(chapters[0]) })).statusCode, 404);
    const draft = await author.post('/works', buildWorkForm({ title: 'Draft', action: 'draft' }));
    const draftId = Number(String(draft.headers.location).split('/').pop());
    const draftChapter = (await t.db.selectFrom('chapters').select('id').where('work_id', '=', draftId).executeTakeFirstOrThrow()).id;
    assert.equal((await reader.post(`/works/${draftId}/position`, { chapter_id: String(draftChapter) })).statusCode, 404);
    assert.equal((await reader.post(`/works/${workId}/position`, { chapter_id: 'abc' })).statusCode, 422);
    assert.equal((await reader.post(`/works/${workId}/position`, { chapter_id: String(chapters[0]), fraction: '7' })).statusCode, 422);
    assert.equal((await reader.post('/works/nope/position', { chapter_id: '1' })).statusCode, 404);
  });
});
