import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import { encodeTagName } from '../works/works.presenter.ts';
import { findTagByName, resolveTagNames } from './filter-tags.ts';

function workIdFrom(location: unknown): number {
  const match = /^\/works\/(\d+)$/.exec(String(location));
  assert.ok(match, `expected a redirect to a work, got ${String(location)}`);
  return Number(match[1]);
}

async function tagId(t: TestApp, type: string, name: string): Promise<number> {
  const tag = await findTagByName(t.db, name, type as never);
  assert.ok(tag, `tag ${type}:${name} exists`);
  return tag.id;
}

/** filter_tag_ids recomputed by brute force in TypeScript from work_tags, tags and tag_parents. */
async function expectedFilterIds(t: TestApp, workId: number): Promise<number[]> {
  const tags = await t.db.selectFrom('tags').select(['id', 'merger_id']).execute();
  const mergerOf = new Map(tags.map((r) => [r.id, r.merger_id]));
  const metas = await t.db.selectFrom('tag_parents').select(['parent_id', 'child_id']).where('kind', '=', 'meta').execute();
  const onWork = await t.db.selectFrom('work_tags').select('tag_id').where('work_id', '=', workId).execute();
  const resolve = (id: number) => mergerOf.get(id) ?? id;
  const out = new Set<number>();
  const queue = onWork.map((r) => resolve(r.tag_id));
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (out.has(id)) continue;
    out.add(id);
    for (const m of metas) if (m.child_id === id) queue.push(resolve(m.parent_id));
  }
  return [...out].sort((a, b) => a - b);
}

/** Every work's filter_tag_ids equals the brute-force answer. */
async function assertFilterTagsCorrect(t: TestApp): Promise<void> {
  const works = await t.db.selectFrom('works').select(['id', 'filter_tag_ids']).execute();
  for (const w of works) {
    assert.deepEqual(
      [...w.filter_tag_ids].sort((a, b) => a - b),
      await expectedFilterIds(t, w.id),
      `filter_tag_ids of work ${w.id}`,
    );
  }
}

const tagWorks = (name: string) => `/tags/${encodeTagName(name)}/works`;

