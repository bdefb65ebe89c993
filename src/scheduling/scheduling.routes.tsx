import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { z } from 'zod';
import type { RouteDeps } from '../app-deps.ts';
import * as works from '../works/works.service.ts';
import { HttpError } from '../web/errors.tsx';
import { formValues, parseId, toFieldErrors, type FieldErrors } from '../web/form.ts';
import { pageContext, requireViewer } from '../web/page-context.ts';
import { sendPage } from '../web/render.ts';
import { setFlash } from '../web/session.ts';
import { chapterHeading } from '../works/reading.ts';
import { toWaitingChapterView, waitingChapterValues } from './scheduling.presenter.ts';
import { ScheduleSchema, shownTime } from './scheduling.schema.ts';
import {
  cancelSchedule,
  ChapterPostedError,
  findChapterSchedule,
  findSchedule,
  postChapterNow,
  POST_SCHEDULED_CHAPTER,
  POST_SCHEDULED_WORK,
  rescheduleChapter,
  runScheduledChapter,
  runScheduledPost,
  scheduleWork,
  ScheduleError,
} from './scheduling.service.ts';
import { ChapterSchedulePage, SchedulePage, WaitingChapterForms } from './scheduling.views.tsx';

const PayloadSchema = z.object({ workId: z.number().int().positive() });
const ChapterPayloadSchema = z.object({ chapterId: z.number().int().positive() });

const shown = shownTime;

type ChapterParams = { Params: { id: string; chapterId: string } };

