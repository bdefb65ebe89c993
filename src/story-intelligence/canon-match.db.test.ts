import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { createTestDatabase } from '../../test/database.ts';
import type { DatabaseHandle } from '../db/connection.ts';
import type { Database, TagType } from '../db/schema.ts';
import { WRANGLER_ROLE } from '../tags/tags.repo.ts';
import { buildProposals, matchCharactersToCanon, SHOW_THRESHOLD } from './story-intelligence.service.ts';
import { mergeChapterAnalyses, STORED_VERSION, type StoredAnalysis } from './stored.ts';

/*
 * Detected names to the archive's canonical character tags, as the author may see them
 * (visibleTagCondition): synonyms, a unique first name or surname in the work's fandom, ambiguity,
 * and a hidden synonym that must not lead to its canonical. Runs on PGlite and on PostgreSQL.
 */
describe('matching detected characters to canonical tags', () => {
  let handle: DatabaseHandle;
  let db: Kysely<Database>;
  let author = { id: 0 };
  let wrangler = { id: 0 };
  let pseud = 0;

  const addTag = async (type: TagType, name: string, canonical: boolean, mergerId: number | null = null) =>
    (
      await db
        .insertInto('tags')
        .values({ type, name, canonical, merger_id: mergerId, sortable_name: name.toLowerCase() })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const inFandom = (fandom: number, ...characters: number[]) =>
    db
      .insertInto('tag_parents')
      .values(characters.map((child_id) => ({ parent_id: fandom, child_id, kind: 'fandom' as const })))
      .execute();
  const addUser = async (login: string) => {
    const user = await db
      .insertInto('users')
      .values({ login, email: `${login}@example.org`, password_hash: 'x' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const p = await db
      .insertInto('pseuds')
      .values({ user_id: user.id, name: login, is_default: true })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: user.id, pseud: p.id };
  };
  const addWork = async (draft: boolean, tagIds: number[]) => {
    const work = await db
      .insertInto('works')
      .values({ title: 'W', is_draft: draft, is_restricted: false, published_at: draft ? null : new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('work_creators').values({ work_id: work.id, pseud_id: pseud, position: 0 }).execute();
    await db
      .insertInto('work_tags')
      .values(tagIds.map((tag_id, position) => ({ work_id: work.id, tag_id, position })))
      .execute();
  };
  const character = (name: string, aliases: string[] = [], mentions = 12) => ({ name, aliases, mentions });

  before(async () => {
    handle = await createTestDatabase();
    db = handle.db;
    const a = await addUser('canon_author');
    author = { id: a.id };
    pseud = a.pseud;
    const w = await addUser('canon_wrangler');
    wrangler = { id: w.id };
    await db.insertInto('user_roles').values({ user_id: w.id, role: WRANGLER_ROLE }).execute();

    const lakes = await addTag('fandom', 'Harbour Lights (TV)', true);
    const wren = await addTag('character', 'Wren Okafor', true);
    const tomas = await addTag('character', 'Tomas Lindqvist', true);
    const ada = await addTag('character', 'Ada Marsh', true);
    const ada2 = await addTag('character', 'Ada Quell', true); // two Adas: ambiguous
    const bea = await addTag('character', 'Beatrix Hale', true);
    await addTag('character', 'Bee Hale', false, bea); // a synonym used on a posted work: visible
    const ines = await addTag('character', 'Inés Calloway', true);
    await addTag('character', 'Nessie Calloway', false, ines); // a synonym on nothing readable: hidden
    await inFandom(lakes, wren, tomas, ada, ada2, bea, ines);
    const other = await addTag('fandom', 'Far Meadow (Books)', true);
    const otherWren = await addTag('character', 'Wren Dumont', true);
    await inFandom(other, otherWren);
    const beeTag = (await db.selectFrom('tags').select('id').where('name', '=', 'Bee Hale').executeTakeFirstOrThrow()).id;
    await addWork(false, [beeTag]);
    // A draft of the author's: its synonym is visible to its creator only.
    const draftSynonym = await addTag('character', 'Tommy Lindqvist', false, tomas);
    await addWork(true, [draftSynonym]);
  });
  after(() => handle.close());

  it("takes the canonical tag through a visible synonym, and a first name or surname unique in the work's fandom", async () => {
    const m = await matchCharactersToCanon(db, [character('Bee'), character('Bee Hale'), character('Wren'), character('Okafor', [], 3)], {
      viewer: author,
      workFandoms: ['Harbour Lights (TV)'],
    });
    assert.equal(m.byCharacter.get('Bee Hale')?.canonicalName, 'Beatrix Hale');
    assert.equal(m.byCharacter.get('Bee Hale')?.how, 'exact');
    assert.equal(m.byCharacter.get('Bee')?.canonicalName, 'Beatrix Hale', 'the first name of a visible synonym');
    // "Wren" is also Wren Dumont of another fandom: within the work's fandom it is unique.
    assert.equal(m.byCharacter.get('Wren')?.canonicalName, 'Wren Okafor');
    assert.equal(m.byCharacter.get('Wren')?.how, 'word');
    assert.equal(m.byCharacter.get('Okafor')?.canonicalName, 'Wren Okafor', 'a surname too');
  });

  it('proposes neither of two canonical tags that share the first name, and says so', async () => {
    const m = await matchCharactersToCanon(db, [character('Ada'), character('Wren')], {
      viewer: author,
      workFandoms: ['Harbour Lights (TV)'],
    });
    assert.equal(m.byCharacter.get('Ada'), undefined);
    assert.deepEqual(m.ambiguous.get('Ada'), ['Ada Marsh', 'Ada Quell']);
    const analysis = mergeChapterAnalyses([{ chapterId: 0, position: 1, analysis: stored([{ name: 'Ada', mentions: 12 }]) }]);
    const proposals = await buildProposals(
      db,
      analysis,
      { names: new Map([['fandom', new Set(['harbour lights (tv)'])]]) },
      new Set(),
      author,
    );
    const ada = proposals.find((p) => p.kind === 'character');
    assert.equal(ada?.value, 'Ada', 'the name as written');
    assert.match(ada!.note, /could be Ada Marsh or Ada Quell: Fanfold proposes neither/);
  });

  it('never follows a synonym the author may not see, and names nothing of it', async () => {
    const m = await matchCharactersToCanon(db, [character('Nessie Calloway'), character('Nessie')], {
      viewer: author,
      workFandoms: ['Harbour Lights (TV)'],
    });
    assert.equal(m.byCharacter.size, 0, 'a hidden synonym does not reveal its canonical');
    assert.equal(m.ambiguous.size, 0);
    const analysis = mergeChapterAnalyses([{ chapterId: 0, position: 1, analysis: stored([{ name: 'Nessie Calloway', mentions: 12 }]) }]);
    const proposals = await buildProposals(db, analysis, { names: new Map() }, new Set(), author);
    assert.ok(!JSON.stringify(proposals).includes('Inés'), JSON.stringify(proposals));
    assert.ok(!proposals.some((p) => p.kind === 'fandom'), 'nor the fandom it belongs to');
    // A wrangler sees every tag, and so gets the canonical.
    const forWrangler = await matchCharactersToCanon(db, [character('Nessie Calloway')], { viewer: wrangler });
    assert.equal(forWrangler.byCharacter.get('Nessie Calloway')?.canonicalName, 'Inés Calloway');
    // A synonym on the author's own draft is theirs to see; on a guest's posting form (no viewer) it is not.
    assert.equal((await matchCharactersToCanon(db, [character('Tommy Lindqvist')], { viewer: author })).byCharacter.size, 1);
    assert.equal((await matchCharactersToCanon(db, [character('Tommy Lindqvist')], { viewer: null })).byCharacter.size, 0);
  });

  it('proposes the fandom the names point to, with a confidence, and no first-name match without one', async () => {
    const m = await matchCharactersToCanon(db, [character('Wren Okafor'), character('Tomas Lindqvist'), character('Beatrix Hale')], {
      viewer: author,
    });
    assert.equal(m.fandoms[0]?.name, 'Harbour Lights (TV)');
    assert.ok(m.fandoms[0]!.confidence >= SHOW_THRESHOLD, String(m.fandoms[0]!.confidence));
    // One ambiguous first name, no fandom on the work: no fandom is sure, so the first name maps to nothing.
    const lone = await matchCharactersToCanon(db, [character('Wren')], { viewer: author });
    assert.ok(
      lone.fandoms.every((f) => f.confidence < SHOW_THRESHOLD),
      JSON.stringify(lone.fandoms),
    );
    assert.equal(lone.byCharacter.size, 0);
  });
});

function stored(characters: Array<{ name: string; mentions: number }>): StoredAnalysis {
  return {
    version: STORED_VERSION,
    textLength: 1000,
    words: 200,
    quoteCount: 0,
    characters: characters.map((c) => ({ ...c, aliases: [], gender: 'unknown', role: 'protagonist', evidence: [] })),
    relationships: [],
    talks: [],
    scenes: [],
    arc: [],
    turningPoints: [],
    rating: { value: 'General Audiences', confidence: 0.5, evidence: [] },
    warnings: [],
    language: 'en',
    additionalTags: [],
  };
}
