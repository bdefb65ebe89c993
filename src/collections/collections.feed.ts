import type { Kysely } from 'kysely';
import { loadListing } from '../browse/listing.service.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import type { AtomFeed } from '../feeds/atom.ts';
import { FEED_SIZE, workEntry } from '../feeds/feeds.service.ts';
import { emptyFilters } from '../search/search.schema.ts';
import { collectionHref } from './collections.presenter.ts';
import { findCollectionForListing, findListedWorkIds } from './collections.service.ts';

type Site = Pick<Config, 'baseUrl' | 'siteName'>;

/**
 * A collection's newest works as a guest sees them (feed readers carry no session, and the feed
 * is cached publicly): the same scoped search as its listing, so drafts, restricted and hidden
 * works never appear.
 */
export async function buildCollectionFeed(db: Kysely<Database>, site: Site, name: string): Promise<AtomFeed> {
  const collection = await findCollectionForListing(db, name);
  const workIds = await findListedWorkIds(db, collection);
  const outcome = await loadListing(db, null, { workIds }, emptyFilters(), { perPage: FEED_SIZE });
  const rows = outcome.kind === 'page' ? outcome.result.rows : [];
  const views = outcome.kind === 'page' ? outcome.works : [];
  const url = `${site.baseUrl}${collectionHref(collection.name)}`;
  return {
    id: `${url}/feed.atom`,
    title: `${collection.title} on ${site.siteName}`,
    subtitle: `Works in the collection ${collection.title}, newest first.`,
    updated: rows.reduce((d, r) => (r.updated_at > d ? r.updated_at : d), collection.updated_at),
    base: site.baseUrl,
    generator: site.siteName,
    links: [
      { rel: 'self', type: 'application/atom+xml', href: `${url}/feed.atom` },
      { rel: 'alternate', type: 'text/html', href: `${url}/works` },
    ],
    entries: views.map((w, i) => workEntry(w, rows[i]!, site)),
  };
}
