import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { RouteDeps } from '../app-deps.ts';
import { isBlockedByAny, mutedUserIds } from '../blocking/blocking.service.ts';
import type { Database } from '../db/schema.ts';
import { trustHtml } from '../lib/safe-html.ts';
import { HttpError } from '../web/errors.tsx';
import { formValues, parseId, toFieldErrors } from '../web/form.ts';
import { pageContext, requireViewer, safeReturnPath } from '../web/page-context.ts';
import { sendPage } from '../web/render.ts';
import { setFlash } from '../web/session.ts';
import type { Viewer } from '../web/viewer.ts';
import { chapterHeading } from '../works/reading.ts';
import { canReadWork, isCreator } from '../works/works.policy.ts';
import { canComment } from './comments.policy.ts';
import { toThreadView } from './comments.presenter.ts';
import { findComment } from './comments.repo.ts';
import { CommentFormSchema, CommentPageQuerySchema, CommentSettingsSchema, EditCommentSchema } from './comments.schema.ts';
import * as service from './comments.service.ts';
import {
  AnnotatedChapterPage,
  CommentFormPage,
  CommentPage,
  CommentSettingsPage,
  CommentsPanel,
  EditCommentPage,
  ParagraphCommentsPage,
  type CommentFormView,
} from './comments.views.tsx';
import { findParagraphLinks } from './paragraph-links.ts';
import { topLevelParagraphs } from './paragraphs.ts';
import {
  commentsPersonalSql,
  loadInteractionWork,
  sharedBlockedByCreator,
  sharedInteractionWork,
  type InteractionWork,
} from './work-access.ts';
import { concealCommentAuthors } from '../collections/anonymity.ts';

type Db = Kysely<Database>;

function idOrNotFound(raw: string, what: string): number {
  const id = parseId(raw);
  if (id === null) throw new HttpError(404, `There is no ${what} with the id “${raw.slice(0, 40)}”.`);
  return id;
}

function toHttp(error: unknown): never {
  if (error instanceof service.CommentError) throw new HttpError(error.status, error.message);
  throw error;
}

async function readableWork(db: Db, viewer: Viewer | null, workId: number): Promise<InteractionWork> {
  const work = await loadInteractionWork(db, workId);
  if (!work) throw new HttpError(404, 'There is no work with this id. It may have been deleted.');
  const read = canReadWork(viewer, work);
  if (!read.allowed) throw new HttpError(read.status, read.reason);
  return work;
}

/** The comment form for this viewer, or the reason they cannot comment here. */
async function formOrNotice(
  db: Db,
  viewer: Viewer | null,
  work: InteractionWork,
  base: Omit<CommentFormView, 'workId' | 'guest' | 'postingAs' | 'csrfToken'>,
  csrfToken: () => string,
  /** The work page's shared answer, when it has one (kudos asks too). */
  blocked?: Promise<boolean>,
): Promise<{ form: CommentFormView | null; notice: string | null }> {
  const blockedByCreator =
    viewer !== null && !isCreator(viewer, work) && (await (blocked ?? isBlockedByAny(db, viewer.id, work.creatorUserIds)));
  const decision = canComment(viewer, work, { blockedByCreator });
  if (!decision.allowed) return { form: null, notice: decision.reason };
  return {
    form: {
      ...base,
      workId: work.id,
      guest: viewer === null,
      postingAs: viewer?.defaultPseudName ?? null,
      csrfToken: viewer ? csrfToken() : '',
    },
    notice: null,
  };
}

/** One page of comment threads (THREADS_PER_PAGE top-level comments with their replies) as this viewer sees it. */
async function threadFor(
  db: Db,
  viewer: Viewer | null,
  work: InteractionWork,
  filter: { chapterId?: number | undefined; paragraph?: number | undefined; page?: number },
  canPost: boolean,
) {
  const creator = isCreator(viewer, work);
  const { rows, hasNext } = await service.findCommentThreads(db, work.id, {
    ...filter,
    page: filter.page ?? 1,
    viewerId: viewer?.id ?? null,
    isCreator: creator,
  });
  const muted = viewer ? await mutedUserIds(db, viewer.id) : [];
  const shown = await concealCommentAuthors(db, work.id, rows);
  return { thread: toThreadView(shown, { viewer, isCreator: creator, mutedUserIds: muted, canPost }), hasNext };
}

