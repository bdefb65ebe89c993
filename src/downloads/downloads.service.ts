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

/** Maps a loaded work to the plain Book every writer takes. */
export function toBook(
  loaded: LoadedWork,
  config: Pick<Config, 'baseUrl' | 'siteName'>,
  series: Array<{ id: number; title: string; position: number }> = [],
): Book {
  const view = toWorkSummaryView(loaded.work, loaded.creators, loaded.tags);
  const names = (tags: { name: string }[]) => tags.map((t) => t.name);
  return {
    id: loaded.work.id,
    title: loaded.work.title,
    url: `${config.baseUrl}/works/${loaded.work.id}`,
    siteName: config.siteName,
    siteUrl: config.baseUrl,
    language: loaded.work.language,
    // The truth even for a concealed work: its file may be built ahead (a job) but is served only after the reveal (decision 043).
    creators: loaded.creators.map((c) => ({
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
    series: series.map((s) => ({ title: s.title, index: s.position, url: `${config.baseUrl}/series/${s.id}` })),
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

/**
 * Where a work's download of one version lives: DATA_DIR/downloads/ID/VERSION[-SERIES].EXT. The
 * series part is a short hash of the series places, which change without a new work version.
 */
export function downloadPath(dataDir: string, workId: number, version: number, format: DownloadFormat, seriesKey = ''): string {
  return path.join(dataDir, 'downloads', String(workId), `${version}${seriesKey ? `-${seriesKey}` : ''}.${format}`);
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
 */
export async function ensureDownload(
  db: Db,
  config: Pick<Config, 'baseUrl' | 'siteName' | 'dataDir'>,
  workId: number,
  format: DownloadFormat,
): Promise<BuiltDownload | undefined> {
  const [row, series] = await Promise.all([
    db.selectFrom('works').select(['version', 'title']).where('id', '=', workId).executeTakeFirst(),
    findSeriesPlaces(db, workId),
  ]);
  if (!row) return undefined;
  const file = downloadPath(config.dataDir, workId, row.version, format, seriesKeyOf(series));
  const stat = await fs.promises.stat(file).catch(() => undefined);
  if (stat) return { file, size: stat.size, version: row.version, title: row.title };
  const key = `${workId}:${row.version}:${format}`;
  let pending = inFlight.get(key);
  if (!pending) {
    pending = buildAndStore(db, config, workId, format).finally(() => inFlight.delete(key));
    inFlight.set(key, pending);
  }
  return pending;
}

async function buildAndStore(
  db: Db,
  config: Pick<Config, 'baseUrl' | 'siteName' | 'dataDir'>,
  workId: number,
  format: DownloadFormat,
): Promise<BuiltDownload | undefined> {
  const loaded = await loadWorkForReading(db, workId);
  if (!loaded) return undefined;
  const series = await findSeriesPlaces(db, workId);
  const bytes = await buildFormat(toBook(loaded, config, series), format);
  const file = downloadPath(config.dataDir, workId, loaded.work.version, format, seriesKeyOf(series));
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

/** Drops files of earlier versions, and of this version with other series places, of every format. */
async function removeOlderVersions(dir: string, current: string): Promise<void> {
  const parse = (name: string) => /^(\d+)(-[0-9a-f]+)?\.([a-z0-9]+)$/.exec(name);
  const now = parse(current);
  if (!now) return;
  const version = Number(now[1]);
  const names = await fs.promises.readdir(dir).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((n) => {
        const m = parse(n);
        if (!m) return false;
        return Number(m[1]) < version || (Number(m[1]) === version && (m[2] ?? '') !== (now[2] ?? ''));
      })
      .map((n) => fs.promises.rm(path.join(dir, n), { force: true })),
  );
}
