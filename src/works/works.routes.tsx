import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderToString } from 'preact-render-to-string';
import type { RouteDeps } from '../app-deps.ts';
import { HttpError } from '../web/errors.tsx';
import { formList, parseId, toFieldErrors, type FieldErrors } from '../web/form.ts';
import { normalizeBody, type NormalizedBody } from '../web/multipart.ts';
import {
  cacheKeyOf,
  isAnonymous,
  memberPageKeyOf,
  type PageVisit,
  visitOf,
  replayableHeaders,
  sendCachedPage,
  sendReadablePage,
  signedInKeyOf,
} from '../web/page-cache.ts';
import { hashToken } from '../lib/tokens.ts';
import { pageContext, requireViewer } from '../web/page-context.ts';
import { renderPage, sendPage } from '../web/render.ts';
import { cookieOptions, CSRF_COOKIE, FLASH_COOKIE, SESSION_COOKIE, setFlash } from '../web/session.ts';
import { ADULT_CONSENT_COOKIE, needsAdultNotice, ReaderPreferencesContext, serializePreferences } from '../accounts/reader-preferences.ts';
import { Layout } from '../web/layout.tsx';
import { fillPanelSlots } from './work-panels.ts';
import { AdultNoticePage } from './adult-notice.views.tsx';
import { findShownNextChapterAt } from './next-chapter.repo.ts';
import type { Viewer } from '../web/viewer.ts';
import { findPseudsOfUser } from '../accounts/accounts.service.ts';
import { suggestTagsForForm } from '../story-intelligence/posting-form.tsx';
import { ScheduleSchema, shownTime } from '../scheduling/scheduling.schema.ts';
import { scheduleChapter, ScheduleError } from '../scheduling/scheduling.service.ts';
import { toWaitingChapterView, waitingChapterValues } from '../scheduling/scheduling.presenter.ts';
import { WaitingChapterForms } from '../scheduling/scheduling.views.tsx';
import { HitCounter } from './hits.ts';
import { MysteryWorkPage } from '../collections/anonymity.views.tsx';
import { loadWorkForReading, toChapterView, toWorkPageView, chapterHeading } from './reading.ts';
import { decodeUpload, NestingTooDeepError, UploadError, type TextFormat } from './text/index.ts';
import { canEditWork, canReadWork } from './works.policy.ts';
import {
  applySkinChoice,
  findSkinChoiceError,
  findSkinChoiceOfWork,
  findSkinStylesheetOfWork,
  listSkinOptions,
} from '../work-skins/work-skins.service.ts';
import { toWorkSummaryView, type WorkSummaryView } from './works.presenter.ts';
import { formatDate } from '../lib/dates.ts';
import { ChapterFieldsSchema, PostActionSchema, WorkMetadataSchema } from './works.schema.ts';
import * as service from './works.service.ts';
import { loadWorkFormExtras, parseWorkFormExtras } from '../gifts/work-form-extras.ts';
import { ExchangeError, fulfilAssignmentIn, loadOpenAssignmentForForm } from '../exchanges/exchanges.service.ts';
import {
  ChapterFormPage,
  ChapterIndexPage,
  ConfirmDeletePage,
  ManageChaptersPage,
  WorkFormPage,
  WorkArticle,
  WorkPage,
  workPageHead,
  type WorkFormValues,
} from './works.views.tsx';

type WorkParams = { Params: { id: string } };

/**
 * What every signed-in reader of one work page shares (docs/decisions/033): the article with a
 * placeholder per panel, the panels' common renderings, and what the viewer's panels need.
 */
interface SharedWorkPage {
  work: WorkSummaryView;
  chapterId: number | undefined;
  creatorUserIds: readonly number[];
  postedChapters: ReadonlyArray<{ id: number; position: number; title: string }>;
  head: { title: string; description: string };
  article: string;
  common: ReadonlyMap<string, string>;
  skinStylesheet: string | undefined;
  rating: string;
}

/** Where the article goes in the frame; a per-process secret, so no text of the page can make one. */
const FRAME_SLOT = `ff-frame-${randomBytes(12).toString('hex')}`;

/**
 * Whole pages made from one shared part for readers whose panels are all the common ones, by
 * everything else the page holds of the reader (docs/decisions/045): a reader's next page is a
 * lookup, not a render. They live and die with their shared part (the page cache's TTL and
 * invalidations), like guests' pages.
 */
const pagesOfShared = new WeakMap<SharedWorkPage, Map<string, Buffer>>();
const PAGES_PER_SHARED = 1000;
type ChapterParams = { Params: { id: string; chapterId: string } };

function workIdOf(raw: string): number {
  const id = parseId(raw);
  if (id === null) throw new HttpError(404, `There is no work with the id “${raw.slice(0, 40)}”. Work ids are numbers.`);
  return id;
}

