import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteDeps } from '../app-deps.ts';
import { findUserByLogin } from '../accounts/accounts.service.ts';
import { toBlurbsOfIds } from '../browse/blurbs.ts';
import { listingHref, toPaginationView } from '../browse/listing.presenter.ts';
import { filterOrderedList } from '../browse/ordered-list-filters.ts';
import { countText, PastTheEndPage } from '../browse/listing.views.tsx';
import { toQueryString } from '../search/search.schema.ts';
import { formatDate } from '../lib/dates.ts';
import { trustHtml } from '../lib/safe-html.ts';
import { HttpError } from '../web/errors.tsx';
import { formValues, parseId, toFieldErrors } from '../web/form.ts';
import { pageContext, requireViewer, safeReturnPath } from '../web/page-context.ts';
import { sendPage } from '../web/render.ts';
import { setFlash } from '../web/session.ts';
import { findCreatorsOfWorks } from '../works/works.service.ts';
import { BookmarkFilterSchema, BookmarkFormSchema, ExternalBookmarkFormSchema } from './bookmarks.schema.ts';
import * as service from './bookmarks.service.ts';
import { BookmarkActions, BookmarkFormPage, BookmarksPage, ExternalBookmarkFormPage, ReadingsPage } from './bookmarks.views.tsx';

const PER_PAGE = 20;
/** A bookmark list is filtered and paged whole, in its own order: this many bookmarks at most. */
const MAX_LISTED = 10_000;

function toHttp(error: unknown): never {
  if (error instanceof service.BookmarkError) throw new HttpError(error.status, error.message);
  throw error;
}

function workIdOf(raw: string): number {
  const id = parseId(raw);
  if (id === null) throw new HttpError(404, 'There is no work with this id. Work ids are numbers.');
  return id;
}

