import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { workIdOf } from '../../test/staff.ts';
import { signUpWithToken, withToken } from '../api/api-tokens.test-helpers.ts';
import { hasCalibre, type DownloadFormat } from './downloads.formats.ts';
import { ebookMeta, pdfInfo, pdfToText, tempFile } from './test-tools.ts';

/**
 * Everything a reader could find a name in: an EPUB's every file, a PDF's text and its info
 * dictionary, Calibre's reading of an AZW3 or MOBI, and the raw bytes of all of them.
 */
function readableText(format: DownloadFormat, bytes: Buffer): string {
  const raw = bytes.toString('latin1');
  switch (format) {
    case 'epub':
      return `${raw}\n${Object.values(unzipSync(bytes))
        .map((entry) => strFromU8(entry))
        .join('\n')}`;
    case 'pdf': {
      const file = tempFile('book.pdf', bytes);
      return `${raw}\n${pdfToText(file)}\n${JSON.stringify(pdfInfo(file))}`;
    }
    case 'azw3':
    case 'mobi':
      return `${raw}\n${JSON.stringify(ebookMeta(tempFile(`book.${format}`, bytes)))}`;
    case 'html':
    case 'txt':
      return bytes.toString('utf8');
  }
}

// Decision 043 for downloads: an anonymous work downloads for everyone who may read it, as a
// file that says "Anonymous"; an unrevealed one only for its creators; a work's creators get
// their names, as on its page; and after the reveal everyone gets the names, never a file built
// while the work was concealed.
describe('downloads of anonymous and unrevealed works', () => {
  let t: TestApp;
  let dataDir = '';
  let keeper: TestVisitor;
  let veiled: TestVisitor;
  let hidden: TestVisitor;
  let hiddenToken = '';
  let reader: TestVisitor;
  const guest = () => new TestVisitor(t.app);
  let anonWork = 0;
  let mysteryWork = 0;
  const ANON_LOGIN = 'veiled_scribe';
  const ANON_PSEUD = 'Moonlit Quill';
  const ANON_SERIES = 'Saga Of Lanterns';
  const MYSTERY_LOGIN = 'hidden_scribe';
  const MYSTERY_TITLE = 'Letters Under Wax';
  const STATIC: DownloadFormat[] = ['epub', 'html', 'txt', 'pdf'];
  // Calibre's conversions are slow: only the anonymous work is downloaded as AZW3 and MOBI too.
  const ALL: DownloadFormat[] = hasCalibre() ? [...STATIC, 'azw3', 'mobi'] : STATIC;
  const anonNames = [ANON_LOGIN, ANON_PSEUD.toLowerCase(), ANON_SERIES.toLowerCase()];

  const download = (visitor: TestVisitor, work: number, format: DownloadFormat, headers: Record<string, string> = {}) =>
    visitor.get(`/downloads/${work}/Any_Name.${format}`, headers);

  const assertAnonymous = (r: LightMyRequestResponse, format: DownloadFormat, who: string) => {
    assert.equal(r.statusCode, 200, `${who} ${format}: ${r.body.slice(0, 300)}`);
    const text = readableText(format, r.rawPayload).toLowerCase();
    for (const name of anonNames) assert.ok(!text.includes(name), `${who}'s ${format} names “${name}”`);
    assert.ok(text.includes('anonymous'), `${who}'s ${format} says “Anonymous”`);
    assert.ok(!String(r.headers['content-disposition']).toLowerCase().includes(ANON_LOGIN));
    assert.equal(r.headers['cache-control'], 'private, max-age=0, must-revalidate', 'never kept by a shared cache');
    assert.match(String(r.headers.etag), /-anonymous"$/);
  };

  const assertNamed = (r: LightMyRequestResponse, format: DownloadFormat, who: string, names: string[]) => {
    assert.equal(r.statusCode, 200, `${who} ${format}: ${r.body.slice(0, 300)}`);
    const text = readableText(format, r.rawPayload).toLowerCase();
    // Calibre's formats are checked through their metadata (their text is compressed), which has no series.
    const shown = format === 'azw3' || format === 'mobi' ? names.filter((n) => n !== ANON_SERIES) : names;
    for (const name of shown) assert.ok(text.includes(name.toLowerCase()), `${who}'s ${format} names “${name}”`);
    assert.doesNotMatch(String(r.headers.etag), /anonymous/);
  };

  const assertRefused = (r: LightMyRequestResponse, who: string) => {
    assert.equal(r.statusCode, 404, `${who}: ${r.statusCode}`);
    assert.match(r.body, /unrevealed until its collection’s reveal/);
    assert.ok(!r.body.includes(MYSTERY_TITLE) && !r.body.includes(MYSTERY_LOGIN), `${who}'s refusal names the work or its creator`);
  };

  const filesOf = (work: number) => fs.readdirSync(path.join(dataDir, 'downloads', String(work))).sort();

  /** Posts a draft, puts it in the collection, then posts it: it is concealed from its first reader on. */
  const postInto = async (visitor: TestVisitor, collection: string, form: Record<string, string>) => {
    const draft = await visitor.post('/works', buildWorkForm({ ...form, action: 'draft' }));
    assert.equal(draft.statusCode, 303, draft.body.slice(0, 300));
    const id = workIdOf(draft.headers.location);
    assert.equal((await visitor.post('/collection_items', { collection, work_id: String(id) })).statusCode, 303);
    assert.equal((await visitor.post(`/works/${id}/post`)).statusCode, 303);
    return id;
  };

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fanfold-dl-anonymity-'));
    // Caches that outlive the test: what a reader gets after the reveal must come from the
    // invalidation and the credit, never from an entry running out.
    t = await createTestApp({ DATA_DIR: dataDir, PAGE_CACHE_TTL: '3600' });
    keeper = await new TestVisitor(t.app).signUp('lantern_keeper');
    veiled = await new TestVisitor(t.app).signUp(ANON_LOGIN);
    ({ visitor: hidden, token: hiddenToken } = await signUpWithToken(t, MYSTERY_LOGIN));
    reader = await new TestVisitor(t.app).signUp('eager_reader');
    for (const [name, flag] of [
      ['lantern_fest', 'anonymous'],
      ['wax_seal', 'unrevealed'],
    ] as const) {
      const r = await keeper.post('/collections', { name, title: `The ${name}`, [flag]: '1' });
      assert.equal(r.statusCode, 303, r.body.slice(0, 600));
    }
    // The anonymous work is credited to a pseud that is not the login, and is in a series (which names its creator).
    assert.equal((await veiled.post(`/users/${ANON_LOGIN}/pseuds`, { name: ANON_PSEUD })).statusCode, 303);
    const pseud = await t.db.selectFrom('pseuds').select('id').where('name', '=', ANON_PSEUD).executeTakeFirstOrThrow();
    anonWork = await postInto(veiled, 'lantern_fest', { title: 'Paper Lanterns', pseud_id: String(pseud.id) });
    const series = await veiled.post('/series', { title: ANON_SERIES, work_id: String(anonWork) });
    assert.equal(series.statusCode, 303, series.body.slice(0, 300));
    mysteryWork = await postInto(hidden, 'wax_seal', { title: MYSTERY_TITLE });
    await t.app.jobs.drain();
  });
  after(async () => {
    await t.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('gives guests, readers and the maintainers of an anonymous work a file that says “Anonymous”, and its creator the named one', async () => {
    for (const format of ALL) {
      for (const [who, visitor] of [
        ['a guest', guest()],
        ['a reader', reader],
        ['a maintainer', keeper],
      ] as const) {
        assertAnonymous(await download(visitor, anonWork, format), format, who);
      }
      assertNamed(await download(veiled, anonWork, format), format, 'its creator', [ANON_PSEUD, ANON_LOGIN, ANON_SERIES]);
    }
    // Served again from memory, still by credit: the guest's second copy is the anonymous one, the creator's the named one.
    assertAnonymous(await download(guest(), anonWork, 'txt'), 'txt', 'a guest again');
    assertNamed(await download(veiled, anonWork, 'txt'), 'txt', 'its creator again', [ANON_PSEUD]);
    assert.equal(t.app.downloadCache.get(`/downloads/${anonWork}/Any_Name.txt`), undefined, 'not in the guest download cache');
    // Both files are stored, each under its own name.
    const files = filesOf(anonWork);
    for (const format of ALL) {
      assert.ok(
        files.some((f) => f.endsWith(`-anonymous.${format}`)),
        `${files.join(', ')}: anonymous ${format}`,
      );
      assert.ok(
        files.some((f) => f.endsWith(`.${format}`) && !f.includes('anonymous')),
        `${files.join(', ')}: named ${format}`,
      );
    }
  });

  it('refuses an unrevealed work’s download to all but its creators, who get their names', async () => {
    for (const format of STATIC) {
      for (const [who, visitor] of [
        ['a guest', guest()],
        ['a reader', reader],
        ['a maintainer', keeper],
      ] as const) {
        assertRefused(await download(visitor, mysteryWork, format), `${who} (${format})`);
        // Asked twice: the second answer comes from what this process remembers.
        assertRefused(await download(visitor, mysteryWork, format), `${who} again (${format})`);
      }
      assertNamed(await download(hidden, mysteryWork, format), format, 'its creator', [MYSTERY_LOGIN, MYSTERY_TITLE]);
      assertRefused(await download(guest(), mysteryWork, format), `a guest after its creator (${format})`);
    }
  });

  it('offers the links where the work is offered: OPDS and the API for the anonymous work, the unrevealed one’s only to its creators', async () => {
    const anonCatalog = (await guest().get('/opds/collections/lantern_fest')).body;
    const link = new RegExp(
      `rel="http://opds-spec.org/acquisition"[^>]*href="http://archive.test(/downloads/${anonWork}/[^"]+\\.epub[^"]*)"`,
    );
    const href = link.exec(anonCatalog)?.[1]?.replace(/&amp;/g, '&');
    assert.ok(href, `an EPUB acquisition link for the anonymous work: ${anonCatalog.slice(0, 2000)}`);
    assertAnonymous(await guest().get(href), 'epub', 'an e-reader app');
    const mysteryCatalog = (await guest().get('/opds/collections/wax_seal')).body;
    assert.match(mysteryCatalog, /Mystery work/);
    assert.doesNotMatch(mysteryCatalog, new RegExp(`/downloads/${mysteryWork}/`), 'no acquisition link for the unrevealed work');

    const api = await t.app.inject({ method: 'GET', url: `/api/v1/works/${anonWork}/downloads` });
    assert.equal(api.statusCode, 200, api.body.slice(0, 300));
    const links = (api.json() as { downloads: Array<{ format: string; url: string }> }).downloads;
    const txt = links.find((d) => d.format === 'txt')!.url.replace('http://archive.test', '');
    assertAnonymous(await guest().get(txt), 'txt', 'an API client');
    const refused = await t.app.inject({ method: 'GET', url: `/api/v1/works/${mysteryWork}/downloads` });
    assert.equal(refused.statusCode, 404);
    assert.ok(!refused.body.includes(MYSTERY_TITLE));
    const own = await t.app.inject({ method: 'GET', url: `/api/v1/works/${mysteryWork}/downloads`, ...withToken(hiddenToken) });
    assert.equal(own.statusCode, 200, own.body.slice(0, 300));
    assert.match(own.body, new RegExp(`/downloads/${mysteryWork}/`));
  });

  it('names the creators for everyone after the reveal, by the button or on the date, and retires the anonymous files', async () => {
    const before = await download(guest(), anonWork, 'epub');
    assertAnonymous(before, 'epub', 'a guest before the reveal');
    // The anonymous collection is revealed on its date, by the jobs; the unrevealed one by the button.
    const scheduled = await keeper.post('/collections/lantern_fest', {
      title: 'The lantern_fest',
      anonymous: '1',
      reveal_at: '2099-01-01T10:00',
    });
    assert.equal(scheduled.statusCode, 303, scheduled.body.slice(0, 600));
    const fest = await t.db.selectFrom('collections').select('id').where('name', '=', 'lantern_fest').executeTakeFirstOrThrow();
    const past = new Date('2001-01-01T10:00:00Z');
    await t.db.updateTable('collections').set({ reveal_at: past }).where('id', '=', fest.id).execute();
    await t.db
      .updateTable('jobs')
      .set({ run_at: past, payload: JSON.stringify({ collectionId: fest.id, at: past.toISOString() }) })
      .where('kind', '=', 'collections.reveal')
      .execute();
    await t.app.jobs.drain();
    assert.equal((await keeper.post('/collections/wax_seal/reveal')).statusCode, 303);
    await t.app.jobs.drain();

    for (const format of ALL) {
      for (const [who, visitor] of [
        ['a guest', guest()],
        ['a reader', reader],
        ['its creator', veiled],
      ] as const)
        assertNamed(await download(visitor, anonWork, format), format, `${who} after the reveal`, [ANON_PSEUD, ANON_LOGIN, ANON_SERIES]);
    }
    for (const format of STATIC)
      for (const [who, visitor] of [
        ['a guest', guest()],
        ['a maintainer', keeper],
      ] as const)
        assertNamed(await download(visitor, mysteryWork, format), format, `${who} after the reveal`, [MYSTERY_LOGIN, MYSTERY_TITLE]);
    // A reader's copy tagged as the anonymous file is not confirmed: they get the named one.
    const revalidated = await download(guest(), anonWork, 'epub', { 'if-none-match': String(before.headers.etag) });
    assertNamed(revalidated, 'epub', 'a guest revalidating', [ANON_LOGIN]);
    assert.ok(!filesOf(anonWork).some((f) => f.includes('anonymous')), `anonymous files retired: ${filesOf(anonWork).join(', ')}`);
    // Now a public download again: kept for the next guests.
    assert.equal((await download(guest(), anonWork, 'html')).headers['cache-control'], 'public, max-age=300');
    assert.ok(t.app.downloadCache.get(`/downloads/${anonWork}/Any_Name.html`));
    const opds = (await guest().get('/opds/collections/wax_seal')).body;
    assert.match(opds, new RegExp(`/downloads/${mysteryWork}/`), 'the revealed work is offered to e-readers');
    assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/works/${mysteryWork}/downloads` })).statusCode, 200);
  });
});
