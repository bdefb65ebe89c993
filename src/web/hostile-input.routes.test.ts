// The hostile inputs of issue 11 sent the way an attacker would, through the pages and the API:
// each gets a 422 that says what was wrong (the typing kept), never a 500, and the archive keeps
// answering. Runs on PGlite and, as a routes test, on PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { buildLyingEpub, nestedHtml, nestedMarkdownQuote } from '../../test/hostile-files.ts';

describe('hostile input through the pages and the API', () => {
  let t: TestApp;
  let author: TestVisitor;
  let token: string;

  const healthy = async () => assert.equal((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
  const worksCount = async () =>
    Number(
      (
        await t.db
          .selectFrom('works')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  before(async () => {
    t = await createTestApp();
    author = await new TestVisitor(t.app).signUp('hostile_author');
    const page = await author.post('/users/hostile_author/api_tokens', { name: 'hostile client' });
    token = /ff_[A-Za-z0-9_-]{43}/.exec(page.body)?.[0] ?? '';
    assert.ok(token);
  });
  after(() => t.close());

  it('reads a hard-wrapped story whose lines end in "a" or "the" (the analysis used to loop forever)', async () => {
    const body = 'Anna saw a\nman by the\ndoor. "Is that\nyou?" she asked a\u00a0stranger.\n\na\nis.\n';
    const posted = await author.post('/works', buildWorkForm({ title: 'Hard Wrapped', body, text_format: 'plain' }));
    assert.equal(posted.statusCode, 303, posted.body.slice(0, 300));
    const workId = Number(/\/works\/(\d+)/.exec(String(posted.headers.location))?.[1]);
    await t.app.jobs.drain();
    assert.deepEqual(JSON.parse((await author.get(`/works/${workId}/analysis_status`)).body), { ready: true, failed: false });
    await healthy();
  });

  it('refuses a chapter of 100,000 nested <b> (300 KB) with a 422 at the text box, the form kept as typed', async () => {
    const before = await worksCount();
    const response = await author.post(
      '/works',
      buildWorkForm({ title: 'Nested Title Kept', body: `${'<b>'.repeat(100_000)}deep`, text_format: 'html' }),
    );
    assert.equal(response.statusCode, 422);
    assert.ok(/at most 200/.test(response.body), 'names the limit');
    assert.ok(response.body.includes('value="Nested Title Kept"'), 'the title as typed');
    assert.equal(await worksCount(), before, 'nothing saved');
    await healthy();
  });

  it('refuses a summary nested 300 deep with a 422 above the form, the form kept as typed', async () => {
    const response = await author.post('/works', buildWorkForm({ title: 'Deep Summary Kept', summary: `${'<i>'.repeat(300)}deep` }));
    assert.equal(response.statusCode, 422);
    assert.ok(/at most 200/.test(response.body), 'names the limit');
    assert.ok(response.body.includes('value="Deep Summary Kept"'), 'the title as typed');
  });

  it('refuses Markdown quoted 10,000 deep in the form and in the API with a 422, not a stack overflow', async () => {
    const form = await author.post('/works', buildWorkForm({ body: nestedMarkdownQuote(10_000), text_format: 'markdown' }));
    assert.equal(form.statusCode, 422);
    assert.ok(/at most 200/.test(form.body), 'names the limit');
    const api = await t.app.inject({
      method: 'POST',
      url: '/api/v1/works',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      payload: JSON.stringify({
        title: 'Deep Quotes',
        rating: 'General Audiences',
        warnings: ['No Archive Warnings Apply'],
        fandoms: ['Test Fandom'],
        chapter: { text: nestedMarkdownQuote(10_000), format: 'markdown' },
      }),
    });
    assert.equal(api.statusCode, 422, api.body.slice(0, 300));
    assert.match(api.json().error.message, /at most 200/);
    await healthy();
  });

  it('refuses an EPUB whose zip headers under-state what it unpacks to, by what it really produces', async () => {
    const epub = buildLyingEpub(80 * 1024 * 1024);
    assert.ok(epub.length < 1024 * 1024, 'a small file');
    const response = await author.postMultipart(
      '/works/import',
      {},
      { file: { filename: 'lies.epub', content: epub, type: 'application/epub+zip' } },
    );
    assert.equal(response.statusCode, 422, /<main[\s\S]*?<\/main>/.exec(response.body)?.[0]);
    assert.ok(/too large|larger than|more than/i.test(response.body), 'says it is too large');
    await healthy();
  });

  it('refuses an HTML file nested 10,000 deep at import with a 422', async () => {
    const html = `<html><body>${nestedHtml(10_000, 'div')}</body></html>`;
    const response = await author.postMultipart('/works/import', {}, { file: { filename: 'deep.html', content: html, type: 'text/html' } });
    assert.equal(response.statusCode, 422, response.body.slice(0, 300));
    assert.ok(/at most 200/.test(response.body), 'names the limit');
    await healthy();
  });
});
