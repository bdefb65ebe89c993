import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { RouteDeps } from '../app-deps.ts';
import { toBlurbs } from '../browse/blurbs.ts';
import { filterOrderedList } from '../browse/ordered-list-filters.ts';
import { HttpError } from '../web/errors.tsx';
import { formValues, parseId, toFieldErrors, type FieldErrors } from '../web/form.ts';
import { pageContext, requireViewer } from '../web/page-context.ts';
import { sendPage } from '../web/render.ts';
import { setFlash } from '../web/session.ts';
import type { Viewer } from '../web/viewer.ts';
import { isCreator } from '../works/works.policy.ts';
import { findCreatorsOfWorks } from '../works/works.service.ts';
import { SeriesSubscribeButton } from '../subscriptions/subscriptions.views.tsx';
import { findSubscriptionId } from '../subscriptions/subscriptions.service.ts';
import { findBookmarkOfSeries } from '../bookmarks/bookmarks.service.ts';
import { SeriesBookmarkButton } from '../bookmarks/bookmarks.views.tsx';
import { toSeriesView } from './series.presenter.ts';
import { AddWorkSchema, SeriesFormSchema } from './series.schema.ts';
import * as service from './series.service.ts';
import {
  AddToSeriesLink,
  ManageSeriesPage,
  SeriesFormPage,
  SeriesNavigationPanel,
  SeriesPage,
  type SeriesFormValues,
} from './series.views.tsx';

type SeriesParams = { Params: { id: string } };

function seriesIdOf(raw: string): number {
  const id = parseId(raw);
  if (id === null) throw new HttpError(404, `There is no series with the id “${raw.slice(0, 40)}”. Series ids are numbers.`);
  return id;
}

function toHttp(error: unknown): never {
  if (error instanceof service.SeriesNotFoundError) throw new HttpError(404, error.message);
  if (error instanceof service.SeriesForbiddenError) throw new HttpError(403, error.message);
  throw error;
}

