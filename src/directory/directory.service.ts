import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { TagViewer } from '../tags/tags.policy.ts';
import { fandomsOfMedia, toLetterGroups, toMediaViews, UNCATEGORIZED, type LetterGroup, type MediaView } from './directory.presenter.ts';
import { countWorksPerTag } from '../search/search.service.ts';
import { countFandomWorks, findCanonicalFandoms, findMediaTags, type FandomCountRow } from './directory.repo.ts';

/**
 * Who the counts are for. Every guest may read the same works, and so may every signed-in
 * account that is not staff and created none of them: the directory counts those two sets, so a
 * count can be shared (and cached) by everyone in it. A creator's own drafts and the hidden works
 * staff can open are left out, so the directory never shows more than the visibility rule allows.
 */
export type Audience = 'guests' | 'members';

/** An account with no roles and no works (ids start at 1): what every signed-in reader may read. */
const ANY_MEMBER: TagViewer = { id: 0 };

/**
 * The search slice's in-memory index keeps these counts current (milliseconds to read); while it
 * is being built they come from SQL, a pass over every work (about 0.3 s at 10,000 works on
 * PGlite), kept a minute: fresh enough for a directory.
 */
const TTL_MS = 60_000;
const countCaches = new WeakMap<Kysely<Database>, Map<Audience, { expiresAt: number; counts: Promise<Map<number, number>> }>>();

/**
 * Canonical fandoms with works for this audience, with their media. The fandoms and media are read
 * fresh each time (wrangling shows at once); only the SQL counts are ever cached.
 */
async function fandomCountsFor(db: Kysely<Database>, audience: Audience): Promise<FandomCountRow[]> {
  const [fandoms, perTag] = await Promise.all([findCanonicalFandoms(db), countWorksPerTag(db, audience)]);
  let counts = perTag;
  if (!counts) {
    const fromSql = await sqlCountsFor(db, audience);
    counts = (tagId) => fromSql.get(tagId) ?? 0;
  }
  const worksOf = counts;
  return fandoms.map((r) => ({ ...r, works: worksOf(r.id) })).filter((r) => r.works > 0);
}

function sqlCountsFor(db: Kysely<Database>, audience: Audience, now = Date.now()): Promise<Map<number, number>> {
  let cache = countCaches.get(db);
  if (!cache) countCaches.set(db, (cache = new Map()));
  const hit = cache.get(audience);
  if (hit && hit.expiresAt > now) return hit.counts;
  // The promise is shared, so requests arriving together wait for one query, not one each.
  const counts = countFandomWorks(db, audience === 'guests' ? null : ANY_MEMBER);
  const entry = { expiresAt: now + TTL_MS, counts };
  cache.set(audience, entry);
  counts.catch(() => {
    if (cache.get(audience) === entry) cache.delete(audience);
  });
  return counts;
}

/** Every media with its biggest fandoms, counting the works this audience may read. */
export async function listMedia(db: Kysely<Database>, audience: Audience): Promise<MediaView[]> {
  const [media, rows] = await Promise.all([findMediaTags(db), fandomCountsFor(db, audience)]);
  return toMediaViews(media, rows);
}

/**
 * One media's fandoms by letter; undefined when no canonical media has this name (case does not
 * matter: the page shows the media's own spelling).
 */
export async function listFandomsOfMedia(
  db: Kysely<Database>,
  name: string,
  audience: Audience,
): Promise<{ media: string; groups: LetterGroup[]; total: number } | undefined> {
  const wanted = name.trim().toLowerCase();
  const media =
    wanted === UNCATEGORIZED.toLowerCase() ? UNCATEGORIZED : (await findMediaTags(db)).find((m) => m.name.toLowerCase() === wanted)?.name;
  if (media === undefined) return undefined;
  const fandoms = fandomsOfMedia(await fandomCountsFor(db, audience), media);
  return { media, groups: toLetterGroups(fandoms), total: fandoms.length };
}