/** The form's fields as strings for refilling it (file inputs cannot be refilled). */
function refill(body: NormalizedBody): WorkFormValues {
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(body.fields)) if (typeof v === 'string' && k !== '_csrf') fields[k] = v;
  // A ticked box arrives with its hidden "0" beside it (works.views.tsx).
  if (formList(body.fields.show_next_chapter_date).includes('1')) fields.show_next_chapter_date = '1';
  return { fields, warnings: formList(body.fields.warnings), categories: formList(body.fields.categories) };
}

/** The chapter text: an uploaded file wins over the textarea; errors are per field. */
function chapterText(body: NormalizedBody, format: TextFormat, errors: FieldErrors): { text: string; format: TextFormat } {
  const file = body.files.text_file;
  if (file && file.bytes.length > 0) {
    try {
      return decodeUpload(file.bytes, file.filename);
    } catch (error) {
      if (error instanceof UploadError) {
        errors.text_file = error.message;
        return { text: '', format };
      }
      throw error;
    }
  }
  const text = typeof body.fields.body === 'string' ? body.fields.body : '';
  if (text.trim() === '') errors.body = 'Add the text: paste it here or upload a file.';
  return { text, format };
}

function parseChapter(body: NormalizedBody) {
  const parsed = ChapterFieldsSchema.safeParse(body.fields);
  const errors: FieldErrors = parsed.success ? {} : toFieldErrors(parsed.error);
  const format = parsed.success ? parsed.data.text_format : 'plain';
  const text = errors.body ? { text: '', format } : chapterText(body, format, errors);
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false as const, errors };
  const d = parsed.data;
  return {
    ok: true as const,
    chapter: { title: d.chapter_title, summary: d.chapter_summary, notes: d.chapter_notes, endNotes: d.chapter_end_notes, ...text },
  };
}

function serviceErrorToHttp(error: unknown): never {
  if (error instanceof service.WorkNotFoundError) throw new HttpError(404, error.message);
  if (error instanceof service.WorkForbiddenError) throw new HttpError(403, error.message);
  if (error instanceof service.LastChapterError) throw new HttpError(422, error.message);
  throw error;
}

/**
 * Runs a save; text that cannot be formatted comes back as field errors for the form (422, the
 * typing kept): the chapter text at its box, a summary or notes nested too deep above the form.
 */
async function saveOrTextError<T>(save: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; errors: FieldErrors }> {
  try {
    return { ok: true, value: await save };
  } catch (error) {
    if (error instanceof service.ChapterTextError) return { ok: false, errors: { body: error.message } };
    if (error instanceof service.WorkFieldError) return { ok: false, errors: { [error.field]: error.message } };
    if (error instanceof NestingTooDeepError) return { ok: false, errors: { _form: `A summary or notes field: ${error.message}` } };
    return serviceErrorToHttp(error);
  }
}

/**
 * After the form's other extras (gifts first: the gifts field would otherwise drop the recipient
 * again), a work posted for an exchange assignment joins its collection as a gift to the
 * recipient, in the work's own transaction; a refusal is the field's error and nothing is posted.
 */
function withAssignment(save: service.AlsoSave, viewer: Viewer, assignmentId: number | null): service.AlsoSave {
  if (assignmentId === null) return save;
  return async (trx, workId) => {
    await save(trx, workId);
    try {
      await fulfilAssignmentIn(trx, viewer, assignmentId, workId);
    } catch (error) {
      if (error instanceof ExchangeError) throw new service.WorkFieldError('exchange_assignment_id', error.message);
      throw error;
    }
  };
}

