import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { MailChoice } from '../db/tables/work-skins-and-mail.ts';
import { enqueueJob } from '../jobs/jobs.service.ts';
import { htmlToText } from '../works/text/index.ts';
import type { Mailer } from '../accounts/mailer.ts';
import * as repo from './notifications.repo.ts';
import { readLink, signLink } from './signed-links.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** One mail (or digest entry) per inbox item about a comment, reply, kudos, gift or related work (payload: MailPayload). */
export const NOTIFICATION_MAIL_JOB = 'notifications.mail';
/** One user's day of digest entries in one mail (payload: { userId }), at the end of the UTC day. */
export const NOTIFICATION_DIGEST_JOB = 'notifications.digest';

export const MAIL_KINDS = ['comments', 'replies', 'kudos', 'gifts', 'related_works'] as const;
export type MailKind = (typeof MAIL_KINDS)[number];
export type NotificationPreferences = Record<MailKind, MailChoice>;

/** AO3 mails comments as they come and kudos once a day; Fanfold's kudos already arrive as one note per work per day. */
export const DEFAULT_NOTIFICATION_PREFERENCES: NotificationPreferences = {
  comments: 'each',
  replies: 'each',
  kudos: 'each',
  gifts: 'each',
  related_works: 'each',
};

/** What each kind is called in mails and on the settings page. */
export const MAIL_KIND_LABELS: Record<MailKind, string> = {
  comments: 'comments on your works',
  replies: 'replies to your comments',
  kudos: 'kudos on your works',
  gifts: 'works given to you as gifts',
  related_works: 'works that name yours as inspiration, or translate, remix or read it',
};

/** The inbox kinds (src/inbox) that are also mailed, and the preference that governs each. */
const INBOX_KINDS: Record<string, MailKind> = {
  comment: 'comments',
  'comment.pending': 'comments',
  reply: 'replies',
  kudos: 'kudos',
  gift: 'gifts',
  related_work: 'related_works',
};

interface MailPayload {
  userId: number;
  kind: MailKind;
  text: string;
  url: string;
  /** Who did it, when a user did: someone the recipient muted is not mailed about, as the inbox hides them. */
  actorUserId?: number | null;
  /** The comment reported, whose words the mail quotes as AO3's do (read when the mail goes out). */
  commentId?: number | null;
}

/**
 * Called by addInboxItem inside the transaction that writes the inbox item: queues its mail, so
 * the request never waits on a mail server and a rolled-back change mails nothing. Inbox kinds
 * that are not mailed are ignored.
 */
export async function enqueueNotificationMail(
  db: Db,
  item: {
    userId: number;
    kind: string;
    text: string;
    url: string;
    actorUserId?: number | null | undefined;
    commentId?: number | null | undefined;
    dedupeKey?: string | undefined;
  },
): Promise<void> {
  const kind = INBOX_KINDS[item.kind];
  if (!kind) return;
  const payload: MailPayload = {
    userId: item.userId,
    kind,
    text: item.text.slice(0, 1000),
    // The inbox's rule: only a path on this site becomes a link.
    url: item.url.startsWith('/') && !item.url.startsWith('//') ? item.url : '/',
    actorUserId: item.actorUserId ?? null,
    commentId: item.commentId ?? null,
  };
  await enqueueJob(db, {
    kind: NOTIFICATION_MAIL_JOB,
    payload,
    // An item rewritten under its key (the day's kudos summary) mails once.
    ...(item.dedupeKey !== undefined ? { dedupeKey: `notifications.mail:${item.userId}:${item.dedupeKey}` } : {}),
  });
}

export async function findNotificationPreferences(db: Db, userId: number): Promise<NotificationPreferences> {
  return (await repo.findPreferences(db, userId)) ?? { ...DEFAULT_NOTIFICATION_PREFERENCES };
}

export async function saveNotificationPreferences(db: Kysely<Database>, userId: number, prefs: NotificationPreferences): Promise<void> {
  await repo.upsertPreferences(db, userId, prefs);
}

export interface NotificationMailContext {
  mailer: Mailer;
  baseUrl: string;
  siteName: () => string;
  /** Whether mail is configured at all (SMTP_URL): without it the jobs do nothing. */
  enabled: boolean;
  /** Whether this user's address may be mailed (a confirmed address, when the archive asks for confirmation). */
  mayMail: (db: Kysely<Database>, userId: number) => Promise<boolean>;
}

/** The end of the UTC day of `now`: when that day's digests go out. */
export function endOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, 0, 10));
}

async function footer(
  db: Kysely<Database>,
  ctx: NotificationMailContext,
  user: { id: number; login: string },
  subject: string,
  what: string,
) {
  const token = await signLink(db, { purpose: 'unsubscribe', userId: user.id, subject });
  return (
    `\n\n-- \nYou get this email because of your notification settings on ${ctx.siteName()}.\n` +
    `Change them: ${ctx.baseUrl}/users/${encodeURIComponent(user.login)}/notifications\n` +
    `Stop emails about ${what}: ${ctx.baseUrl}/unsubscribe/${token}`
  );
}

/** Longest comment quoted in a mail; the link leads to the rest. */
const MAIL_COMMENT_CHARS = 5000;

/**
 * The reported comment's words as plain text, each line quoted with "> ", or nothing when the item
 * is not about a comment or the comment was deleted or hidden before the mail went out.
 */
