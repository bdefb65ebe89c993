import type { Kysely } from 'kysely';
import { findUserByLogin } from '../accounts/accounts.service.ts';
import { toBlurbs } from '../browse/blurbs.ts';
import { findVisibleWorks } from '../browse/browse.service.ts';
import type { Config } from '../config.ts';
import type { Database, WorkRow } from '../db/schema.ts';
import { availableFormats, downloadHref, FORMAT_INFO } from '../downloads/downloads.formats.ts';
import { escapeXml as x } from '../downloads/epub/xhtml.ts';
import type { AtomEntry, AtomFeed, AtomLink } from '../feeds/atom.ts';
import { workEntry } from '../feeds/feeds.service.ts';
import { resolveVisibleTag, TagNotFoundError } from '../tags/tags.service.ts';
import { encodeTagName } from '../works/works.presenter.ts';
import { findConcealments } from '../collections/anonymity.ts';
import { findCreatorsWithCounts, findTagsWithCounts, searchVisibleWorks } from './opds.repo.ts';

type Db = Kysely<Database>;
type Site = Pick<Config, 'baseUrl' | 'siteName'>;

export const OPDS_PER_PAGE = 25;
export const NAVIGATION = 'application/atom+xml;profile=opds-catalog;kind=navigation';
export const ACQUISITION = 'application/atom+xml;profile=opds-catalog;kind=acquisition';
export const OPENSEARCH = 'application/opensearchdescription+xml';
const ACQUIRE = 'http://opds-spec.org/acquisition';
const NAMESPACES = {
  'xmlns:dc': 'http://purl.org/dc/terms/',
  'xmlns:opds': 'http://opds-spec.org/2010/catalog',
  'xmlns:opensearch': 'http://a9.com/-/spec/opensearch/1.1/',
};

export class CatalogNotFoundError extends Error {}

function pageUrl(base: string, page: number): string {
  return `${base}${base.includes('?') ? '&' : '?'}page=${page}`;
}

function catalogLinks(site: Site, self: string, kind: string, page: number, hasNext: boolean): AtomLink[] {
  const links: AtomLink[] = [
    { rel: 'self', href: page > 1 ? pageUrl(self, page) : self, type: kind },
    { rel: 'start', href: `${site.baseUrl}/opds`, type: NAVIGATION, title: site.siteName },
    { rel: 'up', href: `${site.baseUrl}/opds`, type: NAVIGATION },
    { rel: 'search', href: `${site.baseUrl}/opds/search.xml`, type: OPENSEARCH, title: `Search ${site.siteName}` },
  ];
  if (page > 1) {
    links.push({ rel: 'first', href: self, type: kind });
    links.push({ rel: 'previous', href: page === 2 ? self : pageUrl(self, page - 1), type: kind });
  }
  if (hasNext) links.push({ rel: 'next', href: pageUrl(self, page + 1), type: kind });
  return links;
}

/**
 * When the works a guest may see last changed: the `updated` of a navigation catalogue and its
 * entries. A clock reading there would change the catalogue's ETag every second, and no
 * e-reader's poll would ever be answered with a 304.
 */
async function archiveUpdated(db: Db): Promise<Date> {
  const { rows } = await findVisibleWorks(db, { signedIn: false }, 1, 1);
  return rows[0]?.updated_at ?? new Date(0);
}

function navFeed(site: Site, self: string, title: string, updated: Date, entries: AtomEntry[], page = 1, hasNext = false): AtomFeed {
  return {
    id: page > 1 ? pageUrl(self, page) : self,
    title,
    updated,
    base: site.baseUrl,
    generator: site.siteName,
    links: catalogLinks(site, self, NAVIGATION, page, hasNext),
    namespaces: NAMESPACES,
    entries,
  };
}

function navEntry(site: Site, updated: Date, id: string, title: string, href: string, type: string, text: string): AtomEntry {
  return {
    id: `${site.baseUrl}${id}`,
    title,
    updated,
    links: [{ rel: 'subsection', href: `${site.baseUrl}${href}`, type }],
    contentText: text,
  };
}

