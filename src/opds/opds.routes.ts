import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendConditional } from '../web/conditional-get.ts';
import { z } from 'zod';
import type { RouteDeps } from '../app-deps.ts';
import { renderAtom, type AtomFeed } from '../feeds/atom.ts';
import { HttpError } from '../web/errors.tsx';
import { decodeTagName } from '../works/works.presenter.ts';
import {
  ACQUISITION,
  buildCreatorCatalog,
  buildCreatorListCatalog,
  buildRecentCatalog,
  buildRootCatalog,
  buildSearchCatalog,
  buildTagCatalog,
  buildTagListCatalog,
  CatalogNotFoundError,
  NAVIGATION,
  OPENSEARCH,
  openSearchDescription,
} from './opds.service.ts';

const PageQuerySchema = z.object({
  page: z
    .string()
    .optional()
    .transform((v) => v || '1')
    .pipe(
      z
        .string()
        .regex(/^\d{1,5}$/, 'The page number must be a whole number from 1 up.')
        .transform(Number)
        .pipe(z.number().min(1, 'The page number must be a whole number from 1 up.')),
    ),
  q: z
    .string()
    .max(200, 'Search for at most 200 characters.')
    .optional()
    .transform((v) => (v ?? '').trim()),
});

function query(request: FastifyRequest) {
  const parsed = PageQuerySchema.safeParse(request.query ?? {});
  if (!parsed.success) throw new HttpError(400, parsed.error.issues[0]!.message);
  return parsed.data;
}

function send(reply: FastifyReply, type: string, feed: AtomFeed) {
  return sendConditional(reply.type(`${type};charset=utf-8`).header('cache-control', 'public, max-age=120'), renderAtom(feed));
}

const notFound = (error: unknown): never => {
  if (error instanceof CatalogNotFoundError) throw new HttpError(404, error.message);
  throw error;
};

/** The OPDS 1.2 catalogue: e-reader apps browse by fandom, tag and creator and download EPUBs. */
export function opdsRoutes(app: FastifyInstance, { reads: db, config }: RouteDeps): void {
  app.get('/opds', async (_request, reply) => send(reply, NAVIGATION, await buildRootCatalog(db, config)));
  app.get('/opds/recent', async (request, reply) => send(reply, ACQUISITION, await buildRecentCatalog(db, config, query(request).page)));
  app.get('/opds/fandoms', async (request, reply) =>
    send(reply, NAVIGATION, await buildTagListCatalog(db, config, 'fandoms', query(request).page)),
  );
  app.get('/opds/tags', async (request, reply) =>
    send(reply, NAVIGATION, await buildTagListCatalog(db, config, 'tags', query(request).page)),
  );
  app.get('/opds/creators', async (request, reply) =>
    send(reply, NAVIGATION, await buildCreatorListCatalog(db, config, query(request).page)),
  );
  app.get<{ Params: { name: string } }>('/opds/tags/:name', async (request, reply) =>
    send(reply, ACQUISITION, await buildTagCatalog(db, config, decodeTagName(request.params.name), query(request).page).catch(notFound)),
  );
  app.get<{ Params: { login: string } }>('/opds/creators/:login', async (request, reply) =>
    send(reply, ACQUISITION, await buildCreatorCatalog(db, config, request.params.login, query(request).page).catch(notFound)),
  );
  app.get('/opds/search.xml', async (_request, reply) =>
    reply.type(`${OPENSEARCH};charset=utf-8`).header('cache-control', 'public, max-age=3600').send(openSearchDescription(config)),
  );
  app.get('/opds/search', async (request, reply) => {
    const q = query(request);
    return send(reply, ACQUISITION, await buildSearchCatalog(db, config, q.q, q.page));
  });
}
