import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { TagViewer } from '../tags/tags.policy.ts';
import { fandomsOfMedia, toLetterGroups, toMediaViews, UNCATEGORIZED, type LetterGroup, type MediaView } from './directory.presenter.ts';
import { findFandomCounts, findMediaTags } from './directory.repo.ts';

/** Every media with its biggest fandoms, counting the works this viewer may read. */
export async function listMedia(db: Kysely<Database>, viewer: TagViewer): Promise<MediaView[]> {
  const [media, rows] = await Promise.all([findMediaTags(db), findFandomCounts(db, viewer)]);
  return toMediaViews(media, rows);
}

/**
 * One media's fandoms by letter; undefined when no canonical media has this name (case does not
 * matter: the page shows the media's own spelling).
 */
export async function listFandomsOfMedia(
  db: Kysely<Database>,
  name: string,
  viewer: TagViewer,
): Promise<{ media: string; groups: LetterGroup[]; total: number } | undefined> {
  const wanted = name.trim().toLowerCase();
  const media =
    wanted === UNCATEGORIZED.toLowerCase() ? UNCATEGORIZED : (await findMediaTags(db)).find((m) => m.name.toLowerCase() === wanted)?.name;
  if (media === undefined) return undefined;
  const fandoms = fandomsOfMedia(await findFandomCounts(db, viewer), media);
  return { media, groups: toLetterGroups(fandoms), total: fandoms.length };
}
