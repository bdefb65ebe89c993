import { formatDate } from '../lib/dates.ts';
import { htmlToText } from '../works/text/index.ts';
import type { InboxRow } from './inbox.service.ts';
import type { InboxItemView } from './inbox.views.tsx';

/** How much of a comment the inbox shows: enough to know what was said, the rest one click away. */
export const EXCERPT_CHARS = 280;

/**
 * A comment's words as plain text for the inbox, cut at a word near EXCERPT_CHARS. Plain text,
 * not the comment's HTML: the item links to the comment itself, and text is escaped when shown.
 */
export function commentExcerpt(html: string): string {
  const text = htmlToText(html).replace(/\s+/g, ' ').trim();
  if (text.length <= EXCERPT_CHARS) return text;
  const cut = text.slice(0, EXCERPT_CHARS);
  const space = cut.lastIndexOf(' ');
  return `${(space > EXCERPT_CHARS * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,.;:!?—–-]+$/, '')}…`;
}

/** One inbox row as the page shows it: the comment's words and a reply form only while the comment can be seen and answered. */
export function toInboxItemView(row: InboxRow, base: string): InboxItemView {
  const visible = row.comment_id !== null && row.comment_deleted_at === null && row.comment_hidden === false;
  return {
    id: row.id,
    kind: row.kind,
    text: row.text,
    url: row.url,
    openHref: `${base}/${row.id}`,
    unread: row.read_at === null,
    date: formatDate(row.created_at),
    excerpt: visible && row.comment_html !== null ? commentExcerpt(row.comment_html) : null,
    replyTo:
      visible && row.comment_approved === true && row.comment_frozen === false && row.comment_work_id !== null
        ? { commentId: row.comment_id!, workId: row.comment_work_id }
        : null,
  };
}
