// The tags slice's interface for other slices, with tags.policy.ts (which tags a viewer sees) and tag-labels.ts:
// they import from these, never from tags.repo.ts.
import type { Kysely, Transaction } from 'kysely';
import type { Database, TagRow, TagType } from '../db/schema.ts';
import type { TagParentKind } from '../db/tables/tags.ts';
import { countVisibleWorks } from '../browse/browse.service.ts';
import { findUserByLogin } from '../accounts/accounts.service.ts';
import { withMutedCreators } from '../blocking/blocking.service.ts';
import { findHiddenForViewer } from '../search/global-filters.ts';
import { findTagByName, refreshFilterTagsOfTags } from './filter-tags.ts';
import type { TagViewer } from './tags.policy.ts';
import * as repo from './tags.repo.ts';
import { splitNames, type WranglingActionInput, type WranglingListInput } from './tags.schema.ts';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

const FIXED_TYPES: readonly TagType[] = ['rating', 'warning', 'category'];
const FANDOM_CHILD_TYPES: readonly TagType[] = ['relationship', 'character', 'freeform'];

/** A wrangling request that cannot be done as asked; `field` is the form field to show it beside. */
export class WranglingError extends Error {
  constructor(
    message: string,
    readonly field: 'tag_ids' | 'target' | 'action' = 'target',
  ) {
    super(message);
  }
}

export class TagNotFoundError extends Error {}

export interface WranglingResult {
  message: string;
  /** Works whose page shows different tags now (their cached pages must go). */
  changedWorkIds: number[];
}

/** The one canonical tag a name means for this type: a synonym gives its canonical. */
async function resolveCanonicalTarget(trx: Trx, type: TagType, name: string, what: string): Promise<TagRow> {
  const tag = await findTagByName(trx, name, type);
  if (!tag) throw new WranglingError(`There is no ${what} called “${name}”. Check the spelling, or create it by using it on a work first.`);
  const canonical = tag.merger_id !== null ? await repo.findTagById(trx, tag.merger_id) : tag;
  if (!canonical?.canonical) {
    throw new WranglingError(`“${tag.name}” is not canonical. Make it canonical first, then try again.`);
  }
  return canonical;
}

async function resolveTargets(trx: Trx, type: TagType, raw: string, what: string): Promise<TagRow[]> {
  const out: TagRow[] = [];
  for (const name of splitNames(raw)) out.push(await resolveCanonicalTarget(trx, type, name, what));
  return out;
}

function requireTypes(tags: readonly TagRow[], allowed: readonly TagType[], message: string): void {
  const wrong = tags.find((t) => !allowed.includes(t.type));
  if (wrong) throw new WranglingError(`${message} (“${wrong.name}” is not).`, 'tag_ids');
}

