import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { chapterHeading, loadWorkForReading, type LoadedWork } from '../works/reading.ts';
import { toWorkSummaryView } from '../works/works.presenter.ts';
import type { Book } from './epub/index.ts';
import { buildFormat, type DownloadFormat } from './downloads.formats.ts';

type Db = Kysely<Database>;

/** The job kind that builds one download; payload {workId, format}. */
export const BUILD_DOWNLOAD_JOB = 'downloads.build';

/**
 * Whose names a file carries (decision 043): `named`, the work's creators (every work that is not
 * concealed, and a concealed work's own creators); `anonymous`, "Anonymous", for everyone else who
 * may read an anonymous work. The two are separate files, so one is never served for the other.
 */
export type DownloadCredit = 'named' | 'anonymous';

/** What the anonymous file calls its creators, as AO3's downloads do. */
const ANONYMOUS = 'Anonymous';

/** Maps a loaded work to the plain Book every writer takes. */
export function toBook(
  loaded: LoadedWork,
  config: Pick<Config, 'baseUrl' | 'siteName'>,
  series: Array<{ id: number; title: string; position: number }> = [],
  credit: DownloadCredit = 'named',
): Book {
  // Anonymous: "Anonymous" for every creator and no series, whose page names them; the work page
  // leaves both out for the same readers.
  const anonymous = credit === 'anonymous';
  const creators = anonymous ? [] : loaded.creators;
  const places = anonymous ? [] : series;
  const view = toWorkSummaryView(loaded.work, creators, loaded.tags);
  const names = (tags: { name: string }[]) => tags.map((t) => t.name);
  return {
    id: loaded.work.id,
    title: loaded.work.title,
    url: `${config.baseUrl}/works/${loaded.work.id}`,
    siteName: config.siteName,
    siteUrl: config.baseUrl,
    language: loaded.work.language,
    // "Anonymous" as a creator, not none: e-readers and Calibre show a missing creator as "Unknown".
    creators: anonymous
      ? [{ name: ANONYMOUS }]
      : creators.map((c) => ({
          name: c.pseud_name === c.login ? c.login : `${c.pseud_name} (${c.login})`,
          url: `${config.baseUrl}/users/${encodeURIComponent(c.login)}/pseuds/${encodeURIComponent(c.pseud_name)}`,
        })),
    summaryHtml: loaded.work.summary_html,
    notesHtml: loaded.work.notes_html,
    endNotesHtml: loaded.work.end_notes_html,
    rating: view.required.rating,
    warnings: names(view.warnings),
    categories: names(view.categories),
    fandoms: names(view.fandoms),
    relationships: names(view.relationships),
    characters: names(view.characters),
    freeforms: names(view.freeforms),
    series: places.map((s) => ({ title: s.title, index: s.position, url: `${config.baseUrl}/series/${s.id}` })),
    published: loaded.work.published_at,
    updated: loaded.work.updated_at,
    words: loaded.work.word_count,
    chaptersLabel: view.chapters,
    complete: loaded.work.is_complete,
    chapters: loaded.chapters.map((c) => ({
      title: c.title,
      heading: chapterHeading(c.position, c.title),
      summaryHtml: c.summary_html,
      notesHtml: c.notes_html,
      endNotesHtml: c.end_notes_html,
      bodyHtml: c.body_html,
      words: c.word_count,
    })),
  };
}

const ANONYMOUS_SUFFIX = '-anonymous';
/** A stored file's name: version, series key, anonymous mark, format. */
const FILE_NAME = /^(\d+)(-[0-9a-f]+)?(-anonymous)?\.([a-z0-9]+)$/;

/**
 * Where a work's download of one version lives: DATA_DIR/downloads/ID/VERSION[-SERIES].EXT, or
 * VERSION-anonymous.EXT for the anonymous file. The series part is a short hash of the series
 * places, which change without a new work version; the anonymous file has none.
 */
export function downloadPath(
  dataDir: string,
  workId: number,
  version: number,
  format: DownloadFormat,
  seriesKey = '',
  credit: DownloadCredit = 'named',
): string {
  const suffix = credit === 'anonymous' ? ANONYMOUS_SUFFIX : seriesKey ? `-${seriesKey}` : '';
  return path.join(dataDir, 'downloads', String(workId), `${version}${suffix}.${format}`);
}

type SeriesPlace = { id: number; title: string; position: number };

function seriesKeyOf(series: readonly SeriesPlace[]): string {
  if (series.length === 0) return '';
  return createHash('sha256').update(JSON.stringify(series)).digest('hex').slice(0, 12);
}

export interface BuiltDownload {
  file: string;
  size: number;
  version: number;
  title: string;
}