/** The root: where an e-reader app starts browsing. */
export async function buildRootCatalog(db: Db, site: Site): Promise<AtomFeed> {
  const updated = await archiveUpdated(db);
  const section = (path: string, title: string, type: string, text: string): AtomEntry =>
    navEntry(site, updated, path, title, path, type, text);
  return navFeed(site, `${site.baseUrl}/opds`, `${site.siteName} catalogue`, updated, [
    section('/opds/recent', 'Recently updated works', ACQUISITION, 'The newest and latest-updated works.'),
    section('/opds/fandoms', 'Fandoms', NAVIGATION, 'Browse works by fandom, most popular first.'),
    section('/opds/tags', 'Tags', NAVIGATION, 'Browse works by relationship, character and additional tags.'),
    section('/opds/creators', 'Creators', NAVIGATION, 'Browse works by the people who wrote them.'),
  ]);
}

/**
 * A work's entry with a link per format. An anonymous work's links fetch the file that says
 * "Anonymous" (the downloads route decides, as for every guest); an unrevealed one is a Mystery
 * work with no links, since its download is refused until the reveal (decision 043).
 */
function acquisitionEntry(site: Site, row: WorkRow, view: Awaited<ReturnType<typeof toBlurbs>>[number], unrevealed: boolean): AtomEntry {
  const entry = workEntry(view, row, site);
  const formats = unrevealed ? [] : availableFormats();
  return {
    ...entry,
    links: [
      ...entry.links,
      ...formats.map((f) => ({
        rel: ACQUIRE,
        type: FORMAT_INFO[f].mediaType.split(';')[0]!,
        href: `${site.baseUrl}${downloadHref(view, f)}`,
        title: FORMAT_INFO[f].label,
      })),
    ],
    // A mystery work names no language or date, as its blurb does not.
    extraXml: view.isMystery
      ? `<dc:publisher>${x(site.siteName)}</dc:publisher>`
      : `<dc:language>${x(view.language)}</dc:language>${row.published_at ? `<dc:issued>${row.published_at.toISOString().slice(0, 10)}</dc:issued>` : ''}<dc:publisher>${x(site.siteName)}</dc:publisher>`,
  };
}

export async function acquisitionFeed(
  db: Db,
  site: Site,
  self: string,
  title: string,
  page: number,
  result: { rows: WorkRow[]; hasNext: boolean },
  extraXml = '',
): Promise<AtomFeed> {
  const [views, concealed] = await Promise.all([
    toBlurbs(db, result.rows),
    findConcealments(
      db,
      result.rows.map((r) => r.id),
    ),
  ]);
  return {
    id: page > 1 ? pageUrl(self, page) : self,
    title,
    updated: result.rows[0]?.updated_at ?? new Date(0),
    base: site.baseUrl,
    generator: site.siteName,
    links: catalogLinks(site, self, ACQUISITION, page, result.hasNext),
    namespaces: NAMESPACES,
    extraXml,
    entries: result.rows.map((row, i) => acquisitionEntry(site, row, views[i]!, concealed.get(row.id)?.unrevealed === true)),
  };
}

export async function buildRecentCatalog(db: Db, site: Site, page: number): Promise<AtomFeed> {
  const result = await findVisibleWorks(db, { signedIn: false }, page, OPDS_PER_PAGE);
  return acquisitionFeed(db, site, `${site.baseUrl}/opds/recent`, 'Recently updated works', page, result);
}

/**
 * The works in a tag, for e-reader apps: they carry no session (and the catalogue is cached publicly),
 * so the tag must be one a guest may see (tags.policy.ts); a synonym lists its canonical's works.
 */
