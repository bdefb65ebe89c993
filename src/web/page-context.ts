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
    // Absent only on pages rendered before the hooks ran (early errors): the layout's defaults.
    preferences: request.readerPreferences ?? undefined,
  };
}

/** The signed-in viewer, or a 401 that offers the login page. */
export function requireViewer(request: FastifyRequest): Viewer {
  if (!request.viewer) throw new HttpError(401, 'You need to log in to do that.');
  return request.viewer;
}

/**
 * A path on this site: one `/`, then neither `/` nor `\` (browsers read `//host` and `/\host` as
 * another site), and no whitespace or control characters anywhere (browsers drop tab and newline
 * inside URLs, so `/\t/host` is `//host` to them; Node refuses them in a header).
 */
const SAME_SITE_PATH = /^\/(?![/\\])[^\x00-\x20\x7F]*$/;

/** Characters a Location header cannot carry as they are: everything outside printable ASCII. */
const NOT_HEADER_SAFE = /[^\x21-\x7E]+/g;

/**
 * A same-site path to return to (after logging in, after a form), never an open redirect: the
 * path when it is one of this site's (SAME_SITE_PATH), with non-ASCII percent-encoded so it is
 * a valid Location header, and `fallback` for anything else.
 */
export function safeReturnPath(raw: unknown, fallback = '/'): string {
  if (typeof raw !== 'string' || raw.length > 500 || !SAME_SITE_PATH.test(raw)) return fallback;
  try {
    return raw.replace(NOT_HEADER_SAFE, (run) => encodeURIComponent(run));
  } catch {
    // encodeURIComponent refuses half a surrogate pair: not text, so not a path either.
    return fallback;
  }
}