const inFlight = new Map<string, Promise<BuiltDownload | undefined>>();

/**
 * The work's current version in a format, built and stored on first request and reused until
 * the work changes (every edit bumps works.version). Concurrent requests share one build;
 * files are written to a temporary name and renamed, so a reader never sees half a file and
 * a web process and a worker building the same file cannot clash. Undefined when the work is gone.
 * The caller decides the credit (whether this reader may see the creators); the named file is the
 * default, as for the jobs and the CLI that build ahead.
 */
export async function ensureDownload(
  db: Db,
  config: Pick<Config, 'baseUrl' | 'siteName' | 'dataDir'>,
  workId: number,
  format: DownloadFormat,
  credit: DownloadCredit = 'named',
): Promise<BuiltDownload | undefined> {
  const [row, series] = await Promise.all([
    db.selectFrom('works').select(['version', 'title']).where('id', '=', workId).executeTakeFirst(),
    findSeriesPlaces(db, workId),
  ]);
  if (!row) return undefined;
  const file = downloadPath(config.dataDir, workId, row.version, format, seriesKeyOf(series), credit);
  const stat = await fs.promises.stat(file).catch(() => undefined);
  if (stat) return { file, size: stat.size, version: row.version, title: row.title };
  const key = `${workId}:${row.version}:${format}:${credit}`;
  let pending = inFlight.get(key);
  if (!pending) {
    pending = buildAndStore(db, config, workId, format, credit).finally(() => inFlight.delete(key));
    inFlight.set(key, pending);
  }
  return pending;
}

async function buildAndStore(
  db: Db,
  config: Pick<Config, 'baseUrl' | 'siteName' | 'dataDir'>,
  workId: number,
  format: DownloadFormat,
  credit: DownloadCredit,
): Promise<BuiltDownload | undefined> {
  const loaded = await loadWorkForReading(db, workId);
  if (!loaded) return undefined;
  const series = await findSeriesPlaces(db, workId);
  const bytes = await buildFormat(toBook(loaded, config, series, credit), format);
  const file = downloadPath(config.dataDir, workId, loaded.work.version, format, seriesKeyOf(series), credit);
  const dir = path.dirname(file);
  await fs.promises.mkdir(dir, { recursive: true });
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await fs.promises.writeFile(temporary, bytes);
  await fs.promises.rename(temporary, file);
  await removeOlderVersions(dir, path.basename(file));
  return { file, size: bytes.length, version: loaded.work.version, title: loaded.work.title };
}

/** The series the work is part of, with its place in each. */
function findSeriesPlaces(db: Db, workId: number): Promise<SeriesPlace[]> {
  return db
    .selectFrom('series_works')
    .innerJoin('series', 'series.id', 'series_works.series_id')
    .select(['series.id as id', 'series.title as title', 'series_works.position as position'])
    .where('series_works.work_id', '=', workId)
    .orderBy('series.id')
    .execute();
}

/**
 * Drops files of earlier versions, and of this version with other series places, of every format.
 * The other credit's file of this version stays: a concealed work's creators and its readers each
 * download their own, and the named one is the one served after the reveal.
 */
async function removeOlderVersions(dir: string, current: string): Promise<void> {
  const now = FILE_NAME.exec(current);
  if (!now) return;
  const version = Number(now[1]);
  const names = await fs.promises.readdir(dir).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((n) => {
        const m = FILE_NAME.exec(n);
        if (!m) return false;
        if (Number(m[1]) < version) return true;
        return Number(m[1]) === version && (m[3] ?? '') === (now[3] ?? '') && (m[2] ?? '') !== (now[2] ?? '');
      })
      .map((n) => fs.promises.rm(path.join(dir, n), { force: true })),
  );
}

/**
 * Removes a work's anonymous files (the reveal, decision 043): they are never served once the
 * work is not concealed, and the next concealment builds them afresh. Returns how many went.
 */
export async function retireAnonymousDownloads(dataDir: string, workId: number): Promise<number> {
  const dir = path.join(dataDir, 'downloads', String(workId));
  const names = await fs.promises.readdir(dir).catch(() => [] as string[]);
  const anonymous = names.filter((n) => FILE_NAME.exec(n)?.[3] !== undefined);
  await Promise.all(anonymous.map((n) => fs.promises.rm(path.join(dir, n), { force: true })));
  return anonymous.length;
}

/** Whether the work has anonymous files stored (a cheap look before asking the database whether to retire them). */
export async function hasAnonymousDownloads(dataDir: string, workId: number): Promise<boolean> {
  const names = await fs.promises.readdir(path.join(dataDir, 'downloads', String(workId))).catch(() => [] as string[]);
  return names.some((n) => FILE_NAME.exec(n)?.[3] !== undefined);
}
