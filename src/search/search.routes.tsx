import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteDeps } from '../app-deps.ts';
import { listingHref, toChips, toFacetGroups, toPaginationView } from '../browse/listing.presenter.ts';
import { countText, PastTheEndPage } from '../browse/listing.views.tsx';
import { TAG_TYPE_LABELS } from '../tags/tag-labels.ts';
import { HttpError } from '../web/errors.tsx';
import { formValues, parseId, toFieldErrors, type FieldErrors } from '../web/form.ts';
import { pageContext, requireViewer } from '../web/page-context.ts';
import { sendPage } from '../web/render.ts';
import { setFlash } from '../web/session.ts';
import { configureFacetIndex, shareFacetIndex, warmFacetIndex } from './facet-index-store.ts';
import { renderAtomFeed } from './atom.ts';
import {
  addGlobalFilter,
  listGlobalFilters,
  listSavedSearches,
  PreferenceInputError,
  removeGlobalFilter,
  removeSavedSearch,
  saveSearch,
  savedSearchFeed,
} from './preferences.service.ts';
import { GlobalFiltersPage, SavedSearchesPage } from './preferences.views.tsx';
import { pointAt, QueryParseError } from './query-parser.ts';
import { canManageSavedSearches } from './search.policy.ts';
import { GlobalFilterSchema, SavedSearchSchema, SearchQuerySchema, toQueryString, type SearchFilters } from './search.schema.ts';
import { loadListing } from '../browse/listing.service.ts';
import { PER_PAGE } from './search.service.ts';
import { SearchHelpPage, SearchPage, type FacetView, type SearchFormValues, type SearchPageView } from './search.views.tsx';

type SearchRequest = FastifyRequest<{ Querystring: Record<string, string | string[]> }>;

/** "1 – 20 of 507 works found", or "of about 507" when the total is an estimate. */
function foundText(total: number, page: number, shown: number, estimated: boolean): string {
  if (total === 0) return 'No works found';
  if (!estimated) return `${countText(total, page, PER_PAGE, shown)} found`;
  const first = (page - 1) * PER_PAGE + 1;
  return `${first.toLocaleString('en')} – ${(first + shown - 1).toLocaleString('en')} of about ${total.toLocaleString('en')} works found`;
}

function formValuesOf(query: Record<string, string | string[]>): SearchFormValues {
  const out: SearchFormValues = {};
  for (const [k, v] of Object.entries(query ?? {})) if (typeof v === 'string' || Array.isArray(v)) out[k] = v;
  return out;
}

