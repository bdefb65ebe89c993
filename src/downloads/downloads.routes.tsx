import fs from 'node:fs';
import { sql } from 'kysely';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteDeps } from '../app-deps.ts';
import { HttpError } from '../web/errors.tsx';
import { parseId } from '../web/form.ts';
import { canReadWork, type WorkAccessFacts } from '../works/works.policy.ts';
import { loadWorkAccess, WorkNotFoundError } from '../works/works.service.ts';
import { contentDisposition, FORMAT_INFO, FormatUnavailableError, hasCalibre, isFormat, type DownloadFormat } from './downloads.formats.ts';
import { BUILD_DOWNLOAD_JOB, ensureDownload, type BuiltDownload } from './downloads.service.ts';
import { DownloadMenu } from './downloads.views.tsx';
import { downloadPath } from './download-cache.ts';
import { isAnonymous } from '../web/page-cache.ts';
import { z } from 'zod';
import { findConcealments } from '../collections/anonymity.ts';

type DownloadParams = { Params: { id: string; file: string } };

/** Access facts with the version, kept as briefly as guest pages are (docs/decisions/002). */
interface AccessEntry {
  facts: WorkAccessFacts;
  expiresAt: number;
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
    try {
      const loaded = await loadWorkAccess(db, workId);
      // An anonymous or unrevealed work has no download until its reveal: a file's metadata names its creators (decision 043).
      if ((await findConcealments(db, [workId])).has(workId)) return undefined;
      const entry = {
        facts: loaded.facts,
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

  const send = async (request: FastifyRequest<DownloadParams>, reply: FastifyReply) => {
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

    const etag = `"w${workId}-v${entry.version}-${ext}"`;
    const isPublic = !entry.facts.isDraft && !entry.facts.isRestricted && !entry.facts.isHidden;
    reply
      .header('content-type', FORMAT_INFO[ext].mediaType)
      .header('content-disposition', contentDisposition(entry.title, workId, ext))
      .header('etag', etag)
      .header('cache-control', isPublic ? 'public, max-age=300' : 'private, max-age=0, must-revalidate')
      .header('x-content-type-options', 'nosniff');
    if (request.headers['if-none-match'] === etag) return reply.status(304).send();

    // The hot path: this version's file is known to exist, so no query and no stat.
    const key = `${workId}:${entry.version}:${ext}`;
    let built = known.get(key);
    if (!built) {
      try {
        built = await ensureDownload(db, config, workId, ext);
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
        .header('etag', `"w${workId}-v${built.version}-${ext}"`)
        .header('content-disposition', contentDisposition(built.title, workId, ext));
    }
    if (request.method === 'HEAD') return reply.header('content-length', built.size).send();
    const bytes = buffers.get(built.file) ?? (await buffers.load(built.file, built.size));
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
    return reply.header('content-length', built.size).send(fs.createReadStream(built.file));
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
    const key = `${workId}:${entry.version}:${match![2]!.toLowerCase()}`;
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
