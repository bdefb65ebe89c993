import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';

describe('export for the user', () => {
  let t: TestApp;
  let author: TestVisitor;
  before(async () => {
    t = await createTestApp({ PAGE_CACHE: 'off' });
    author = await new TestVisitor(t.app).signUp('exporter');
    await author.post('/works', buildWorkForm({ title: 'Posted One', body: 'Words of the first work.' }));
    await author.post('/works', buildWorkForm({ title: 'Draft Two', body: 'Words of the draft.', action: 'draft' }));
    await new TestVisitor(t.app).signUp('someone').then((v) => v.post('/works', buildWorkForm({ title: 'Not Mine' })));
  });
  after(() => t.close());

  it('gives a user all their works as HTML and EPUB and their data as JSON, and nothing of anyone else', async () => {
    assert.equal((await new TestVisitor(t.app).get('/users/exporter/export/works.zip')).statusCode, 401);
    const stranger = await new TestVisitor(t.app).signUp('stranger');
    assert.equal((await stranger.get('/users/exporter/export/data.json')).statusCode, 403);
    assert.equal((await author.get('/users/exporter/export')).statusCode, 200);

    const zip = await author.get('/users/exporter/export/works.zip');
    assert.equal(zip.statusCode, 200);
    assert.equal(zip.headers['content-type'], 'application/zip');
    const files = unzipSync(zip.rawPayload);
    assert.deepEqual(Object.keys(files).sort(), [
      'data.json',
      'works/Draft_Two.epub',
      'works/Draft_Two.html',
      'works/Posted_One.epub',
      'works/Posted_One.html',
    ]);
    assert.match(strFromU8(files['works/Posted_One.html']!), /Words of the first work\./);
    assert.equal(strFromU8(files['works/Posted_One.epub']!.slice(0, 2)), 'PK', 'an EPUB is a zip');

    const data = JSON.parse((await author.get('/users/exporter/export/data.json')).body);
    assert.equal(data.account.login, 'exporter');
    assert.equal(data.account.password_hash, undefined, 'no password hash');
    assert.deepEqual(data.works.map((w: { title: string }) => w.title).sort(), ['Draft Two', 'Posted One']);
    assert.equal(data.data.sessions, undefined, 'no session tokens');
    assert.ok(Array.isArray(data.data.pseuds));
    assert.doesNotMatch(JSON.stringify(data), /Not Mine|someone@example/);
  });
});
