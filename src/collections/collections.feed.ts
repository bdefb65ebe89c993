import type { Kysely } from 'kysely';
import { toBlurbs } from '../browse/blurbs.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import type { AtomFeed } from '../feeds/atom.ts';
import { FEED_SIZE, workEntry } from '../feeds/feeds.service.ts';
import { acquisitionFeed, OPDS_PER_PAGE } from '../opds/opds.service.ts';
import { emptyFilters } from '../search/search.schema.ts';
import { searchWorks } from '../search/search.service.ts';
import { collectionHref } from './collections.presenter.ts';
import { findCollectionForListing, findListedWorkIds } from './collections.service.ts';

type Db = Kysely<Database>;
type Site = Pick<Config, 'baseUrl' | 'siteName'>;

/**
 * One page of a collection's works, newest-updated first, as a guest sees them (feed readers and
 * e-reader apps carry no session, and both are cached publicly): the same scoped search as its
 * listing, so drafts, restricted and hidden works never appear.
 */
async function findFeedWorks(db: Db, name: string, page: number, perPage: number) {
  const collection = await findCollectionForListing(db, name);
  const workIds = await findListedWorkIds(db, collection);
  const result = await searchWorks(db, null, emptyFilters({ page }), { scope: { workIds }, perPage, facets: false });
  return { collection, rows: result.rows, hasNext: result.hasNext };
}

export async function buildCollectionFeed(db: Db, site: Site, name: string): Promise<AtomFeed> {
  const { collection, rows } = await findFeedWorks(db, name, 1, FEED_SIZE);
  const views = await toBlurbs(db, rows);
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

/** The collection's works as an OPDS acquisition catalogue, with download links, for e-reader apps. */
export async function buildCollectionCatalog(db: Db, site: Site, name: string, page: number): Promise<AtomFeed> {
  const { collection, rows, hasNext } = await findFeedWorks(db, name, page, OPDS_PER_PAGE);
  return acquisitionFeed(
    db,
    site,
    `${site.baseUrl}/opds/collections/${encodeURIComponent(collection.name)}`,
    `Works in ${collection.title}`,
    page,
    { rows, hasNext },
  );
}
