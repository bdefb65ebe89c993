import fs from 'node:fs';
import { sql } from 'kysely';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteDeps } from '../app-deps.ts';
import { HttpError } from '../web/errors.tsx';
import { parseId } from '../web/form.ts';
import { canReadWork, isCreator, type WorkAccessFacts } from '../works/works.policy.ts';
import { loadWorkAccess, WorkNotFoundError } from '../works/works.service.ts';
import { contentDisposition, FORMAT_INFO, FormatUnavailableError, hasCalibre, isFormat, type DownloadFormat } from './downloads.formats.ts';
import {
  BUILD_DOWNLOAD_JOB,
  ensureDownload,
  hasAnonymousDownloads,
  retireAnonymousDownloads,
  type BuiltDownload,
  type DownloadCredit,
} from './downloads.service.ts';
import { DownloadMenu } from './downloads.views.tsx';
import { downloadPath } from './download-cache.ts';
import { isAnonymous } from '../web/page-cache.ts';
import type { Viewer } from '../web/viewer.ts';
import { z } from 'zod';
import { findConcealments } from '../collections/anonymity.ts';

type DownloadParams = { Params: { id: string; file: string } };

/** Access facts with the version, kept as briefly as guest pages are (docs/decisions/002). */
interface AccessEntry {
  facts: WorkAccessFacts;
  /** In an anonymous or unrevealed collection (decision 043): undefined when not concealed. */
  concealment: { unrevealed: boolean } | undefined;
  expiresAt: number;
}

const UNREVEALED = 'This work is unrevealed until its collection’s reveal: it can be downloaded once the collection reveals it.';

/**
 * Which file a viewer gets, as the work page decides (decision 043): a concealed work's own
 * creators read it with their names, so they download the named file; anyone else gets the
 * anonymous one, or nothing while the work is unrevealed (the work page shows them a Mystery work).
 */
function creditFor(viewer: Viewer | null, entry: AccessEntry): DownloadCredit | 'unrevealed' {
  if (!entry.concealment || isCreator(viewer, entry.facts)) return 'named';
  return entry.concealment.unrevealed ? 'unrevealed' : 'anonymous';
}

/** Recently served files kept in memory, so a popular download costs no disk read. */
class FileBuffers {
  private readonly entries = new Map<string, Buffer>();
  private bytes = 0;
  constructor(
    private readonly maxBytes: number,
    private readonly maxFile: number,
  ) {}
  get(file: string): Buffer | undefined {
    const hit = this.entries.get(file);
    if (hit) {
      this.entries.delete(file);
      this.entries.set(file, hit);
    }
    return hit;
  }
  async load(file: string, size: number): Promise<Buffer | undefined> {
    if (size > this.maxFile) return undefined;
    const bytes = await fs.promises.readFile(file);
    this.entries.set(file, bytes);
    this.bytes += bytes.length;
    for (const [key, value] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(key);
      this.bytes -= value.length;
    }
    return bytes;
  }
}

/**
 * The in-memory key of a served file: the credit, and whether the work is concealed, since the
 * named file's headers differ then (private while concealed, public once revealed).
 */
function memoryKey(workId: number, version: number, ext: string, credit: DownloadCredit, concealed: boolean): string {
  return `${workId}:${version}:${ext}:${credit}${concealed ? ':concealed' : ''}`;
}

/** The anonymous file has its own tag, so a reader's cached copy is not confirmed as the named one after the reveal. */
function etagOf(workId: number, version: number, ext: string, credit: DownloadCredit): string {
  return `"w${workId}-v${version}-${ext}${credit === 'anonymous' ? '-anonymous' : ''}"`;
}

const BuildJobSchema = z.object({ workId: z.number().int().positive(), format: z.string().refine(isFormat) });

