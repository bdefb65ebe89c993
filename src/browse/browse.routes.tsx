import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteDeps } from '../app-deps.ts';
import { findUserByLogin } from '../accounts/accounts.service.ts';
import { QueryParseError } from '../search/query-parser.ts';
import { emptyFilters, SearchQuerySchema, toQueryString, type SearchFilters } from '../search/search.schema.ts';
import { PER_PAGE, type FacetRow } from '../search/search.service.ts';
import { TAG_TYPE_LABELS } from '../tags/tag-labels.ts';
import { resolveVisibleTag, TagNotFoundError } from '../tags/tags.service.ts';
import { HttpError } from '../web/errors.tsx';
import { toFieldErrors, type FieldErrors } from '../web/form.ts';
import { pageContext } from '../web/page-context.ts';
import { sendPage } from '../web/render.ts';
import { decodeTagName, encodeTagName } from '../works/works.presenter.ts';
import { toBlurbs } from './blurbs.ts';
import { findDraftsOfUser, findPseud } from './browse.repo.ts';
import { WorkListingPage, type ListingView } from './browse.views.tsx';
import { listingHref, toListingControls, toPaginationView } from './listing.presenter.ts';
import { findPseudIdsOfUser } from './listing.repo.ts';
import { loadListing, type ListingScope, type SelectedTag } from './listing.service.ts';
import { countText, PastTheEndPage } from './listing.views.tsx';

type ListingQuery = { Querystring: Record<string, string | string[]> };

function formValuesOf(query: Record<string, string | string[]> | undefined): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(query ?? {})) if (typeof v === 'string' || Array.isArray(v)) out[k] = v;
  return out;
}

interface ListingText {
  title: string;
  heading: string;
  subheading?: string;
  headingLink?: ListingView['headingLink'];
  /** What the count line says when nothing matches. */
  empty: string;
  /** The listing's address, without a query. */
  base: string;
  includeDraftsOf?: number;
}

