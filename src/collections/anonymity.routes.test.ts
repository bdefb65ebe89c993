import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { workIdOf } from '../../test/staff.ts';

/** The ids of the works listed on a page, in order. */
function listedIds(html: string): number[] {
  return [...html.matchAll(/<li class="blurb" id="work_(\d+)"/g)].map((m) => Number(m[1]));
}

// Decision 043: one anonymous and one unrevealed work, walked over every surface that names
// creators, first concealed and then revealed. The creators' logins are their only pseuds, so
// "the name never appears" is one string each.
describe('anonymous and unrevealed collections: creators never appear anywhere until the reveal', () => {
  let t: TestApp;
  let dataDir = '';
  let keeper: TestVisitor;
  let veiled: TestVisitor;
  let hidden: TestVisitor;
  let reader: TestVisitor;
  const guest = () => new TestVisitor(t.app);
  let anonWork = 0;
  let mysteryWork = 0;
  let seriesId = 0;
  let plainWork = 0;
  const ANON = 'veiled_writer';
  const MYSTERY = 'hidden_writer';
  const MYSTERY_TITLE = 'Lanterns Under Glass';

  const userId = async (login: string) =>
    (await t.db.selectFrom('users').select('id').where('login', '=', login).executeTakeFirstOrThrow()).id;
  const notices = async (workId: number) =>
    t.db.selectFrom('subscription_notifications').select(['user_id', 'text']).where('work_id', '=', workId).execute();

  /** Posts a draft, puts it in the collection, then posts it: subscribers hear of it only as a concealed work. */
  const postInto = async (visitor: TestVisitor, collection: string, form: Record<string, string>) => {
    const draft = await visitor.post('/works', buildWorkForm({ ...form, freeforms: 'Masquerade Ball', action: 'draft' }));
    assert.equal(draft.statusCode, 303, draft.body.slice(0, 300));
    const id = workIdOf(draft.headers.location);
    const added = await visitor.post('/collection_items', { collection, work_id: String(id) });
    assert.equal(added.statusCode, 303, added.body.slice(0, 300));
    const posted = await visitor.post(`/works/${id}/post`);
    assert.equal(posted.statusCode, 303, posted.body.slice(0, 300));
    return id;
  };

  /** Every surface a reader, a feed reader, an e-reader or an API client can reach. */
  const surfaces = (work: number) => [
    `/works/${work}`,
    `/works/${work}/navigate`,
    '/works',
    '/tags/Masquerade%20Ball/works',
    '/works/search?q=Masquerade',
    '/collections/masked_ball/works',
    '/collections/sealed_box/works',
    '/tags/Masquerade%20Ball/feed.atom',
    `/works/${work}/chapters/feed.atom`,
    '/collections/masked_ball/feed.atom',
    '/collections/sealed_box/feed.atom',
    '/opds/recent',
    '/opds/creators',
    '/opds/tags/Masquerade%20Ball',
    '/opds/collections/masked_ball',
    '/opds/collections/sealed_box',
    '/opds/search?q=Masquerade',
    '/api/v1/works',
    `/api/v1/works/${work}`,
    `/api/v1/works/${work}/comments`,
    '/api/v1/tags/Masquerade%20Ball/works',
    '/api/v1/works/search?q=Masquerade',
    '/api/v1/collections/masked_ball/works',
    '/api/v1/collections/sealed_box/works',
    '/api/v1/collections/masked_ball/bookmarks',
    `/downloads/${work}/work.html`,
    `/series/${seriesId}`,
    `/series/${seriesId}/feed.atom`,
    `/api/v1/series/${seriesId}`,
  ];

  /** Pages that name the creator in their own address or form: the work must not be listed there. */
  const creatorScoped = (login: string) => [
    `/users/${login}`,
    `/users/${login}/pseuds/${login}`,
    `/users/${login}/works`,
    `/users/${login}/pseuds/${login}/works`,
    `/users/${login}/series`,
    `/users/${login}/gifts`,
    `/users/${login}/works/feed.atom`,
    `/opds/creators/${login}`,
    `/works/search?q=creator:${login}`,
    `/works/search?creator=${login}`,
    `/api/v1/users/${login}/works`,
  ];

  before(async () => {
    // Downloads are files: a directory of this test's own, so no other test's work 2 answers for ours.
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fanfold-anonymity-'));
    t = await createTestApp({ DATA_DIR: dataDir });
    keeper = await new TestVisitor(t.app).signUp('fest_keeper');
    veiled = await new TestVisitor(t.app).signUp(ANON);
    hidden = await new TestVisitor(t.app).signUp(MYSTERY);
    reader = await new TestVisitor(t.app).signUp('curious_reader');
    for (const [name, flag] of [
      ['masked_ball', 'anonymous'],
      ['sealed_box', 'unrevealed'],
    ] as const) {
      const r = await keeper.post('/collections', { name, title: `The ${name}`, [flag]: '1' });
      assert.equal(r.statusCode, 303, r.body.slice(0, 600));
    }
    for (const login of [ANON, MYSTERY])
      assert.equal((await reader.post('/subscriptions', { kind: 'creator', id: String(await userId(login)) })).statusCode, 303);
    anonWork = await postInto(veiled, 'masked_ball', { title: 'Dance Of Masks' });
    mysteryWork = await postInto(hidden, 'sealed_box', { title: MYSTERY_TITLE });
    // A shown work whose creator sorts after both hidden ones: a concealed work must still come after it.
    const plain = await new TestVisitor(t.app).signUp('zz_plain_writer');
    plainWork = workIdOf(
      (await plain.post('/works', buildWorkForm({ title: 'Open Faces', freeforms: 'Masquerade Ball' }))).headers.location,
    );
    // A series names its creator: the anonymous work is in one.
    const series = await veiled.post('/series', { title: 'Saga Of Veils', work_id: String(anonWork) });
    assert.equal(series.statusCode, 303, series.body.slice(0, 300));
    seriesId = Number(/(\d+)$/.exec(String(series.headers.location))![1]);
    for (const [visitor, work] of [
      [veiled, anonWork],
      [hidden, mysteryWork],
    ] as const) {
      const r = await visitor.post(`/works/${work}/comments`, { comment: 'Thank you all for reading!' });
      assert.equal(r.statusCode, 303, r.body.slice(0, 300));
    }
    await t.app.jobs.drain();
  });
  after(async () => {
    await t.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('offers the options on the collection form and keeps the typing when the reveal date is wrong', async () => {
    const form = await keeper.get('/collections/masked_ball/edit');
    assert.match(form.body, /name="anonymous" value="1" checked/);
    assert.match(form.body, /name="reveal_at"/);
    const past = await keeper.post('/collections/masked_ball', { title: 'Kept Title', anonymous: '1', reveal_at: '2001-01-01T10:00' });
    assert.equal(past.statusCode, 422);
    assert.match(past.body, /Choose a reveal date in the future/);
    assert.match(past.body, /value="Kept Title"/);
    const nothing = await keeper.post('/collections/masked_ball', { title: 'Kept Title', reveal_at: '2099-01-01T10:00' });
    assert.equal(nothing.statusCode, 422);
    assert.match(nothing.body, /tick one of those, or leave the date empty/);
    const garbled = await keeper.post('/collections/masked_ball', { title: 'Kept Title', anonymous: '1', reveal_at: 'soon' });
    assert.equal(garbled.statusCode, 422);
    assert.match(garbled.body, /like 2030-01-31T18:00/);
  });

  it('names neither creator on any surface while concealed, and shows the unrevealed work as a mystery', async () => {
    for (const [work, login] of [
      [anonWork, ANON],
      [mysteryWork, MYSTERY],
    ] as const) {
      for (const visitor of [guest(), reader]) {
        for (const url of surfaces(work)) {
          const r = await visitor.get(url);
          assert.ok(r.statusCode < 500, `${url}: ${r.statusCode}`);
          assert.ok(!r.body.toLowerCase().includes(login), `${url} names ${login} while concealed`);
          if (work === mysteryWork) assert.ok(!r.body.includes(MYSTERY_TITLE), `${url} names the unrevealed work's title`);
        }
        for (const url of creatorScoped(login)) {
          const r = await visitor.get(url);
          assert.ok(r.statusCode < 500, `${url}: ${r.statusCode}`);
          assert.ok(!listedIds(r.body).includes(work), `${url} lists the concealed work`);
          assert.ok(!r.body.includes(`/works/${work}"`) && !r.body.includes(`/works/${work}<`), `${url} links the concealed work`);
        }
      }
    }
    const mystery = await guest().get(`/works/${mysteryWork}`);
    assert.equal(mystery.statusCode, 200);
    assert.match(mystery.body, /<h1>Mystery work<\/h1>/);
    assert.match(mystery.body, /Part of <a href="\/collections\/sealed_box">The sealed_box<\/a>/);
    const listing = await guest().get('/collections/sealed_box/works');
    assert.deepEqual(listedIds(listing.body), [mysteryWork]);
    assert.match(listing.body, /Mystery work/);
    const anon = await guest().get(`/works/${anonWork}`);
    assert.match(anon.body, /by <span>Anonymous<\/span>|Anonymous/);
    assert.match(anon.body, /Anonymous creator/, 'the creator’s own comment is signed "Anonymous creator"');
    assert.doesNotMatch(anon.body, /Saga Of Veils/, 'no "Part 1 of" the creator’s series');
    assert.equal((await guest().get(`/series/${seriesId}`)).statusCode, 404, 'a series of concealed works only is not there for readers');
    assert.match((await veiled.get(`/series/${seriesId}`)).body, /Dance Of Masks/, 'its creator still sees it');
    // Downloads (src/downloads/downloads-anonymity.routes.test.ts walks every format and reader):
    // the anonymous work's file says "Anonymous", the unrevealed one's is refused.
    const epub = await guest().get(`/downloads/${anonWork}/work.epub`);
    assert.equal(epub.statusCode, 200);
    const book = Object.values(unzipSync(epub.rawPayload))
      .map((entry) => strFromU8(entry))
      .join('\n');
    assert.match(book, /<dc:title>Dance Of Masks<\/dc:title>/);
    assert.ok(!book.toLowerCase().includes(ANON) && !book.includes('Saga Of Veils'), 'the EPUB names neither the creator nor their series');
    assert.equal((await guest().get(`/downloads/${mysteryWork}/work.epub`)).statusCode, 404);
    assert.equal((await reader.get(`/users/${ANON}/stats`)).statusCode, 403, 'stats are the creator’s own');
    // Hiding a creator must not hide their concealed work: its absence would name them.
    const muter = await new TestVisitor(t.app).signUp('careful_reader');
    assert.equal((await muter.post('/preferences/filters', { kind: 'creator', name: ANON })).statusCode, 303);
    for (const url of ['/works', '/tags/Masquerade%20Ball/works', '/works/search?q=Masquerade'])
      assert.ok(
        listedIds((await muter.get(url)).body).includes(anonWork),
        `${url} still lists the anonymous work to a reader who hid its creator`,
      );
    // Sorted by creator, a concealed work goes last (its place among names would point at its creator).
    const byCreator = listedIds((await guest().get('/works/search?q=Masquerade&sort=creator&direction=asc')).body);
    assert.equal(byCreator[0], plainWork);
    assert.deepEqual(byCreator.slice(1).sort(), [anonWork, mysteryWork].sort());
    // Subscribers of the creators heard nothing yet.
    assert.deepEqual(await notices(anonWork), []);
    assert.deepEqual(await notices(mysteryWork), []);
  });

  it('gives a mystery work no dates or language in the collection’s feed and catalogue', async () => {
    for (const url of ['/collections/sealed_box/feed.atom', '/opds/collections/sealed_box']) {
      const body = (await guest().get(url)).body;
      const entry = /<entry>[\s\S]*?<\/entry>/.exec(body)?.[0] ?? '';
      assert.match(entry, /Mystery work/, url);
      assert.doesNotMatch(entry, /<published>|<dc:issued>|<dc:language>/, url);
      assert.match(entry, /<updated>1970-01-01T00:00:00/, url);
    }
  });

  it('shows the creators themselves the truth, marked, and the maintainers a reveal button', async () => {
    const own = await veiled.get(`/works/${anonWork}`);
    assert.match(own.body, new RegExp(`>${ANON}<`));
    assert.match(own.body, /Anonymous: readers see its creators as “Anonymous”/);
    const ownMystery = await hidden.get(`/works/${mysteryWork}`);
    assert.match(ownMystery.body, new RegExp(MYSTERY_TITLE));
    assert.match(ownMystery.body, /Unrevealed: readers see this work as a “Mystery work”/);
    const profile = await keeper.get('/collections/masked_ball');
    assert.match(profile.body, /Reveal now/);
    const queue = await keeper.get('/collections/masked_ball/items');
    assert.match(queue.body, /Who created what \(hidden from readers until the reveal\)/);
    assert.match(queue.body, new RegExp(`Dance Of Masks</a> by ${ANON}`), 'maintainers see the truth, marked');
    assert.doesNotMatch((await reader.get('/collections/masked_ball')).body, /Reveal now/);
    const refused = await reader.post('/collections/masked_ball/reveal');
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /Only the owners and moderators of this collection can reveal it/);
    const cookie = [...keeper.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const forged = await t.app.inject({ method: 'POST', url: '/collections/masked_ball/reveal', headers: { cookie }, payload: {} });
    assert.equal(forged.statusCode, 403, 'a reveal without the CSRF token is refused');
    assert.equal(
      (await t.db.selectFrom('collections').select('is_anonymous').where('name', '=', 'masked_ball').executeTakeFirstOrThrow())
        .is_anonymous,
      true,
    );
  });

  it('reveals on the button (audited) and on the scheduled date (run by the jobs), then names the creators everywhere', async () => {
    const revealed = await keeper.post('/collections/masked_ball/reveal');
    assert.equal(revealed.statusCode, 303);
    const again = await keeper.post('/collections/masked_ball/reveal');
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /nothing to reveal/);
    // The scheduled reveal: set a date, then let the clock pass it (the job checks the date it was queued for).
    const scheduled = await keeper.post('/collections/sealed_box', {
      title: 'The sealed_box',
      unrevealed: '1',
      reveal_at: '2099-01-01T10:00',
    });
    assert.equal(scheduled.statusCode, 303, scheduled.body.slice(0, 600));
    // Let the clock pass it: the date and the queued job moved to the past together (the job checks they agree).
    const box = await t.db.selectFrom('collections').select('id').where('name', '=', 'sealed_box').executeTakeFirstOrThrow();
    const past = new Date('2001-01-01T10:00:00Z');
    await t.db.updateTable('collections').set({ reveal_at: past }).where('id', '=', box.id).execute();
    await t.db
      .updateTable('jobs')
      .set({ run_at: past, payload: JSON.stringify({ collectionId: box.id, at: past.toISOString() }) })
      .where('kind', '=', 'collections.reveal')
      .execute();
    await t.app.jobs.drain();
    const flags = await t.db
      .selectFrom('collections')
      .select(['name', 'is_anonymous', 'is_unrevealed', 'reveal_at'])
      .orderBy('name')
      .execute();
    assert.deepEqual(
      flags.map((f) => [f.name, f.is_anonymous, f.is_unrevealed, f.reveal_at]),
      [
        ['masked_ball', false, false, null],
        ['sealed_box', false, false, null],
      ],
    );
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('action', '=', 'collection.reveal')
      .orderBy('id')
      .execute();
    assert.equal(audit.length, 2);
    assert.equal(audit[0]!.actor_id, await userId('fest_keeper'));
    assert.equal(audit[1]!.actor_id, null, 'the scheduled reveal is the system’s');

    await t.app.jobs.drain();
    for (const [work, login] of [
      [anonWork, ANON],
      [mysteryWork, MYSTERY],
    ] as const) {
      const sent = await notices(work);
      assert.equal(sent.length, 1, 'the held-back notice went to the subscriber at the reveal');
      assert.match(sent[0]!.text, new RegExp(login));
      const page = await guest().get(`/works/${work}`);
      assert.match(page.body, new RegExp(`>${login}<`));
      for (const url of [
        `/api/v1/works/${work}`,
        `/works/${work}/chapters/feed.atom`,
        `/downloads/${work}/work.html`,
        `/users/${login}/works`,
      ]) {
        const r = await guest().get(url);
        assert.ok(r.body.includes(login), `${url} names ${login} after the reveal: ${r.statusCode} ${r.body.slice(0, 300)}`);
      }
      const search = await guest().get(`/works/search?q=creator:${login}`);
      assert.deepEqual(listedIds(search.body), [work]);
      assert.match((await guest().get(`/works/${work}`)).body, /Thank you all for reading!/);
      assert.doesNotMatch((await guest().get(`/works/${work}`)).body, /Anonymous creator/);
    }
    assert.match((await guest().get('/opds/creators')).body, new RegExp(ANON));
    assert.match((await guest().get(`/series/${seriesId}`)).body, /Dance Of Masks/);
    assert.match((await guest().get(`/works/${anonWork}`)).body, /Saga Of Veils/);
  });

  // After the reveal test, which checks every collection's flags.
  it('conceals a posted work at once when it is only waiting for a moderated anonymous collection', async () => {
    const created = await keeper.post('/collections', { name: 'masked_queue', title: 'The masked queue', anonymous: '1', moderated: '1' });
    assert.equal(created.statusCode, 303, created.body.slice(0, 300));
    const writer = await new TestVisitor(t.app).signUp('queued_writer');
    const work = workIdOf((await writer.post('/works', buildWorkForm({ title: 'Waiting In Line' }))).headers.location);
    assert.match((await guest().get(`/works/${work}`)).body, /queued_writer/, 'named (and cached) before it is submitted');
    const added = await writer.post('/collection_items', { collection: 'masked_queue', work_id: String(work) });
    assert.equal(added.statusCode, 303, added.body.slice(0, 300));
    const item = await t.db
      .selectFrom('collection_items')
      .select('collection_approval')
      .where('work_id', '=', work)
      .executeTakeFirstOrThrow();
    assert.equal(item.collection_approval, 'pending');
    assert.doesNotMatch((await guest().get(`/works/${work}`)).body, /queued_writer/);
  });
});
