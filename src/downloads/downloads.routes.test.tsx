import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm, readFoundingStory } from '../../test/factories.ts';
import { makeModerator } from '../../test/staff.ts';
import { ebookMeta, epubcheck, tempFile } from './test-tools.ts';

function workIdFrom(location: unknown): number {
  const match = /^\/works\/(\d+)$/.exec(String(location));
  assert.ok(match, `expected a redirect to a work, got ${String(location)}`);
  return Number(match[1]);
}

describe('downloads', () => {
  let t: TestApp;
  let author: TestVisitor;
  let dataDir: string;
  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fanfold-downloads-'));
    t = await createTestApp({ DATA_DIR: dataDir });
    author = await new TestVisitor(t.app).signUp('writer');
  });
  after(async () => {
    await t.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const post = async (overrides: Record<string, string | string[]>) => {
    const r = await author.post('/works', buildWorkForm(overrides));
    assert.equal(r.statusCode, 303, r.body.slice(0, 300));
    return workIdFrom(r.headers.location);
  };

  it('offers a Download menu on the work page and serves a valid EPUB with the right headers', async () => {
    const id = await post({ title: 'Café & <Friends>', body: readFoundingStory(), fandoms: 'The Vampire Diaries (TV)' });
    const guest = new TestVisitor(t.app);
    const page = await guest.get(`/works/${id}`);
    assert.match(page.body, /<details class="download-menu">/);
    const href = /href="(\/downloads\/\d+\/[^"]+\.epub\?updated_at=\d+)"/.exec(page.body)?.[1]?.replace(/&amp;/g, '&');
    assert.ok(href, 'an EPUB link');
    assert.match(href, new RegExp(`^/downloads/${id}/Cafe_Friends\\.epub`));
    const r = await guest.get(href);
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers['content-type'], 'application/epub+zip');
    assert.equal(
      r.headers['content-disposition'],
      `attachment; filename="Cafe_Friends.epub"; filename*=UTF-8''Caf%C3%A9%20%26%20Friends.epub`,
    );
    const report = epubcheck(tempFile('served.epub', r.rawPayload));
    assert.equal(report.errors + report.warnings + report.fatals, 0, report.output);
    const chapter = strFromU8(unzipSync(r.rawPayload)['OEBPS/chapter-001.xhtml']!);
    assert.match(chapter, /Caroline rushed to her mothers bedside/);

    const again = await guest.get(href);
    assert.deepEqual(again.rawPayload, r.rawPayload);
    assert.equal((await guest.get(href, { 'if-none-match': String(r.headers.etag) })).statusCode, 304);
    for (const [ext, type] of [
      ['txt', 'text/plain; charset=utf-8'],
      ['html', 'text/html; charset=utf-8'],
      ['pdf', 'application/pdf'],
    ] as const) {
      const other = await guest.get(`/downloads/${id}/x.${ext}`);
      assert.equal(other.statusCode, 200, `${ext}: ${other.body.slice(0, 200)}`);
      assert.equal(other.headers['content-type'], type);
      assert.match(String(other.headers['content-disposition']), new RegExp(`filename="Cafe_Friends\\.${ext}"`));
    }
  });

  it('caches each format per work version and rebuilds after an edit', async () => {
    const id = await post({ title: 'Versioned', body: 'The first chapter.' });
    const first = await author.get(`/downloads/${id}/Versioned.txt`);
    assert.match(first.body, /The first chapter\./);
    const dir = path.join(dataDir, 'downloads', String(id));
    const before = fs.readdirSync(dir);
    assert.equal(before.length, 1);
    const added = await author.post(`/works/${id}/chapters`, {
      chapter_title: 'Second',
      text_format: 'plain',
      body: 'The second chapter.',
    });
    assert.equal(added.statusCode, 303);
    const second = await author.get(`/downloads/${id}/Versioned.txt`);
    assert.match(second.body, /Chapter 2: Second\n=+\n\nThe second chapter\./);
    const after = fs.readdirSync(dir);
    assert.equal(after.length, 1, 'the old version was removed');
    assert.notEqual(after[0], before[0]);
    assert.notEqual(second.headers.etag, first.headers.etag);
  });

  it("applies the work's restrictions: drafts are 404 to others, restricted works 401 to guests", async () => {
    const draft = await post({ title: 'Secret Draft', action: 'draft' });
    const restricted = await post({ title: 'Members Only', restricted: '1' });
    const guest = new TestVisitor(t.app);
    const other = await new TestVisitor(t.app).signUp('otherreader');
    assert.equal((await guest.get(`/downloads/${draft}/Secret_Draft.epub`)).statusCode, 404);
    assert.equal((await other.get(`/downloads/${draft}/Secret_Draft.epub`)).statusCode, 404);
    assert.equal((await author.get(`/downloads/${draft}/Secret_Draft.epub`)).statusCode, 200);
    assert.equal(
      (await author.get(`/downloads/${draft}/Secret_Draft.epub`)).headers['cache-control'],
      'private, max-age=0, must-revalidate',
    );
    assert.equal((await guest.get(`/downloads/${restricted}/Members_Only.epub`)).statusCode, 401);
    assert.equal((await other.get(`/downloads/${restricted}/Members_Only.epub`)).statusCode, 200);
    // Served from memory to members now; still refused to guests, and the draft to others.
    assert.equal((await other.get(`/downloads/${restricted}/Members_Only.epub`)).statusCode, 200);
    assert.equal((await guest.get(`/downloads/${restricted}/Members_Only.epub`)).statusCode, 401);
    assert.equal((await other.get(`/downloads/${draft}/Secret_Draft.epub`)).statusCode, 404);
    assert.equal((await other.get(`/downloads/${draft}/Secret_Draft.epub`)).headers['set-cookie'], undefined);
  });

  it('hides a work a moderator hid from everyone but its creators and moderators', async () => {
    const id = await post({ title: 'Hidden Away' });
    const guest = new TestVisitor(t.app);
    assert.equal((await guest.get(`/downloads/${id}/Hidden_Away.epub`)).statusCode, 200);
    const moderator = await new TestVisitor(t.app).signUp('dlmoderator');
    await makeModerator(t.db, 'dlmoderator');
    const hidden = await moderator.post(`/moderation/works/${id}/hide`, { reason: 'Spam.' });
    assert.equal(hidden.statusCode, 303, hidden.body.slice(0, 300));
    assert.equal((await guest.get(`/downloads/${id}/Hidden_Away.epub`)).statusCode, 404);
    assert.equal((await author.get(`/downloads/${id}/Hidden_Away.epub`)).statusCode, 200);
  });

  it('answers unknown works, formats and ids with a 404 that explains', async () => {
    const id = await post({ title: 'Plain' });
    const bad = await new TestVisitor(t.app).get(`/downloads/${id}/Plain.docx`);
    assert.equal(bad.statusCode, 404);
    assert.match(bad.body, /\.epub/);
    assert.equal((await new TestVisitor(t.app).get('/downloads/999999/x.epub')).statusCode, 404);
    assert.equal((await new TestVisitor(t.app).get('/downloads/abc/x.epub')).statusCode, 404);
    assert.equal((await new TestVisitor(t.app).get(`/downloads/${id}/noextension`)).statusCode, 404);
  });

  it("puts the work's series in the EPUB, which Calibre reads back, and rebuilds when it joins one", async () => {
    const id = await post({ title: 'Book Two', freeforms: 'Sequel, Found Family' });
    const before = await author.get(`/downloads/${id}/Book_Two.epub`);
    assert.equal(ebookMeta(tempFile('before.epub', before.rawPayload)).Series, undefined);
    const other = await post({ title: 'Book One' });
    const series = await author.post('/series', { title: 'The Saga & More', work_id: String(other) });
    assert.equal(series.statusCode, 303);
    const seriesId = /\d+$/.exec(String(series.headers.location))![0];
    assert.equal((await author.post(`/series/${seriesId}/works`, { work_id: String(id) })).statusCode, 303);
    const after = await author.get(`/downloads/${id}/Book_Two.epub`);
    const meta = ebookMeta(tempFile('after.epub', after.rawPayload));
    assert.equal(meta.Title, 'Book Two');
    assert.match(meta['Author(s)']!, /^writer/);
    assert.equal(meta.Series, 'The Saga & More #2');
    for (const tag of ['Sequel', 'Found Family', 'Test Fandom', 'General Audiences'])
      assert.ok(meta.Tags!.split(', ').includes(tag), meta.Tags);
    assert.equal(fs.readdirSync(path.join(dataDir, 'downloads', String(id))).length, 1, 'the file without the series was removed');
  });

  it("keeps guests' downloads of public works in memory, answered with the route's headers, and drops them on change", async () => {
    const id = await post({ title: 'In Memory' });
    const restricted = await post({ title: 'Members Memory', restricted: '1' });
    const guest = new TestVisitor(t.app);
    const cache = t.app.downloadCache;
    const first = await guest.get(`/downloads/${id}/In_Memory.epub?updated_at=1`);
    assert.equal(first.statusCode, 200);
    const entry = cache.get(`/downloads/${id}/In_Memory.epub`);
    assert.ok(entry, 'stored under the path, query ignored');
    const hit = await guest.get(`/downloads/${id}/In_Memory.epub`);
    assert.deepEqual(hit.rawPayload, first.rawPayload);
    for (const header of [
      'content-type',
      'content-disposition',
      'etag',
      'cache-control',
      'x-content-type-options',
      'content-security-policy',
      'content-length',
    ]) {
      assert.equal(hit.headers[header], first.headers[header], header);
    }
    assert.equal(hit.headers['set-cookie'], undefined);
    const notModified = await guest.get(`/downloads/${id}/In_Memory.epub`, { 'if-none-match': String(first.headers.etag) });
    assert.equal(notModified.statusCode, 304);
    assert.equal(notModified.rawPayload.length, 0);

    // Signed-in readers and works guests may not read are never stored.
    const member = await new TestVisitor(t.app).signUp('memoryreader');
    assert.equal((await member.get(`/downloads/${restricted}/Members_Memory.epub`)).statusCode, 200);
    assert.equal(cache.get(`/downloads/${restricted}/Members_Memory.epub`), undefined);
    assert.equal((await guest.get(`/downloads/${restricted}/Members_Memory.epub`)).statusCode, 401);

    // A change to the work drops the entry: the next guest gets the new version.
    const added = await author.post(`/works/${id}/chapters`, { chapter_title: 'More', text_format: 'plain', body: 'A new chapter.' });
    assert.equal(added.statusCode, 303);
    assert.equal(cache.get(`/downloads/${id}/In_Memory.epub`), undefined);
    const changed = await guest.get(`/downloads/${id}/In_Memory.epub`);
    assert.notEqual(changed.headers.etag, first.headers.etag);
    assert.ok(cache.get(`/downloads/${id}/In_Memory.epub`));
    // Made restricted: guests are refused at once, not served the stored file.
    const edit = await author.post(`/works/${id}`, buildWorkForm({ title: 'In Memory', restricted: '1' }));
    assert.ok([200, 303].includes(edit.statusCode), edit.body.slice(0, 300));
    assert.equal((await guest.get(`/downloads/${id}/In_Memory.epub`)).statusCode, 401);
  });

  it('adds HSTS to downloads answered from memory only when they came over TLS', async () => {
    const proxiedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fanfold-downloads-tls-'));
    const proxied = await createTestApp({ DATA_DIR: proxiedDir, TRUST_PROXY: 'true' });
    try {
      const writer = await new TestVisitor(proxied.app).signUp('tlswriter');
      const id = workIdFrom((await writer.post('/works', buildWorkForm({ title: 'Over TLS' }))).headers.location);
      const url = `/downloads/${id}/Over_TLS.txt`;
      assert.equal((await proxied.app.inject({ method: 'GET', url })).statusCode, 200);
      assert.ok(proxied.app.downloadCache.get(url), 'stored');
      const viaTls = await proxied.app.inject({ method: 'GET', url, headers: { 'x-forwarded-proto': 'https' } });
      assert.equal(viaTls.statusCode, 200);
      assert.match(String(viaTls.headers['strict-transport-security']), /max-age=31536000/);
      const viaHttp = await proxied.app.inject({ method: 'GET', url, headers: { 'x-forwarded-proto': 'http' } });
      assert.equal(viaHttp.headers['strict-transport-security'], undefined);
    } finally {
      await proxied.close();
      fs.rmSync(proxiedDir, { recursive: true, force: true });
    }
  });

  it('builds downloads from a job too', async () => {
    const id = await post({ title: 'Prebuilt' });
    const { enqueueJob } = await import('../jobs/jobs.repo.ts');
    await enqueueJob(t.db, { kind: 'downloads.build', payload: { workId: id, format: 'html' } });
    await t.app.jobs.drain();
    const files = fs.readdirSync(path.join(dataDir, 'downloads', String(id)));
    assert.deepEqual(
      files.map((f) => path.extname(f)),
      ['.html'],
    );
  });
});
