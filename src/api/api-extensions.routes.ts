// /api/v1 beyond works (issue 6): a work's downloads, tags and the works in a tag. Mounted
// inside the API's plugin scope by api.routes.ts, so the same token, JSON and rate-limit rules
// apply; documented in api-extensions.openapi.ts and checked by openapi.test.ts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { countVisibleWorks, findVisibleWorks } from '../browse/browse.service.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { availableFormats, downloadHref, FORMAT_INFO } from '../downloads/downloads.formats.ts';
import { HttpError } from '../web/errors.tsx';
import { parseId } from '../web/form.ts';
import type { Viewer } from '../web/viewer.ts';
import { resolveVisibleTag, TagNotFoundError } from '../tags/tags.service.ts';
import { decodeTagName, encodeTagName } from '../works/works.presenter.ts';
import { findCreatorsOfWorks, findTagsOfWorks } from '../works/works.service.ts';
import { authorizeRead, WorkNotFoundError } from '../works/works.service.ts';
import { toApiWork } from './api.presenter.ts';
import { PAGE_SIZE, parsePage } from './api.schema.ts';
import { sendLinks } from './api-pagination.ts';
import { concealCreators, findMystery, withoutUnrevealed } from '../collections/anonymity.ts';

export interface ApiExtensionDeps {
  db: Kysely<Database>;
  config: Config;
  viewerOf(request: FastifyRequest): Viewer | null;
  /** The route config that rate limits reads (the API's own). */
  reads: object;
}

function sendJson(reply: FastifyReply, status: number, body: unknown) {
  return reply.status(status).type('application/json; charset=utf-8').send(body);
}

export function apiExtensionRoutes(api: FastifyInstance, { db, config, viewerOf, reads }: ApiExtensionDeps): void {
  api.get<{ Params: { id: string } }>('/works/:id/downloads', { config: reads }, async (request, reply) => {
    const id = parseId(request.params.id);
    if (id === null) throw new HttpError(404, 'There is no work with this id. Work ids are whole numbers.');
    const decision = await authorizeRead(db, viewerOf(request), id).catch((error: unknown) => {
      if (error instanceof WorkNotFoundError) throw new HttpError(404, error.message);
      throw error;
    });
    if (!decision.allowed) {
      if (decision.status === 401) reply.header('www-authenticate', 'Bearer');
      throw new HttpError(
        decision.status,
        decision.status === 401 ? 'This work is only available to registered users. Send an API token to read it.' : decision.reason,
      );
    }
    // As the downloads route: an anonymous work's links fetch the file that says "Anonymous"; an
    // unrevealed one has none but for its creators, as its work read (decision 043).
    if (await findMystery(db, viewerOf(request), id)) throw new HttpError(404, 'This work is unrevealed until its collection’s reveal.');
    const work = decision.loaded!.work;
    return sendJson(reply, 200, {
      work: { id: work.id, title: work.title, version: work.version, url: `${config.baseUrl}/works/${work.id}` },
      downloads: availableFormats().map((format) => ({
        format,
        label: FORMAT_INFO[format].label,
        mediaType: FORMAT_INFO[format].mediaType.split(';')[0],
        url: `${config.baseUrl}${downloadHref(work, format)}`,
      })),
    });
  });

  // A tag the token's holder may not see (tags.policy.ts) is a 404, as one that does not exist; a synonym stands for its canonical's works.
  const loadTag = (raw: string, viewer: Viewer | null) =>
    resolveVisibleTag(db, decodeTagName(raw), viewer).catch((error: unknown) => {
      throw error instanceof TagNotFoundError ? new HttpError(404, error.message) : error;
    });

  api.get<{ Params: { name: string } }>('/tags/:name', { config: reads }, async (request, reply) => {
    const viewer = viewerOf(request);
    const { tag, canonical } = await loadTag(request.params.name, viewer);
    const path = `/tags/${encodeTagName(tag.name)}`;
    const works = await countVisibleWorks(db, { tagId: canonical.id, signedIn: viewer !== null });
    return sendJson(reply, 200, {
      tag: {
        name: tag.name,
        type: tag.type,
        works,
        url: `${config.baseUrl}${path}/works`,
        feedUrl: `${config.baseUrl}${path}/feed.atom`,
        apiWorksUrl: `${config.baseUrl}/api/v1${path}/works`,
      },
    });
  });

  api.get<{ Params: { name: string }; Querystring: { page?: string } }>('/tags/:name/works', { config: reads }, async (request, reply) => {
    const page = parsePage(request.query.page);
    if (page === null) throw new HttpError(400, 'The page number must be a whole number from 1 up.');
    const viewer = viewerOf(request);
    const { canonical } = await loadTag(request.params.name, viewer);
    const { rows: listed, hasNext } = await findVisibleWorks(db, { tagId: canonical.id, signedIn: viewer !== null }, page, PAGE_SIZE);
    const rows = await withoutUnrevealed(db, listed);
    const ids = rows.map((r) => r.id);
    const [creators, tags] = await Promise.all([
      findCreatorsOfWorks(db, ids).then((c) => concealCreators(db, null, c)),
      findTagsOfWorks(db, ids),
    ]);
    const works = rows.map((row) =>
      toApiWork(
        config.baseUrl,
        row,
        creators.filter((c) => c.work_id === row.id),
        tags.filter((t) => t.work_id === row.id),
      ),
    );
    sendLinks(reply, request, page, hasNext, 'page');
    return sendJson(reply, 200, { works, page, hasNext });
  });
}
