// Cursor pagination for /api/v1 lists: the answer's Link header (RFC 8288) names the next and
// previous pages, and clients follow it rather than building URLs. The cursor is opaque to them;
// today it carries the page the feature's service pages by, so a service can move to keyset
// paging later without clients changing.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiInvalidError } from './api-kit.ts';

/** The page a cursor stands for (absent: the first); a cursor not made here is a 422. */
export function decodeCursor(raw: string | undefined, maxPage = 999_999): number {
  if (raw === undefined || raw === '') return 1;
  const match = /^p(\d{1,7})$/.exec(Buffer.from(raw, 'base64url').toString('latin1'));
  const page = match ? Number(match[1]) : Number.NaN;
  if (!(page >= 1 && page <= maxPage))
    throw new ApiInvalidError('The cursor is not one this API gave out: follow the Link header.', {
      cursor: 'Use a cursor from a Link header.',
    });
  return page;
}

export function encodeCursor(page: number): string {
  return Buffer.from(`p${page}`, 'latin1').toString('base64url');
}

/** Sets Link: rel="next" (when there is more) and rel="prev", on the request's own URL with its other parameters kept. */
export function sendLinks(reply: FastifyReply, request: FastifyRequest, page: number, hasNext: boolean, param = 'cursor'): void {
  const url = new URL(request.url, 'http://x');
  const at = (p: number) => {
    const params = new URLSearchParams(url.searchParams);
    if (param === 'cursor') params.set('cursor', encodeCursor(p));
    else params.set(param, String(p));
    return `<${url.pathname}?${params.toString()}>`;
  };
  const links: string[] = [];
  if (hasNext) links.push(`${at(page + 1)}; rel="next"`);
  if (page > 1) links.push(`${at(page - 1)}; rel="prev"`);
  if (links.length > 0) reply.header('link', links.join(', '));
}