export function downloadsRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { reads: db, config } = deps;
  const ttlMs = config.pageCache.ttlSeconds * 1000;
  const access = new Map<number, AccessEntry & { version: number; title: string }>();
  const buffers = new FileBuffers(64 * 1024 * 1024, 8 * 1024 * 1024);
  /** Downloads built in this process, by work, version and format (files are never changed in place). */
  const known = new Map<string, BuiltDownload>();
  /** The response headers of each download served whole from memory, for the fast path. */
  const ready = new Map<string, Record<string, string>>();
  /** Retirements of anonymous files under way, by work. */
  const retiring = new Map<number, Promise<unknown>>();
  const retireIfRevealed = async (workId: number) => {
    if (!(await hasAnonymousDownloads(config.dataDir, workId))) return;
    if ((await findConcealments(deps.db, [workId])).has(workId)) return;
    await retireAnonymousDownloads(config.dataDir, workId);
  };
  // Writes through this process drop the work's cached facts with its cached pages; the TTL
  // bounds staleness for writes made elsewhere, as for pages.
  app.pageCache.onInvalidate((workId) => {
    access.delete(workId);
    // Series changes reach a download without a new work version: look for its file again.
    for (const key of known.keys()) {
      if (key.startsWith(`${workId}:`)) {
        known.delete(key);
        ready.delete(key);
      }
    }
    // A reveal (or any change that ends a concealment) retires the work's anonymous files, as it
    // drops the work's cached pages. Their names already keep them from being served to a reader
    // who may see the creators; this removes them. The directory is looked at first, so the
    // database (the primary: a replica may not have the reveal yet) is asked only about works
    // that have such files. The work's next download waits for it.
    const retirement = retireIfRevealed(workId)
      .catch((error: unknown) => app.log.warn({ err: error, workId }, 'retiring anonymous downloads failed'))
      .finally(() => {
        if (retiring.get(workId) === retirement) retiring.delete(workId);
      });
    retiring.set(workId, retirement);
  });

  // Workers (or the CLI) can build a download ahead of the first request.
  deps.jobs.register(BUILD_DOWNLOAD_JOB, async (jobDb, payload) => {
    const job = BuildJobSchema.parse(payload);
    await ensureDownload(jobDb, config, job.workId, job.format as DownloadFormat);
  });

  deps.workPanels.register({
    id: 'downloads',
    slot: 'actions',
    order: 50,
    // The same menu for every reader.
    personalWhen: () => sql<boolean>`false`,
    render: async ({ work }) => <DownloadMenu work={work} />,
  });

  const facts = async (workId: number) => {
    const now = Date.now();
    const cached = access.get(workId);
    if (cached && cached.expiresAt > now) return cached;
    await retiring.get(workId);
    try {
      const [loaded, concealed] = await Promise.all([loadWorkAccess(db, workId), findConcealments(db, [workId])]);
      const concealment = concealed.get(workId);
      const entry = {
        facts: loaded.facts,
        concealment: concealment ? { unrevealed: concealment.unrevealed } : undefined,
        version: loaded.work.version,
        title: loaded.work.title,
        expiresAt: now + ttlMs,
      };
      if (access.size > 10_000) access.clear();
      access.set(workId, entry);
      return entry;
    } catch (error) {
      if (error instanceof WorkNotFoundError) return undefined;
      throw error;
    }
  };

  const send = async (request: FastifyRequest<DownloadParams>, reply: FastifyReply, retried = false): Promise<FastifyReply> => {
    const ticket = app.downloadCache.ticket();
    const workId = parseId(request.params.id);
    const dot = request.params.file.lastIndexOf('.');
    const ext = dot >= 0 ? request.params.file.slice(dot + 1).toLowerCase() : '';
    if (workId === null) throw new HttpError(404, 'There is no work with this id. Download links look like /downloads/123/Title.epub.');
    if (!isFormat(ext))
      throw new HttpError(
        404,
        `Downloads come as ${Object.keys(FORMAT_INFO)
          .map((f) => `.${f}`)
          .join(', ')}; “.${ext.slice(0, 10)}” is not one of them.`,
      );
    if (FORMAT_INFO[ext].needsCalibre && !hasCalibre())
      throw new HttpError(
        404,
        `${FORMAT_INFO[ext].label} downloads are not available on this archive (Calibre is not installed). Try EPUB.`,
      );
    const entry = await facts(workId);
    if (!entry) throw new HttpError(404, 'There is no work with this id. It may have been deleted.');
    const decision = canReadWork(request.viewer, entry.facts);
    if (!decision.allowed) throw new HttpError(decision.status, decision.reason);
    const credit = creditFor(request.viewer, entry);
    if (credit === 'unrevealed') throw new HttpError(404, UNREVEALED);

    const etag = etagOf(workId, entry.version, ext, credit);
    // A concealed work's file depends on who asks and changes at the reveal without a new version:
    // never kept by shared caches, nor by the guest download cache (download-cache.ts).
    const isPublic = !entry.facts.isDraft && !entry.facts.isRestricted && !entry.facts.isHidden && !entry.concealment;
    reply
      .header('content-type', FORMAT_INFO[ext].mediaType)
      .header('content-disposition', contentDisposition(entry.title, workId, ext))
      .header('etag', etag)
      .header('cache-control', isPublic ? 'public, max-age=300' : 'private, max-age=0, must-revalidate')
      .header('x-content-type-options', 'nosniff');
    if (request.headers['if-none-match'] === etag) return reply.status(304).send();

    // The hot path: this version's file is known to exist, so no query and no stat.
    const key = memoryKey(workId, entry.version, ext, credit, entry.concealment !== undefined);
    let built = known.get(key);
    if (!built) {
      try {
        built = await ensureDownload(db, config, workId, ext, credit);
      } catch (error) {
        if (error instanceof FormatUnavailableError) throw new HttpError(404, error.message);
        throw error;
      }
      if (!built) throw new HttpError(404, 'There is no work with this id. It may have been deleted.');
      if (built.version === entry.version) {
        if (known.size > 10_000) {
          known.clear();
          ready.clear();
        }
        known.set(key, built);
      }
    }
    if (built.version !== entry.version) {
      // The work changed since its facts were cached: name and tag the file that is sent.
      reply
        .header('etag', etagOf(workId, built.version, ext, credit))
        .header('content-disposition', contentDisposition(built.title, workId, ext));
    }
    if (request.method === 'HEAD') return reply.header('content-length', built.size).send();
    let bytes: Buffer | undefined;
    let stream: fs.ReadStream | undefined;
    try {
      bytes = buffers.get(built.file) ?? (await buffers.load(built.file, built.size));
      if (!bytes) stream = (await fs.promises.open(built.file)).createReadStream();
    } catch (error) {
      // Removed under us (another process's reveal retired an anonymous file, or a newer version
      // replaced it): forget what this process knew of the work and look again, once.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || retried) throw error;
      access.delete(workId);
      known.delete(key);
      ready.delete(key);
      return send(request, reply, true);
    }
    if (bytes) {
      if (built.version === entry.version) {
        // Never replay a cookie (a cleared session, say) to another reader.
        const { 'set-cookie': _cookie, ...headers } = reply.getHeaders() as Record<string, string>;
        ready.set(key, headers);
        // A guest's download of a work every guest may read: answered before any other hook
        // next time (download-cache.ts).
        const path = downloadPath(request.url);
        if (isPublic && path !== null && request.viewer === null && isAnonymous(request) && !reply.hasHeader('set-cookie')) {
          app.downloadCache.store(path, { workId, version: built.version, body: bytes, etag, headers }, ticket);
        }
      }
      return reply.send(bytes);
    }
    return reply.header('content-length', built.size).send(stream);
  };

  // The fast path, as the page cache does for pages: a download whose access facts, file and
  // headers are all in memory is answered here, before routing's later hooks and the handler.
  // Anything else (first request, expired facts, refused access, HEAD) goes to the route.
  const FAST = /^\/downloads\/([1-9][0-9]{0,9})\/[^/?#]*\.([A-Za-z0-9]{3,4})(?:\?|$)/;
  app.addHook('onRequest', (request, reply, done) => {
    if (request.method !== 'GET' || !request.url.startsWith('/downloads/')) return done();
    const match = FAST.exec(request.url);
    const workId = Number(match?.[1]);
    const entry = match ? access.get(workId) : undefined;
    if (!entry || entry.expiresAt <= Date.now() || !canReadWork(request.viewer, entry.facts).allowed) return done();
    const credit = creditFor(request.viewer, entry);
    if (credit === 'unrevealed') return done();
    const key = memoryKey(workId, entry.version, match![2]!.toLowerCase(), credit, entry.concealment !== undefined);
    const headers = ready.get(key);
    const built = known.get(key);
    const bytes = built ? buffers.get(built.file) : undefined;
    if (!headers || !bytes) return done();
    reply.headers(headers);
    // Responding from a callback hook: send, and do not call done().
    if (request.headers['if-none-match'] === headers.etag) reply.status(304).send();
    else reply.send(bytes);
  });

  app.get<DownloadParams>('/downloads/:id/:file', send);
}
