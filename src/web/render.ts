import type { FastifyReply } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

/** Renders a page (Preact escapes every string child and attribute) and sends it as HTML. */
export function sendPage(reply: FastifyReply, page: VNode, status = 200): FastifyReply {
  return reply.status(status).type('text/html; charset=utf-8').send(renderPage(page));
}

/** The page's full HTML document text. */
export function renderPage(page: VNode): string {
  return '<!doctype html>' + renderToString(page);
}