describe('tag model and wrangling', () => {
  let t: TestApp;
  let author: TestVisitor;
  let wrangler: TestVisitor;
  let admin: TestVisitor;
  let reader: TestVisitor;

  async function post(form: Record<string, string | string[]>): Promise<number> {
    const r = await author.post('/works', buildWorkForm(form));
    assert.equal(r.statusCode, 303, r.body.slice(0, 500));
    return workIdFrom(r.headers.location);
  }

  async function wrangle(ids: number[], action: string, target = '', who: TestVisitor = wrangler) {
    return who.post('/wrangling', { tag_ids: ids.map(String), action, target });
  }

  before(async () => {
    t = await createTestApp();
    author = await new TestVisitor(t.app).signUp('tagauthor');
    admin = await new TestVisitor(t.app).signUp('tagadmin');
    await t.db.updateTable('users').set({ is_admin: true }).where('login', '=', 'tagadmin').execute();
    wrangler = await new TestVisitor(t.app).signUp('wrangler');
    reader = await new TestVisitor(t.app).signUp('reader');
  });
  after(() => t.close());

  it('refuses wrangling to guests and non-wranglers, and lets an admin grant the role', async () => {
    const guest = new TestVisitor(t.app);
    assert.equal((await guest.get('/wrangling')).statusCode, 401);
    assert.equal((await reader.get('/wrangling')).statusCode, 403);
    assert.equal((await wrangler.get('/wrangling')).statusCode, 403);
    const fluff = await tagId(t, 'freeform', 'Fluff').catch(async () => {
      await post({ title: 'Seed', freeforms: 'Fluff' });
      return tagId(t, 'freeform', 'Fluff');
    });
    const refused = await wrangle([fluff], 'canonical', '', reader);
    assert.equal(refused.statusCode, 403);
    assert.equal((await findTagByName(t.db, 'Fluff', 'freeform'))!.canonical, false, 'a refused action changes nothing');
    assert.equal((await reader.get('/wrangling/wranglers')).statusCode, 403);
    assert.equal((await reader.post('/wrangling/wranglers', { login: 'reader' })).statusCode, 403);

    const unknown = await admin.post('/wrangling/wranglers', { login: 'nobody-here' });
    assert.equal(unknown.statusCode, 422);
    assert.match(unknown.body, /no user called/);
    const granted = await admin.post('/wrangling/wranglers', { login: 'wrangler' });
    assert.equal(granted.statusCode, 303);
    assert.match((await admin.get('/wrangling/wranglers')).body, /wrangler/);
    assert.equal((await wrangler.get('/wrangling')).statusCode, 200);
    assert.equal((await admin.get('/wrangling')).statusCode, 200, 'admins wrangle too');
  });

  it('enters new tags unwrangled, links relationship characters, and fills filter_tag_ids on posting', async () => {
    const id = await post({
      title: 'Grief',
      rating: 'Mature',
      warnings: ['Major Character Death'],
      categories: ['F/M'],
      fandoms: 'The Vampire Diaries (TV)',
      relationships: 'Caroline Forbes/Stefan Salvatore, Bonnie Bennett & Elena Gilbert',
      characters: 'Caroline Forbes',
      freeforms: 'Grief/Mourning',
    });
    const rel = await findTagByName(t.db, 'Caroline Forbes/Stefan Salvatore', 'relationship');
    assert.ok(rel?.unwrangled && !rel.canonical);
    const stefan = await findTagByName(t.db, 'Stefan Salvatore', 'character');
    assert.ok(stefan, 'a character named only in a relationship is created');
    assert.equal(stefan.unwrangled, true);
    const links = await t.db.selectFrom('tag_parents').select(['parent_id', 'kind']).where('child_id', '=', rel.id).execute();
    assert.deepEqual(
      links.map((l) => l.parent_id).sort((a, b) => a - b),
      [await tagId(t, 'character', 'Caroline Forbes'), stefan.id].sort((a, b) => a - b),
    );
    assert.ok(links.every((l) => l.kind === 'character'));
    const platonic = await findTagByName(t.db, 'Bonnie Bennett & Elena Gilbert', 'relationship');
    assert.equal((await t.db.selectFrom('tag_parents').select('parent_id').where('child_id', '=', platonic!.id).execute()).length, 2);
    // A free-text tag containing a slash is not a relationship: no characters from it.
    assert.equal(await findTagByName(t.db, 'Grief', 'character'), undefined);

    const work = await t.db.selectFrom('works').select('filter_tag_ids').where('id', '=', id).executeTakeFirstOrThrow();
    for (const [type, name] of [
      ['rating', 'Mature'],
      ['warning', 'Major Character Death'],
      ['category', 'F/M'],
      ['fandom', 'The Vampire Diaries (TV)'],
      ['character', 'Caroline Forbes'],
    ] as const) {
      assert.ok(work.filter_tag_ids.includes(await tagId(t, type, name)), `${name} in filter_tag_ids`);
    }
    await assertFilterTagsCorrect(t);
    const page = await reader.get(`/tags/${encodeTagName('Caroline Forbes/Stefan Salvatore')}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Characters/);
    assert.match(page.body, /Stefan Salvatore/);
  });

  it('makes tags canonical and synonyms in bulk; synonyms resolve in tag pages, counts and filters', async () => {
    const a = await post({ title: 'Under TVD', fandoms: 'TVD' });
    const b = await post({ title: 'Under Vampire Diaries', fandoms: 'Vampire Diaries' });
    const restricted = await post({ title: 'Restricted TVD', fandoms: 'TVD', restricted: 'on' });
    const canonical = await tagId(t, 'fandom', 'The Vampire Diaries (TV)');
    const tvd = await tagId(t, 'fandom', 'TVD');
    const vd = await tagId(t, 'fandom', 'Vampire Diaries');

    assert.equal((await wrangle([canonical], 'canonical')).statusCode, 303);
    const notCanonical = await wrangle([tvd], 'synonym', 'Vampire Diaries');
    assert.equal(notCanonical.statusCode, 422);
    assert.match(notCanonical.body, /is not canonical/);
    const self = await wrangle([canonical, tvd], 'synonym', 'The Vampire Diaries (TV)');
    assert.equal(self.statusCode, 422);
    assert.match(self.body, /synonym of itself/);
    const fixed = await wrangle([await tagId(t, 'rating', 'Mature')], 'canonical');
    assert.equal(fixed.statusCode, 422);
    const noTarget = await wrangle([tvd], 'synonym', '');
    assert.equal(noTarget.statusCode, 422);
    assert.match(noTarget.body, /Name the tag/);

    const done = await wrangle([tvd, vd], 'synonym', 'the vampire diaries (tv)');
    assert.equal(done.statusCode, 303);
    assert.match((await wrangler.get(String(done.headers.location))).body, /Made 2 tags synonyms/);
    await assertFilterTagsCorrect(t);
    for (const id of [a, b]) {
      const row = await t.db.selectFrom('works').select('filter_tag_ids').where('id', '=', id).executeTakeFirstOrThrow();
      assert.ok(row.filter_tag_ids.includes(canonical));
      assert.ok(!row.filter_tag_ids.includes(tvd) && !row.filter_tag_ids.includes(vd));
    }
    assert.deepEqual(
      await resolveTagNames(t.db, 'fandom', ['tvd', 'Vampire Diaries', 'THE VAMPIRE DIARIES (TV)', 'No Such Fandom'], null),
      [canonical],
    );

    // The synonym's works page lists the canonical's works; guests do not see the restricted one.
    const listing = await new TestVisitor(t.app).get(tagWorks('TVD'));
    assert.equal(listing.statusCode, 200);
    assert.match(listing.body, /Under TVD/);
    assert.match(listing.body, /Under Vampire Diaries/);
    assert.match(listing.body, /Grief/);
    assert.doesNotMatch(listing.body, /Restricted TVD/);
    assert.match(listing.body, /is a synonym of/);
    assert.match((await reader.get(tagWorks('TVD'))).body, /Restricted TVD/);

    const page = await new TestVisitor(t.app).get(`/tags/${encodeTagName('The Vampire Diaries (TV)')}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Canonical/);
    assert.match(page.body, /Synonyms/);
    assert.match(page.body, />TVD</);
    assert.match(page.body, /3 works/, 'the guest count: the three visible works, not the restricted one');
    assert.match((await reader.get(`/tags/${encodeTagName('The Vampire Diaries (TV)')}`)).body, /4 works/);
    const synonymPage = await reader.get('/tags/TVD');
    assert.match(synonymPage.body, /Synonym[\s\S]*of <a href="\/tags\/The%20Vampire%20Diaries%20\(TV\)">/);
    assert.match(synonymPage.body, /4 works/);

    // Making a synonym canonical again gives it back its own works.
    assert.equal((await wrangle([vd], 'canonical')).statusCode, 303);
    await assertFilterTagsCorrect(t);
    const vdRow = await t.db.selectFrom('works').select('filter_tag_ids').where('id', '=', b).executeTakeFirstOrThrow();
    assert.ok(vdRow.filter_tag_ids.includes(vd) && !vdRow.filter_tag_ids.includes(canonical));
    assert.equal((await wrangle([vd], 'synonym', 'TVD')).statusCode, 303, 'naming a synonym as target means its canonical');
    assert.equal((await findTagByName(t.db, 'Vampire Diaries', 'fandom'))!.merger_id, canonical);
    await assertFilterTagsCorrect(t);
    assert.ok(restricted > 0);
  });

  it('merges a tag into another, moving its works; the old name, now on no work, is a synonym only wranglers see', async () => {
    const typo = await post({ title: 'Typo Work', freeforms: 'Flufff, Angst' });
    const fluff = await tagId(t, 'freeform', 'Fluff');
    const flufff = await tagId(t, 'freeform', 'Flufff');
    assert.equal((await wrangle([fluff], 'canonical')).statusCode, 303);
    const versionOf = async () =>
      (await t.db.selectFrom('works').select('version').where('id', '=', typo).executeTakeFirstOrThrow()).version;
    const before = await versionOf();
    const merged = await wrangle([flufff], 'merge', 'Fluff');
    assert.equal(await versionOf(), before + 1, 'the work shows other tags: a new version for download caches');
    assert.equal(merged.statusCode, 303);
    const tags = await t.db.selectFrom('work_tags').select('tag_id').where('work_id', '=', typo).execute();
    assert.ok(tags.some((r) => r.tag_id === fluff) && !tags.some((r) => r.tag_id === flufff), 'the work now carries the target tag');
    assert.equal((await findTagByName(t.db, 'Flufff', 'freeform'))!.merger_id, fluff);
    const workPage = await new TestVisitor(t.app).get(`/works/${typo}`);
    assert.match(workPage.body, />Fluff</);
    assert.doesNotMatch(workPage.body, />Flufff</);
    // No work carries "Flufff" now: it might have come from a draft, so to readers it is no tag (tags.policy.ts).
    assert.equal((await new TestVisitor(t.app).get(tagWorks('Flufff'))).statusCode, 404);
    assert.equal((await reader.get('/tags/Flufff')).statusCode, 404);
    assert.match((await wrangler.get('/tags/Flufff')).body, /of <a href="\/tags\/Fluff">/, 'wranglers see every tag');
    // Used again on a posted work, the synonym answers for its canonical's works.
    await post({ title: 'Second Typo Work', freeforms: 'Flufff' });
    assert.match((await new TestVisitor(t.app).get(tagWorks('Flufff'))).body, /Typo Work/);
    await assertFilterTagsCorrect(t);
  });

  it('finds a work under a sub tag under its meta tags, transitively, and refuses cycles', async () => {
    const work = await post({ title: 'Emotional Work', freeforms: 'Emotional Hurt/Comfort' });
    const ehc = await tagId(t, 'freeform', 'Emotional Hurt/Comfort');
    await post({ title: 'HC Work', freeforms: 'Hurt/Comfort' });
    const hc = await tagId(t, 'freeform', 'Hurt/Comfort');
    const angst = await tagId(t, 'freeform', 'Angst');
    assert.equal((await wrangle([ehc, hc, angst], 'canonical')).statusCode, 303);
    assert.equal((await wrangle([ehc], 'add_meta', 'Hurt/Comfort')).statusCode, 303);
    assert.equal((await wrangle([hc], 'add_meta', 'Angst')).statusCode, 303);
    await assertFilterTagsCorrect(t);
    const row = await t.db.selectFrom('works').select('filter_tag_ids').where('id', '=', work).executeTakeFirstOrThrow();
    assert.ok(row.filter_tag_ids.includes(hc) && row.filter_tag_ids.includes(angst), 'meta ancestors are in filter_tag_ids');
    assert.match((await reader.get(tagWorks('Angst'))).body, /Emotional Work/);
    assert.match((await reader.get(tagWorks('Hurt/Comfort'))).body, /Emotional Work/);
    const angstPage = await reader.get('/tags/Angst');
    assert.match(angstPage.body, /Sub tags/);
    assert.match(angstPage.body, /Hurt\/Comfort/);

    const cycle = await wrangle([angst], 'add_meta', 'Emotional Hurt/Comfort');
    assert.equal(cycle.statusCode, 422);
    assert.match(cycle.body, /cannot be a meta tag/);

    // A synonym of a sub tag resolves through it to the meta tags.
    const synWork = await post({ title: 'EHC Synonym Work', freeforms: 'emotional h/c' });
    assert.equal((await wrangle([await tagId(t, 'freeform', 'emotional h/c')], 'synonym', 'Emotional Hurt/Comfort')).statusCode, 303);
    const synRow = await t.db.selectFrom('works').select('filter_tag_ids').where('id', '=', synWork).executeTakeFirstOrThrow();
    assert.ok(synRow.filter_tag_ids.includes(angst));
    await assertFilterTagsCorrect(t);

    assert.equal((await wrangle([hc], 'remove_meta', 'Angst')).statusCode, 303);
    await assertFilterTagsCorrect(t);
    assert.doesNotMatch((await reader.get(tagWorks('Angst'))).body, /Emotional Work/);
  });

  it('lists unwrangled tags by fandom and type, and sets fandoms and media in bulk', async () => {
    await post({ title: 'Other Fandom Work', fandoms: 'Buffy the Vampire Slayer', characters: 'Willow Rosenberg' });
    const list = await wrangler.get(`/wrangling?type=character&status=unwrangled&fandom=${encodeURIComponent('TVD')}`);
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /Caroline Forbes/);
    assert.doesNotMatch(list.body, /Willow Rosenberg/, 'only tags used in the chosen fandom');
    const missing = await wrangler.get('/wrangling?type=character&fandom=Nonexistent');
    assert.equal(missing.statusCode, 422);
    assert.match(missing.body, /no fandom called/);
    assert.equal((await wrangler.get('/wrangling?type=bogus')).statusCode, 400);

    const caroline = await tagId(t, 'character', 'Caroline Forbes');
    const stefan = await tagId(t, 'character', 'Stefan Salvatore');
    const notCanonicalFandom = await wrangle([caroline], 'add_fandoms', 'Buffy the Vampire Slayer');
    assert.equal(notCanonicalFandom.statusCode, 422);
    const wrongType = await wrangle([await tagId(t, 'fandom', 'TVD')], 'add_fandoms', 'The Vampire Diaries (TV)');
    assert.equal(wrongType.statusCode, 422);
    assert.match(wrongType.body, /belong to fandoms/);

    assert.equal((await wrangle([caroline, stefan], 'add_fandoms', 'TVD')).statusCode, 303);
    const after = await wrangler.get(
      `/wrangling?type=character&status=unwrangled&fandom=${encodeURIComponent('The Vampire Diaries (TV)')}`,
    );
    assert.doesNotMatch(after.body, /Caroline Forbes/);
    const fandomPage = await reader.get(`/tags/${encodeTagName('The Vampire Diaries (TV)')}`);
    assert.match(fandomPage.body, /Characters/);
    assert.match(fandomPage.body, /Stefan Salvatore/);

    assert.equal((await wrangle([await tagId(t, 'fandom', 'The Vampire Diaries (TV)')], 'add_media', 'TV Shows')).statusCode, 303);
    const media = await reader.get('/tags/TV%20Shows');
    assert.equal(media.statusCode, 200);
    assert.match(media.body, /Media · Canonical/);
    assert.match(media.body, /The Vampire Diaries \(TV\)/);

    assert.equal((await wrangle([stefan], 'remove_fandoms', 'The Vampire Diaries (TV)')).statusCode, 303);
    assert.doesNotMatch((await reader.get(`/tags/${encodeTagName('The Vampire Diaries (TV)')}`)).body, /Stefan Salvatore/);
    await assertFilterTagsCorrect(t);
  });

  it('suggests canonical tags first, then synonyms resolving to their canonical, by prefix and word prefix', async () => {
    const r = await reader.get('/autocomplete/tags?type=fandom&term=vamp');
    assert.equal(r.statusCode, 200);
    const items = JSON.parse(r.body) as Array<{ id: number; name: string; canonical: boolean; insert: string; synonymOf?: string }>;
    assert.deepEqual(
      items.map((i) => i.name),
      ['The Vampire Diaries (TV)', 'Vampire Diaries', 'Buffy the Vampire Slayer'],
      'canonical first; then the synonym; then the unwrangled tag (a word-prefix match)',
    );
    assert.equal(items[0]!.canonical, true);
    assert.equal(items[1]!.insert, 'The Vampire Diaries (TV)');
    assert.equal(items[1]!.synonymOf, 'The Vampire Diaries (TV)');
    const tvd = JSON.parse((await reader.get('/autocomplete/tags?type=fandom&term=TV')).body) as Array<{ name: string; insert: string }>;
    assert.deepEqual(
      tvd.map((i) => i.name),
      ['TVD'],
      'case-insensitive prefix; "(TV)" is not a word start',
    );
    assert.equal(tvd[0]!.insert, 'The Vampire Diaries (TV)');
    const chars = JSON.parse((await reader.get('/autocomplete/tags?type=character&term=sal')).body) as Array<{ name: string }>;
    assert.deepEqual(
      chars.map((i) => i.name),
      ['Stefan Salvatore'],
    );
    const wildcard = JSON.parse((await reader.get('/autocomplete/tags?type=freeform&term=%25')).body) as unknown[];
    assert.deepEqual(wildcard, [], 'LIKE wildcards are matched literally');
    assert.equal((await reader.get('/autocomplete/tags?type=nope&term=a')).statusCode, 422);
    assert.equal((await reader.get('/autocomplete/tags?type=fandom')).statusCode, 422);

    for (let i = 0; i < 20; i++) {
      await t.db
        .insertInto('tags')
        .values({
          type: 'freeform',
          name: `Zed ${String(i).padStart(2, '0')}`,
          sortable_name: `zed ${String(i).padStart(2, '0')}`,
          canonical: true,
        })
        .execute();
    }
    const many = JSON.parse((await reader.get('/autocomplete/tags?type=freeform&term=zed')).body) as unknown[];
    assert.equal(many.length, 15);
    // A tag on no work a reader may read is not suggested (it might have been typed on a draft).
    await t.db.insertInto('tags').values({ type: 'freeform', name: 'Quux Unused', sortable_name: 'quux unused' }).execute();
    assert.deepEqual(JSON.parse((await reader.get('/autocomplete/tags?type=freeform&term=quux')).body), []);
  });

  it('counts on the tag page the works its listing shows: muted creators and global filters left out', async () => {
    const tagPage = (who: TestVisitor) => who.get(`/tags/${encodeTagName('Lighthouse Keepers')}`);
    /** "N works" on the tag page, and the N of "1 – k of N works" on its listing. */
    const pageCount = async (who: TestVisitor) => {
      const m = />\s*(\d+)\s*(?:<!-- -->)?\s*works?\s*</.exec((await tagPage(who)).body);
      assert.ok(m, 'the tag page shows a count');
      return Number(m[1]);
    };
    const listingCount = async (who: TestVisitor) => {
      const body = (await who.get(tagWorks('Lighthouse Keepers'))).body;
      const m = /of (\d+) works?/.exec(body);
      return m ? Number(m[1]) : /No works are tagged/.test(body) ? 0 : assert.fail('the listing shows a total');
    };
    const other = await new TestVisitor(t.app).signUp('lighthouse_other');
    const muffled = await new TestVisitor(t.app).signUp('lighthouse_muffled');
    await post({ title: 'Keeper one', freeforms: 'Lighthouse Keepers' });
    await post({ title: 'Keeper two', freeforms: 'Lighthouse Keepers' });
    for (const [who, title] of [
      [other, 'Keeper three'],
      [muffled, 'Keeper four'],
    ] as const) {
      const r = await who.post('/works', buildWorkForm({ title, freeforms: 'Lighthouse Keepers' }));
      assert.equal(r.statusCode, 303, r.body.slice(0, 300));
    }
    const muter = await new TestVisitor(t.app).signUp('lighthouse_reader');
    const guest = new TestVisitor(t.app);
    assert.equal(await pageCount(guest), 4);
    assert.equal(await pageCount(muter), 4);

    // Muting one creator and filtering out another: both counts lose their works, and agree.
    assert.equal((await muter.post('/users/lighthouse_reader/muted', { action: 'add', user: 'lighthouse_muffled' })).statusCode, 303);
    assert.equal((await muter.post('/preferences/filters', { kind: 'creator', name: 'lighthouse_other' })).statusCode, 303);
    assert.equal(await listingCount(muter), 2);
    assert.equal(await pageCount(muter), 2, 'the tag page counts what the listing lists');
    assert.equal(await pageCount(guest), 4, 'guests are not affected');
    assert.equal(await listingCount(guest), 4);
    assert.equal(await pageCount(reader), 4, 'nor is another reader');

    // Filtering out the tag itself empties the listing and the count alike.
    assert.equal(
      (await muter.post('/preferences/filters', { kind: 'tag', tag_type: 'freeform', name: 'Lighthouse Keepers' })).statusCode,
      303,
    );
    assert.equal(await listingCount(muter), 0);
    assert.equal(await pageCount(muter), 0);
  });

  it('answers unknown tags with 404', async () => {
    assert.equal((await reader.get('/tags/No%20Such%20Tag')).statusCode, 404);
    assert.equal((await reader.get(tagWorks('No Such Tag'))).statusCode, 404);
  });
});