export function seriesRoutes(app: FastifyInstance, { db, config, workPanels }: RouteDeps): void {
  const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, config.siteName);
  // Series navigation shows on guests' cached work pages: changes to a series drop those pages.
  const changed = (workIds: readonly number[]) => {
    for (const id of workIds) app.pageCache.invalidateWork(id);
  };

  workPanels.register({
    id: 'series-navigation',
    slot: 'beforeText',
    order: 10,
    // Other readers' navigation skips drafts and hidden works; a creator of another work in the series may see theirs.
    personalWhen: ({ viewerId, workId }) => sql<boolean>`exists (
      select 1 from series_works mine
      join series_works other on other.series_id = mine.series_id
      join work_creators wc on wc.work_id = other.work_id
      join pseuds p on p.id = wc.pseud_id
      where mine.work_id = ${workId} and p.user_id = ${viewerId})`,
    async render({ db: panelDb, viewer, work, creatorUserIds }) {
      const navigation = await service.findSeriesNavigation(panelDb, viewer, work.id, creatorUserIds);
      return navigation.length > 0 ? <SeriesNavigationPanel navigation={navigation} /> : null;
    },
  });

  workPanels.register({
    id: 'series-add',
    slot: 'actions',
    order: 60,
    // The same for every signed-in reader who is not a creator (the only readers of the shared page, docs/decisions/033).
    personalWhen: () => sql<boolean>`false`,
    async render({ viewer, work }) {
      if (!viewer || !work.creators.some((c) => c.login === viewer.login)) return null;
      return <AddToSeriesLink workId={work.id} />;
    },
  });

  /** The viewer's own work, for starting a series with it (404 for anything else). */
  const ownWork = async (viewer: Viewer, rawId: unknown) => {
    const workId = typeof rawId === 'string' ? parseId(rawId) : null;
    if (workId === null) return undefined;
    const work = await db.selectFrom('works').select(['id', 'title']).where('id', '=', workId).executeTakeFirst();
    const creators = work ? await findCreatorsOfWorks(db, [workId]) : [];
    if (!work || !isCreator(viewer, { creatorUserIds: creators.map((c) => c.user_id) })) {
      throw new HttpError(404, 'You can only add works you created to a series.');
    }
    return work;
  };

  const renderNew = async (
    request: FastifyRequest,
    reply: FastifyReply,
    viewer: Viewer,
    values: SeriesFormValues,
    errors: FieldErrors,
    status = 200,
  ) => {
    const firstWork = await ownWork(viewer, values.work_id);
    const existing = firstWork ? (await service.listSeriesOfCreator(db, viewer.id)).map((s) => ({ id: s.id, title: s.title })) : [];
    return sendPage(
      reply,
      <SeriesFormPage
        ctx={ctx(request, reply)}
        mode={{ kind: 'new', ...(firstWork ? { firstWork } : {}) }}
        values={values}
        errors={errors}
        existing={existing}
      />,
      status,
    );
  };

  app.get<{ Querystring: { work_id?: string } }>('/series/new', async (request, reply) => {
    const viewer = requireViewer(request);
    return renderNew(request, reply, viewer, request.query.work_id ? { work_id: request.query.work_id } : {}, {});
  });

  app.post('/series', async (request, reply) => {
    const viewer = requireViewer(request);
    const values = formValues(request.body);
    const parsed = SeriesFormSchema.safeParse(request.body ?? {});
    if (!parsed.success) return renderNew(request, reply, viewer, values, toFieldErrors(parsed.error), 422);
    const firstWork = await ownWork(viewer, values.work_id);
    const seriesId = await service.createSeries(db, viewer, parsed.data, firstWork?.id).catch(toHttp);
    if (firstWork) changed([firstWork.id]);
    setFlash(request, reply, 'Series was successfully created.');
    return reply.redirect(`/series/${seriesId}`, 303);
  });

  app.get<SeriesParams & { Querystring: Record<string, string | string[]> }>('/series/:id', async (request, reply) => {
    const loaded = await service.loadSeriesForViewer(db, request.viewer, seriesIdOf(request.params.id)).catch(toHttp);
    // The listing sidebar over the series' works; they keep their part order.
    const sidebar = await filterOrderedList(
      db,
      request.viewer,
      request.query ?? {},
      loaded.works.map((w) => w.id),
      `/series/${loaded.series.id}`,
      { page: 1, index: config.searchIndex },
    );
    const { matched } = sidebar;
    const works = await toBlurbs(db, matched ? loaded.works.filter((w) => matched.has(w.id)) : loaded.works);
    const viewer = request.viewer;
    const context = ctx(request, reply);
    const subscriptionId = viewer ? await findSubscriptionId(db, viewer.id, { kind: 'series', id: loaded.series.id }) : undefined;
    const bookmark = viewer ? await findBookmarkOfSeries(db, viewer.id, loaded.series.id) : undefined;
    const actions = [
      <SeriesSubscribeButton ctx={context} seriesId={loaded.series.id} subscriptionId={subscriptionId} signedIn={viewer !== null} />,
      ...(viewer ? [<SeriesBookmarkButton seriesId={loaded.series.id} bookmarked={bookmark !== undefined} />] : []),
    ];
    return sendPage(
      reply,
      <SeriesPage
        ctx={context}
        series={toSeriesView(loaded.series, loaded.creators)}
        works={works}
        totalWorks={loaded.works.length}
        sidebar={sidebar}
        canEdit={loaded.canEdit}
        actions={actions}
      />,
      Object.keys(sidebar.errors).length > 0 ? 422 : 200,
    );
  });

  app.get<SeriesParams>('/series/:id/edit', async (request, reply) => {
    const viewer = requireViewer(request);
    const { series } = await service.authorizeSeriesEdit(db, viewer, seriesIdOf(request.params.id)).catch(toHttp);
    const values = { title: series.title, summary: series.summary_html, notes: series.notes_html, complete: series.is_complete ? '1' : '' };
    return sendPage(
      reply,
      <SeriesFormPage
        ctx={ctx(request, reply)}
        mode={{ kind: 'edit', seriesId: series.id, title: series.title }}
        values={values}
        errors={{}}
      />,
    );
  });

  app.post<SeriesParams>('/series/:id', async (request, reply) => {
    const viewer = requireViewer(request);
    const seriesId = seriesIdOf(request.params.id);
    const { series } = await service.authorizeSeriesEdit(db, viewer, seriesId).catch(toHttp);
    const parsed = SeriesFormSchema.safeParse(request.body ?? {});
    if (!parsed.success) {
      return sendPage(
        reply,
        <SeriesFormPage
          ctx={ctx(request, reply)}
          mode={{ kind: 'edit', seriesId, title: series.title }}
          values={formValues(request.body)}
          errors={toFieldErrors(parsed.error)}
        />,
        422,
      );
    }
    changed(await service.updateSeries(db, viewer, seriesId, parsed.data).catch(toHttp));
    setFlash(request, reply, 'Series was successfully updated.');
    return reply.redirect(`/series/${seriesId}`, 303);
  });

  app.post<SeriesParams>('/series/:id/delete', async (request, reply) => {
    const viewer = requireViewer(request);
    const { title, workIds } = await service.deleteSeries(db, viewer, seriesIdOf(request.params.id)).catch(toHttp);
    changed(workIds);
    setFlash(request, reply, `The series ${title} was deleted; its works are still posted.`);
    return reply.redirect(`/users/${encodeURIComponent(viewer.login)}/works`, 303);
  });

  const renderManage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    viewer: Viewer,
    seriesId: number,
    errors: FieldErrors,
    status = 200,
  ) => {
    const loaded = await service.loadSeriesForManaging(db, viewer, seriesId).catch(toHttp);
    return sendPage(
      reply,
      <ManageSeriesPage
        ctx={ctx(request, reply)}
        series={{ id: loaded.series.id, title: loaded.series.title }}
        inSeries={loaded.inSeries.map((w) => ({ id: w.id, title: w.title, isDraft: w.is_draft }))}
        addable={loaded.addable.map((w) => ({ id: w.id, title: w.title, isDraft: w.is_draft }))}
        errors={errors}
      />,
      status,
    );
  };

  app.get<SeriesParams>('/series/:id/manage', async (request, reply) => {
    const viewer = requireViewer(request);
    return renderManage(request, reply, viewer, seriesIdOf(request.params.id), {});
  });

  app.post<SeriesParams>('/series/:id/works', async (request, reply) => {
    const viewer = requireViewer(request);
    const seriesId = seriesIdOf(request.params.id);
    const parsed = AddWorkSchema.safeParse(request.body ?? {});
    try {
      if (!parsed.success) throw new service.SeriesWorkError(toFieldErrors(parsed.error).work_id ?? 'Choose one of your works to add.');
      await service.addWorkToSeries(db, viewer, seriesId, parsed.data.work_id);
    } catch (error) {
      if (error instanceof service.SeriesWorkError) return renderManage(request, reply, viewer, seriesId, { work_id: error.message }, 422);
      return toHttp(error);
    }
    changed([parsed.data.work_id]);
    setFlash(request, reply, 'The work was added to the series.');
    return reply.redirect(`/series/${seriesId}/manage`, 303);
  });

  app.post<SeriesParams>('/series/:id/works/remove', async (request, reply) => {
    const viewer = requireViewer(request);
    const seriesId = seriesIdOf(request.params.id);
    const parsed = AddWorkSchema.safeParse(request.body ?? {});
    try {
      if (!parsed.success) throw new service.SeriesWorkError('Choose a work of the series to remove.');
      await service.removeWorkFromSeries(db, viewer, seriesId, parsed.data.work_id);
    } catch (error) {
      if (error instanceof service.SeriesWorkError) return renderManage(request, reply, viewer, seriesId, { work_id: error.message }, 422);
      return toHttp(error);
    }
    const rest = await service.loadSeriesForManaging(db, viewer, seriesId).catch(toHttp);
    changed([parsed.data.work_id, ...rest.inSeries.map((w) => w.id)]);
    setFlash(request, reply, 'The work was removed from the series.');
    return reply.redirect(`/series/${seriesId}/manage`, 303);
  });

  app.post<SeriesParams>('/series/:id/order', async (request, reply) => {
    const viewer = requireViewer(request);
    const seriesId = seriesIdOf(request.params.id);
    const fields = formValues(request.body);
    const positions = Object.entries(fields)
      .filter(([k]) => /^position_\d{1,10}$/.test(k))
      .map(([k, v]) => ({ id: Number(k.slice('position_'.length)), position: Number(v) }));
    const order = [...positions].sort((a, b) => a.position - b.position).map((p) => p.id);
    const distinct =
      new Set(positions.map((p) => p.position)).size === positions.length &&
      positions.every((p) => Number.isInteger(p.position) && p.position >= 1 && p.position <= positions.length);
    try {
      if (!distinct) throw new service.SeriesWorkError('Give each work a different position from 1 to the number of works.');
      await service.reorderSeries(db, viewer, seriesId, order);
    } catch (error) {
      if (error instanceof service.SeriesWorkError) return renderManage(request, reply, viewer, seriesId, { order: error.message }, 422);
      return toHttp(error);
    }
    changed(order);
    setFlash(request, reply, 'Series order updated.');
    return reply.redirect(`/series/${seriesId}`, 303);
  });
}
