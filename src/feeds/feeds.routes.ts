import type { FastifyInstance } from 'fastify';
import { sendConditional } from '../web/conditional-get.ts';
import type { RouteDeps } from '../app-deps.ts';
import { HttpError } from '../web/errors.tsx';
import { parseId } from '../web/form.ts';
import { decodeTagName } from '../works/works.presenter.ts';
import { ATOM_TYPE, renderAtom } from './atom.ts';
import {
  buildChaptersFeed,
  buildCreatorFeed,
  buildSeriesFeed,
  buildTagFeed,
  FeedForbiddenError,
  FeedNotFoundError,
} from './feeds.service.ts';

function toHttp(error: unknown): never {
  if (error instanceof FeedNotFoundError) throw new HttpError(404, error.message);
  if (error instanceof FeedForbiddenError) throw new HttpError(error.status, error.message);
  throw error;
}

/** Atom feeds: works in a tag, works by a creator, a work's new chapters. */
export function feedsRoutes(app: FastifyInstance, { reads: db, config }: RouteDeps): void {
  const send = (reply: import('fastify').FastifyReply, xml: string) =>
    sendConditional(reply.type(ATOM_TYPE).header('cache-control', 'public, max-age=300'), xml);

  app.get<{ Params: { name: string } }>('/tags/:name/feed.atom', async (request, reply) => {
    const feed = await buildTagFeed(db, config, decodeTagName(request.params.name)).catch(toHttp);
    return send(reply, renderAtom(feed));
  });

  app.get<{ Params: { login: string } }>('/users/:login/works/feed.atom', async (request, reply) => {
    const feed = await buildCreatorFeed(db, config, request.params.login).catch(toHttp);
    return send(reply, renderAtom(feed));
  });

  app.get<{ Params: { id: string } }>('/series/:id/feed.atom', async (request, reply) => {
    const id = parseId(request.params.id);
    if (id === null) throw new HttpError(404, 'There is no series with this id. Series ids are numbers.');
    const feed = await buildSeriesFeed(db, config, id).catch(toHttp);
    return send(reply, renderAtom(feed));
  });

  app.get<{ Params: { id: string } }>('/works/:id/chapters/feed.atom', async (request, reply) => {
    const id = parseId(request.params.id);
    if (id === null) throw new HttpError(404, 'There is no work with this id. Work ids are numbers.');
    const feed = await buildChaptersFeed(db, config, id, request.viewer).catch(toHttp);
    return send(reply, renderAtom(feed)).header('cache-control', 'private, max-age=60');
  });
}