export function browseRoutes(app: FastifyInstance, { reads: db, config }: RouteDeps): void {
  /**
   * Every listing of works: a search (src/search) with the listing's scope added, the filter
   * sidebar, chips and numbered pages; a page past the last is a 404 that links to the last.
   */
  const listing = async (request: FastifyRequest<ListingQuery>, reply: FastifyReply, scope: ListingScope, text: ListingText) => {
    const ctx = pageContext(request, reply, config.siteName);
    const values = formValuesOf(request.query);
    const scopeTagIds = scope.tagIds ?? [];
    const render = (
      filters: SearchFilters,
      parts: { works: ListingView['works']; facets: FacetRow[]; tags: Map<number, SelectedTag>; total: number; lastPage: number },
      errors: FieldErrors,
      notices: string[],
      drafts: ListingView['works'],
      status: number,
    ) => {
      const view: ListingView = {
        title: text.title,
        heading: text.heading,
        ...(text.subheading ? { subheading: text.subheading } : {}),
        ...(text.headingLink ? { headingLink: text.headingLink } : {}),
        count:
          Object.keys(errors).length > 0
            ? 'Correct the filters to see the works.'
            : parts.total === 0
              ? text.empty
              : countText(parts.total, filters.page, PER_PAGE, parts.works.length),
        works: parts.works,
        drafts,
        controls: toListingControls({ base: text.base, filters, values, facets: parts.facets, tags: parts.tags, scopeTagIds }),
        // What the reader chose, even when another field was refused.
        sort: typeof values.sort === 'string' && values.sort !== '' ? values.sort : filters.sort,
        pagination: toPaginationView(text.base, filters, parts.lastPage),
        errors,
        notices,
      };
      return sendPage(reply, <WorkListingPage ctx={ctx} view={view} />, status);
    };
    const nothing = { works: [], facets: [], tags: new Map<number, SelectedTag>(), total: 0, lastPage: 1 };
    const parsed = SearchQuerySchema.safeParse(request.query ?? {});
    if (!parsed.success) return render(emptyFilters(), nothing, toFieldErrors(parsed.error), [], [], 422);
    const filters = parsed.data;
    let outcome;
    try {
      outcome = await loadListing(db, request.viewer, scope, filters, { index: config.searchIndex });
    } catch (error) {
      if (!(error instanceof QueryParseError)) throw error;
      return render(filters, nothing, { q: `${error.message} (at character ${error.position + 1})` }, [], [], 422);
    }
    if (outcome.kind === 'past-end') {
      const lastHref = listingHref(text.base, toQueryString(filters, { page: outcome.lastPage }));
      return sendPage(
        reply,
        <PastTheEndPage ctx={ctx} title={text.heading} page={filters.page} lastPage={outcome.lastPage} lastHref={lastHref} />,
        404,
      );
    }
    const drafts =
      text.includeDraftsOf !== undefined && filters.page === 1 ? await toBlurbs(db, await findDraftsOfUser(db, text.includeDraftsOf)) : [];
    const { result } = outcome;
    return render(
      filters,
      { works: outcome.works, facets: result.facets, tags: outcome.selectedTags, total: result.total, lastPage: outcome.lastPage },
      {},
      result.notices,
      drafts,
      200,
    );
  };

  app.get<ListingQuery>('/', (request, reply) =>
    listing(
      request,
      reply,
      {},
      {
        title: 'Home',
        heading: `Welcome to ${config.siteName}`,
        subheading: 'The newest and latest-updated works on the archive.',
        empty: 'No works have been posted yet.',
        base: '/works',
      },
    ),
  );

  app.get<ListingQuery>('/works', (request, reply) =>
    listing(request, reply, {}, { title: 'Works', heading: 'Works', empty: 'No works have been posted yet.', base: '/works' }),
  );

  app.get<ListingQuery & { Params: { name: string } }>('/tags/:name/works', async (request, reply) => {
    const name = decodeTagName(request.params.name);
    // A synonym lists its canonical's works; filter_tag_ids holds synonyms and sub tags resolved.
    const { tag, canonical } = await resolveVisibleTag(db, name, request.viewer).catch((error: unknown) => {
      throw error instanceof TagNotFoundError ? new HttpError(404, error.message) : error;
    });
    return listing(
      request,
      reply,
      { tagIds: [canonical.id] },
      {
        title: `${canonical.name} works`,
        heading: `Works in ${canonical.name}`,
        subheading:
          canonical.id === tag.id
            ? TAG_TYPE_LABELS[tag.type]
            : `${TAG_TYPE_LABELS[tag.type]}: “${tag.name}” is a synonym of “${canonical.name}”.`,
        empty: 'No works are tagged with this yet.',
        base: `/tags/${encodeTagName(tag.name)}/works`,
      },
    );
  });

  app.get<ListingQuery & { Params: { login: string } }>('/users/:login/works', async (request, reply) => {
    const user = await findUserByLogin(db, request.params.login);
    if (!user) throw new HttpError(404, `There is no user called ${request.params.login.slice(0, 40)}.`);
    const isSelf = request.viewer?.id === user.id;
    return listing(
      request,
      reply,
      { pseudIds: await findPseudIdsOfUser(db, user.id) },
      {
        title: `Works by ${user.login}`,
        heading: `Works by ${user.login}`,
        empty: isSelf ? 'You have not posted any works yet.' : `${user.login} has not posted any works yet.`,
        base: `/users/${encodeURIComponent(user.login)}/works`,
        ...(isSelf ? { includeDraftsOf: user.id } : {}),
        ...(isSelf
          ? {}
          : { headingLink: { href: `/users/${encodeURIComponent(user.login)}/subscription`, text: `Subscribe to ${user.login}` } }),
      },
    );
  });

  app.get<{ Params: { login: string; pseud: string } }>('/users/:login/pseuds/:pseud', async (request, reply) =>
    reply.redirect(`/users/${encodeURIComponent(request.params.login)}/pseuds/${encodeURIComponent(request.params.pseud)}/works`, 302),
  );

  app.get<ListingQuery & { Params: { login: string; pseud: string } }>('/users/:login/pseuds/:pseud/works', async (request, reply) => {
    const user = await findUserByLogin(db, request.params.login);
    const pseud = user ? await findPseud(db, user.id, request.params.pseud) : undefined;
    if (!user || !pseud)
      throw new HttpError(404, `There is no pseud ${request.params.pseud.slice(0, 40)} of ${request.params.login.slice(0, 40)}.`);
    const label = pseud.name === user.login ? user.login : `${pseud.name} (${user.login})`;
    return listing(
      request,
      reply,
      { pseudIds: [pseud.id] },
      {
        title: `Works by ${label}`,
        heading: `Works by ${label}`,
        empty: `${label} has not posted any works yet.`,
        base: `/users/${encodeURIComponent(user.login)}/pseuds/${encodeURIComponent(pseud.name)}/works`,
      },
    );
  });
}
