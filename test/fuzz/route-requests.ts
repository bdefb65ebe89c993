// Requests for every route the app registers, whether or not a page links to it: path
// parameters filled with things that exist or with hostile ids, a hostile query string, and
// for POST routes a form made of field names seen anywhere on the site.
import fc from 'fast-check';
import type { RouteEntry } from '../../src/web/route-list.ts';
import { CONTROL_HAZARD, encodeFormComponent, hostileIdString, hostileString } from './fuzz-values.ts';
import {
  brokenQueryTail,
  DESTRUCTIVE_PATH,
  encodeQuery,
  encodeUrlencoded,
  formBodyEncodings,
  type Field,
  type FuzzContext,
  type FuzzRequest,
  type FuzzTarget,
  type Identity,
} from './request-builders.ts';
import type { FixtureIds } from './fuzz-archive.ts';

/** Values that exist for a path parameter, chosen by the parameter's name and the route's prefix. */
export function existingParamValues(route: string, param: string, ids: FixtureIds): string[] {
  const works = [ids.work, ids.draft, ids.restricted, ids.hidden, ids.seededWork].map(String);
  switch (param) {
    case 'login':
    case 'pseud':
      // Staff act on the bystander: the crawl then finds the suspend and role forms, which the fuzzer may send.
      return route.startsWith('/moderation/')
        ? [ids.logins.bystander, ids.logins.member]
        : [ids.logins.member, ids.logins.admin, ids.logins.bystander];
    case 'chapterId':
      // A waiting chapter first where the route is about its time (its forms exist only for it).
      return /\/(schedule|post)$/.test(route)
        ? [String(ids.waitingChapter), String(ids.chapter)]
        : [String(ids.chapter), String(ids.waitingChapter)];
    case 'name':
      return [ids.tag, 'Fluff', 'General Audiences'];
    case 'n':
      return ['1', '2'];
    case 'itemId':
      return [String(ids.inboxItem)];
    case 'userId':
      return [String(ids.userId)];
    case 'file':
      return [ids.downloadFile, ids.downloadFile.replace(/\.html$/, '.epub'), ids.downloadFile.replace(/\.html$/, '.txt')];
    case 'token':
      return ['not-a-token'];
    case '*':
      return ['style.css'];
    default:
      break;
  }
  if (/^\/(api\/v1\/)?series\//.test(route)) return [String(ids.series)];
  if (route.startsWith('/comments/')) return [String(ids.comment)];
  if (route.startsWith('/bookmarks/')) return [String(ids.bookmark)];
  if (route.startsWith('/admin_posts/')) return [String(ids.adminPost)];
  if (route.includes('/saved_searches/')) return [String(ids.savedSearch)];
  if (route.includes('/api_tokens/')) return [String(ids.apiTokenId)];
  if (route.startsWith('/moderation/reports/')) return ['1'];
  // The hidden work first on moderation pages, so the crawl finds its unhide form.
  if (route.startsWith('/moderation/works/')) return [String(ids.hidden), ...works];
  return works;
}

/** The route's address with each parameter filled by `values` (in order of appearance). */
export function fillRoute(route: string, values: readonly string[]): string {
  let i = 0;
  return route.replace(/:\w+|\*/g, () => {
    const v = values[i++] ?? '';
    // Already percent-encoded hostile ids (%00, %ED%A0%80) go in as they are.
    return /%[0-9A-Fa-f]{2}|^%$/.test(v) ? v : encodeFormComponent(v).replace(/%2F/g, '/');
  });
}

export function paramsOf(route: string): string[] {
  return (route.match(/:\w+|\*/g) ?? []).map((p) => p.replace(/^:/, ''));
}

const STATIC_PATHS = fc.constantFrom(
  '../package.json',
  '..%2F..%2Fpackage.json',
  '%2e%2e/%2e%2e/package.json',
  'style.css%00.js',
  'nope.css',
  '.',
  '',
  'a'.repeat(400),
);

function routeTarget(route: RouteEntry, as: Identity): FuzzTarget {
  const params = paramsOf(route.url);
  const id = `route ${route.method} ${route.url} (${as})`;
  return {
    id,
    weight: 1,
    destructive: DESTRUCTIVE_PATH.test(route.url),
    // Each parameter once with a 64-bit overflow and once with the control hazard, as a signed-in visitor.
    sweep: (ctx) => {
      if (as === 'guest') return [];
      const base = params.map((p) => existingParamValues(route.url, p, ctx.ids)[0]!);
      return params.flatMap((p, i) =>
        ['9223372036854775808', CONTROL_HAZARD].map((value): FuzzRequest => {
          const url = fillRoute(
            route.url,
            base.map((v, j) => (j === i ? value : v)),
          );
          const label = `sweep, ${value === CONTROL_HAZARD ? 'controls' : '2**63'} in ${p}`;
          if (route.method !== 'POST') return { target: id, generator: label, as, method: route.method, url, headers: {} };
          return {
            target: id,
            generator: label,
            as,
            method: 'POST',
            url,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            payload: encodeUrlencoded([['_csrf', ctx.csrf[as]]]),
          };
        }),
      );
    },
    requests: (ctx) =>
      fc
        .record({
          values: fc.tuple(
            ...params.map((p) =>
              fc.oneof(
                { arbitrary: fc.constantFrom(...existingParamValues(route.url, p, ctx.ids)), weight: 3 },
                { arbitrary: p === '*' ? STATIC_PATHS : hostileIdString, weight: 2 },
                { arbitrary: hostileString.filter((s) => s.length < 1000), weight: 1 },
              ),
            ),
          ),
          query: fc.array(
            fc.tuple(
              fc.oneof(
                fc.constantFrom(
                  'page',
                  'q',
                  'sort',
                  'type',
                  'id',
                  'term',
                  'return_to',
                  'view_full_work',
                  'token',
                  'direction',
                  'invitation',
                  'format',
                ),
                hostileString.filter((k) => k.length < 100),
              ),
              hostileString,
            ),
            { maxLength: 3 },
          ),
          tail: brokenQueryTail,
          fields: fc.array(fc.tuple(fc.constantFrom(...ctx.fieldNames, 'x'), hostileString), { maxLength: 6 }),
        })
        .chain(({ values, query, tail, fields }) => {
          const url = fillRoute(route.url, values) + encodeQuery(query as Field[], tail);
          if (route.method !== 'POST')
            return fc.constant<FuzzRequest>({ target: id, generator: 'path and query', as, method: route.method, url, headers: {} });
          const body: Field[] = [['_csrf', ctx.csrf[as]], ...(fields as Field[])];
          return formBodyEncodings(body, [], false).map(
            (encoded): FuzzRequest => ({
              target: id,
              generator: `path, query, ${encoded.encoding}`,
              as,
              method: 'POST',
              url,
              headers: encoded.contentType !== undefined ? { 'content-type': encoded.contentType } : {},
              ...(encoded.payload !== undefined ? { payload: encoded.payload } : {}),
            }),
          );
        }),
  };
}

/**
 * Who visits a route: guests and members read pages, admins the staff's pages. A guest's POST
 * mostly meets a 401 before anything else: the guest crawl's own forms (log in, comment, kudos)
 * cover what guests may send.
 */
function identitiesFor(route: RouteEntry): Identity[] {
  const signedIn: Identity = /^\/(admin|moderation|wrangling)/.test(route.url) ? 'admin' : 'member';
  return route.method === 'GET' ? ['guest', signedIn] : [signedIn];
}

/** One target for each GET and POST route and each visitor who would send it. */
export function routeTargets(routes: readonly RouteEntry[]): FuzzTarget[] {
  const seen = new Set<string>();
  const targets: FuzzTarget[] = [];
  for (const route of routes) {
    if (route.method !== 'GET' && route.method !== 'POST') continue;
    for (const as of identitiesFor(route)) {
      const key = `${route.method} ${route.url} ${as}`;
      if (seen.has(key)) continue;
      seen.add(key);
      targets.push(routeTarget(route, as));
    }
  }
  return targets;
}

/** Headers a broken or hostile client sends: cookies, ranges, hosts, origins, forwarded chains. */
const hostileHeaders: fc.Arbitrary<{ label: string; headers: Record<string, string> }> = fc.oneof(
  fc
    .constantFrom(
      'ff_session=%00',
      'ff_session=' + 'a'.repeat(5000),
      'ff_session=;ff_session=x',
      'ff_csrf=\u00ff\u00fe',
      'ff_flash=%E0%A4%A',
      '=;=;=',
      'ff_flash=' + encodeURIComponent('{"x":'.repeat(2000)),
    )
    .map((cookie) => ({ label: 'cookie', headers: { cookie } })),
  fc
    .constantFrom('bytes=999999999-', 'bytes=-0', 'bytes=5-1', 'bytes=0-1,2-3,4-5,6-7,8-9,10-11', 'bytes=abc', 'lines=1-2')
    .map((range) => ({ label: 'range', headers: { range } })),
  fc
    .constantFrom('', '[::1', 'archive.test:99999', 'a'.repeat(300), 'archive.test\u0000')
    .map((host) => ({ label: 'host', headers: { host } })),
  fc
    .constantFrom('null', 'http://', 'http://[::1', 'javascript:alert(1)', 'http://archive.test:99999')
    .map((origin) => ({ label: 'origin', headers: { origin } })),
  fc
    .constantFrom('1.1.1.1, , ,', 'not-an-ip', '::ffff:999.1.1.1', 'a'.repeat(2000))
    .map((xff) => ({ label: 'x-forwarded-for', headers: { 'x-forwarded-for': xff, 'x-forwarded-proto': 'gopher' } })),
  fc.constantFrom('*/*;q=abc', 'application/json;q=2', '', 'text/html, application/json;q=0.9, */*;q=0.0').map((accept) => ({
    label: 'accept',
    headers: { accept, 'accept-language': 'zz-ZZ;q=0,*;q=x', 'accept-encoding': 'br;q=x, gzip;q=1e308' },
  })),
  fc
    .constantFrom('"x"', 'W/"x", *', '*')
    .map((inm) => ({ label: 'conditional', headers: { 'if-none-match': inm, 'if-modified-since': 'yesterday' } })),
);

/** Odd methods and hostile headers on the app's routes: 404, 405 or the page, never a 5xx. */
export function headerAndMethodTargets(routes: readonly RouteEntry[]): FuzzTarget[] {
  const urls = (ctx: FuzzContext) => [
    ...new Set(
      routes.map((r) =>
        fillRoute(
          r.url,
          paramsOf(r.url).map((p) => existingParamValues(r.url, p, ctx.ids)[0]!),
        ),
      ),
    ),
  ];
  return [
    {
      id: 'routes with odd methods',
      weight: 4,
      destructive: false,
      requests: (ctx) =>
        fc
          .record({
            method: fc.constantFrom('PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND', 'CONNECT'),
            url: fc.constantFrom(...urls(ctx)),
            as: fc.constantFrom<Identity[]>('guest', 'member'),
          })
          .map(
            ({ method, url, as }): FuzzRequest => ({ target: 'routes with odd methods', generator: method, as, method, url, headers: {} }),
          ),
    },
    {
      id: 'routes with hostile headers',
      weight: 6,
      destructive: false,
      requests: (ctx) =>
        fc
          .record({ h: hostileHeaders, url: fc.constantFrom(...urls(ctx).filter((u) => !DESTRUCTIVE_PATH.test(u))), post: fc.boolean() })
          .map(
            ({ h, url, post }): FuzzRequest => ({
              target: 'routes with hostile headers',
              generator: h.label,
              as: 'guest',
              method: post ? 'POST' : 'GET',
              url,
              headers: { ...h.headers, ...(post ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
              ...(post ? { payload: encodeUrlencoded([['_csrf', ctx.csrf.guest]]) } : {}),
            }),
          ),
    },
  ];
}
