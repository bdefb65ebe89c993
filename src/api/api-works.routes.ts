// /api/v1 operations of a writer: a work's metadata, posting a draft, scheduling, deleting; its
// chapters (add or schedule, edit, delete, reorder, reschedule, post now); its comment settings;
// series. Each calls the function the page's form calls (works.service, scheduling.service,
// comments.service, series.service), so the rules live once. Documented in api-works.openapi.ts.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CommentSettingsSchema } from '../comments/comments.schema.ts';
import { updateCommentSettings } from '../comments/comments.service.ts';
import { ScheduleSchema } from '../scheduling/scheduling.schema.ts';
import {
  cancelSchedule,
  findChapterSchedule,
  findSchedule,
  postChapterNow,
  rescheduleChapter,
  scheduleChapter,
  scheduleWork,
} from '../scheduling/scheduling.service.ts';
import { AddWorkSchema, SeriesFormSchema } from '../series/series.schema.ts';
import * as series from '../series/series.service.ts';
import { ProposalActionSchema } from '../story-intelligence/story-intelligence.schema.ts';
import { acceptProposal, dismissProposal, retryFailedAnalyses } from '../story-intelligence/story-intelligence.service.ts';
import { HttpError } from '../web/errors.tsx';
import { loadWorkForReading } from '../works/reading.ts';
import * as works from '../works/works.service.ts';
import { toApiWorkResponse } from './api.presenter.ts';
import { ApiChapterSchema, CreateWorkApiSchema } from './api.schema.ts';
import {
  type ApiOperationDeps,
  flag,
  idList,
  idOf,
  jsonId,
  operation,
  parseBody,
  parseForm,
  postAtText,
  sendJson,
  viewerIn,
} from './api-kit.ts';

type WorkReq = { Params: { id: string } };
type ChapterReq = { Params: { id: string; chapterId: string } };
type SeriesWorkReq = { Params: { id: string; workId: string } };

/** PUT /works/:id: the work's metadata, every field as on creation (the edit form sends them all too). */
export const UpdateWorkApiSchema = CreateWorkApiSchema.omit({ chapter: true, draft: true });
/** A chapter, and optionally a time to post it at (it waits, seen only by its creators, until then). */
export const AddChapterApiSchema = ApiChapterSchema.extend({ post_at: postAtText.optional() });
export const ScheduleApiSchema = z.strictObject({ post_at: postAtText }, { error: 'Send {"post_at": "2030-01-31T18:00Z"}.' });
export const ChapterOrderApiSchema = z.strictObject({ chapter_ids: idList('chapter_ids') }, { error: 'Send {"chapter_ids": [...]}.' });
export const CommentSettingsApiSchema = z.strictObject(
  {
    guest_comments_allowed: z.boolean({ error: 'guest_comments_allowed is true or false.' }),
    comments_moderated: z.boolean({ error: 'comments_moderated is true or false.' }),
  },
  { error: 'Send {"guest_comments_allowed": true, "comments_moderated": false}.' },
);
export const ProposalApiSchema = z.strictObject(
  { kind: z.string({ error: 'kind is a string.' }), value: z.string({ error: 'value is a string.' }) },
  { error: 'Send {"kind": "character", "value": "..."}.' },
);
export const SeriesApiSchema = z.strictObject(
  {
    title: z.string({ error: 'title is a string.' }),
    summary: z.string({ error: 'summary is a string.' }).optional(),
    notes: z.string({ error: 'notes is a string.' }).optional(),
    complete: z.boolean({ error: 'complete is true or false.' }).optional(),
  },
  { error: 'Send the series as a JSON object: {"title": "..."}.' },
);
export const CreateSeriesApiSchema = SeriesApiSchema.extend({ work_id: jsonId('work_id').optional() });
export const SeriesWorkApiSchema = z.strictObject({ work_id: jsonId('work_id') }, { error: 'Send {"work_id": 1}.' });
export const SeriesOrderApiSchema = z.strictObject({ work_ids: idList('work_ids') }, { error: 'Send {"work_ids": [...]}.' });

