import { ANONYMOUS_CREATOR, concealCommentAuthors, findConcealedCreatorIds } from '../collections/anonymity.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { isBlockedByAny, mutedUserIds } from '../blocking/blocking.service.ts';
import { addInboxItem } from '../inbox/inbox.service.ts';
import type { Viewer } from '../web/viewer.ts';
import { toFieldHtml } from '../works/text/index.ts';
import { canReadWork, isCreator } from '../works/works.policy.ts';
import {
  canChangeCommentSettings,
  canComment,
  canDeleteComment,
  canEditComment,
  canModerateComments,
  isStaff,
  type Decision,
} from './comments.policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { toThreadView, type CommentView } from './comments.presenter.ts';
import * as repo from './comments.repo.ts';
import { GuestFieldsSchema, type CommentFormInput, type CommentSettingsInput } from './comments.schema.ts';
import { addressHash } from './fingerprint.ts';
import { topLevelParagraphs } from './paragraphs.ts';
import { loadInteractionWork, type InteractionWork } from './work-access.ts';

/** A refusal: its status, a message saying what to do, and the form field it concerns. */
export class CommentError extends Error {
  constructor(
    readonly status: 401 | 403 | 404 | 422 | 429,
    message: string,
    readonly field: string = '_form',
  ) {
    super(message);
  }
}

function enforce(decision: Decision): void {
  if (!decision.allowed) throw new CommentError(decision.status, decision.reason);
}

/** Spam defence: comments per signed-in user and per address over a window, links per guest comment. */
export interface CommentLimits {
  windowMinutes: number;
  perUser: number;
  perAddress: number;
  guestLinks: number;
}

export const DEFAULT_COMMENT_LIMITS: CommentLimits = { windowMinutes: 10, perUser: 10, perAddress: 20, guestLinks: 1 };

/** Links in sanitized comment HTML: <a> elements plus bare addresses in the remaining text. */
export function countLinks(html: string): number {
  const anchors = html.match(/<a\b/gi)?.length ?? 0;
  const rest = html.replace(/<a\b[\s\S]*?<\/a>/gi, ' ').replace(/<[^>]+>/g, ' ');
  const bare = rest.match(/\bhttps?:\/\/|\bwww\.[a-z0-9-]/gi)?.length ?? 0;
  return anchors + bare;
}

async function requireWork(db: Kysely<Database>, workId: number): Promise<InteractionWork> {
  const work = await loadInteractionWork(db, workId);
  if (!work) throw new CommentError(404, 'There is no work with this id. It may have been deleted.');
  return work;
}

export interface PostCommentInput {
  viewer: Viewer | null;
  workId: number;
  form: CommentFormInput;
  address: string;
}

export interface PostedComment {
  id: number;
  approved: boolean;
  url: string;
}

/**
 * The link to one comment wherever it is shown (inbox, API, moderation queue): GET /comments/:id
 * works out, per request and per viewer, which page of its thread listing holds it.
 */
export function commentPermalink(commentId: number): string {
  return `/comments/${commentId}`;
}

/**
 * A page of the thread listing a comment belongs to, anchored on it: a paragraph's own page, or
 * the chapter (work) page for page 1 and /works/:id/comments past it.
 */
export function commentPageUrl(
  c: { id: number; work_id: number; chapter_id: number | null; paragraph: number | null },
  page: number,
  anchor = `comment-${c.id}`,
): string {
  if (c.chapter_id !== null && c.paragraph !== null) {
    return `/works/${c.work_id}/chapters/${c.chapter_id}/paragraphs/${c.paragraph}/comments${page > 1 ? `?page=${page}` : ''}#${anchor}`;
  }
  if (page > 1) return `/works/${c.work_id}/comments?${c.chapter_id === null ? '' : `chapter=${c.chapter_id}&`}page=${page}#${anchor}`;
  if (c.chapter_id !== null) return `/works/${c.work_id}/chapters/${c.chapter_id}#${anchor}`;
  return `/works/${c.work_id}#${anchor}`;
}

export interface CommentLocation {
  workId: number;
  /** The page of its listing, counted as this viewer's listing counts it. */
  page: number;
  url: string;
}

const NO_SUCH_COMMENT = 'There is no such comment. It may have been deleted.';

function findInThread(thread: readonly CommentView[], id: number): CommentView | undefined {
  for (const c of thread) {
    if (c.id === id) return c;
    const inner = findInThread(c.replies, id);
    if (inner) return inner;
  }
  return undefined;
}

/**
 * Where this viewer reads a comment: the page of its listing that holds its thread's top-level
 * comment. Refused exactly as that page would refuse it: the work's visibility (401 for a guest
 * on a restricted work, 404 for drafts, hidden works, unposted chapters), then the comment's
 * (pending ones only for creators and their authors, hidden ones only for them and staff) —
 * a deleted or hidden comment is a placeholder at most, so 404 as for one that never existed.
 */