export function searchRoutes(app: FastifyInstance, { db, reads, config }: RouteDeps): void {
  // One index per process, started from the stored snapshot (decision 040) as soon as the server
  // listens, so the first searches after a restart need not wait for it or fall back to SQL.
  configureFacetIndex(db, { maxTextPostings: config.searchTextPostings, snapshots: true });
  shareFacetIndex(reads, db);
  app.addHook('onListen', async () => {
    if (config.searchIndex) warmFacetIndex(reads);
  });
  const emptyView = (values: SearchFormValues, errors: FieldErrors, extra: Partial<SearchPageView> = {}): SearchPageView => ({
    values,
    errors,
    notices: [],
    searched: false,
    count: '',
    works: [],
    facets: [],
    chips: [],
    clearHref: '/works/search?q=',
    carried: [],
    pagination: { page: 1, lastPage: 1, href: () => '/works/search' },
    queryString: '',
    ...extra,
  });

  app.get('/works/search', async (request: SearchRequest, reply: FastifyReply) => {
    const ctx = pageContext(request, reply, config.siteName);
    const values = formValuesOf(request.query);
    const parsed = SearchQuerySchema.safeParse(request.query ?? {});
    if (!parsed.success) return sendPage(reply, <SearchPage ctx={ctx} view={emptyView(values, toFieldErrors(parsed.error))} />, 422);
    const filters: SearchFilters = parsed.data;
    const searched = Object.keys(request.query ?? {}).length > 0;
    if (!searched) return sendPage(reply, <SearchPage ctx={ctx} view={emptyView(values, {})} />);
    let outcome;
    try {
      outcome = await loadListing(reads, request.viewer, {}, filters, { index: config.searchIndex, estimate: true });
    } catch (error) {
      if (!(error instanceof QueryParseError)) throw error;
      const message = `${error.message} (at character ${error.position + 1})`;
      return sendPage(
        reply,
        <SearchPage ctx={ctx} view={emptyView(values, { q: message }, { queryProblem: pointAt(filters.q, error) })} />,
        422,
      );
    }
    const base = { path: '/works/search', keepEmpty: true };
    const href = (f: SearchFilters) => listingHref(base, toQueryString(f));
    // Past the end of the results (the works changed since the link was made): a 404 that links to the last page.
    if (outcome.kind === 'past-end') {
      return sendPage(
        reply,
        <PastTheEndPage
          ctx={ctx}
          title="This search"
          page={filters.page}
          lastPage={outcome.lastPage}
          lastHref={href({ ...filters, page: outcome.lastPage })}
        />,
        404,
      );
    }
    const { result, selectedTags } = outcome;
    const included = new Set(filters.includeIds);
    const excluded = new Set(filters.excludeIds);
    const toggled = (id: number, into: 'includeIds' | 'excludeIds') => {
      const other = into === 'includeIds' ? 'excludeIds' : 'includeIds';
      return href({
        ...filters,
        [into]: [...filters[into].filter((x) => x !== id), id],
        [other]: filters[other].filter((x) => x !== id),
        page: 1,
      });
    };
    // The sidebar lists the tags the search excludes too (with no count): they are part of the search.
    const facets: FacetView[] = toFacetGroups(result.facets, filters, selectedTags).map((group) => ({
      label: TAG_TYPE_LABELS[group.type],
      tags: group.options.map((o) => ({
        name: o.name,
        count: o.count,
        state: included.has(o.id) ? ('included' as const) : excluded.has(o.id) ? ('excluded' as const) : ('none' as const),
        includeHref: toggled(o.id, 'includeIds'),
        excludeHref: toggled(o.id, 'excludeIds'),
      })),
    }));
    const queryString = toQueryString({ ...filters, page: 1 });
    const view: SearchPageView = {
      values,
      errors: {},
      notices: result.notices,
      searched: true,
      count: foundText(result.total, filters.page, result.rows.length, result.totalEstimated === true),
      countsEstimated: result.totalEstimated === true,
      works: outcome.works.map((work) => {
        const snippet = result.snippets.get(work.id);
        return snippet ? { work, snippet } : { work };
      }),
      facets,
      chips: toChips(base, filters, selectedTags),
      clearHref: '/works/search?q=',
      // The sidebar's one-click choices have no field in the form: carried, so that a new sort or filter keeps them.
      carried: [
        ...filters.includeIds.map((id) => ({ name: 'with', value: String(id) })),
        ...filters.excludeIds.map((id) => ({ name: 'without', value: String(id) })),
      ],
      pagination: toPaginationView(base, filters, outcome.lastPage),
      queryString,
      ...(request.viewer ? { saveAction: `/users/${encodeURIComponent(request.viewer.login)}/saved_searches` } : {}),
    };
    return sendPage(reply, <SearchPage ctx={ctx} view={view} />);
  });

  app.get('/works/search/help', async (request, reply) =>
    sendPage(reply, <SearchHelpPage ctx={pageContext(request, reply, config.siteName)} />),
  );

  // ── Saved searches ──

  type LoginParams = { Params: { login: string } };
  const ownerOnly = (request: FastifyRequest<LoginParams>) => {
    const viewer = requireViewer(request);
    if (!canManageSavedSearches(viewer, request.params.login))
      throw new HttpError(403, 'These are someone else’s saved searches; you can only see your own.');
    return viewer;
  };

  app.get<LoginParams>('/users/:login/saved_searches', async (request, reply) => {
    const viewer = ownerOnly(request);
    const searches = await listSavedSearches(db, viewer.id);
    const base = `/users/${encodeURIComponent(viewer.login)}/saved_searches`;
    return sendPage(
      reply,
      <SavedSearchesPage
        ctx={pageContext(request, reply, config.siteName)}
        searches={searches.map((s) => ({
          id: s.id,
          name: s.name,
          newCount: s.newCount,
          href: `/works/search?${s.query}`,
          feedHref: `${base}/${s.id}/feed.atom?token=${encodeURIComponent(s.feedToken)}`,
          deleteAction: `${base}/${s.id}/delete`,
        }))}
      />,
    );
  });

  app.post<LoginParams>('/users/:login/saved_searches', async (request, reply) => {
    const viewer = ownerOnly(request);
    const parsed = SavedSearchSchema.safeParse(formValues(request.body));
    if (!parsed.success) throw new HttpError(422, Object.values(toFieldErrors(parsed.error)).join(' '));
    try {
      await saveSearch(db, viewer.id, parsed.data.name, parsed.data.query);
    } catch (error) {
      if (error instanceof PreferenceInputError || error instanceof QueryParseError) throw new HttpError(422, error.message);
      throw error;
    }
    setFlash(request, reply, `Saved the search “${parsed.data.name}”.`);
    return reply.redirect(`/users/${encodeURIComponent(viewer.login)}/saved_searches`, 303);
  });

  app.post<{ Params: { login: string; id: string } }>('/users/:login/saved_searches/:id/delete', async (request, reply) => {
    const viewer = ownerOnly(request);
    const id = parseId(request.params.id);
    if (id === null || !(await removeSavedSearch(db, viewer.id, id))) throw new HttpError(404, 'There is no such saved search.');
    setFlash(request, reply, 'Deleted the saved search.');
    return reply.redirect(`/users/${encodeURIComponent(viewer.login)}/saved_searches`, 303);
  });

  app.get<{ Params: { login: string; id: string }; Querystring: { token?: string } }>(
    '/users/:login/saved_searches/:id/feed.atom',
    async (request, reply) => {
      const token = typeof request.query.token === 'string' ? request.query.token : '';
      const id = parseId(request.params.id);
      const owner = await db
        .selectFrom('users')
        .select(['id', 'login'])
        .where((eb) => eb(eb.fn('lower', ['login']), '=', request.params.login.toLowerCase()))
        .executeTakeFirst();
      const feed = id !== null && owner ? await savedSearchFeed(db, owner.id, id, token) : null;
      if (!feed || !owner) throw new HttpError(404, 'There is no such saved search feed.');
      const base = config.baseUrl;
      const self = `${base}/users/${encodeURIComponent(owner.login)}/saved_searches/${id}/feed.atom?token=${encodeURIComponent(token)}`;
      const xml = renderAtomFeed({
        id: self,
        title: `${config.siteName}: ${feed.name}`,
        selfHref: self,
        alternateHref: `${base}/works/search?${feed.query}`,
        updated: feed.updated,
        entries: feed.entries.map((e) => ({ ...e, id: `${base}${e.id}`, href: `${base}${e.href}` })),
      });
      return reply.type('application/atom+xml; charset=utf-8').send(xml);
    },
  );

  // ── Personal global filters ──

  const filtersPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    errors: FieldErrors = {},
    values: Record<string, string> = {},
  ) => {
    const viewer = requireViewer(request);
    const filters = await listGlobalFilters(db, viewer.id);
    return sendPage(
      reply,
      <GlobalFiltersPage ctx={pageContext(request, reply, config.siteName)} filters={filters} errors={errors} values={values} />,
      Object.keys(errors).length > 0 ? 422 : 200,
    );
  };

  app.get('/preferences/filters', (request, reply) => filtersPage(request, reply));

  app.post('/preferences/filters', async (request, reply) => {
    const viewer = requireViewer(request);
    const values = formValues(request.body);
    const parsed = GlobalFilterSchema.safeParse(values);
    if (!parsed.success) return filtersPage(request, reply, toFieldErrors(parsed.error), values);
    try {
      await addGlobalFilter(db, viewer.id, parsed.data);
    } catch (error) {
      if (error instanceof PreferenceInputError) return filtersPage(request, reply, { [error.field]: error.message }, values);
      throw error;
    }
    setFlash(request, reply, `Hidden: ${parsed.data.name}.`);
    return reply.redirect('/preferences/filters', 303);
  });

  app.post('/preferences/filters/remove', async (request, reply) => {
    const viewer = requireViewer(request);
    const values = formValues(request.body);
    const id = parseId(values.target_id);
    if (id === null || (values.kind !== 'tag' && values.kind !== 'creator'))
      throw new HttpError(422, 'Choose a hidden tag or creator to show again.');
    await removeGlobalFilter(db, viewer.id, values.kind, id);
    setFlash(request, reply, 'Shown again.');
    return reply.redirect('/preferences/filters', 303);
  });
}