export async function buildTagCatalog(db: Db, site: Site, name: string, page: number): Promise<AtomFeed> {
  const { tag, canonical } = await resolveVisibleTag(db, name, null).catch((error: unknown) => {
    throw error instanceof TagNotFoundError ? new CatalogNotFoundError(error.message) : error;
  });
  const result = await findVisibleWorks(db, { tagId: canonical.id, signedIn: false }, page, OPDS_PER_PAGE);
  return acquisitionFeed(db, site, `${site.baseUrl}/opds/tags/${encodeTagName(tag.name)}`, `Works in ${tag.name}`, page, result);
}

export async function buildCreatorCatalog(db: Db, site: Site, login: string, page: number): Promise<AtomFeed> {
  const user = await findUserByLogin(db, login);
  if (!user) throw new CatalogNotFoundError(`There is no user called “${login.slice(0, 100)}”.`);
  const result = await findVisibleWorks(db, { userId: user.id, signedIn: false }, page, OPDS_PER_PAGE);
  return acquisitionFeed(
    db,
    site,
    `${site.baseUrl}/opds/creators/${encodeURIComponent(user.login)}`,
    `Works by ${user.login}`,
    page,
    result,
  );
}

export async function buildTagListCatalog(db: Db, site: Site, kind: 'fandoms' | 'tags', page: number): Promise<AtomFeed> {
  const types = kind === 'fandoms' ? (['fandom'] as const) : (['relationship', 'character', 'freeform'] as const);
  const [{ rows, hasNext }, updated] = await Promise.all([findTagsWithCounts(db, types, page, OPDS_PER_PAGE), archiveUpdated(db)]);
  const entries = rows.map((t) =>
    navEntry(
      site,
      updated,
      `/opds/tags/${encodeTagName(t.name)}`,
      t.name,
      `/opds/tags/${encodeTagName(t.name)}`,
      ACQUISITION,
      `${t.works} ${t.works === 1 ? 'work' : 'works'}`,
    ),
  );
  return navFeed(site, `${site.baseUrl}/opds/${kind}`, kind === 'fandoms' ? 'Fandoms' : 'Tags', updated, entries, page, hasNext);
}

export async function buildCreatorListCatalog(db: Db, site: Site, page: number): Promise<AtomFeed> {
  const [{ rows, hasNext }, updated] = await Promise.all([findCreatorsWithCounts(db, page, OPDS_PER_PAGE), archiveUpdated(db)]);
  const entries = rows.map((u) => {
    const path = `/opds/creators/${encodeURIComponent(u.login)}`;
    return navEntry(site, updated, path, u.login, path, ACQUISITION, `${u.works} ${u.works === 1 ? 'work' : 'works'}`);
  });
  return navFeed(site, `${site.baseUrl}/opds/creators`, 'Creators', updated, entries, page, hasNext);
}

export async function buildSearchCatalog(db: Db, site: Site, query: string, page: number): Promise<AtomFeed> {
  const result = query ? await searchVisibleWorks(db, query, page, OPDS_PER_PAGE) : { rows: [], hasNext: false };
  const self = `${site.baseUrl}/opds/search?q=${encodeURIComponent(query)}`;
  const extra = `<opensearch:itemsPerPage>${OPDS_PER_PAGE}</opensearch:itemsPerPage><opensearch:startIndex>${(page - 1) * OPDS_PER_PAGE + 1}</opensearch:startIndex><opensearch:Query role="request" searchTerms="${x(query)}"/>\n`;
  return acquisitionFeed(db, site, self, `Search: ${query}`, page, result, extra);
}

/** The OpenSearch description e-reader apps read to know how to search. */
export function openSearchDescription(site: Site): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">
<ShortName>${x(site.siteName.slice(0, 16))}</ShortName>
<Description>${x(`Search works on ${site.siteName} by title, tag or creator.`)}</Description>
<InputEncoding>UTF-8</InputEncoding>
<OutputEncoding>UTF-8</OutputEncoding>
<Url type="${ACQUISITION}" template="${x(site.baseUrl)}/opds/search?q={searchTerms}&amp;page={startPage?}"/>
<Url type="application/atom+xml" template="${x(site.baseUrl)}/opds/search?q={searchTerms}"/>
</OpenSearchDescription>
`;
}