export async function locateComment(db: Kysely<Database>, viewer: Viewer | null, commentId: number): Promise<CommentLocation> {
  const comment = await repo.findComment(db, commentId);
  if (!comment) throw new CommentError(404, NO_SUCH_COMMENT);
  const work = await loadInteractionWork(db, comment.work_id);
  if (!work) throw new CommentError(404, NO_SUCH_COMMENT);
  const read = canReadWork(viewer, work);
  if (!read.allowed) throw new CommentError(read.status, read.status === 401 ? read.reason : NO_SUCH_COMMENT);
  // A draft's pages show no comments, not even to its creators.
  if (work.isDraft) throw new CommentError(404, NO_SUCH_COMMENT);
  const chapter = comment.chapter_id === null ? undefined : await repo.chapterOfWork(db, work.id, comment.chapter_id);
  if (comment.chapter_id !== null && !chapter) throw new CommentError(404, NO_SUCH_COMMENT);

  const rootId = comment.parent_id === null ? comment.id : await repo.findThreadRootId(db, comment.id);
  if (rootId === undefined) throw new CommentError(404, NO_SUCH_COMMENT);
  const creator = isCreator(viewer, work);
  const muted = viewer ? await mutedUserIds(db, viewer.id) : [];
  const rows = await concealCommentAuthors(db, work.id, await repo.findThreadRows(db, [rootId]));
  const thread = toThreadView(rows, { viewer, isCreator: creator, mutedUserIds: muted, canPost: false });
  const shown = findInThread(thread, comment.id);
  if (!shown || shown.state === 'deleted' || shown.state === 'hidden') throw new CommentError(404, NO_SUCH_COMMENT);

  // Replies live where their thread lives. A paragraph comment whose paragraph an edit removed
  // is still listed on its chapter's page.
  const onParagraphPage =
    chapter !== undefined && comment.paragraph !== null && comment.paragraph <= topLevelParagraphs(chapter.body_html).length;
  const listing = {
    id: comment.id,
    work_id: work.id,
    chapter_id: comment.chapter_id,
    paragraph: onParagraphPage ? comment.paragraph : null,
  };
  const page = await repo.findThreadPage(db, work.id, rootId, {
    chapterId: listing.chapter_id ?? undefined,
    paragraph: listing.paragraph ?? undefined,
    viewerId: viewer?.id ?? null,
    isCreator: creator,
  });
  return { workId: work.id, page, url: commentPageUrl(listing, page) };
}

