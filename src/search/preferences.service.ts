import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, TagType } from '../db/schema.ts';
import { findCreatorsOfWorks, findTagsOfWorks } from '../works/works.service.ts';
import { resolveTagNames } from '../tags/filter-tags.ts';
import type { AtomEntry } from './atom.ts';
import { parseQuery } from './query-parser.ts';
import * as repo from './search.repo.ts';
import { SearchQuerySchema, toQueryString, type GlobalFilterInput, type SearchFilters } from './search.schema.ts';
import { findHiddenForViewer, resolveSearch, searchWorks } from './search.service.ts';

type Db = Kysely<Database>;

export class PreferenceInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** A saved search's stored query string → filters (a stored search was valid when saved). */
export function filtersOfSavedQuery(query: string): SearchFilters | null {
  const params = new URLSearchParams(query);
  const raw: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    raw[key] = all.length === 1 ? all[0]! : all;
  }
  const parsed = SearchQuerySchema.safeParse(raw);
  return parsed.success ? { ...parsed.data, page: 1 } : null;
}

/** Saves a search for the viewer; the query must be one the search page accepts. */
export async function saveSearch(db: Db, userId: number, name: string, query: string): Promise<number> {
  const filters = filtersOfSavedQuery(query);
  if (!filters) throw new PreferenceInputError('query', 'This search has errors; fix them on the search page before saving it.');
  parseQuery(filters.q);
  const existing = await repo.findSavedSearches(db, userId);
  if (existing.length >= 100) throw new PreferenceInputError('name', 'You can keep at most 100 saved searches. Delete one first.');
  return db
    .transaction()
    .execute((trx) => repo.insertSavedSearch(trx, userId, name, toQueryString(filters), randomBytes(18).toString('base64url')));
}

/** The viewer's saved searches with their counts of new matches; marks them all as seen now. */
export async function listSavedSearches(db: Db, userId: number) {
  const searches = await repo.findSavedSearches(db, userId);
  const now = new Date();
  const out = [];
  for (const s of searches) {
    const filters = filtersOfSavedQuery(s.query);
    let newCount = 0;
    if (filters) {
      try {
        const { resolved } = await resolveSearch(db, filters, { id: userId }, parseQuery(filters.q));
        newCount = await repo.countPostedSince(db, resolved, s.last_viewed_at);
      } catch {
        newCount = 0;
      }
    }
    out.push({ id: s.id, name: s.name, query: s.query, feedToken: s.feed_token, newCount });
  }
  await db.transaction().execute((trx) => repo.markSavedSearchesViewed(trx, userId, now));
  return out;
}

export async function removeSavedSearch(db: Db, userId: number, id: number): Promise<boolean> {
  return db.transaction().execute((trx) => repo.deleteSavedSearch(trx, userId, id));
}

/**
 * The newest matches of a saved search for its feed. Feed readers carry no session, so the feed
 * shows what a guest may see (never restricted works or drafts), with the owner's hidden tags and creators (and muted users) applied.
 */
export async function savedSearchFeed(
  db: Db,
  userId: number,
  id: number,
  token: string,
): Promise<{ name: string; query: string; entries: AtomEntry[]; updated: Date } | null> {
  const saved = await repo.findSavedSearch(db, userId, id);
  if (!saved || !sameSecret(saved.feed_token, token)) return null;
  const filters = filtersOfSavedQuery(saved.query);
  if (!filters) return { name: saved.name, query: saved.query, entries: [], updated: saved.created_at };
  const hidden = await findHiddenForViewer(db, userId);
  const result = await searchWorks(db, null, { ...filters, sort: 'posted', direction: 'desc', page: 1 }, { facets: false, hidden });
  const ids = result.rows.map((r) => r.id);
  const [creators, tags] = await Promise.all([findCreatorsOfWorks(db, ids), findTagsOfWorks(db, ids)]);
  const entries: AtomEntry[] = result.rows.map((w) => ({
    id: `/works/${w.id}`,
    title: w.title,
    href: `/works/${w.id}`,
    updated: w.updated_at,
    published: w.published_at,
    authors: creators.filter((c) => c.work_id === w.id).map((c) => (c.pseud_name === c.login ? c.login : `${c.pseud_name} (${c.login})`)),
    summary: w.summary_html
      .replace(/<[^>]*>/g, ' ')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&')
      .replace(/\s+/g, ' ')
      .trim(),
    categories: tags.filter((t) => t.work_id === w.id).map((t) => t.name),
  }));
  const updated = entries.reduce((max, e) => (e.updated > max ? e.updated : max), saved.created_at);
  return { name: saved.name, query: saved.query, entries, updated };
}

function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return expected !== '' && a.length === b.length && timingSafeEqual(a, b);
}

// ── Personal global filters ──

export async function listGlobalFilters(db: Db, userId: number) {
  const rows = await repo.findGlobalFilters(db, userId);
  const tags = await repo.findTagsByIds(
    db,
    rows.filter((r) => r.kind === 'tag').map((r) => r.target_id),
  );
  const users = await repo.findUsersByIds(
    db,
    rows.filter((r) => r.kind === 'creator').map((r) => r.target_id),
  );
  return rows.map((r) => {
    if (r.kind === 'tag') {
      const tag = tags.find((t) => t.id === r.target_id);
      return {
        kind: r.kind,
        targetId: r.target_id,
        label: tag ? `${tag.name} (${tag.type === 'freeform' ? 'additional tag' : tag.type})` : `tag #${r.target_id}`,
      };
    }
    const user = users.find((u) => u.id === r.target_id);
    return { kind: r.kind, targetId: r.target_id, label: user ? `works by ${user.login}` : `user #${r.target_id}` };
  });
}

/** Hides a tag (resolved to its canonical) or a creator (by login or pseud) from the viewer's listings and searches. */
export async function addGlobalFilter(db: Db, userId: number, input: GlobalFilterInput): Promise<void> {
  if (input.kind === 'tag') {
    let ids: number[];
    if (input.tag_type) ids = await resolveTagNames(db, input.tag_type as TagType, [input.name], { id: userId });
    else ids = (await repo.findTagIdsAnyType(db, [input.name], { id: userId })).get(input.name.toLowerCase()) ?? [];
    if (ids.length === 0)
      throw new PreferenceInputError('name', `There is no tag called “${input.name}”. Check the spelling, or choose its type.`);
    await db.transaction().execute(async (trx) => {
      for (const id of ids) await repo.insertGlobalFilter(trx, userId, 'tag', id);
    });
    return;
  }
  const name = input.name.toLowerCase();
  const user = await db
    .selectFrom('users')
    .leftJoin('pseuds', 'pseuds.user_id', 'users.id')
    .select('users.id')
    .where((eb) => eb.or([eb(eb.fn('lower', ['users.login']), '=', name), eb(eb.fn('lower', ['pseuds.name']), '=', name)]))
    .executeTakeFirst();
  if (!user) throw new PreferenceInputError('name', `There is no creator called “${input.name}”.`);
  if (user.id === userId) throw new PreferenceInputError('name', 'You cannot hide your own works.');
  await db.transaction().execute((trx) => repo.insertGlobalFilter(trx, userId, 'creator', user.id));
}

export async function removeGlobalFilter(db: Db, userId: number, kind: 'tag' | 'creator', targetId: number): Promise<void> {
  await db.transaction().execute((trx) => repo.deleteGlobalFilter(trx, userId, kind, targetId));
}
