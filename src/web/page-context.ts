import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PageContext } from './layout.tsx';
import { takeFlash } from './session.ts';
import { HttpError } from './errors.tsx';
import type { Viewer } from './viewer.ts';

/**
 * The layout's context for this request (takes the one-time flash notice). The CSRF token is
 * read only when a form on the page asks for it, so pages without forms set no cookie.
 */
export function pageContext(request: FastifyRequest, reply: FastifyReply, siteName: string): PageContext {
  return {
    viewer: request.viewer,
    get csrfToken() {
      return request.csrfToken;
    },
    // An admin may rename the site at /admin/settings; SITE_NAME is the fallback.
    siteName: request.server.siteSettings?.name || siteName,
    flash: takeFlash(request, reply),
  };
}

/** The signed-in viewer, or a 401 that offers the login page. */
export function requireViewer(request: FastifyRequest): Viewer {
  if (!request.viewer) throw new HttpError(401, 'You need to log in to do that.');
  return request.viewer;
}

/** A same-site path to return to after logging in, never an open redirect. */
export function safeReturnPath(raw: unknown, fallback = '/'): string {
  if (typeof raw !== 'string' || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return fallback;
  return raw.length <= 500 ? raw : fallback;
}