/** Posts a comment or a reply after every check (visibility, blocks, frozen threads, guest rules, limits). */
export async function postComment(
  db: Kysely<Database>,
  input: PostCommentInput,
  limits: CommentLimits = DEFAULT_COMMENT_LIMITS,
  now = new Date(),
): Promise<PostedComment> {
  const { viewer, form } = input;
  const work = await requireWork(db, input.workId);
  const parent = form.parent_id !== undefined ? await repo.findComment(db, form.parent_id) : undefined;
  if (form.parent_id !== undefined && (!parent || parent.work_id !== work.id))
    throw new CommentError(404, 'There is no such comment to reply to. It may have been deleted.');
  const creator = isCreator(viewer, work);
  const blockedByCreator = viewer !== null && !creator && (await isBlockedByAny(db, viewer.id, work.creatorUserIds));
  const blockedByAuthor = viewer !== null && parent?.user_id != null && (await isBlockedByAny(db, viewer.id, [parent.user_id]));
  enforce(
    canComment(viewer, work, {
      blockedByCreator,
      parent: parent
        ? {
            isFrozen: parent.is_frozen,
            isDeleted: parent.deleted_at !== null,
            blockedByAuthor,
            visible: creator || (parent.is_approved && !parent.is_hidden) || (viewer !== null && parent.user_id === viewer.id),
          }
        : undefined,
    }),
  );

  // A reply lives where its parent lives; a paragraph needs its chapter and an existing paragraph.
  let chapterId = parent ? parent.chapter_id : (form.chapter_id ?? null);
  let paragraph = parent ? parent.paragraph : (form.paragraph ?? null);
  if (chapterId !== null) {
    const chapter = await repo.chapterOfWork(db, work.id, chapterId);
    if (!chapter) throw new CommentError(404, 'This work has no such chapter.');
    if (paragraph !== null) {
      const count = topLevelParagraphs(chapter.body_html).length;
      if (paragraph > count) throw new CommentError(404, `This chapter has ${count} paragraphs; there is no paragraph ${paragraph}.`);
    }
  } else {
    paragraph = null;
    chapterId = null;
  }

  let guest: { guest_name: string; guest_email: string } | undefined;
  if (viewer === null) {
    const parsed = GuestFieldsSchema.safeParse({ guest_name: form.guest_name ?? '', guest_email: form.guest_email ?? '' });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new CommentError(422, issue.message, String(issue.path[0] ?? '_form'));
    }
    guest = parsed.data;
  }

  const html = toFieldHtml(form.comment);
  if (html.trim() === '')
    throw new CommentError(422, 'Write your comment: nothing was left of it after removing unsupported HTML.', 'comment');
  if (viewer === null && countLinks(html) > limits.guestLinks) {
    throw new CommentError(
      422,
      `Guest comments can contain at most ${limits.guestLinks} link. Remove the extra links, or log in to post more.`,
      'comment',
    );
  }

  const since = new Date(now.getTime() - limits.windowMinutes * 60_000);
  const address = await addressHash(db, input.address);
  const tooFast = `You are commenting too fast: at most %N comments in ${limits.windowMinutes} minutes. Your comment is kept below; wait a few minutes and post it again.`;
  if (viewer && (await repo.countRecentComments(db, { userId: viewer.id }, since)) >= limits.perUser) {
    throw new CommentError(429, tooFast.replace('%N', String(limits.perUser)), 'comment');
  }
  if ((await repo.countRecentComments(db, { addressHash: address }, since)) >= limits.perAddress) {
    throw new CommentError(
      429,
      tooFast.replace('%N', String(limits.perAddress)).replace('comments in', 'comments from your network address in'),
      'comment',
    );
  }

  const approved = !work.commentsModerated || creator;
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('comments')
      .values({
        work_id: work.id,
        chapter_id: chapterId,
        paragraph,
        parent_id: parent?.id ?? null,
        user_id: viewer?.id ?? null,
        pseud_name: viewer?.defaultPseudName ?? null,
        guest_name: guest?.guest_name ?? null,
        guest_email: guest?.guest_email ?? null,
        body_html: html,
        address_hash: address,
        is_approved: approved,
        is_frozen: false,
      })
      .returning(['id', 'work_id', 'chapter_id', 'paragraph'])
      .executeTakeFirstOrThrow();
    await repo.recountComments(trx, work.id);
    const url = commentPermalink(row.id);
    // A concealed work's creator answering is "Anonymous creator" in the notices too (decision 043).
    const anonymous = viewer !== null && (await findConcealedCreatorIds(trx, work.id)).includes(viewer.id);
    const who = anonymous ? ANONYMOUS_CREATOR : viewer ? viewer.defaultPseudName : `${guest!.guest_name} (guest)`;
    const where = paragraph !== null ? ` on paragraph ${paragraph} of` : ' on';
    const notified = new Set<number>();
    if (parent?.user_id != null && parent.user_id !== viewer?.id && approved) {
      notified.add(parent.user_id);
      await addInboxItem(trx, {
        userId: parent.user_id,
        kind: 'reply',
        workId: work.id,
        commentId: row.id,
        actorUserId: anonymous ? null : (viewer?.id ?? null),
        text: `${who} replied to your comment${where} ${work.title}.`,
        url,
      });
    }
    for (const creatorId of work.creatorUserIds) {
      if (creatorId === viewer?.id || notified.has(creatorId)) continue;
      await addInboxItem(trx, {
        userId: creatorId,
        kind: approved ? 'comment' : 'comment.pending',
        workId: work.id,
        commentId: row.id,
        actorUserId: viewer?.id ?? null,
        text: approved
          ? `${who} commented${where} ${work.title}.`
          : `${who} commented${where} ${work.title}; the comment awaits your approval.`,
        url,
      });
    }
    return { id: row.id, approved, url };
  });
}

/** The comment and its work, for acting on it; on a work the viewer may not read (a hidden one) there is no such comment. */
async function loadCommentAndWork(db: Kysely<Database>, viewer: Viewer | null, commentId: number) {
  const comment = await repo.findComment(db, commentId);
  if (!comment) throw new CommentError(404, 'There is no such comment. It may have been deleted.');
  const work = await requireWork(db, comment.work_id);
  const read = canReadWork(viewer, work);
  if (!read.allowed && read.status === 404) throw new CommentError(404, 'There is no such comment. It may have been deleted.');
  return { comment, work };
}

/** Loads a comment for its edit form (author only). */
export async function authorizeEdit(db: Kysely<Database>, viewer: Viewer | null, commentId: number) {
  const { comment, work } = await loadCommentAndWork(db, viewer, commentId);
  enforce(canEditComment(viewer, { userId: comment.user_id, isDeleted: comment.deleted_at !== null }));
  return { comment, work };
}