async function quotedComment(db: Kysely<Database>, commentId: number | null | undefined): Promise<string> {
  if (typeof commentId !== 'number') return '';
  const html = await repo.findMailableCommentHtml(db, commentId);
  if (html === null) return '';
  let words = htmlToText(html).trim();
  if (words === '') return '';
  if (words.length > MAIL_COMMENT_CHARS) words = `${words.slice(0, MAIL_COMMENT_CHARS).trimEnd()}…`;
  return `\n\n${words
    .split('\n')
    .map((line) => (line.trim() === '' ? '>' : `> ${line}`))
    .join('\n')}`;
}

/** The mail job: sends the item now, keeps it for the day's digest, or drops it, as the user chose. */
export async function deliverNotification(
  db: Kysely<Database>,
  ctx: NotificationMailContext,
  raw: unknown,
  now = new Date(),
): Promise<void> {
  if (!ctx.enabled) return;
  const p = raw as Partial<MailPayload>;
  if (typeof p.userId !== 'number' || !MAIL_KINDS.includes(p.kind as MailKind) || typeof p.text !== 'string' || typeof p.url !== 'string')
    return;
  const payload = p as MailPayload;
  const choice = (await findNotificationPreferences(db, payload.userId))[payload.kind];
  if (choice === 'off') return;
  if (typeof payload.actorUserId === 'number' && (await repo.hasMuted(db, payload.userId, payload.actorUserId))) return;
  const user = await repo.findRecipient(db, payload.userId);
  if (!user || !(await ctx.mayMail(db, user.id))) return;
  const text = payload.text + (await quotedComment(db, payload.commentId));
  if (choice === 'digest') {
    await db.transaction().execute(async (trx) => {
      await repo.insertDigestItem(trx, { userId: user.id, kind: payload.kind, text, url: payload.url });
      await enqueueJob(trx, {
        kind: NOTIFICATION_DIGEST_JOB,
        payload: { userId: user.id },
        runAt: endOfUtcDay(now),
        dedupeKey: `notifications.digest:${user.id}:${now.toISOString().slice(0, 10)}`,
      });
    });
    return;
  }
  await ctx.mailer.send({
    to: user.email,
    subject: `[${ctx.siteName()}] ${payload.text}`.slice(0, 200),
    text: `${text}\n\n${ctx.baseUrl}${payload.url}${await footer(db, ctx, user, payload.kind, MAIL_KIND_LABELS[payload.kind])}`,
  });
}

const DIGEST_LIMIT = 500;

/** The digest job: one mail with everything kept for the user since the last digest. */
export async function sendNotificationDigest(db: Kysely<Database>, ctx: NotificationMailContext, raw: unknown): Promise<number> {
  const userId = (raw as { userId?: unknown })?.userId;
  if (typeof userId !== 'number' || !ctx.enabled) return 0;
  const user = await repo.findRecipient(db, userId);
  if (!user) return 0;
  const items = await repo.findDigestItems(db, userId, DIGEST_LIMIT);
  if (items.length === 0) return 0;
  const sections = MAIL_KINDS.map((kind) => {
    const mine = items.filter((i) => i.kind === kind);
    if (mine.length === 0) return '';
    const heading = MAIL_KIND_LABELS[kind];
    return `${heading[0]!.toUpperCase()}${heading.slice(1)}:\n\n${mine.map((i) => `* ${i.text.replaceAll('\n', '\n  ')}\n  ${ctx.baseUrl}${i.url}`).join('\n\n')}`;
  }).filter((s) => s !== '');
  const count = `${items.length} ${items.length === 1 ? 'notification' : 'notifications'}`;
  await ctx.mailer.send({
    to: user.email,
    subject: `[${ctx.siteName()}] Your daily digest: ${count}`,
    text: `What happened today:\n\n${sections.join('\n\n')}${await footer(db, ctx, user, 'digest', 'anything in the daily digest')}`,
  });
  // Sent first, deleted after: a crash in between sends the digest twice rather than never.
  await repo.deleteDigestItems(db, userId, items[items.length - 1]!.id);
  return items.length;
}

/** What an unsubscribe link turns off: one kind, or every kind sent as a digest. */
export interface Unsubscription {
  userId: number;
  login: string;
  email: string;
  kinds: MailKind[];
  /** Words for the page: "comments on your works". */
  what: string;
}

/** Reads an unsubscribe link; undefined when it is not one of ours (altered, or its account gone). */
export async function readUnsubscribeLink(db: Kysely<Database>, token: string): Promise<Unsubscription | undefined> {
  const claims = await readLink(db, token, 'unsubscribe');
  if (!claims || claims === 'expired') return undefined;
  const user = await repo.findRecipient(db, claims.userId);
  if (!user) return undefined;
  if (claims.subject === 'digest') {
    const prefs = await findNotificationPreferences(db, user.id);
    const kinds = MAIL_KINDS.filter((k) => prefs[k] === 'digest');
    return { userId: user.id, login: user.login, email: user.email, kinds, what: 'anything in the daily digest' };
  }
  if (!MAIL_KINDS.includes(claims.subject as MailKind)) return undefined;
  const kind = claims.subject as MailKind;
  return { userId: user.id, login: user.login, email: user.email, kinds: [kind], what: MAIL_KIND_LABELS[kind] };
}

/** Turns the link's kinds off, in one transaction with the preferences read. */
export async function applyUnsubscribe(db: Kysely<Database>, u: Unsubscription): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const prefs = await findNotificationPreferences(trx, u.userId);
    for (const kind of u.kinds) prefs[kind] = 'off';
    await repo.upsertPreferences(trx, u.userId, prefs);
  });
}
