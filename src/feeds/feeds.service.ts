import type { Kysely } from 'kysely';
import { findUserByLogin } from '../accounts/accounts.service.ts';
import { toBlurbs } from '../browse/blurbs.ts';
import { findVisibleWorks } from '../browse/browse.service.ts';
import { TAG_TYPE_LABELS } from '../tags/tag-labels.ts';
import type { Config } from '../config.ts';
import type { Database, WorkRow } from '../db/schema.ts';
import { escapeXml as x } from '../downloads/epub/xhtml.ts';
import type { Viewer } from '../web/viewer.ts';
import { chapterHeading } from '../works/reading.ts';
import { canReadWork } from '../works/works.policy.ts';
import { encodeTagName, type WorkSummaryView } from '../works/works.presenter.ts';
import * as works from '../works/works.service.ts';
import { loadSeriesForViewer, SeriesNotFoundError } from '../series/series.service.ts';
import { resolveVisibleTag, TagNotFoundError } from '../tags/tags.service.ts';
import type { AtomEntry, AtomFeed } from './atom.ts';
import { concealCreators, findMystery } from '../collections/anonymity.ts';

type Db = Kysely<Database>;
type Site = Pick<Config, 'baseUrl' | 'siteName'>;

export const FEED_SIZE = 20;
/** Chapters longer than this are announced with their summary and a link, not carried whole. */
const MAX_CHAPTER_WORDS_IN_FEED = 20_000;

export class FeedNotFoundError extends Error {}
export class FeedForbiddenError extends Error {
  constructor(
    readonly status: 401 | 404,
    message: string,
  ) {
    super(message);
  }
}

/** The tag block and summary AO3's feeds carry for a work, as HTML. */
export function workSummaryHtml(w: WorkSummaryView, site: Site): string {
  const groups: Array<[string, { name: string; href: string }[]]> = [
    ['Rating', [w.ratingTag]],
    ['Archive Warnings', w.warnings],
    ['Categories', w.categories],
    ['Fandoms', w.fandoms],
    ['Relationships', w.relationships],
    ['Characters', w.characters],
    ['Additional Tags', w.freeforms],
  ];
  const tags = groups
    .filter(([, list]) => list.length > 0)
    .map(([label, list]) => `<li>${x(label)}: ${list.map((t) => `<a href="${x(site.baseUrl + t.href)}">${x(t.name)}</a>`).join(', ')}</li>`)
    .join('');
  return `${w.summaryHtml}<p>Words: ${w.words.toLocaleString('en')}, Chapters: ${x(w.chapters)}, Language: ${x(w.languageName)}</p><ul>${tags}</ul>`;
}

/** One work as an Atom entry (also the base of OPDS acquisition entries). */
export function workEntry(w: WorkSummaryView, row: WorkRow, site: Site): AtomEntry {
  return {
    id: `${site.baseUrl}/works/${w.id}`,
    title: w.title,
    // A mystery work's dates could point at its creator's posting habits, as on its blurb; Atom
    // needs an updated date, so it gets the epoch, the one date that says nothing.
    updated: w.isMystery ? new Date(0) : row.updated_at,
    published: w.isMystery ? null : row.published_at,
    authors: w.creators.map((c) => ({ name: c.pseud, uri: site.baseUrl + c.href })),
    links: [{ rel: 'alternate', type: 'text/html', href: `${site.baseUrl}/works/${w.id}` }],
    categories: [w.ratingTag, ...w.warnings, ...w.categories, ...w.fandoms, ...w.relationships, ...w.characters, ...w.freeforms].map(
      (t) => ({
        term: t.name,
        scheme: `${site.baseUrl}/tags`,
      }),
    ),
    summaryHtml: workSummaryHtml(w, site),
  };
}

function worksFeed(
  site: Site,
  rows: WorkRow[],
  views: WorkSummaryView[],
  meta: { id: string; title: string; subtitle: string; alternate: string },
): AtomFeed {
  const entries = views.map((w, i) => workEntry(w, rows[i]!, site));
  return {
    id: meta.id,
    title: meta.title,
    subtitle: meta.subtitle,
    updated: rows[0]?.updated_at ?? new Date(0),
    base: site.baseUrl,
    generator: site.siteName,
    links: [
      { rel: 'self', type: 'application/atom+xml', href: meta.id },
      { rel: 'alternate', type: 'text/html', href: meta.alternate },
    ],
    entries,
  };
}

/**
 * Newest works in a tag that guests may read. Feed readers carry no session (and the feed is cached
 * publicly), so the tag must be one a guest may see (tags.policy.ts); a synonym's feed carries its
 * canonical's works, as its works listing does.
 */
export async function buildTagFeed(db: Db, site: Site, tagName: string): Promise<AtomFeed> {
  const { tag, canonical } = await resolveVisibleTag(db, tagName, null).catch((error: unknown) => {
    throw error instanceof TagNotFoundError ? new FeedNotFoundError(error.message) : error;
  });
  const { rows } = await findVisibleWorks(db, { tagId: canonical.id, signedIn: false }, 1, FEED_SIZE);
  const path = `/tags/${encodeTagName(tag.name)}`;
  return worksFeed(site, rows, await toBlurbs(db, rows), {
    id: `${site.baseUrl}${path}/feed.atom`,
    title: `${tag.name} works on ${site.siteName}`,
    subtitle: `The newest and latest-updated works in the ${TAG_TYPE_LABELS[tag.type].toLowerCase()} tag ${tag.name}.`,
    alternate: `${site.baseUrl}${path}/works`,
  });
}