function toChapterInput(chapter: z.output<typeof ApiChapterSchema>): works.ChapterInput {
  return {
    title: chapter.title,
    summary: chapter.summary,
    notes: chapter.notes,
    endNotes: chapter.end_notes,
    text: chapter.text,
    format: chapter.format,
  };
}

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

export function apiWorksRoutes(api: FastifyInstance, deps: ApiOperationDeps): void {
  const { db, config, requireScope, writes } = deps;
  const base = config.baseUrl;
  const writeWorks = { config: writes, preParsing: requireScope('write:works') };
  const changed = (workId: number) => api.pageCache.invalidateWork(workId);

  /** The work as its creator now sees it (chapters waiting to be posted included). */
  const workResponse = async (workId: number, request: FastifyRequest) => {
    const loaded = await loadWorkForReading(db, workId, viewerIn(deps, request));
    if (!loaded) throw new HttpError(404, 'There is no work with this id. It may have been deleted.');
    return toApiWorkResponse(base, loaded);
  };
  const chapterStatus = async (workId: number, chapterId: number) => {
    const row = await findChapterSchedule(db, workId, chapterId);
    if (!row) throw new HttpError(404, 'This work has no such chapter.');
    return {
      chapter: {
        id: chapterId,
        work_id: workId,
        posted: row.posted,
        scheduled_at: iso(row.scheduled_at),
        url: `${base}/works/${workId}/chapters/${chapterId}`,
      },
    };
  };

  api.put<WorkReq>(
    '/works/:id',
    writeWorks,
    operation<WorkReq>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const id = idOf(request.params.id, 'work');
      await works.authorizeEdit(db, viewer, id);
      const meta = parseBody(UpdateWorkApiSchema, request.body, 'The work was not updated');
      await works.updateWorkMetadata(db, viewer, id, meta);
      changed(id);
      return sendJson(reply, 200, await workResponse(id, request));
    }),
  );

  api.delete<WorkReq>(
    '/works/:id',
    writeWorks,
    operation<WorkReq>(async (request, reply) => {
      const id = idOf(request.params.id, 'work');
      await works.deleteWork(db, viewerIn(deps, request), id);
      changed(id);
      return reply.status(204).send();
    }),
  );

  api.post<WorkReq>(
    '/works/:id/post',
    writeWorks,
    operation<WorkReq>(async (request, reply) => {
      const id = idOf(request.params.id, 'work');
      await works.postDraft(db, viewerIn(deps, request), id);
      changed(id);
      return sendJson(reply, 200, await workResponse(id, request));
    }),
  );

  api.put<WorkReq>(
    '/works/:id/schedule',
    writeWorks,
    operation<WorkReq>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const id = idOf(request.params.id, 'work');
      await works.authorizeEdit(db, viewer, id);
      const body = parseBody(ScheduleApiSchema, request.body, 'The work was not scheduled');
      const { post_at } = parseForm(ScheduleSchema, body, 'The work was not scheduled');
      await scheduleWork(db, viewer, id, post_at);
      return sendJson(reply, 200, { schedule: { work_id: id, post_at: iso(await findSchedule(db, id)) } });
    }),
  );

  api.delete<WorkReq>(
    '/works/:id/schedule',
    writeWorks,
    operation<WorkReq>(async (request, reply) => {
      const id = idOf(request.params.id, 'work');
      if (!(await cancelSchedule(db, viewerIn(deps, request), id))) throw new HttpError(404, 'This work is not scheduled.');
      return reply.status(204).send();
    }),
  );

  api.put<WorkReq>(
    '/works/:id/comment_settings',
    writeWorks,
    operation<WorkReq>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const id = idOf(request.params.id, 'work');
      const body = parseBody(CommentSettingsApiSchema, request.body, 'The comment settings were not saved');
      const input = parseForm(
        CommentSettingsSchema,
        { guest_comments_allowed: flag(body.guest_comments_allowed), comments_moderated: flag(body.comments_moderated) },
        'The comment settings were not saved',
      );
      await updateCommentSettings(db, viewer, id, input);
      changed(id);
      return sendJson(reply, 200, { comment_settings: { work_id: id, ...body } });
    }),
  );

  // ---- chapters ----------------------------------------------------------------------------

  api.post<WorkReq>(
    '/works/:id/chapters',
    writeWorks,
    operation<WorkReq>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const id = idOf(request.params.id, 'work');
      await works.authorizeEdit(db, viewer, id);
      const { post_at: postAt, ...chapter } = parseBody(AddChapterApiSchema, request.body, 'The chapter was not added');
      let chapterId: number;
      if (postAt !== undefined) {
        const { post_at } = parseForm(ScheduleSchema, { post_at: postAt }, 'The chapter was not scheduled');
        chapterId = await scheduleChapter(db, viewer, id, toChapterInput(chapter), post_at);
      } else {
        chapterId = await works.addChapter(db, viewer, id, toChapterInput(chapter));
        changed(id);
      }
      reply.header('location', `${base}/works/${id}/chapters/${chapterId}`);
      return sendJson(reply, 201, await chapterStatus(id, chapterId));
    }),
  );

  api.put<WorkReq>(
    '/works/:id/chapters/order',
    writeWorks,
    operation<WorkReq>(async (request, reply) => {
      const id = idOf(request.params.id, 'work');
      const { chapter_ids } = parseBody(ChapterOrderApiSchema, request.body, 'The chapters were not reordered');
      await works.reorderChapters(db, viewerIn(deps, request), id, chapter_ids);
      changed(id);
      return sendJson(reply, 200, await workResponse(id, request));
    }),
  );

  api.put<ChapterReq>(
    '/works/:id/chapters/:chapterId',
    writeWorks,
    operation<ChapterReq>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const id = idOf(request.params.id, 'work');
      const chapterId = idOf(request.params.chapterId, 'chapter');
      await works.authorizeEdit(db, viewer, id);
      const chapter = parseBody(ApiChapterSchema, request.body, 'The chapter was not updated');
      await works.editChapter(db, viewer, id, chapterId, toChapterInput(chapter));
      changed(id);
      return sendJson(reply, 200, await chapterStatus(id, chapterId));
    }),
  );

  api.delete<ChapterReq>(
    '/works/:id/chapters/:chapterId',
    writeWorks,
    operation<ChapterReq>(async (request, reply) => {
      const id = idOf(request.params.id, 'work');
      await works.deleteChapter(db, viewerIn(deps, request), id, idOf(request.params.chapterId, 'chapter'));
      changed(id);
      return reply.status(204).send();
    }),
  );

  api.put<ChapterReq>(
    '/works/:id/chapters/:chapterId/schedule',
    writeWorks,
    operation<ChapterReq>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const id = idOf(request.params.id, 'work');
      const chapterId = idOf(request.params.chapterId, 'chapter');
      await works.authorizeEdit(db, viewer, id);
      const body = parseBody(ScheduleApiSchema, request.body, 'The chapter was not rescheduled');
      const { post_at } = parseForm(ScheduleSchema, body, 'The chapter was not rescheduled');
      await rescheduleChapter(db, viewer, id, chapterId, post_at);
      return sendJson(reply, 200, await chapterStatus(id, chapterId));
    }),
  );

  api.post<ChapterReq>(
    '/works/:id/chapters/:chapterId/post',
    writeWorks,
    operation<ChapterReq>(async (request, reply) => {
      const id = idOf(request.params.id, 'work');
      const chapterId = idOf(request.params.chapterId, 'chapter');
      await postChapterNow(db, viewerIn(deps, request), id, chapterId);
      changed(id);
      return sendJson(reply, 200, await chapterStatus(id, chapterId));
    }),
  );

  // ---- story analysis: the tags it proposes, and reading failed chapters again --------------

  for (const action of ['accept', 'dismiss'] as const) {
    api.post<WorkReq>(
      `/works/:id/proposals/${action}`,
      writeWorks,
      operation<WorkReq>(async (request, reply) => {
        const viewer = viewerIn(deps, request);
        const id = idOf(request.params.id, 'work');
        const body = parseBody(ProposalApiSchema, request.body, 'The proposal was not answered');
        const proposal = parseForm(ProposalActionSchema, body, 'The proposal was not answered');
        if (action === 'accept') {
          await acceptProposal(db, viewer, id, proposal);
          changed(id);
        } else {
          await dismissProposal(db, viewer, id, proposal);
        }
        return sendJson(reply, 200, { proposal: { work_id: id, kind: proposal.kind, value: proposal.value, action } });
      }),
    );
  }

  api.post<WorkReq>(
    '/works/:id/analysis/retry',
    writeWorks,
    operation<WorkReq>(async (request, reply) => {
      const id = idOf(request.params.id, 'work');
      const retried = await retryFailedAnalyses(db, viewerIn(deps, request), id);
      if (retried > 0) {
        changed(id);
        api.jobs.wake();
      }
      return sendJson(reply, 200, { analysis: { work_id: id, chapters_retried: retried } });
    }),
  );

  // ---- series ------------------------------------------------------------------------------

  const seriesForm = (body: z.output<typeof SeriesApiSchema>, what: string) =>
    parseForm(
      SeriesFormSchema,
      { title: body.title, summary: body.summary ?? '', notes: body.notes ?? '', complete: body.complete ? '1' : undefined },
      what,
    );
  const seriesResponse = async (id: number, request: FastifyRequest) => {
    const loaded = await series.loadSeriesForManaging(db, viewerIn(deps, request), id);
    const order = await series.findSeriesWorkIds(db, id);
    return {
      series: {
        id: loaded.series.id,
        url: `${base}/series/${loaded.series.id}`,
        title: loaded.series.title,
        complete: loaded.series.is_complete,
        work_ids: order.map((w) => w.work_id),
      },
    };
  };

  api.post(
    '/series',
    writeWorks,
    operation(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const body = parseBody(CreateSeriesApiSchema, request.body, 'The series was not created');
      const input = seriesForm(body, 'The series was not created');
      const id = await series.createSeries(db, viewer, input, body.work_id);
      if (body.work_id !== undefined) changed(body.work_id);
      reply.header('location', `${base}/series/${id}`);
      return sendJson(reply, 201, await seriesResponse(id, request));
    }),
  );

  api.put<WorkReq>(
    '/series/:id',
    writeWorks,
    operation<WorkReq>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const id = idOf(request.params.id, 'series');
      await series.authorizeSeriesEdit(db, viewer, id);
      const input = seriesForm(parseBody(SeriesApiSchema, request.body, 'The series was not updated'), 'The series was not updated');
      for (const workId of await series.updateSeries(db, viewer, id, input)) changed(workId);
      return sendJson(reply, 200, await seriesResponse(id, request));
    }),
  );

  api.delete<WorkReq>(
    '/series/:id',
    writeWorks,
    operation<WorkReq>(async (request, reply) => {
      const { workIds } = await series.deleteSeries(db, viewerIn(deps, request), idOf(request.params.id, 'series'));
      for (const workId of workIds) changed(workId);
      return reply.status(204).send();
    }),
  );

  api.post<WorkReq>(
    '/series/:id/works',
    writeWorks,
    operation<WorkReq>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const id = idOf(request.params.id, 'series');
      await series.authorizeSeriesEdit(db, viewer, id);
      const body = parseBody(SeriesWorkApiSchema, request.body, 'The work was not added');
      const { work_id } = parseForm(AddWorkSchema, body, 'The work was not added');
      await series.addWorkToSeries(db, viewer, id, work_id);
      changed(work_id);
      return sendJson(reply, 200, await seriesResponse(id, request));
    }),
  );

  api.delete<SeriesWorkReq>(
    '/series/:id/works/:workId',
    writeWorks,
    operation<SeriesWorkReq>(async (request, reply) => {
      const workId = idOf(request.params.workId, 'work');
      await series.removeWorkFromSeries(db, viewerIn(deps, request), idOf(request.params.id, 'series'), workId);
      changed(workId);
      return reply.status(204).send();
    }),
  );

  api.put<WorkReq>(
    '/series/:id/order',
    writeWorks,
    operation<WorkReq>(async (request, reply) => {
      const id = idOf(request.params.id, 'series');
      const { work_ids } = parseBody(SeriesOrderApiSchema, request.body, 'The series was not reordered');
      await series.reorderSeries(db, viewerIn(deps, request), id, work_ids);
      return sendJson(reply, 200, await seriesResponse(id, request));
    }),
  );
}
