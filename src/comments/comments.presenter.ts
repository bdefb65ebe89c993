import { isStaff } from './comments.policy.ts';
import { formatDate } from '../lib/dates.ts';
import { trustHtml, type SafeHtml } from '../lib/safe-html.ts';
import type { Viewer } from '../web/viewer.ts';
import type { CommentRow } from './comments.repo.ts';

export interface CommentView {
  id: number;
  /** 'shown' has a body; the others are placeholders kept so replies stay in place. */
  state: 'shown' | 'deleted' | 'hidden' | 'muted';
  author: string;
  authorHref: string | null;
  isGuest: boolean;
  bodyHtml: SafeHtml;
  date: string;
  edited: boolean;
  pending: boolean;
  hiddenByCreator: boolean;
  frozen: boolean;
  paragraph: number | null;
  paragraphHref: string | null;
  canEdit: boolean;
  canDelete: boolean;
  canModerate: boolean;
  canReply: boolean;
  replies: CommentView[];
}

/**
 * Builds the thread a viewer sees: pending comments only for creators and their authors,
 * hidden ones only for creators and authors (others see a placeholder when replies hang
 * below), deleted ones with replies as "This comment was deleted", muted users' comments
 * out of sight.
 */
export function toThreadView(
  rows: readonly CommentRow[],
  options: { viewer: Viewer | null; isCreator: boolean; mutedUserIds: readonly number[]; canPost: boolean },
): CommentView[] {
  const { viewer, isCreator } = options;
  const staff = isStaff(options.viewer);
  const muted = new Set(options.mutedUserIds);
  const byParent = new Map<number | null, CommentRow[]>();
  const ids = new Set(rows.map((r) => r.id));
  for (const r of rows) {
    const key = r.parent_id !== null && ids.has(r.parent_id) ? r.parent_id : null;
    const list = byParent.get(key) ?? [];
    list.push(r);
    byParent.set(key, list);
  }
  const build = (parentId: number | null): CommentView[] => {
    const out: CommentView[] = [];
    for (const r of byParent.get(parentId) ?? []) {
      const replies = build(r.id);
      const own = viewer !== null && r.user_id === viewer.id;
      const deleted = r.deleted_at !== null;
      if (!r.is_approved && !isCreator && !own) continue;
      let state: CommentView['state'] = 'shown';
      if (deleted) state = 'deleted';
      else if (r.is_hidden && !isCreator && !own && !staff) state = 'hidden';
      else if (r.user_id !== null && muted.has(r.user_id)) state = 'muted';
      if (state !== 'shown' && replies.length === 0) continue;
      out.push({
        id: r.id,
        state,
        author: r.user_id !== null ? (r.pseud_name ?? r.login ?? 'A former user') : (r.guest_name ?? 'Guest'),
        authorHref: r.login ? `/users/${encodeURIComponent(r.login)}` : null,
        isGuest: r.user_id === null && r.guest_name !== null,
        bodyHtml: state === 'shown' ? trustHtml(r.body_html) : trustHtml(''),
        date: formatDate(r.created_at),
        edited: r.edited_at !== null,
        pending: !r.is_approved,
        hiddenByCreator: r.is_hidden,
        frozen: r.is_frozen,
        paragraph: r.paragraph,
        paragraphHref:
          r.chapter_id !== null && r.paragraph !== null
            ? `/works/${r.work_id}/chapters/${r.chapter_id}/paragraphs/${r.paragraph}/comments`
            : null,
        canEdit: own && !deleted && state === 'shown',
        canDelete: !deleted && (own || isCreator || staff),
        canModerate: (isCreator || staff) && !deleted,
        canReply: options.canPost && state === 'shown' && !r.is_frozen && r.is_approved,
        replies,
      });
    }
    return out;
  };
  return build(null);
}