/** Newest works of a user (any of their pseuds) that guests may read. */
export async function buildCreatorFeed(db: Db, site: Site, login: string): Promise<AtomFeed> {
  const user = await findUserByLogin(db, login);
  if (!user) throw new FeedNotFoundError(`There is no user called “${login.slice(0, 100)}”.`);
  const { rows } = await findVisibleWorks(db, { userId: user.id, signedIn: false }, 1, FEED_SIZE);
  const path = `/users/${encodeURIComponent(user.login)}/works`;
  return worksFeed(site, rows, await toBlurbs(db, rows), {
    id: `${site.baseUrl}${path}/feed.atom`,
    title: `Works by ${user.login} on ${site.siteName}`,
    subtitle: `The newest and latest-updated works by ${user.login}.`,
    alternate: `${site.baseUrl}${path}`,
  });
}

/** A work's chapters, newest first: what a reader follows to hear of new chapters. */
export async function buildChaptersFeed(db: Db, site: Site, workId: number, viewer: Viewer | null): Promise<AtomFeed> {
  const work = await works.findWorkRow(db, workId);
  if (!work) throw new FeedForbiddenError(404, 'There is no work with this id. It may have been deleted.');
  const [creators, chapters] = await Promise.all([works.findCreatorsOfWorks(db, [workId]), works.findChaptersOfWork(db, workId)]);
  const decision = canReadWork(viewer, {
    isDraft: work.is_draft,
    isRestricted: work.is_restricted,
    isHidden: work.hidden_reason != null,
    creatorUserIds: creators.map((c) => c.user_id),
  });
  if (!decision.allowed) throw new FeedForbiddenError(decision.status, decision.reason);
  const workUrl = `${site.baseUrl}/works/${workId}`;
  // Feed readers carry no session: a concealed work's feed names no creator (decision 043).
  if (await findMystery(db, null, workId)) throw new FeedForbiddenError(404, 'This work is unrevealed until its collection’s reveal.');
  const authors = (await concealCreators(db, null, creators)).map((c) => ({
    name: c.pseud_name,
    uri: `${site.baseUrl}/users/${encodeURIComponent(c.login)}/pseuds/${encodeURIComponent(c.pseud_name)}`,
  }));
  const newest = [...chapters]
    .sort((a, b) => b.published_at.getTime() - a.published_at.getTime() || b.position - a.position)
    .slice(0, FEED_SIZE);
  return {
    id: `${workUrl}/chapters/feed.atom`,
    title: `${work.title}: new chapters`,
    subtitle: `Chapters of ${work.title} on ${site.siteName}, newest first.`,
    updated: newest.reduce((d, c) => (c.updated_at > d ? c.updated_at : d), work.updated_at),
    base: site.baseUrl,
    language: work.language,
    generator: site.siteName,
    authors,
    links: [
      { rel: 'self', type: 'application/atom+xml', href: `${workUrl}/chapters/feed.atom` },
      { rel: 'alternate', type: 'text/html', href: workUrl },
    ],
    entries: newest.map((c) => {
      const heading = chapterHeading(c.position, c.title);
      const url = `${workUrl}/chapters/${c.id}`;
      const notes = [
        c.summary_html && `<p><b>Chapter Summary</b></p>${c.summary_html}`,
        c.notes_html && `<p><b>Chapter Notes</b></p>${c.notes_html}`,
      ]
        .filter(Boolean)
        .join('');
      const body =
        c.word_count <= MAX_CHAPTER_WORDS_IN_FEED
          ? c.body_html
          : `<p><a href="${x(url)}">Read ${x(heading)} (${c.word_count.toLocaleString('en')} words)</a></p>`;
      return {
        id: url,
        title: `${work.title}: ${heading}`,
        updated: c.updated_at,
        published: c.published_at,
        links: [{ rel: 'alternate', type: 'text/html', href: url }],
        summaryHtml: `${c.summary_html || `<p>${x(heading)} of ${x(work.title)}</p>`}<p>${c.word_count.toLocaleString('en')} words</p>`,
        contentHtml: notes + body,
      };
    }),
  };
}

/**
 * The works of a series guests may read, newest-updated first, each titled with its part. The series
 * page's own rule decides whether it exists (loadSeriesForViewer, as a guest: feed readers carry no
 * session), so a series holding only drafts or hidden works is a 404 here too, title and all.
 */
export async function buildSeriesFeed(db: Db, site: Site, seriesId: number): Promise<AtomFeed> {
  const { series, works } = await loadSeriesForViewer(db, null, seriesId).catch((error: unknown) => {
    throw error instanceof SeriesNotFoundError ? new FeedNotFoundError(error.message) : error;
  });
  const places = await db
    .selectFrom('series_works')
    .select(['work_id', 'position'])
    .where('series_id', '=', seriesId)
    .orderBy('position')
    .execute();
  const rows = [...works].sort((a, b) => b.updated_at.getTime() - a.updated_at.getTime() || b.id - a.id).slice(0, FEED_SIZE);
  const part = new Map(places.map((p) => [p.work_id, p.position]));
  const url = `${site.baseUrl}/series/${seriesId}`;
  const feed = worksFeed(site, rows, await toBlurbs(db, rows), {
    id: `${url}/feed.atom`,
    title: `${series.title} on ${site.siteName}`,
    subtitle: `Works in the series ${series.title}, newest first.`,
    alternate: url,
  });
  feed.entries = feed.entries.map((e, i) => ({ ...e, title: `${e.title} (Part ${part.get(rows[i]!.id) ?? '?'} of ${series.title})` }));
  if (rows.length === 0) feed.updated = series.updated_at;
  return feed;
}
