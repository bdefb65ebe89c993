import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { createTestDatabase } from '../../test/database.ts';
import type { DatabaseHandle } from '../db/connection.ts';
import type { Database, TagType } from '../db/schema.ts';
import type { TagParentKind } from '../db/tables/tags.ts';
import type { Viewer } from '../web/viewer.ts';
import { canReadWork, type WorkAccessFacts } from '../works/works.policy.ts';
import { findVisibleTagByName, readableWorkCondition, WRANGLER_ROLE } from './tags.repo.ts';
import { loadTagPage, resolveVisibleTag, suggestTags, TagNotFoundError } from './tags.service.ts';

/*
 * Which tags a viewer may see (tags.policy.ts), on the SQL that every tag surface shares: checked against
 * canReadWork, the one read rule, for every kind of work and of viewer, then on what the tag page lists
 * and autocomplete suggests. Runs on PGlite and, with TEST_DATABASE_URL, on PostgreSQL.
 */
describe('tag visibility', () => {
  let handle: DatabaseHandle;
  let db: Kysely<Database>;
  const viewers: Record<'guest' | 'creator' | 'reader' | 'moderator' | 'admin' | 'wrangler', Viewer | null> = {
    guest: null,
    creator: null,
    reader: null,
    moderator: null,
    admin: null,
    wrangler: null,
  };
  const works: Array<{ id: number; tag: string; facts: WorkAccessFacts }> = [];
  let creatorPseud = 0;

  const addUser = async (login: string, flags: { isAdmin?: boolean; isModerator?: boolean; role?: string } = {}): Promise<Viewer> => {
    const user = await db
      .insertInto('users')
      .values({ login, email: `${login}@example.org`, password_hash: 'x', is_admin: flags.isAdmin ?? false })
      .returning('id')
      .executeTakeFirstOrThrow();
    const pseud = await db
      .insertInto('pseuds')
      .values({ user_id: user.id, name: login, is_default: true })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (flags.role) await db.insertInto('user_roles').values({ user_id: user.id, role: flags.role }).execute();
    return {
      id: user.id,
      login,
      isAdmin: flags.isAdmin ?? false,
      isModerator: flags.isModerator ?? false,
      defaultPseudId: pseud.id,
      defaultPseudName: login,
    };
  };

  const addTag = async (type: TagType, name: string, canonical = false): Promise<number> =>
    (
      await db
        .insertInto('tags')
        .values({ type, name, canonical, sortable_name: name.toLowerCase() })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;

  /** A work by `creator` carrying these tags. */
  const addWork = async (state: { draft?: boolean; restricted?: boolean; hidden?: boolean }, tagIds: number[]): Promise<number> => {
    const work = await db
      .insertInto('works')
      .values({
        title: 'W',
        is_draft: state.draft ?? false,
        is_restricted: state.restricted ?? false,
        published_at: state.draft ? null : new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('work_creators').values({ work_id: work.id, pseud_id: creatorPseud, position: 0 }).execute();
    if (tagIds.length > 0)
      await db
        .insertInto('work_tags')
        .values(tagIds.map((tag_id, position) => ({ work_id: work.id, tag_id, position })))
        .execute();
    if (state.hidden) await db.insertInto('hidden_works').values({ work_id: work.id, reason: 'test' }).execute();
    return work.id;
  };

  const link = (parent: number, child: number, kind: TagParentKind) =>
    db.insertInto('tag_parents').values({ parent_id: parent, child_id: child, kind }).execute();

  const wrangles = (v: Viewer | null) => v !== null && (v.isAdmin || v.login === 'wrangler');

  before(async () => {
    handle = await createTestDatabase();
    db = handle.db;
    viewers.creator = await addUser('creator');
    creatorPseud = viewers.creator.defaultPseudId;
    viewers.reader = await addUser('reader');
    viewers.moderator = await addUser('moderator', { isModerator: true, role: 'moderator' });
    viewers.admin = await addUser('admin', { isAdmin: true });
    viewers.wrangler = await addUser('wrangler', { role: WRANGLER_ROLE });
    for (const draft of [false, true]) {
      for (const restricted of [false, true]) {
        for (const hidden of [false, true]) {
          const tag = `Kind ${draft ? 'draft' : 'posted'} ${restricted ? 'restricted' : 'open'} ${hidden ? 'hidden' : 'shown'}`;
          const id = await addWork({ draft, restricted, hidden }, [await addTag('freeform', tag)]);
          works.push({
            id,
            tag,
            facts: { isDraft: draft, isRestricted: restricted, isHidden: hidden, creatorUserIds: [viewers.creator.id] },
          });
        }
      }
    }
  });
  after(() => handle.close());

  it('reads in SQL exactly the works canReadWork lets each kind of viewer read', async () => {
    for (const [name, viewer] of Object.entries(viewers)) {
      const rows = await db.selectFrom('works as vw').select('vw.id').where(readableWorkCondition(viewer, 'vw')).execute();
      const readable = new Set(rows.map((r) => r.id));
      for (const w of works) {
        assert.equal(readable.has(w.id), canReadWork(viewer, w.facts).allowed, `${name} reading the work tagged ${w.tag}`);
      }
    }
  });

  it('shows a tag used on one work to exactly those who may read the work, and to wranglers', async () => {
    for (const [name, viewer] of Object.entries(viewers)) {
      for (const w of works) {
        const expected = canReadWork(viewer, w.facts).allowed || wrangles(viewer);
        const found = await findVisibleTagByName(db, w.tag.toUpperCase(), viewer);
        assert.equal(found !== undefined, expected, `${name} looking up ${w.tag}`);
        // Roles are read by account id: the account alone (a saved search's owner) gets the same answer.
        if (viewer)
          assert.equal(
            (await findVisibleTagByName(db, w.tag, { id: viewer.id })) !== undefined,
            expected,
            `${name}'s account looking up ${w.tag}`,
          );
      }
    }
  });

  it('shows a tag when any one of its works is readable, a canonical tag always, an unused one to wranglers only', async () => {
    const mixed = await addTag('freeform', 'On A Draft And A Posted Work');
    await addWork({ draft: true }, [mixed]);
    await addWork({}, [mixed]);
    await addTag('freeform', 'Canonical Unused', true);
    await addTag('freeform', 'Plain Unused');
    for (const [name, viewer] of Object.entries(viewers)) {
      assert.ok(await findVisibleTagByName(db, 'On A Draft And A Posted Work', viewer), name);
      assert.ok(await findVisibleTagByName(db, 'Canonical Unused', viewer), name);
      assert.equal((await findVisibleTagByName(db, 'Plain Unused', viewer)) !== undefined, wrangles(viewer), name);
    }
  });

  it('lists on a tag page only the synonyms and children the viewer may see, and counts only those', async () => {
    const fandom = await addTag('fandom', 'Lantern Fandom', true);
    const draftSynonym = await addTag('fandom', 'Lantern Draft Name');
    const postedSynonym = await addTag('fandom', 'Lantern Posted Name');
    await db.updateTable('tags').set({ merger_id: fandom }).where('id', 'in', [draftSynonym, postedSynonym]).execute();
    const draftCharacter = await addTag('character', 'Lantern Secret Character');
    const postedCharacter = await addTag('character', 'Lantern Known Character');
    await link(fandom, draftCharacter, 'fandom');
    await link(fandom, postedCharacter, 'fandom');
    await addWork({ draft: true }, [draftSynonym, draftCharacter]);
    await addWork({}, [postedSynonym, postedCharacter]);

    const guestPage = await loadTagPage(db, 'Lantern Fandom', null);
    assert.deepEqual(
      guestPage.synonyms.map((s) => s.name),
      ['Lantern Posted Name'],
    );
    assert.deepEqual(
      guestPage.children.map((c) => c.name),
      ['Lantern Known Character'],
    );
    assert.equal(guestPage.childCounts.get('fandom:character'), 1, 'the count behind "and N more" leaves the hidden child out too');
    const creatorPage = await loadTagPage(db, 'Lantern Fandom', viewers.creator);
    assert.deepEqual(
      creatorPage.synonyms.map((s) => s.name),
      ['Lantern Draft Name', 'Lantern Posted Name'],
      'a creator sees the tags of their own draft',
    );
    assert.equal(creatorPage.childCounts.get('fandom:character'), 2);

    // The draft's synonym: no tag to a guest; to its creator, a synonym standing for the canonical.
    await assert.rejects(resolveVisibleTag(db, 'Lantern Draft Name', null), TagNotFoundError);
    await assert.rejects(loadTagPage(db, 'Lantern Draft Name', viewers.reader), TagNotFoundError);
    const own = await resolveVisibleTag(db, 'Lantern Draft Name', viewers.creator);
    assert.equal(own.canonical.id, fandom);
  });

  it('suggests only tags the viewer may see', async () => {
    const names = async (viewer: Viewer | null) => (await suggestTags(db, 'fandom', 'lantern', viewer)).map((s) => s.name);
    assert.deepEqual(await names(null), ['Lantern Fandom', 'Lantern Posted Name']);
    assert.deepEqual(await names(viewers.reader), ['Lantern Fandom', 'Lantern Posted Name']);
    assert.deepEqual(await names(viewers.creator), ['Lantern Fandom', 'Lantern Draft Name', 'Lantern Posted Name']);
    assert.deepEqual(await names(viewers.wrangler), ['Lantern Fandom', 'Lantern Draft Name', 'Lantern Posted Name']);
    assert.deepEqual(
      (await suggestTags(db, 'character', 'secret', null)).map((s) => s.name),
      [],
      'word-prefix matches are filtered too',
    );
  });

  it('shows the characters a relationship on a readable work names, but not characters a merge only linked to it', async () => {
    const relationship = await addTag('relationship', 'Ferry Pilot/Lock Keeper');
    const pilot = await addTag('character', 'Ferry Pilot');
    const stowaway = await addTag('character', 'Stowaway From A Draft');
    await link(pilot, relationship, 'character');
    // What merging a draft's relationship into this one leaves: its characters linked here, names unrelated.
    await link(stowaway, relationship, 'character');
    await addWork({}, [relationship]);
    assert.ok(await findVisibleTagByName(db, 'Ferry Pilot', null));
    assert.equal(await findVisibleTagByName(db, 'Stowaway From A Draft', null), undefined);
    const page = await loadTagPage(db, 'Ferry Pilot/Lock Keeper', null);
    assert.deepEqual(
      page.parents.map((p) => p.name),
      ['Ferry Pilot'],
    );
  });
});