export async function editComment(db: Kysely<Database>, viewer: Viewer | null, commentId: number, text: string): Promise<void> {
  await authorizeEdit(db, viewer, commentId);
  const html = toFieldHtml(text);
  if (html.trim() === '')
    throw new CommentError(422, 'Write your comment: nothing was left of it after removing unsupported HTML.', 'comment');
  await db.updateTable('comments').set({ body_html: html, edited_at: new Date() }).where('id', '=', commentId).execute();
}

/**
 * Deletes a comment; one with replies stays in the thread as "This comment was deleted". Gives
 * the parent (where to go back to, for a reply) and the first page of the listing it was on.
 */
export async function deleteComment(
  db: Kysely<Database>,
  viewer: Viewer | null,
  commentId: number,
): Promise<{ workId: number; parentId: number | null; url: string }> {
  const { comment, work } = await loadCommentAndWork(db, viewer, commentId);
  enforce(canDeleteComment(viewer, { userId: comment.user_id }, work));
  const byStaff = isStaff(viewer) && comment.user_id !== viewer!.id && !isCreator(viewer, work);
  await db.transaction().execute(async (trx) => {
    if (byStaff) {
      await recordAudit(trx, {
        actor: { id: viewer!.id, login: viewer!.login },
        action: 'comment.delete',
        targetType: 'comment',
        targetId: commentId,
        details: { workId: work.id },
      });
    }
    if (await repo.hasReplies(trx, commentId)) {
      await trx
        .updateTable('comments')
        .set({ deleted_at: new Date(), body_html: '', guest_email: null })
        .where('id', '=', commentId)
        .execute();
    } else {
      await trx.deleteFrom('comments').where('id', '=', commentId).execute();
    }
    await repo.recountComments(trx, work.id);
  });
  return { workId: work.id, parentId: comment.parent_id, url: commentPageUrl(comment, 1, 'comments') };
}

export type ModerationAction = 'approve' | 'hide' | 'unhide' | 'freeze' | 'unfreeze';

/** The creator's moderation of one comment (and, for freezing, the thread below it); gives the first page of its listing. */
export async function moderateComment(
  db: Kysely<Database>,
  viewer: Viewer | null,
  commentId: number,
  action: ModerationAction,
): Promise<{ workId: number; url: string }> {
  const { comment, work } = await loadCommentAndWork(db, viewer, commentId);
  enforce(canModerateComments(viewer, work));
  const byStaff = isStaff(viewer) && !isCreator(viewer, work);
  await db.transaction().execute(async (trx) => {
    if (byStaff) {
      await recordAudit(trx, {
        actor: { id: viewer!.id, login: viewer!.login },
        action: `comment.${action}`,
        targetType: 'comment',
        targetId: commentId,
        details: { workId: work.id },
      });
    }
    if (action === 'freeze' || action === 'unfreeze') {
      await repo.setThreadFrozen(trx, commentId, action === 'freeze');
      return;
    }
    const set = action === 'approve' ? { is_approved: true } : { is_hidden: action === 'hide' };
    await trx.updateTable('comments').set(set).where('id', '=', commentId).execute();
    await repo.recountComments(trx, work.id);
    if (action === 'approve' && !comment.is_approved && comment.parent_id !== null) {
      const parent = await repo.findComment(trx, comment.parent_id);
      if (parent?.user_id != null && parent.user_id !== comment.user_id) {
        await addInboxItem(trx, {
          userId: parent.user_id,
          kind: 'reply',
          workId: work.id,
          commentId,
          actorUserId: comment.user_id,
          text: `${comment.pseud_name ?? comment.guest_name ?? 'Someone'} replied to your comment on ${work.title}.`,
          url: commentPermalink(commentId),
        });
      }
    }
  });
  return { workId: work.id, url: commentPageUrl(comment, 1, 'comments') };
}

export async function authorizeSettings(db: Kysely<Database>, viewer: Viewer | null, workId: number): Promise<InteractionWork> {
  const work = await requireWork(db, workId);
  enforce(canChangeCommentSettings(viewer, work));
  return work;
}

/** The creator's per-work comment settings: guest comments, moderation. */
export async function updateCommentSettings(
  db: Kysely<Database>,
  viewer: Viewer | null,
  workId: number,
  input: CommentSettingsInput,
): Promise<void> {
  await authorizeSettings(db, viewer, workId);
  await db
    .updateTable('works')
    .set({ guest_comments_allowed: input.guest_comments_allowed, comments_moderated: input.comments_moderated })
    .where('id', '=', workId)
    .execute();
}

export {
  findComment,
  findCommentsOfWork,
  findCommentThreads,
  findThreadRows,
  findThreadRootId,
  countParagraphComments,
  chapterOfWork,
  THREADS_PER_PAGE,
} from './comments.repo.ts';
