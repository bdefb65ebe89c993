import type { FastifyReply } from 'fastify';
import { etagMatches, etagOf } from './page-cache.ts';

/**
 * Sends a body with an ETag, or a 304 with none when the client's If-None-Match already names
 * it: feed readers and e-reader apps poll feeds and catalogues, and most polls find nothing new.
 * The caller sets the type and caching headers first.
 */
export function sendConditional(reply: FastifyReply, body: string): FastifyReply {
  const etag = etagOf(Buffer.from(body));
  reply.header('etag', etag);
  if (etagMatches(reply.request.headers['if-none-match'], etag)) return reply.code(304).send();
  return reply.send(body);
}