/** The thread holding one comment (for the reply page), as this viewer sees it. */
async function threadOf(db: Db, viewer: Viewer | null, work: InteractionWork, commentId: number) {
  const rootId = await service.findThreadRootId(db, commentId);
  const rows = rootId === undefined ? [] : await concealCommentAuthors(db, work.id, await service.findThreadRows(db, [rootId]));
  const muted = viewer ? await mutedUserIds(db, viewer.id) : [];
  return toThreadView(rows, { viewer, isCreator: isCreator(viewer, work), mutedUserIds: muted, canPost: false });
}

function commentPageHref(workId: number, chapterId: number | undefined, page: number): string {
  return `/works/${workId}/comments?${chapterId === undefined ? '' : `chapter=${chapterId}&`}page=${page}`;
}

export function commentsRoutes(app: FastifyInstance, { db, config, workPanels }: RouteDeps): void {
  const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, config.siteName);
  const changed = (workId: number) => app.pageCache.invalidateWork(workId);
  /** To the page holding a comment as this viewer's listing pages it, or to `fallback` when they cannot see it (a guest's pending comment). */
  const toComment = async (reply: FastifyReply, viewer: Viewer | null, commentId: number, fallback: string) => {
    const at = await service.locateComment(db, viewer, commentId).catch((error: unknown) => {
      if (error instanceof service.CommentError) return null;
      throw error;
    });
    return reply.redirect(at?.url ?? fallback, 303);
  };

  workPanels.register({
    id: 'comments',
    slot: 'afterText',
    order: 20,
    personalWhen: commentsPersonalSql,
    async render(p) {
      if (p.work.isDraft) return null;
      const work = await sharedInteractionWork(p);
      if (!work) return null;
      const returnTo = p.chapterId === undefined ? `/works/${work.id}` : `/works/${work.id}/chapters/${p.chapterId}`;
      const { form, notice } = await formOrNotice(
        p.db,
        p.viewer,
        work,
        { values: {}, errors: {}, chapterId: p.chapterId, returnTo, legend: 'Post a comment' },
        p.csrfToken,
        sharedBlockedByCreator(p, work),
      );
      const { thread, hasNext } = await threadFor(p.db, p.viewer, work, { chapterId: p.chapterId }, form !== null);
      const paragraphs = await findParagraphLinks(p.db, work.id, p.chapterId);
      return (
        <CommentsPanel
          view={{
            workId: work.id,
            count: p.work.comments,
            thread,
            csrfToken: p.viewer ? p.csrfToken() : '',
            form,
            notice,
            settingsHref: isCreator(p.viewer, work) ? `/works/${work.id}/comment_settings` : null,
            paragraphs,
            morePagesHref: hasNext ? commentPageHref(work.id, p.chapterId, 2) : null,
          }}
        />
      );
    },
  });

  app.post<{ Params: { id: string } }>('/works/:id/comments', async (request, reply) => {
    const workId = idOrNotFound(request.params.id, 'work');
    const viewer = request.viewer;
    const parsed = CommentFormSchema.safeParse(request.body ?? {});
    const raw = formValues(request.body);
    const rerender = async (status: number, errors: Record<string, string>) => {
      const work = await readableWork(db, viewer, workId);
      const num = (v: string | undefined) => (v && /^\d{1,9}$/.test(v) ? Number(v) : undefined);
      const form: CommentFormView = {
        workId,
        csrfToken: request.csrfToken,
        guest: viewer === null,
        postingAs: viewer?.defaultPseudName ?? null,
        values: raw,
        errors,
        parentId: num(raw.parent_id),
        chapterId: num(raw.chapter_id),
        paragraph: num(raw.paragraph),
        returnTo: safeReturnPath(raw.return_to, `/works/${workId}`),
        legend: raw.parent_id ? 'Reply' : 'Post a comment',
      };
      return sendPage(
        reply,
        <CommentFormPage
          ctx={ctx(request, reply)}
          title="Your comment was not posted"
          work={work}
          form={form}
          status={status === 429 ? errors.comment : undefined}
        />,
        status,
      );
    };
    if (!parsed.success) return rerender(422, toFieldErrors(parsed.error));
    let posted;
    try {
      posted = await service.postComment(db, { viewer, workId, form: parsed.data, address: request.ip });
    } catch (error) {
      if (error instanceof service.CommentError && (error.status === 422 || error.status === 429) && error.field !== '_form') {
        return rerender(error.status, { [error.field]: error.message });
      }
      return toHttp(error);
    }
    changed(workId);
    setFlash(
      request,
      reply,
      posted.approved ? 'Comment created!' : 'Your comment was received. It will show once the creator approves it.',
    );
    // Straight to the page the new comment is on (past page 1 once a listing has 50 threads; a reply on its thread's page).
    return toComment(reply, viewer, posted.id, `${safeReturnPath(parsed.data.return_to, `/works/${workId}`)}#comments`);
  });

  // The permalink every link to one comment uses (inbox, API, moderation): a redirect computed per
  // request for this viewer, never stored in the guest page cache, nor by browsers.
  app.get<{ Params: { id: string } }>('/comments/:id', async (request, reply) => {
    const commentId = idOrNotFound(request.params.id, 'comment');
    const { url } = await service.locateComment(db, request.viewer, commentId).catch(toHttp);
    return reply.header('cache-control', 'private, no-store').redirect(url, 303);
  });

  app.get<{ Params: { id: string } }>('/comments/:id/reply', async (request, reply) => {
    const commentId = idOrNotFound(request.params.id, 'comment');
    const parent = await findComment(db, commentId);
    if (!parent) throw new HttpError(404, 'There is no such comment. It may have been deleted.');
    const work = await readableWork(db, request.viewer, parent.work_id);
    const thread = await threadOf(db, request.viewer, work, commentId);
    const find = (list: typeof thread): (typeof thread)[number] | undefined => {
      for (const c of list) {
        if (c.id === commentId) return c;
        const inner = find(c.replies);
        if (inner) return inner;
      }
      return undefined;
    };
    const shown = find(thread);
    if (shown?.state !== 'shown') throw new HttpError(404, 'There is no such comment to reply to. It may have been deleted.');
    const { form, notice } = await formOrNotice(
      db,
      request.viewer,
      work,
      { values: {}, errors: {}, parentId: commentId, returnTo: service.commentPermalink(parent.id), legend: `Reply to ${shown.author}` },
      () => request.csrfToken,
    );
    if (!form) throw new HttpError(request.viewer ? 403 : 401, notice ?? 'You cannot reply here.');
    if (parent.is_frozen) throw new HttpError(403, 'This comment thread is frozen: no one can reply to it.');
    return sendPage(
      reply,
      <CommentFormPage ctx={ctx(request, reply)} title={`Reply to ${shown.author}`} work={work} parent={shown} form={form} />,
    );
  });

  app.get<{ Params: { id: string } }>('/comments/:id/edit', async (request, reply) => {
    const commentId = idOrNotFound(request.params.id, 'comment');
    const { comment } = await service.authorizeEdit(db, request.viewer, commentId).catch(toHttp);
    return sendPage(
      reply,
      <EditCommentPage
        ctx={ctx(request, reply)}
        commentId={commentId}
        backHref={service.commentPermalink(commentId)}
        values={{ comment: comment.body_html }}
        errors={{}}
      />,
    );
  });

  app.post<{ Params: { id: string } }>('/comments/:id', async (request, reply) => {
    const commentId = idOrNotFound(request.params.id, 'comment');
    const { comment } = await service.authorizeEdit(db, request.viewer, commentId).catch(toHttp);
    const parsed = EditCommentSchema.safeParse(request.body ?? {});
    const rerender = (errors: Record<string, string>) =>
      sendPage(
        reply,
        <EditCommentPage
          ctx={ctx(request, reply)}
          commentId={commentId}
          backHref={service.commentPermalink(commentId)}
          values={formValues(request.body)}
          errors={errors}
        />,
        422,
      );
    if (!parsed.success) return rerender(toFieldErrors(parsed.error));
    try {
      await service.editComment(db, request.viewer, commentId, parsed.data.comment);
    } catch (error) {
      if (error instanceof service.CommentError && error.status === 422) return rerender({ [error.field]: error.message });
      return toHttp(error);
    }
    changed(comment.work_id);
    setFlash(request, reply, 'Comment was successfully updated.');
    return toComment(reply, request.viewer, commentId, service.commentPageUrl(comment, 1, 'comments'));
  });

  app.post<{ Params: { id: string } }>('/comments/:id/delete', async (request, reply) => {
    requireViewer(request);
    const commentId = idOrNotFound(request.params.id, 'comment');
    const { workId, parentId, url } = await service.deleteComment(db, request.viewer, commentId).catch(toHttp);
    changed(workId);
    setFlash(request, reply, 'Comment deleted.');
    return parentId === null ? reply.redirect(url, 303) : toComment(reply, request.viewer, parentId, url);
  });

  const moderation: Record<string, { action: service.ModerationAction; flash: string }> = {
    approve: { action: 'approve', flash: 'Comment approved: readers can see it now.' },
    hide: { action: 'hide', flash: 'Comment hidden from readers.' },
    unhide: { action: 'unhide', flash: 'Comment visible to readers again.' },
    freeze: { action: 'freeze', flash: 'Thread frozen: no one can reply to it.' },
    unfreeze: { action: 'unfreeze', flash: 'Thread unfrozen.' },
  };
  for (const [path, m] of Object.entries(moderation)) {
    app.post<{ Params: { id: string } }>(`/comments/:id/${path}`, async (request, reply) => {
      requireViewer(request);
      const commentId = idOrNotFound(request.params.id, 'comment');
      const { workId, url } = await service.moderateComment(db, request.viewer, commentId, m.action).catch(toHttp);
      changed(workId);
      setFlash(request, reply, m.flash);
      return toComment(reply, request.viewer, commentId, url);
    });
  }

  // ---- paragraph comments -----------------------------------------------------------------

  type ChapterParams = { Params: { id: string; chapterId: string } };
  const loadChapter = async (request: FastifyRequest<ChapterParams>) => {
    const workId = idOrNotFound(request.params.id, 'work');
    const chapterId = idOrNotFound(request.params.chapterId, 'chapter');
    const work = await readableWork(db, request.viewer, workId);
    const chapter = await service.chapterOfWork(db, workId, chapterId);
    if (!chapter) throw new HttpError(404, 'This work has no such chapter.');
    const paragraphs = topLevelParagraphs(chapter.body_html);
    const counts = await service.countParagraphComments(db, chapterId);
    const base = `/works/${workId}/chapters/${chapterId}/paragraphs`;
    const views = paragraphs.map((html, i) => ({
      n: i + 1,
      html: trustHtml(html),
      count: counts.get(i + 1) ?? 0,
      href: `${base}/${i + 1}/comments`,
    }));
    return {
      work,
      chapter: {
        id: chapter.id,
        heading: chapterHeading(chapter.position, chapter.title),
        href: `/works/${workId}/chapters/${chapterId}`,
        annotatedHref: base,
      },
      paragraphs: views,
    };
  };

  app.get<ChapterParams>('/works/:id/chapters/:chapterId/paragraphs', async (request, reply) => {
    const { work, chapter, paragraphs } = await loadChapter(request);
    return sendPage(reply, <AnnotatedChapterPage ctx={ctx(request, reply)} work={work} chapter={chapter} paragraphs={paragraphs} />);
  });

  app.get<{ Params: { id: string; chapterId: string; n: string } }>(
    '/works/:id/chapters/:chapterId/paragraphs/:n/comments',
    async (request, reply) => {
      const { work, chapter, paragraphs } = await loadChapter(request);
      const n = parseId(request.params.n);
      const paragraph = n === null ? undefined : paragraphs[n - 1];
      if (!paragraph)
        throw new HttpError(
          404,
          `This chapter has ${paragraphs.length} paragraphs; there is no paragraph “${request.params.n.slice(0, 20)}”.`,
        );
      const { form, notice } = await formOrNotice(
        db,
        request.viewer,
        work,
        {
          values: {},
          errors: {},
          chapterId: chapter.id,
          paragraph: paragraph.n,
          returnTo: `${chapter.annotatedHref}/${paragraph.n}/comments`,
          legend: `Comment on paragraph ${paragraph.n}`,
        },
        () => request.csrfToken,
      );
      const { page } = CommentPageQuerySchema.parse(request.query ?? {});
      const { thread, hasNext } = await threadFor(
        db,
        request.viewer,
        work,
        { chapterId: chapter.id, paragraph: paragraph.n, page },
        form !== null,
      );
      const href = (p: number) => `${chapter.annotatedHref}/${paragraph.n}/comments?page=${p}`;
      return sendPage(
        reply,
        <ParagraphCommentsPage
          ctx={ctx(request, reply)}
          work={work}
          chapter={chapter}
          paragraph={paragraph}
          thread={thread}
          csrfToken={request.viewer ? request.csrfToken : ''}
          form={form}
          notice={notice}
          pagination={{ page, hasNext, href }}
        />,
      );
    },
  );

  // Comment threads past the first page (the work or chapter page shows the first).
  app.get<{ Params: { id: string } }>('/works/:id/comments', async (request, reply) => {
    const work = await readableWork(db, request.viewer, idOrNotFound(request.params.id, 'work'));
    if (work.isDraft) throw new HttpError(404, 'Drafts have no comments. Post the work first.');
    const { page, chapter } = CommentPageQuerySchema.parse(request.query ?? {});
    const chapterRow = chapter === undefined ? undefined : await service.chapterOfWork(db, work.id, chapter);
    if (chapter !== undefined && !chapterRow) throw new HttpError(404, 'This work has no such chapter.');
    const { form } = await formOrNotice(
      db,
      request.viewer,
      work,
      { values: {}, errors: {}, returnTo: `/works/${work.id}`, legend: 'Post a comment' },
      () => request.csrfToken,
    );
    const { thread, hasNext } = await threadFor(db, request.viewer, work, { chapterId: chapterRow?.id, page }, form !== null);
    return sendPage(
      reply,
      <CommentPage
        ctx={ctx(request, reply)}
        work={work}
        heading={chapterRow ? `Comments on ${chapterHeading(chapterRow.position, chapterRow.title)}` : 'Comments'}
        backHref={chapterRow ? `/works/${work.id}/chapters/${chapterRow.id}` : `/works/${work.id}`}
        thread={thread}
        csrfToken={request.viewer ? request.csrfToken : ''}
        page={page}
        hasNext={hasNext}
        pageHref={(p) => commentPageHref(work.id, chapterRow?.id, p)}
      />,
    );
  });

  // ---- per-work settings --------------------------------------------------------------------

  app.get<{ Params: { id: string } }>('/works/:id/comment_settings', async (request, reply) => {
    requireViewer(request);
    const work = await service.authorizeSettings(db, request.viewer, idOrNotFound(request.params.id, 'work')).catch(toHttp);
    return sendPage(reply, <CommentSettingsPage ctx={ctx(request, reply)} work={work} />);
  });

  app.post<{ Params: { id: string } }>('/works/:id/comment_settings', async (request, reply) => {
    requireViewer(request);
    const workId = idOrNotFound(request.params.id, 'work');
    const parsed = CommentSettingsSchema.parse(formValues(request.body));
    await service.updateCommentSettings(db, request.viewer, workId, parsed).catch(toHttp);
    changed(workId);
    setFlash(request, reply, 'Comment settings saved.');
    return reply.redirect(`/works/${workId}#comments`, 303);
  });
}