export function schedulingRoutes(app: FastifyInstance, { db, config, jobs, workPanels }: RouteDeps): void {
  jobs.register(POST_SCHEDULED_WORK, async (jobDb, payload) => {
    const { workId } = PayloadSchema.parse(payload);
    if (await runScheduledPost(jobDb, workId)) app.pageCache.invalidateWork(workId);
  });
  jobs.register(POST_SCHEDULED_CHAPTER, async (jobDb, payload) => {
    const { chapterId } = ChapterPayloadSchema.parse(payload);
    const workId = await runScheduledChapter(jobDb, chapterId);
    if (workId !== undefined) app.pageCache.invalidateWork(workId);
  });

  workPanels.register({
    id: 'scheduling',
    slot: 'actions',
    order: 50,
    // The same for every signed-in reader who is not a creator (the only readers of the shared page, docs/decisions/033).
    personalWhen: () => sql<boolean>`false`,
    render: async ({ db: panelDb, viewer, work }) => {
      if (!viewer || !work.isDraft || !work.creators.some((c) => c.login === viewer.login)) return null;
      const at = await findSchedule(panelDb, work.id);
      return (
        <a class="button button-secondary" href={`/works/${work.id}/schedule`}>
          {at ? `Scheduled: ${shown(at)}` : 'Schedule posting'}
        </a>
      );
    },
  });

  const workIdOf = (raw: string) => {
    const id = parseId(raw);
    if (id === null) throw new HttpError(404, 'There is no work with this id.');
    return id;
  };
  const toHttp = (error: unknown): never => {
    if (error instanceof works.WorkNotFoundError) throw new HttpError(404, error.message);
    if (error instanceof works.WorkForbiddenError) throw new HttpError(403, error.message);
    throw error;
  };

  const render = async (
    request: FastifyRequest<{ Params: { id: string } }>,
    reply: FastifyReply,
    values: Record<string, string> = {},
    errors: FieldErrors = {},
    status = 200,
  ) => {
    const viewer = requireViewer(request);
    const { work } = await works.authorizeEdit(db, viewer, workIdOf(request.params.id)).catch(toHttp);
    const at = await findSchedule(db, work.id);
    return sendPage(
      reply,
      <SchedulePage
        ctx={pageContext(request, reply, config.siteName)}
        work={{ id: work.id, title: work.title }}
        scheduledFor={at ? shown(at) : null}
        values={values}
        errors={errors}
      />,
      status,
    );
  };

  app.get<{ Params: { id: string } }>('/works/:id/schedule', (request, reply) => render(request, reply));

  app.post<{ Params: { id: string } }>('/works/:id/schedule', async (request, reply) => {
    const viewer = requireViewer(request);
    const workId = workIdOf(request.params.id);
    const parsed = ScheduleSchema.safeParse(request.body ?? {});
    if (!parsed.success) return render(request, reply, formValues(request.body), toFieldErrors(parsed.error), 422);
    try {
      await scheduleWork(db, viewer, workId, parsed.data.post_at);
    } catch (error) {
      if (error instanceof ScheduleError) return render(request, reply, formValues(request.body), { post_at: error.message }, 422);
      return toHttp(error);
    }
    setFlash(request, reply, `Scheduled: the work will be posted at ${shown(parsed.data.post_at)}.`);
    return reply.redirect(`/works/${workId}`, 303);
  });

  app.post<{ Params: { id: string } }>('/works/:id/schedule/cancel', async (request, reply) => {
    const viewer = requireViewer(request);
    const workId = workIdOf(request.params.id);
    const cancelled = await cancelSchedule(db, viewer, workId).catch(toHttp);
    setFlash(request, reply, cancelled ? 'The schedule is cancelled: the work stays a draft.' : 'This work was not scheduled.');
    return reply.redirect(`/works/${workId}`, 303);
  });

  // ---- chapters not posted yet: change the time, post now (decision 023) --------------------

  // On the chapter's own page its creators get the same forms as on its schedule page.
  workPanels.register({
    id: 'scheduling.waiting-chapter',
    slot: 'beforeText',
    order: 5,
    // The same for every signed-in reader who is not a creator (the only readers of the shared page, docs/decisions/033).
    personalWhen: () => sql<boolean>`false`,
    render: async ({ db: panelDb, viewer, work, chapterId, csrfToken }) => {
      if (!viewer || chapterId === undefined || !work.creators.some((c) => c.login === viewer.login)) return null;
      const chapter = await findChapterSchedule(panelDb, work.id, chapterId);
      if (!chapter || chapter.posted) return null;
      return (
        <WaitingChapterForms
          csrfToken={csrfToken()}
          chapter={toWaitingChapterView(work.id, chapter)}
          values={waitingChapterValues(chapter)}
          errors={{}}
        />
      );
    },
  });

  const chapterIdOf = (raw: string) => {
    const id = parseId(raw);
    if (id === null) throw new HttpError(404, 'This work has no such chapter.');
    return id;
  };

  /** The work (the viewer must be one of its creators) and the chapter, for its schedule page. */
  const loadChapter = async (request: FastifyRequest<ChapterParams>) => {
    const viewer = requireViewer(request);
    const { work } = await works.authorizeEdit(db, viewer, workIdOf(request.params.id)).catch(toHttp);
    const chapter = await findChapterSchedule(db, work.id, chapterIdOf(request.params.chapterId));
    if (!chapter) throw new HttpError(404, 'This work has no such chapter.');
    return { viewer, work, chapter, href: `/works/${work.id}/chapters/${chapter.id}` };
  };

  const renderChapter = (
    request: FastifyRequest<ChapterParams>,
    reply: FastifyReply,
    loaded: Awaited<ReturnType<typeof loadChapter>>,
    values: Record<string, string>,
    errors: FieldErrors = {},
    status = 200,
  ) =>
    sendPage(
      reply,
      <ChapterSchedulePage
        ctx={pageContext(request, reply, config.siteName)}
        work={{ id: loaded.work.id, title: loaded.work.title }}
        heading={chapterHeading(loaded.chapter.position, loaded.chapter.title)}
        chapter={toWaitingChapterView(loaded.work.id, loaded.chapter)}
        values={values}
        errors={errors}
      />,
      status,
    );

  app.get<ChapterParams>('/works/:id/chapters/:chapterId/schedule', async (request, reply) => {
    const loaded = await loadChapter(request);
    if (loaded.chapter.posted) {
      setFlash(request, reply, 'This chapter is posted: readers can read it.');
      return reply.redirect(loaded.href, 303);
    }
    return renderChapter(request, reply, loaded, waitingChapterValues(loaded.chapter));
  });

  app.post<ChapterParams>('/works/:id/chapters/:chapterId/schedule', async (request, reply) => {
    const loaded = await loadChapter(request);
    if (loaded.chapter.posted) throw new HttpError(409, new ChapterPostedError().message);
    const parsed = ScheduleSchema.safeParse(request.body ?? {});
    if (!parsed.success) return renderChapter(request, reply, loaded, formValues(request.body), toFieldErrors(parsed.error), 422);
    try {
      await rescheduleChapter(db, loaded.viewer, loaded.work.id, loaded.chapter.id, parsed.data.post_at);
    } catch (error) {
      if (error instanceof ScheduleError)
        return renderChapter(request, reply, loaded, formValues(request.body), { post_at: error.message }, 422);
      if (error instanceof ChapterPostedError) throw new HttpError(409, error.message);
      return toHttp(error);
    }
    // Guests may see the waiting chapter's date (works.show_next_chapter_date): drop their cached pages.
    app.pageCache.invalidateWork(loaded.work.id);
    setFlash(request, reply, `The chapter will be posted at ${shown(parsed.data.post_at)}. Until then only the work's creators see it.`);
    return reply.redirect(loaded.href, 303);
  });

  app.post<ChapterParams>('/works/:id/chapters/:chapterId/post', async (request, reply) => {
    const viewer = requireViewer(request);
    const workId = workIdOf(request.params.id);
    const chapterId = chapterIdOf(request.params.chapterId);
    const posted = await postChapterNow(db, viewer, workId, chapterId).catch(toHttp);
    if (posted) app.pageCache.invalidateWork(workId);
    setFlash(request, reply, posted ? 'Chapter was successfully posted.' : 'This chapter was already posted.');
    return reply.redirect(`/works/${workId}/chapters/${chapterId}`, 303);
  });
}