export function bookmarksRoutes(app: FastifyInstance, { db, config, workPanels }: RouteDeps): void {
  const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, config.siteName);
  const changed = (workId: number) => app.pageCache.invalidateWork(workId);

  workPanels.register({
    id: 'bookmarks',
    slot: 'actions',
    order: 20,
    personalWhen: service.bookmarkPersonalSql,
    async render(p) {
      if (!p.viewer || p.work.isDraft) return null;
      const [bookmark, reading] = await Promise.all([
        service.findBookmarkOfWork(p.db, p.viewer.id, p.work.id),
        service.findReading(p.db, p.viewer.id, p.work.id),
      ]);
      const returnTo = p.chapterId === undefined ? `/works/${p.work.id}` : `/works/${p.work.id}/chapters/${p.chapterId}`;
      return (
        <BookmarkActions
          workId={p.work.id}
          bookmarked={bookmark !== undefined}
          toRead={reading?.to_read ?? false}
          csrfToken={p.csrfToken()}
          returnTo={returnTo}
        />
      );
    },
  });

  // Reading history: a signed-in reader's successful visit to a work page is recorded (when they turned history on),
  // buffered and written a second later in one statement; reading the history writes what is pending first.
  const history = new service.ReadingHistoryBuffer(db);
  app.addHook('onClose', () => history.close());
  // A reader's own stored page (only work and chapter pages are kept) is served without routes or hooks.
  app.pageCache.onServe((workId, visit) => {
    if (visit.viewerId !== undefined) history.record(visit.viewerId, workId);
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    if (!request.viewer || request.method !== 'GET' || reply.statusCode !== 200) return done(null, payload);
    const route = request.routeOptions.url;
    if (route !== '/works/:id' && route !== '/works/:id/chapters/:chapterId') return done(null, payload);
    const workId = parseId((request.params as { id?: string }).id);
    if (workId !== null) history.record(request.viewer.id, workId);
    done(null, payload);
  });

  app.get<{ Params: { id: string } }>('/works/:id/bookmarks/new', async (request, reply) => {
    const viewer = requireViewer(request);
    const work = await service.authorizeWork(db, viewer, workIdOf(request.params.id)).catch(toHttp);
    const existing = await service.findBookmarkOfWork(db, viewer.id, work.id);
    const values: Record<string, string> = existing
      ? {
          notes: existing.notes_html,
          tags: existing.tags.join(', '),
          private: existing.is_private ? '1' : '',
          rec: existing.is_rec ? '1' : '',
        }
      : {};
    return sendPage(
      reply,
      <BookmarkFormPage
        ctx={ctx(request, reply)}
        target={{ kind: 'work', id: work.id, title: work.title }}
        bookmarkId={existing?.id ?? null}
        values={values}
        errors={{}}
      />,
    );
  });

  app.post<{ Params: { id: string } }>('/works/:id/bookmarks', async (request, reply) => {
    const viewer = requireViewer(request);
    const workId = workIdOf(request.params.id);
    const work = await service.authorizeWork(db, viewer, workId).catch(toHttp);
    const values = formValues(request.body);
    const parsed = BookmarkFormSchema.safeParse(values);
    if (!parsed.success) {
      const existing = await service.findBookmarkOfWork(db, viewer.id, workId);
      return sendPage(
        reply,
        <BookmarkFormPage
          ctx={ctx(request, reply)}
          target={{ kind: 'work', id: work.id, title: work.title }}
          bookmarkId={existing?.id ?? null}
          values={values}
          errors={toFieldErrors(parsed.error)}
        />,
        422,
      );
    }
    const result = await service.saveWorkBookmark(db, viewer, workId, parsed.data).catch(toHttp);
    changed(workId);
    setFlash(request, reply, result === 'created' ? 'Bookmark was successfully created.' : 'Bookmark was successfully updated.');
    return reply.redirect(`/works/${workId}`, 303);
  });

  // ---- series bookmarks (edited on the same form; deleted like any bookmark) -----------------

  const seriesIdOf = (raw: string) => {
    const id = parseId(raw);
    if (id === null) throw new HttpError(404, 'There is no series with this id. Series ids are numbers.');
    return id;
  };
  const seriesFormValues = (existing: Awaited<ReturnType<typeof service.findBookmarkOfSeries>>): Record<string, string> =>
    existing
      ? {
          notes: existing.notes_html,
          tags: existing.tags.join(', '),
          private: existing.is_private ? '1' : '',
          rec: existing.is_rec ? '1' : '',
        }
      : {};

  app.get<{ Params: { id: string } }>('/series/:id/bookmarks/new', async (request, reply) => {
    const viewer = requireViewer(request);
    const series = await service.authorizeSeries(db, viewer, seriesIdOf(request.params.id)).catch(toHttp);
    const existing = await service.findBookmarkOfSeries(db, viewer.id, series.id);
    return sendPage(
      reply,
      <BookmarkFormPage
        ctx={ctx(request, reply)}
        target={{ kind: 'series', ...series }}
        bookmarkId={existing?.id ?? null}
        values={seriesFormValues(existing)}
        errors={{}}
      />,
    );
  });

  app.post<{ Params: { id: string } }>('/series/:id/bookmarks', async (request, reply) => {
    const viewer = requireViewer(request);
    const series = await service.authorizeSeries(db, viewer, seriesIdOf(request.params.id)).catch(toHttp);
    const values = formValues(request.body);
    const parsed = BookmarkFormSchema.safeParse(values);
    if (!parsed.success) {
      const existing = await service.findBookmarkOfSeries(db, viewer.id, series.id);
      return sendPage(
        reply,
        <BookmarkFormPage
          ctx={ctx(request, reply)}
          target={{ kind: 'series', ...series }}
          bookmarkId={existing?.id ?? null}
          values={values}
          errors={toFieldErrors(parsed.error)}
        />,
        422,
      );
    }
    const result = await service.saveSeriesBookmark(db, viewer, series.id, parsed.data).catch(toHttp);
    setFlash(
      request,
      reply,
      result === 'created' ? 'Series bookmark was successfully created.' : 'Series bookmark was successfully updated.',
    );
    return reply.redirect(`/series/${series.id}`, 303);
  });

  app.get('/bookmarks/external/new', async (request, reply) => {
    requireViewer(request);
    return sendPage(reply, <ExternalBookmarkFormPage ctx={ctx(request, reply)} values={{}} errors={{}} />);
  });

  app.post('/bookmarks/external', async (request, reply) => {
    const viewer = requireViewer(request);
    const values = formValues(request.body);
    const parsed = ExternalBookmarkFormSchema.safeParse(values);
    if (!parsed.success)
      return sendPage(
        reply,
        <ExternalBookmarkFormPage ctx={ctx(request, reply)} values={values} errors={toFieldErrors(parsed.error)} />,
        422,
      );
    await service.saveExternalBookmark(db, viewer, parsed.data);
    setFlash(request, reply, 'Bookmark was successfully created.');
    return reply.redirect(`/users/${encodeURIComponent(viewer.login)}/bookmarks`, 303);
  });

  app.post<{ Params: { id: string } }>('/bookmarks/:id/delete', async (request, reply) => {
    const viewer = requireViewer(request);
    const id = parseId(request.params.id);
    if (id === null) throw new HttpError(404, 'There is no such bookmark.');
    const workId = await service.deleteBookmark(db, viewer, id).catch(toHttp);
    if (workId !== null) changed(workId);
    setFlash(request, reply, 'Bookmark was successfully deleted.');
    return reply.redirect(`/users/${encodeURIComponent(viewer.login)}/bookmarks`, 303);
  });

  app.get<{ Params: { login: string }; Querystring: Record<string, string | string[]> }>(
    '/users/:login/bookmarks',
    async (request, reply) => {
      const owner = await findUserByLogin(db, request.params.login);
      if (!owner) throw new HttpError(404, `There is no user called “${request.params.login.slice(0, 60)}”.`);
      const raw = request.query ?? {};
      const filter = BookmarkFilterSchema.parse(raw);
      const self = request.viewer?.id === owner.id;
      const base = `/users/${encodeURIComponent(owner.login)}/bookmarks`;
      // The list's own filters, kept by every link and by the sidebar's form.
      const own = new URLSearchParams();
      if (filter.tag) own.set('tag', filter.tag);
      if (filter.rec) own.set('rec', '1');
      if (filter.type) own.set('type', filter.type);
      if (self && filter.privacy) own.set('privacy', filter.privacy);
      const listing = { path: base, fixed: own.toString() };
      const all = await service.listBookmarks(
        db,
        owner.id,
        { ...filter, page: 1 },
        { self, signedIn: request.viewer !== null, viewerId: request.viewer?.id ?? null, perPage: MAX_LISTED },
      );
      // The sidebar's work filters: the search's, over the bookmarked works.
      const {
        filters: workFilters,
        matched,
        controls,
        errors,
      } = await filterOrderedList(
        db,
        request.viewer,
        raw,
        all.rows.flatMap((r) => (r.work_id === null ? [] : [r.work_id])),
        listing,
        { page: filter.page, index: config.searchIndex },
      );
      // With work filters, only the bookmarks of works that match them (series and external works match none).
      const listed = matched ? all.rows.filter((r) => r.work_id !== null && matched.has(r.work_id)) : all.rows;
      const lastPage = Math.max(1, Math.ceil(listed.length / PER_PAGE));
      if (filter.page > lastPage) {
        return sendPage(
          reply,
          <PastTheEndPage
            ctx={ctx(request, reply)}
            title={`${owner.login}’s bookmarks`}
            page={filter.page}
            lastPage={lastPage}
            lastHref={listingHref(listing, toQueryString({ ...workFilters, page: lastPage }))}
          />,
          404,
        );
      }
      const rows = listed.slice((filter.page - 1) * PER_PAGE, filter.page * PER_PAGE);
      // Works get the full blurb every listing shows (rating, warnings, tags, stats, creators linked).
      const [works, creators, seriesCreators] = await Promise.all([
        toBlurbsOfIds(
          db,
          rows.flatMap((r) => (r.work_id === null ? [] : [r.work_id])),
        ),
        findCreatorsOfWorks(
          db,
          rows.flatMap((r) => (r.work_id === null ? [] : [r.work_id])),
        ),
        service.findCreatorsOfSeries(
          db,
          rows.flatMap((r) => (r.series_id === null ? [] : [r.series_id])),
        ),
      ]);
      const items = rows.map((r) => ({
        id: r.id,
        work: r.work_id === null ? null : (works.get(r.work_id) ?? null),
        title: r.work_id !== null ? (r.work_title ?? '') : r.series_id !== null ? (r.series_title ?? '') : (r.external_title ?? ''),
        href: r.work_id !== null ? `/works/${r.work_id}` : r.series_id !== null ? `/series/${r.series_id}` : (r.external_url ?? '#'),
        external: r.work_id === null && r.series_id === null,
        series: r.series_id !== null,
        creator:
          r.work_id !== null
            ? creators
                .filter((c) => c.work_id === r.work_id)
                .map((c) => c.pseud_name)
                .join(', ') || null
            : r.series_id !== null
              ? seriesCreators
                  .filter((c) => c.series_id === r.series_id)
                  .map((c) => c.login)
                  .join(', ') || null
              : r.external_creator,
        creatorLinks:
          r.series_id !== null
            ? seriesCreators
                .filter((c) => c.series_id === r.series_id)
                .map((c) => ({ name: c.login, href: `/users/${encodeURIComponent(c.login)}` }))
            : [],
        fandom: r.external_fandom || null,
        summaryHtml: trustHtml(
          r.work_id !== null
            ? (r.work_summary_html ?? '')
            : r.series_id !== null
              ? (r.series_summary_html ?? '')
              : (r.external_summary_html ?? ''),
        ),
        notesHtml: trustHtml(r.notes_html),
        tags: r.tags.map((t) => ({ name: t, href: `${base}?tag=${encodeURIComponent(t)}` })),
        isPrivate: r.is_private,
        isRec: r.is_rec,
        date: formatDate(r.updated_at),
        canDelete: self,
      }));
      return sendPage(
        reply,
        <BookmarksPage
          ctx={ctx(request, reply)}
          view={{
            login: owner.login,
            self,
            items,
            filter: { tag: filter.tag ?? '', rec: filter.rec === '1', type: filter.type ?? '', privacy: filter.privacy ?? '' },
            // The bookmark filter row keeps the sidebar's filters.
            workQuery: [...new URLSearchParams(toQueryString({ ...workFilters, page: 1 }))].map(([name, value]) => ({ name, value })),
            count: listed.length === 0 ? '' : countText(listed.length, filter.page, PER_PAGE, rows.length, 'bookmarks'),
            controls,
            pagination: toPaginationView(listing, workFilters, lastPage),
            errors,
          }}
        />,
        Object.keys(errors).length > 0 ? 422 : 200,
      );
    },
  );

  // ---- reading list and history (private to their owner) ---------------------------------

  type LoginParams = { Params: { login: string } };
  const requireOwner = (request: FastifyRequest<LoginParams>) => {
    const viewer = requireViewer(request);
    if (viewer.login !== request.params.login)
      throw new HttpError(403, 'Reading lists and history are private: you can only see your own.');
    return viewer;
  };

  app.get<LoginParams & { Querystring: Record<string, string> }>('/users/:login/readings', async (request, reply) => {
    const viewer = requireOwner(request);
    const show = request.query.show === 'history' ? 'history' : 'to-read';
    const page = Math.min(10_000, Math.max(1, Number.parseInt(request.query.page ?? '1', 10) || 1));
    const rows = await service.listReadings(db, viewer.id, show, page, PER_PAGE);
    const items = rows.slice(0, PER_PAGE).map((r) => ({
      workId: r.work_id,
      title: r.title,
      href: `/works/${r.work_id}`,
      visits: r.visits,
      lastRead: r.last_read_at ? formatDate(r.last_read_at) : null,
      toRead: r.to_read,
    }));
    const historyEnabled = await service.historyEnabled(db, viewer.id);
    return sendPage(
      reply,
      <ReadingsPage
        ctx={ctx(request, reply)}
        view={{ login: viewer.login, show, historyEnabled, items, page, hasNext: rows.length > PER_PAGE }}
      />,
    );
  });

  app.post<LoginParams>('/users/:login/readings/clear', async (request, reply) => {
    const viewer = requireOwner(request);
    await service.clearHistory(db, viewer.id);
    setFlash(request, reply, 'Your reading history was cleared.');
    return reply.redirect(`/users/${encodeURIComponent(viewer.login)}/readings?show=history`, 303);
  });

  app.post<LoginParams>('/users/:login/readings/preferences', async (request, reply) => {
    const viewer = requireOwner(request);
    const enabled = formValues(request.body).history_enabled === '1';
    await service.setHistoryEnabled(db, viewer.id, enabled);
    setFlash(
      request,
      reply,
      enabled ? 'Reading history is on: works you read are listed here.' : 'Reading history is off: nothing new is recorded.',
    );
    return reply.redirect(`/users/${encodeURIComponent(viewer.login)}/readings?show=history`, 303);
  });

  app.post<{ Params: { id: string } }>('/works/:id/mark_for_later', async (request, reply) => {
    const viewer = requireViewer(request);
    const workId = workIdOf(request.params.id);
    const values = formValues(request.body);
    const toRead = values.to_read !== '0';
    await service.setToRead(db, viewer, workId, toRead).catch(toHttp);
    setFlash(
      request,
      reply,
      toRead ? 'This work was added to your Marked for Later list.' : 'This work was removed from your Marked for Later list.',
    );
    return reply.redirect(safeReturnPath(values.return_to, `/works/${workId}`), 303);
  });
}