export function worksRoutes(app: FastifyInstance, { db, config, workPanels }: RouteDeps): void {
  const site = config.siteName;
  const hits = new HitCounter(db);
  app.addHook('onClose', () => hits.flush());
  // One hit per visitor per work per day, whether the page was rendered or came from the cache.
  const visitorKey = (visit: PageVisit) => `${visit.ip}|${visit.userAgent}|${visit.viewerId ?? ''}`;
  app.pageCache.onServe((workId, visit) => hits.record(workId, visitorKey(visit)));
  const changed = (workId: number) => app.pageCache.invalidateWork(workId);

  const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, site);

  // ---- posting -------------------------------------------------------------------------

  const pseudsOf = (viewer: Viewer) => findPseudsOfUser(db, viewer.id).then((rows) => rows.map((p) => ({ id: p.id, name: p.name })));
  const skinsOf = (viewer: Viewer) => listSkinOptions(db, viewer);

  app.get('/works/new', async (request, reply) => {
    const viewer = requireViewer(request);
    // "Post for my assignment" (gift exchanges, decision 046) opens the form with the assignment chosen.
    const rawAssignment = (request.query as { assignment?: unknown }).assignment;
    const fields: Record<string, string> = {};
    if (typeof rawAssignment === 'string' && rawAssignment !== '') {
      const assignmentId = parseId(rawAssignment);
      if (assignmentId === null) throw new HttpError(404, 'There is no such assignment for you. Check the link.');
      const open = await loadOpenAssignmentForForm(db, viewer, assignmentId).catch((error: unknown) => {
        if (error instanceof ExchangeError) throw new HttpError(error.status, error.message);
        throw error;
      });
      fields.exchange_assignment_id = String(open.id);
      fields.exchange_assignment_label = `your gift for ${open.recipient} in ${open.collectionTitle}`;
    }
    return sendPage(
      reply,
      <WorkFormPage
        ctx={ctx(request, reply)}
        mode={{ kind: 'new' }}
        values={{ fields, warnings: [], categories: [] }}
        errors={{}}
        pseuds={await pseudsOf(viewer)}
        skins={await skinsOf(viewer)}
      />,
    );
  });

  app.post('/works', async (request, reply) => {
    const viewer = requireViewer(request);
    const body = normalizeBody(request.body);
    if (body.fields.action === 'analyze') {
      // "Suggest tags from my text": only the text is checked; the form comes back with proposals (src/story-intelligence).
      const text = parseChapter(body);
      const suggested = await suggestTagsForForm(
        db,
        refill(body),
        text.ok ? text.chapter : undefined,
        (request.query as { accept?: unknown }).accept,
        viewer,
      );
      const errors = text.ok ? (suggested.textError ? { body: suggested.textError } : {}) : text.errors;
      return sendPage(
        reply,
        <WorkFormPage
          ctx={ctx(request, reply)}
          mode={{ kind: 'new' }}
          values={suggested.values}
          errors={errors}
          pseuds={await pseudsOf(viewer)}
          skins={await skinsOf(viewer)}
          proposals={suggested.box}
        />,
        Object.keys(errors).length === 0 ? 200 : 422,
      );
    }
    const meta = WorkMetadataSchema.safeParse(body.fields);
    const chapter = parseChapter(body);
    const action = PostActionSchema.safeParse(body.fields.action);
    const skinError = await findSkinChoiceError(db, viewer, body.fields.work_skin);
    const extras = parseWorkFormExtras(body.fields);
    const rawAssignment = typeof body.fields.exchange_assignment_id === 'string' ? body.fields.exchange_assignment_id : '';
    const assignmentId = rawAssignment === '' ? null : parseId(rawAssignment);
    const assignmentError =
      rawAssignment !== '' && assignmentId === null
        ? 'That assignment does not exist; open the form from your assignment page.'
        : assignmentId !== null && action.success && action.data !== 'post'
          ? 'A gift for an assignment is posted, not saved as a draft or previewed: use Post.'
          : undefined;
    if (!meta.success || !chapter.ok || !action.success || skinError || !extras.ok || assignmentError) {
      const errors: FieldErrors = {
        ...(meta.success ? {} : toFieldErrors(meta.error)),
        ...(chapter.ok ? {} : chapter.errors),
        ...(extras.ok ? {} : extras.errors),
      };
      if (assignmentError) errors.exchange_assignment_id = assignmentError;
      if (!action.success) errors._form = 'Use the Post or Save as draft button.';
      if (skinError) errors.work_skin = skinError;
      return sendPage(
        reply,
        <WorkFormPage
          ctx={ctx(request, reply)}
          mode={{ kind: 'new' }}
          values={refill(body)}
          errors={errors}
          pseuds={await pseudsOf(viewer)}
          skins={await skinsOf(viewer)}
        />,
        422,
      );
    }
    // A preview is saved as a draft (as on AO3) and shown exactly as readers will see it once posted.
    const draft = action.data !== 'post';
    const pseudId = typeof body.fields.pseud_id === 'string' ? parseId(body.fields.pseud_id) : null;
    const saved = await saveOrTextError(
      service.createWork(db, viewer, {
        meta: meta.data,
        chapter: chapter.chapter,
        draft,
        ...(pseudId !== null ? { pseudId } : {}),
        alsoSave: withAssignment(extras.alsoSave(viewer, config.baseUrl), viewer, assignmentId),
      }),
    );
    if (!saved.ok) {
      return sendPage(
        reply,
        <WorkFormPage
          ctx={ctx(request, reply)}
          mode={{ kind: 'new' }}
          values={refill(body)}
          errors={saved.errors}
          pseuds={await pseudsOf(viewer)}
          skins={await skinsOf(viewer)}
        />,
        422,
      );
    }
    const workId = saved.value;
    await applySkinChoice(db, viewer, workId, body.fields.work_skin, true);
    setFlash(
      request,
      reply,
      action.data === 'preview'
        ? 'Preview: this is what readers will see once you post it. It is saved as a draft, visible only to you; post it, edit it, or schedule it.'
        : draft
          ? 'Draft saved. It is visible only to you until you post it.'
          : 'Work was successfully posted.',
    );
    return reply.redirect(`/works/${workId}`, 303);
  });

  app.get<WorkParams>('/works/:id/edit', async (request, reply) => {
    const viewer = requireViewer(request);
    const { work } = await service.authorizeEdit(db, viewer, workIdOf(request.params.id)).catch(serviceErrorToHttp);
    const loaded = (await loadWorkForReading(db, work.id))!;
    const w = toWorkSummaryView(loaded.work, loaded.creators, loaded.tags);
    const names = (tags: { name: string }[]) => tags.map((t) => t.name).join(', ');
    const extras = await loadWorkFormExtras(db, work.id);
    const values: WorkFormValues = {
      fields: {
        title: work.title,
        summary: work.summary_html,
        notes: work.notes_html,
        end_notes: work.end_notes_html,
        rating: w.required.rating,
        fandoms: names(w.fandoms),
        relationships: names(w.relationships),
        characters: names(w.characters),
        freeforms: names(w.freeforms),
        language: work.language,
        expected_chapters: work.expected_chapters === null ? '?' : String(work.expected_chapters),
        restricted: work.is_restricted ? '1' : '',
        work_skin: await findSkinChoiceOfWork(db, work.id),
        show_next_chapter_date: work.show_next_chapter_date ? '1' : '',
        ...extras.fields,
      },
      warnings: w.required.warnings,
      categories: w.required.categories,
    };
    return sendPage(
      reply,
      <WorkFormPage
        ctx={ctx(request, reply)}
        mode={{ kind: 'edit', workId: work.id, title: work.title }}
        values={values}
        errors={{}}
        skins={await skinsOf(viewer)}
        relatedLinks={extras.relatedLinks}
      />,
    );
  });

  app.post<WorkParams>('/works/:id', async (request, reply) => {
    const viewer = requireViewer(request);
    const workId = workIdOf(request.params.id);
    const { work } = await service.authorizeEdit(db, viewer, workId).catch(serviceErrorToHttp);
    const body = normalizeBody(request.body);
    const meta = WorkMetadataSchema.safeParse(body.fields);
    const invalid = async (errors: FieldErrors) =>
      sendPage(
        reply,
        <WorkFormPage
          ctx={ctx(request, reply)}
          mode={{ kind: 'edit', workId, title: work.title }}
          values={refill(body)}
          errors={errors}
          skins={await skinsOf(viewer)}
          relatedLinks={(await loadWorkFormExtras(db, workId)).relatedLinks}
        />,
        422,
      );
    const skinError = await findSkinChoiceError(db, viewer, body.fields.work_skin);
    const extras = parseWorkFormExtras(body.fields);
    if (!meta.success || skinError || !extras.ok)
      return invalid({
        ...(meta.success ? {} : toFieldErrors(meta.error)),
        ...(skinError ? { work_skin: skinError } : {}),
        ...(extras.ok ? {} : extras.errors),
      });
    const saved = await saveOrTextError(service.updateWorkMetadata(db, viewer, workId, meta.data, extras.alsoSave(viewer, config.baseUrl)));
    if (!saved.ok) return invalid(saved.errors);
    await applySkinChoice(db, viewer, workId, body.fields.work_skin, false);
    changed(workId);
    setFlash(request, reply, 'Work was successfully updated.');
    return reply.redirect(`/works/${workId}`, 303);
  });

  app.post<WorkParams>('/works/:id/post', async (request, reply) => {
    const viewer = requireViewer(request);
    const workId = workIdOf(request.params.id);
    await service.postDraft(db, viewer, workId).catch(serviceErrorToHttp);
    changed(workId);
    setFlash(request, reply, 'Work was successfully posted.');
    return reply.redirect(`/works/${workId}`, 303);
  });

  app.get<WorkParams>('/works/:id/confirm_delete', async (request, reply) => {
    const viewer = requireViewer(request);
    const { work } = await service.authorizeEdit(db, viewer, workIdOf(request.params.id)).catch(serviceErrorToHttp);
    return sendPage(reply, <ConfirmDeletePage ctx={ctx(request, reply)} work={{ id: work.id, title: work.title }} />);
  });

  app.post<WorkParams>('/works/:id/delete', async (request, reply) => {
    const viewer = requireViewer(request);
    const workId = workIdOf(request.params.id);
    const title = await service.deleteWork(db, viewer, workId).catch(serviceErrorToHttp);
    changed(workId);
    setFlash(request, reply, `Your work ${title} was deleted.`);
    return reply.redirect(`/users/${encodeURIComponent(viewer.login)}/works`, 303);
  });

  // ---- chapters ------------------------------------------------------------------------

  app.get<WorkParams>('/works/:id/chapters/new', async (request, reply) => {
    const viewer = requireViewer(request);
    const { work } = await service.authorizeEdit(db, viewer, workIdOf(request.params.id)).catch(serviceErrorToHttp);
    return sendPage(reply, <ChapterFormPage ctx={ctx(request, reply)} work={{ id: work.id, title: work.title }} values={{}} errors={{}} />);
  });

  app.post<WorkParams>('/works/:id/chapters', async (request, reply) => {
    const viewer = requireViewer(request);
    const workId = workIdOf(request.params.id);
    const { work } = await service.authorizeEdit(db, viewer, workId).catch(serviceErrorToHttp);
    const body = normalizeBody(request.body);
    const parsed = parseChapter(body);
    // "Schedule": the chapter waits, seen only by the creators, until a job posts it (src/scheduling).
    const schedule = body.fields.action === 'schedule' ? ScheduleSchema.safeParse(body.fields) : undefined;
    const invalid = (errors: FieldErrors) =>
      sendPage(
        reply,
        <ChapterFormPage
          ctx={ctx(request, reply)}
          work={{ id: work.id, title: work.title }}
          values={refill(body).fields}
          errors={errors}
        />,
        422,
      );
    if (!parsed.ok || (schedule && !schedule.success)) {
      return invalid({ ...(parsed.ok ? {} : parsed.errors), ...(schedule && !schedule.success ? toFieldErrors(schedule.error) : {}) });
    }
    if (schedule?.success) {
      const postAt = schedule.data.post_at;
      let chapterId: number;
      try {
        chapterId = await scheduleChapter(db, viewer, workId, parsed.chapter, postAt);
      } catch (error) {
        if (error instanceof ScheduleError) return invalid({ post_at: error.message });
        if (error instanceof service.ChapterTextError) return invalid({ body: error.message });
        return serviceErrorToHttp(error);
      }
      setFlash(request, reply, `Chapter scheduled: it will be posted at ${shownTime(postAt)}. Until then only the work's creators see it.`);
      return reply.redirect(`/works/${workId}/chapters/${chapterId}`, 303);
    }
    const saved = await saveOrTextError(service.addChapter(db, viewer, workId, parsed.chapter));
    if (!saved.ok) return invalid(saved.errors);
    const chapterId = saved.value;
    changed(workId);
    setFlash(request, reply, 'Chapter was successfully posted.');
    return reply.redirect(`/works/${workId}/chapters/${chapterId}`, 303);
  });

  const loadChapterForEdit = async (viewer: Viewer, rawWorkId: string, rawChapterId: string) => {
    const workId = workIdOf(rawWorkId);
    const chapterId = parseId(rawChapterId);
    const { work } = await service.authorizeEdit(db, viewer, workId).catch(serviceErrorToHttp);
    const loaded = (await loadWorkForReading(db, workId, viewer))!;
    const chapter = loaded.chapters.find((c) => c.id === chapterId);
    if (!chapter) throw new HttpError(404, 'This work has no such chapter.');
    return { work, chapter };
  };

  // A chapter not posted yet: its time can be changed, or it can be posted now (src/scheduling).
  const waitingForms = (csrfToken: string, workId: number, chapter: { id: number; posted: boolean; scheduled_at: Date | null }) =>
    chapter.posted ? null : (
      <WaitingChapterForms
        csrfToken={csrfToken}
        chapter={toWaitingChapterView(workId, chapter)}
        values={waitingChapterValues(chapter)}
        errors={{}}
      />
    );

  app.get<ChapterParams>('/works/:id/chapters/:chapterId/edit', async (request, reply) => {
    const viewer = requireViewer(request);
    const { work, chapter } = await loadChapterForEdit(viewer, request.params.id, request.params.chapterId);
    const values = {
      chapter_title: chapter.title,
      chapter_summary: chapter.summary_html,
      chapter_notes: chapter.notes_html,
      chapter_end_notes: chapter.end_notes_html,
      text_format: 'html',
      body: chapter.body_html,
    };
    const page = ctx(request, reply);
    return sendPage(
      reply,
      <ChapterFormPage
        ctx={page}
        work={{ id: work.id, title: work.title }}
        chapter={{ id: chapter.id, heading: chapterHeading(chapter.position, chapter.title) }}
        waiting={waitingForms(page.csrfToken, work.id, chapter)}
        values={values}
        errors={{}}
      />,
    );
  });

  app.post<ChapterParams>('/works/:id/chapters/:chapterId', async (request, reply) => {
    const viewer = requireViewer(request);
    const { work, chapter } = await loadChapterForEdit(viewer, request.params.id, request.params.chapterId);
    const body = normalizeBody(request.body);
    const parsed = parseChapter(body);
    const invalid = (errors: FieldErrors) => {
      const page = ctx(request, reply);
      return sendPage(
        reply,
        <ChapterFormPage
          ctx={page}
          work={{ id: work.id, title: work.title }}
          chapter={{ id: chapter.id, heading: chapterHeading(chapter.position, chapter.title) }}
          waiting={waitingForms(page.csrfToken, work.id, chapter)}
          values={refill(body).fields}
          errors={errors}
        />,
        422,
      );
    };
    if (!parsed.ok) return invalid(parsed.errors);
    const saved = await saveOrTextError(service.editChapter(db, viewer, work.id, chapter.id, parsed.chapter));
    if (!saved.ok) return invalid(saved.errors);
    changed(work.id);
    setFlash(request, reply, 'Chapter was successfully updated.');
    return reply.redirect(`/works/${work.id}/chapters/${chapter.id}`, 303);
  });

  app.post<ChapterParams>('/works/:id/chapters/:chapterId/delete', async (request, reply) => {
    const viewer = requireViewer(request);
    const { work, chapter } = await loadChapterForEdit(viewer, request.params.id, request.params.chapterId);
    await service.deleteChapter(db, viewer, work.id, chapter.id).catch(serviceErrorToHttp);
    changed(work.id);
    setFlash(request, reply, 'The chapter was deleted.');
    return reply.redirect(`/works/${work.id}`, 303);
  });

  app.get<WorkParams>('/works/:id/chapters/manage', async (request, reply) => {
    const viewer = requireViewer(request);
    const { work } = await service.authorizeEdit(db, viewer, workIdOf(request.params.id)).catch(serviceErrorToHttp);
    const loaded = (await loadWorkForReading(db, work.id, viewer))!;
    return sendPage(
      reply,
      <ManageChaptersPage
        ctx={ctx(request, reply)}
        work={{ id: work.id, title: work.title }}
        chapters={loaded.chapters.map((c) => toChapterView(work.id, c))}
      />,
    );
  });

  app.post<WorkParams>('/works/:id/chapters/manage', async (request, reply) => {
    const viewer = requireViewer(request);
    const workId = workIdOf(request.params.id);
    const { work } = await service.authorizeEdit(db, viewer, workId).catch(serviceErrorToHttp);
    const fields = normalizeBody(request.body).fields;
    const positions = Object.entries(fields)
      .filter(([k]) => /^position_\d+$/.test(k))
      .map(([k, v]) => ({ id: Number(k.slice('position_'.length)), position: Number(Array.isArray(v) ? v[0] : v) }));
    const order = [...positions].sort((a, b) => a.position - b.position).map((p) => p.id);
    const distinct =
      new Set(positions.map((p) => p.position)).size === positions.length &&
      positions.every((p) => Number.isInteger(p.position) && p.position >= 1 && p.position <= positions.length);
    try {
      if (!distinct) throw new service.ChapterOrderError('Give each chapter a different position from 1 to the number of chapters.');
      await service.reorderChapters(db, viewer, workId, order);
      changed(workId);
    } catch (error) {
      if (!(error instanceof service.ChapterOrderError)) return serviceErrorToHttp(error);
      const loaded = (await loadWorkForReading(db, workId, viewer))!;
      return sendPage(
        reply,
        <ManageChaptersPage
          ctx={ctx(request, reply)}
          work={{ id: work.id, title: work.title }}
          chapters={loaded.chapters.map((c) => toChapterView(workId, c))}
          error={error.message}
        />,
        422,
      );
    }
    setFlash(request, reply, 'Chapter order updated.');
    return reply.redirect(`/works/${workId}`, 303);
  });

  // ---- reading -------------------------------------------------------------------------

  /** A signed-in reader's page: the shared part with this viewer's panels, inside a frame rendered for them. */
  const sendSignedInPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    viewer: Viewer,
    shared: SharedWorkPage,
    sharedKey: string,
    servedEarly: boolean,
  ) => {
    const personal = await workPanels.renderPersonal({
      db,
      viewer,
      work: shared.work,
      chapterId: shared.chapterId,
      csrfToken: () => request.csrfToken,
      creatorUserIds: shared.creatorUserIds,
      postedChapters: shared.postedChapters,
      hiddenReason: null,
    });
    // The page is a function of the shared part and these (the frame's and the panels' inputs), when no
    // panel is the reader's own and no one-time notice is due.
    const pageKey =
      personal.size === 0 && request.cookies[FLASH_COOKIE] === undefined
        ? [
            viewer.login,
            viewer.defaultPseudName,
            viewer.unreadInbox ?? 0,
            viewer.isAdmin,
            viewer.isModerator === true,
            request.csrfToken,
            app.siteSettings?.name || config.siteName,
            serializePreferences(request.readerPreferences),
          ].join('\n')
        : undefined;
    let pages = pagesOfShared.get(shared);
    const known = pageKey === undefined ? undefined : pages?.get(pageKey);
    if (known) {
      if (servedEarly) keepForEarlyServing(request, reply, viewer, shared, sharedKey, known);
      return reply.type('text/html; charset=utf-8').send(known);
    }
    const article = fillPanelSlots(shared.article, shared, personal, {
      csrfToken: request.csrfToken,
      login: viewer.login,
      pseudName: viewer.defaultPseudName,
    });
    const frame = renderPage(
      <Layout
        ctx={ctx(request, reply)}
        title={shared.head.title}
        description={shared.head.description}
        stylesheets={shared.skinStylesheet ? [shared.skinStylesheet] : undefined}
      >
        <template id={FRAME_SLOT} />
      </Layout>,
    );
    // A function replacement: the article's text must not be read as a replacement pattern ($&).
    const page = Buffer.from(frame.replace(`<template id="${FRAME_SLOT}"></template>`, () => article));
    if (pageKey !== undefined) {
      if (!pages) pagesOfShared.set(shared, (pages = new Map()));
      if (pages.size >= PAGES_PER_SHARED) pages.delete(pages.keys().next().value!);
      pages.set(pageKey, page);
    }
    return reply.type('text/html; charset=utf-8').send(page);
  };

  /**
   * Lets the page cache's first hook serve this reader's page next time (src/web/page-cache.ts,
   * MemberPage) for as long as the viewer cache's entry of the session, their panel answers and the
   * shared part are the very ones it was made from.
   */
  const keepForEarlyServing = (
    request: FastifyRequest,
    reply: FastifyReply,
    viewer: Viewer,
    shared: SharedWorkPage,
    sharedKey: string,
    body: Buffer,
  ) => {
    const key = memberPageKeyOf(request);
    const token = request.cookies[SESSION_COOKIE];
    if (key === undefined || token === undefined || request.cookies[CSRF_COOKIE] !== request.csrfToken) return;
    const tokenHash = hashToken(token);
    const cachedViewer = app.viewerCache.get(tokenHash);
    const facts = app.viewerCache.getFacts(viewer.id, shared.work.id);
    if (!cachedViewer || cachedViewer.viewer.id !== viewer.id || !facts) return;
    const siteName = app.siteSettings?.name || config.siteName;
    app.pageCache.storeMemberPage(key, {
      workId: shared.work.id,
      route: request.routeOptions.url ?? request.url,
      body,
      headers: replayableHeaders(reply),
      viewer: cachedViewer.viewer,
      current: () =>
        app.viewerCache.get(tokenHash) === cachedViewer &&
        app.viewerCache.getFacts(viewer.id, shared.work.id) === facts &&
        app.pageCache.peekShared(sharedKey) === shared &&
        (app.siteSettings?.name || config.siteName) === siteName,
    });
  };

  const readWork = async (
    request: FastifyRequest,
    reply: FastifyReply,
    rawId: string,
    chapterId: number | undefined,
    entireWork: boolean,
    viewAdult: boolean,
  ) => {
    const workId = workIdOf(rawId);
    const viewer = request.viewer;
    // Signed-in readers other than the work's creators and staff share one rendering of the page
    // and get their own panels spliced in (docs/decisions/033).
    const sharedKey =
      viewer && app.pageCache.enabled && !viewer.isAdmin && viewer.isModerator !== true
        ? signedInKeyOf(request, serializePreferences(request.readerPreferences))
        : undefined;
    if (viewer && sharedKey) {
      let shared = app.pageCache.getShared<SharedWorkPage>(sharedKey);
      const making = shared ? undefined : app.pageCache.rendering(sharedKey);
      if (making) {
        // Another reader's request is making this shared part: wait for it rather than make it again.
        await making;
        shared = app.pageCache.getShared<SharedWorkPage>(sharedKey);
      }
      if (shared && !shared.creatorUserIds.includes(viewer.id)) {
        const adult = needsAdultNotice(shared.rating, request.readerPreferences, request.adultConsent);
        // Without "Proceed" the notice is due: the full path below shows it.
        if (!adult || viewAdult) {
          if (adult) reply.setCookie(ADULT_CONSENT_COOKIE, '1', cookieOptions(request));
          hits.record(workId, visitorKey(visitOf(request, request.viewer?.id)));
          return sendSignedInPage(request, reply, viewer, shared, sharedKey, !adult);
        }
      }
    }
    // While this page is made, other requests for it (guests of the same key, readers sharing the
    // part) wait for it instead of each making it (src/web/page-cache.ts, rendering).
    const renderKey = sharedKey ?? (viewer === null && isAnonymous(request) ? cacheKeyOf(request) : undefined);
    const guestMaking = renderKey !== undefined && sharedKey === undefined ? app.pageCache.rendering(renderKey) : undefined;
    if (guestMaking) {
      await guestMaking;
      const sent = sendCachedPage(request, reply, renderKey!);
      if (sent) return sent;
    }
    const finish = renderKey === undefined ? undefined : app.pageCache.beginRender(renderKey);
    try {
      return await renderWork(request, reply, workId, chapterId, entireWork, viewAdult, sharedKey);
    } finally {
      finish?.();
    }
  };

  /** The work page made afresh: for a guest (then cached), a reader (as a shared part), a creator or staff. */
  const renderWork = async (
    request: FastifyRequest,
    reply: FastifyReply,
    workId: number,
    chapterId: number | undefined,
    entireWork: boolean,
    viewAdult: boolean,
    sharedKey: string | undefined,
  ) => {
    const viewer = request.viewer;
    const ticket = app.pageCache.ticket();
    const loaded = await loadWorkForReading(db, workId, request.viewer);
    if (!loaded) throw new HttpError(404, 'There is no work with this id. It may have been deleted.');
    const facts = {
      isDraft: loaded.work.is_draft,
      isRestricted: loaded.work.is_restricted,
      isHidden: loaded.work.hidden_reason != null,
      creatorUserIds: loaded.creators.map((c) => c.user_id),
    };
    const decision = canReadWork(request.viewer, facts);
    if (!decision.allowed) throw new HttpError(decision.status, decision.reason);
    // An unrevealed collection's work (decision 043): its collection's name, nothing more, and never cached.
    if (loaded.mystery) return sendPage(reply, <MysteryWorkPage ctx={ctx(request, reply)} concealment={loaded.mystery} />);
    const canEdit = canEditWork(request.viewer, facts);
    const view = toWorkPageView(loaded, { chapterId, entireWork, canEdit });
    if (!view) throw new HttpError(404, 'This work has no such chapter.');
    // The adult-content notice (reader preferences): never to the work's own creators. Not
    // cached and no hit: it is cheap to render, and a reader who goes back did not read the work.
    if (!canEdit && needsAdultNotice(view.work.required.rating, request.readerPreferences, request.adultConsent)) {
      if (!viewAdult) {
        const proceedHref = `${request.url.split('?')[0]}?${new URLSearchParams({ ...(entireWork ? { view_full_work: 'true' } : {}), view_adult: 'true' })}`;
        return sendPage(reply, <AdultNoticePage ctx={ctx(request, reply)} work={view.work} proceedHref={proceedHref} />);
      }
      // "Proceed": remembered until the browser closes, like AO3's session flag.
      reply.setCookie(ADULT_CONSENT_COOKIE, '1', cookieOptions(request));
    }
    if (loaded.work.show_next_chapter_date) {
      const nextAt = await findShownNextChapterAt(db, workId);
      if (nextAt) view.nextChapterDate = formatDate(nextAt);
    }
    const postedChapters = loaded.chapters.filter((c) => c.posted).map((c) => ({ id: c.id, position: c.position, title: c.title }));
    const panelContext = {
      db,
      work: view.work,
      chapterId,
      creatorUserIds: facts.creatorUserIds,
      postedChapters,
      hiddenReason: loaded.work.hidden_reason ?? null,
    };
    if (viewer && sharedKey && !canEdit && !loaded.work.is_draft && loaded.work.hidden_reason == null) {
      const [shell, skinStylesheet] = await Promise.all([workPanels.renderShell(panelContext), findSkinStylesheetOfWork(db, workId)]);
      view.panels = shell.slots;
      view.skinStylesheet = skinStylesheet;
      const preferences = request.readerPreferences;
      const article = renderToString(
        <ReaderPreferencesContext.Provider value={preferences}>
          <WorkArticle view={view} csrfToken={() => ''} preferences={preferences} actionsAreItems />
        </ReaderPreferencesContext.Provider>,
      );
      const shared: SharedWorkPage = {
        ...panelContext,
        head: workPageHead(view),
        article,
        common: shell.common,
        skinStylesheet,
        rating: view.work.required.rating,
      };
      let bytes = article.length;
      for (const html of shell.common.values()) bytes += html.length;
      app.pageCache.storeShared(sharedKey, { workId, value: shared, bytes }, ticket);
      hits.record(workId, visitorKey(visitOf(request, request.viewer?.id)));
      return sendSignedInPage(request, reply, viewer, shared, sharedKey, false);
    }
    view.panels = await workPanels.render({ ...panelContext, viewer, csrfToken: () => request.csrfToken });
    view.skinStylesheet = await findSkinStylesheetOfWork(db, workId);
    if (!canEdit && !loaded.work.is_draft) hits.record(workId, visitorKey(visitOf(request, request.viewer?.id)));
    // A page rendered for a guest is stored for the next guests (src/web/page-cache.ts).
    return sendReadablePage(request, reply, { workId, ticket, html: renderPage(<WorkPage ctx={ctx(request, reply)} view={view} />) });
  };

  app.get<WorkParams & { Querystring: { view_full_work?: string; view_adult?: string } }>('/works/:id', (request, reply) =>
    readWork(request, reply, request.params.id, undefined, request.query.view_full_work === 'true', request.query.view_adult === 'true'),
  );

  app.get<ChapterParams & { Querystring: { view_adult?: string } }>('/works/:id/chapters/:chapterId', (request, reply) => {
    const chapterId = parseId(request.params.chapterId);
    if (chapterId === null) throw new HttpError(404, 'This work has no such chapter.');
    return readWork(request, reply, request.params.id, chapterId, false, request.query.view_adult === 'true');
  });

  app.get<WorkParams>('/works/:id/navigate', async (request, reply) => {
    const workId = workIdOf(request.params.id);
    const loaded = await loadWorkForReading(db, workId, request.viewer);
    if (!loaded) throw new HttpError(404, 'There is no work with this id.');
    const decision = canReadWork(request.viewer, {
      isDraft: loaded.work.is_draft,
      isRestricted: loaded.work.is_restricted,
      isHidden: loaded.work.hidden_reason != null,
      creatorUserIds: loaded.creators.map((c) => c.user_id),
    });
    if (!decision.allowed) throw new HttpError(decision.status, decision.reason);
    if (loaded.mystery) return sendPage(reply, <MysteryWorkPage ctx={ctx(request, reply)} concealment={loaded.mystery} />);
    return sendPage(
      reply,
      <ChapterIndexPage
        ctx={ctx(request, reply)}
        work={toWorkSummaryView(loaded.work, loaded.shownCreators, loaded.tags)}
        chapters={loaded.chapters.map((c) => toChapterView(workId, c))}
      />,
    );
  });
}
