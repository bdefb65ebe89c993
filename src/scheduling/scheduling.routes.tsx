import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { RouteDeps } from '../app-deps.ts';
import * as works from '../works/works.service.ts';
import { HttpError } from '../web/errors.tsx';
import { formValues, parseId, toFieldErrors, type FieldErrors } from '../web/form.ts';
import { pageContext, requireViewer } from '../web/page-context.ts';
import { sendPage } from '../web/render.ts';
import { setFlash } from '../web/session.ts';
import { ScheduleSchema, shownTime } from './scheduling.schema.ts';
import { cancelSchedule, findSchedule, POST_SCHEDULED_CHAPTER, POST_SCHEDULED_WORK, runScheduledChapter, runScheduledPost, scheduleWork, ScheduleError } from './scheduling.service.ts';
import { SchedulePage } from './scheduling.views.tsx';

const PayloadSchema = z.object({ workId: z.number().int().positive() });
const ChapterPayloadSchema = z.object({ chapterId: z.number().int().positive() });

const shown = shownTime;

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

  const render = async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, values: Record<string, string> = {}, errors: FieldErrors = {}, status = 200) => {
    const viewer = requireViewer(request);
    const { work } = await works.authorizeEdit(db, viewer, workIdOf(request.params.id)).catch(toHttp);
    const at = await findSchedule(db, work.id);
    return sendPage(
      reply,
      <SchedulePage ctx={pageContext(request, reply, config.siteName)} work={{ id: work.id, title: work.title }} scheduledFor={at ? shown(at) : null} values={values} errors={errors} />,
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
}