function oneType(tags: readonly TagRow[]): TagType {
  const type = tags[0]!.type;
  if (tags.some((t) => t.type !== type)) throw new WranglingError('Tick tags of one type for this action.', 'tag_ids');
  return type;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Applies one wrangling action to the ticked tags, in one transaction, keeping works.filter_tag_ids right. */
export async function wrangleTags(db: Db, input: WranglingActionInput): Promise<WranglingResult> {
  return db.transaction().execute(async (trx) => {
    const tags = await repo.findTagsByIds(trx, input.tag_ids);
    if (tags.length !== new Set(input.tag_ids).size)
      throw new WranglingError('Some of the ticked tags no longer exist. Reload the list.', 'tag_ids');
    const fixed = tags.find((t) => FIXED_TYPES.includes(t.type));
    if (fixed)
      throw new WranglingError(`“${fixed.name}” is one of the fixed ratings, warnings and categories; it cannot be wrangled.`, 'tag_ids');
    const ids = tags.map((t) => t.id);
    const n = plural(tags.length, 'tag');

    switch (input.action) {
      case 'canonical': {
        const wereSynonyms = tags.filter((t) => t.merger_id !== null);
        await repo.makeCanonical(trx, ids);
        if (wereSynonyms.length > 0)
          await refreshFilterTagsOfTags(trx, [...wereSynonyms.map((t) => t.id), ...wereSynonyms.map((t) => t.merger_id!)]);
        return { message: `Made ${n} canonical.`, changedWorkIds: [] };
      }
      case 'synonym':
      case 'merge': {
        const type = oneType(tags);
        const target = await resolveCanonicalTarget(trx, type, input.target, 'tag of this type');
        if (ids.includes(target.id)) throw new WranglingError(`“${target.name}” cannot be a synonym of itself. Untick it.`, 'tag_ids');
        const formerMergers = tags.flatMap((t) => (t.merger_id !== null ? [t.merger_id] : []));
        await repo.makeSynonyms(trx, ids, target.id, { moveParents: true });
        const changedWorkIds = input.action === 'merge' ? await repo.moveWorkTags(trx, ids, target.id) : [];
        await refreshFilterTagsOfTags(trx, [...ids, target.id, ...formerMergers]);
        return {
          message: input.action === 'merge' ? `Merged ${n} into “${target.name}”.` : `Made ${n} synonyms of “${target.name}”.`,
          changedWorkIds,
        };
      }
      case 'add_fandoms':
      case 'remove_fandoms': {
        requireTypes(tags, FANDOM_CHILD_TYPES, 'Only relationships, characters and additional tags belong to fandoms');
        const fandoms = await resolveTargets(trx, 'fandom', input.target, 'fandom');
        return changeParents(trx, input.action === 'add_fandoms', ids, fandoms, 'fandom', n);
      }
      case 'add_media':
      case 'remove_media': {
        requireTypes(tags, ['fandom'], 'Only fandoms belong to media');
        const media = await resolveTargets(trx, 'media', input.target, 'media category');
        // A fandom filed under no media is listed under Uncategorized Fandoms (src/directory).
        return changeParents(trx, input.action === 'add_media', ids, media, 'media', n);
      }
      case 'add_meta':
      case 'remove_meta': {
        const type = oneType(tags);
        const [meta] = await resolveTargets(trx, type, input.target, 'tag of this type');
        if (!meta) throw new WranglingError('Name the meta tag.');
        if (input.action === 'add_meta') {
          const synonym = tags.find((t) => t.merger_id !== null);
          if (synonym) throw new WranglingError(`“${synonym.name}” is a synonym; give its canonical tag the meta tag instead.`, 'tag_ids');
          for (const tag of tags) {
            if ((await repo.findSubTagIds(trx, tag.id)).includes(meta.id)) {
              throw new WranglingError(`“${meta.name}” cannot be a meta tag of “${tag.name}”: it is that tag or one of its sub tags.`);
            }
          }
          await repo.addParents(trx, ids, [meta.id], 'meta');
          await repo.markWrangled(trx, ids);
        } else {
          await repo.removeParents(trx, ids, [meta.id], 'meta');
        }
        await refreshFilterTagsOfTags(trx, ids);
        return {
          message:
            input.action === 'add_meta' ? `“${meta.name}” is now a meta tag of ${n}.` : `“${meta.name}” is no longer a meta tag of ${n}.`,
          changedWorkIds: [],
        };
      }
    }
  });
}

async function changeParents(
  trx: Trx,
  add: boolean,
  ids: number[],
  parents: TagRow[],
  kind: TagParentKind,
  n: string,
): Promise<WranglingResult> {
  const parentIds = parents.map((p) => p.id);
  const names = parents.map((p) => `“${p.name}”`).join(', ');
  if (add) {
    await repo.addParents(trx, ids, parentIds, kind);
    await repo.markWrangled(trx, ids);
    return { message: `Added ${n} to ${names}.`, changedWorkIds: [] };
  }
  await repo.removeParents(trx, ids, parentIds, kind);
  return { message: `Removed ${n} from ${names}.`, changedWorkIds: [] };
}

/** The wrangling list for a type, status and (optional) fandom. */
export async function listForWrangling(db: Db, input: WranglingListInput, perPage: number) {
  let fandom: TagRow | undefined;
  if (input.fandom !== '') {
    const found = await findTagByName(db, input.fandom, 'fandom');
    if (!found) throw new WranglingError(`There is no fandom called “${input.fandom}”.`, 'target');
    fandom = found.merger_id !== null ? await repo.findTagById(db, found.merger_id) : found;
  }
  const { rows, hasNext } = await repo.listTagsForWrangling(
    db,
    {
      type: input.type,
      status: input.status,
      ...(fandom ? { fandomId: fandom.id } : {}),
      ...(input.q !== '' ? { nameContains: input.q } : {}),
    },
    input.page,
    perPage,
  );
  return { rows, hasNext, fandom };
}

/**
 * The tag a name means for this viewer, and the canonical whose works it stands for (a synonym gives its
 * canonical). Every surface that answers for a tag by name (page, works listing, API, OPDS, feeds) starts
 * here, so the visibility rule of tags.policy.ts holds on all of them: a name the viewer may not see is
 * TagNotFoundError, exactly as a name no tag has.
 */
export async function resolveVisibleTag(db: Db, name: string, viewer: TagViewer) {
  const tag = await repo.findVisibleTagByName(db, name, viewer);
  if (!tag) throw new TagNotFoundError(`There is no tag called “${name.slice(0, 100)}”.`);
  // A synonym's merger is canonical (wrangling only merges into canonicals), so visible to all.
  const canonical = tag.merger_id !== null ? ((await repo.findTagById(db, tag.merger_id)) ?? tag) : tag;
  return { tag, canonical };
}

/**
 * Everything the tag page shows: the tag, what it resolves to, its relations the viewer may see and its
 * count of the works this viewer sees, counted under the same filters as the tag's work listing
 * (src/browse/browse.routes.tsx): visibility, and a signed-in reader's global filters and muted creators.
 */
export async function loadTagPage(db: Db, name: string, viewer: TagViewer) {
  const { tag, canonical } = await resolveVisibleTag(db, name, viewer);
  const viewerId = viewer?.id ?? null;
  const hidden = await withMutedCreators(db, viewerId, await findHiddenForViewer(db, viewerId));
  const [synonyms, parents, children, childCounts, workCount] = await Promise.all([
    repo.findSynonymsOf(db, canonical.id, viewer),
    repo.findParentsOf(db, tag.id, viewer),
    repo.findChildrenOf(db, canonical.id, 100, viewer),
    repo.countChildrenOf(db, canonical.id, viewer),
    countVisibleWorks(db, { tagId: canonical.id, signedIn: viewer !== null, hidden }),
  ]);
  return { tag, canonical, synonyms, parents, children, childCounts, workCount };
}

export interface AutocompleteItem {
  id: number;
  name: string;
  canonical: boolean;
  /** The name to put in the field: a synonym's canonical. */
  insert: string;
  /** For a synonym, the canonical it resolves to. */
  synonymOf?: string;
}

export const AUTOCOMPLETE_LIMIT = 15;

/**
 * Tag suggestions for a field, among the tags the viewer may see: canonical tags first, then synonyms
 * (inserting their canonical), prefix before word matches.
 */
export async function suggestTags(db: Db, type: TagType, term: string, viewer: TagViewer): Promise<AutocompleteItem[]> {
  const prefix = await repo.findAutocompleteTags(db, type, term, 'prefix', AUTOCOMPLETE_LIMIT, viewer);
  let rows = prefix;
  if (prefix.length < AUTOCOMPLETE_LIMIT) {
    const words = await repo.findAutocompleteTags(
      db,
      type,
      term,
      'word',
      AUTOCOMPLETE_LIMIT - prefix.length,
      viewer,
      prefix.map((r) => r.id),
    );
    const rank = (r: repo.AutocompleteRow) => (r.canonical ? 0 : r.merger_id !== null ? 1 : 2);
    // Canonical tags first across both kinds of match; within a rank, prefix matches first (stable sort).
    rows = [...prefix, ...words].sort((a, b) => rank(a) - rank(b));
  }
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    canonical: r.canonical,
    insert: r.merger_name ?? r.name,
    ...(r.merger_name !== null ? { synonymOf: r.merger_name } : {}),
  }));
}

/** Roles of the viewer, for the tag policy. */
export function rolesOf(db: Db, userId: number): Promise<string[]> {
  return repo.findRolesOfUser(db, userId);
}

export function listWranglers(db: Db) {
  return repo.findUsersWithRole(db, repo.WRANGLER_ROLE);
}

export class UnknownUserError extends Error {}

export async function grantWrangler(db: Db, adminId: number, login: string): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const user = await findUserByLogin(trx as unknown as Db, login);
    if (!user) throw new UnknownUserError(`There is no user called “${login.slice(0, 100)}”.`);
    await repo.grantRole(trx, user.id, repo.WRANGLER_ROLE, adminId);
    return user.login;
  });
}

export async function revokeWrangler(db: Db, userId: number): Promise<void> {
  await db.transaction().execute((trx) => repo.revokeRole(trx, userId, repo.WRANGLER_ROLE));
}
