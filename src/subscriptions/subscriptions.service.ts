import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { ViewerFactArgs } from '../works/work-panels.ts';
import type { Database } from '../db/schema.ts';
import type { EmailMode } from '../db/tables/collections.ts';
import { findUserById } from '../accounts/accounts.service.ts';
import { loadWorkAccess, WorkNotFoundError } from '../works/works.service.ts';
import { findCreatorsOfWorks } from '../works/works.service.ts';
import { chapterHeading } from '../works/reading.ts';
import type { Viewer } from '../web/viewer.ts';
import { findSeriesCreators, findSeriesOfWork, findSeriesRow, findSeriesWorkIds } from '../series/series.service.ts';
import { findReadableWorks } from '../series/visible-works.ts';
import { canSeeSeries } from '../series/series.policy.ts';
import type { WorkUpdatedEvent } from './events.ts';
import type { Mailer } from './mailer.ts';
import * as repo from './subscriptions.repo.ts';
import { canSubscribeToCreator, canSubscribeToSeries, canSubscribeToWork, type SubscribeDecision } from './subscriptions.policy.ts';
import type { SubscriptionTarget } from './subscriptions.schema.ts';
import { concealCreators } from '../collections/anonymity.ts';

type Db = Kysely<Database>;

export { findSubscriptionId } from './subscriptions.repo.ts';

/** When the subscribe button differs from other readers': the viewer subscribed to the work. */
export function workSubscriptionPersonalSql(args: ViewerFactArgs): RawBuilder<boolean> {
  return sql<boolean>`exists (select 1 from subscriptions where user_id = ${args.viewerId} and work_id = ${args.workId})`;
}

/** Sends one subscription email (payload: { notificationId }). */
export const EMAIL_JOB = 'subscriptions.email';
/** Sends a user's daily digest (payload: { userId }), scheduled for the end of the day. */
export const DIGEST_JOB = 'subscriptions.digest';

export class SubscriptionRefusedError extends Error {
  constructor(
    readonly status: 401 | 403 | 404 | 422,
    message: string,
  ) {
    super(message);
  }
}

function refuse(decision: SubscribeDecision): void {
  if (!decision.allowed) throw new SubscriptionRefusedError(decision.status, decision.reason);
}

/** Checks the policy for the target (a readable posted work, another user, a visible series). */
async function authorizeSubscribe(db: Db, viewer: Viewer | null, target: SubscriptionTarget): Promise<void> {
  if (target.kind === 'work') {
    const loaded = await loadWorkAccess(db, target.id).catch((error: unknown) => {
      if (error instanceof WorkNotFoundError) throw new SubscriptionRefusedError(404, error.message);
      throw error;
    });
    refuse(canSubscribeToWork(viewer, loaded.facts));
  } else if (target.kind === 'creator') {
    const user = await findUserById(db, target.id);
    if (!user) throw new SubscriptionRefusedError(404, 'There is no such user.');
    refuse(canSubscribeToCreator(viewer, user.id));
  } else {
    const series = await findSeriesRow(db, target.id);
    let visible = false;
    if (series) {
      const creators = await findSeriesCreators(db, series.id);
      const works = await findReadableWorks(
        db,
        viewer,
        (await findSeriesWorkIds(db, series.id)).map((w) => w.work_id),
      );
      visible = canSeeSeries(viewer, { creatorUserIds: creators.map((c) => c.user_id) }, works.length);
    }
    refuse(canSubscribeToSeries(viewer, visible));
  }
}

/** Subscribes the viewer (a second subscribe is a no-op). */
export async function subscribe(db: Db, viewer: Viewer | null, target: SubscriptionTarget): Promise<void> {
  await authorizeSubscribe(db, viewer, target);
  await repo.insertSubscription(db, viewer!.id, target);
}

/** Unsubscribes the viewer; anyone signed in may drop their own subscription whatever became of the target. */
export async function unsubscribe(db: Db, viewer: Viewer, target: SubscriptionTarget): Promise<boolean> {
  return repo.deleteSubscription(db, viewer.id, target);
}

export interface SubscriptionListItem {
  kind: SubscriptionTarget['kind'];
  id: number;
  label: string;
  href: string | undefined;
}

/** The user's subscriptions for their list page; works they can no longer read show without a link. */
export async function listSubscriptions(db: Db, viewer: Viewer): Promise<SubscriptionListItem[]> {
  const rows = await repo.findSubscriptionsOfUser(db, viewer.id);
  const workIds = rows.flatMap((r) => (r.work_id !== null ? [r.work_id] : []));
  const readable = new Map((await findReadableWorks(db, viewer, workIds)).map((w) => [w.id, w]));
  return rows.map((r): SubscriptionListItem => {
    if (r.work_id !== null) {
      const work = readable.get(r.work_id);
      return {
        kind: 'work',
        id: r.work_id,
        label: work ? work.title : 'A work you can no longer read',
        href: work ? `/works/${work.id}` : undefined,
      };
    }
    if (r.creator_user_id !== null) {
      return {
        kind: 'creator',
        id: r.creator_user_id,
        label: r.creator_login ?? 'A deleted user',
        href: r.creator_login ? `/users/${encodeURIComponent(r.creator_login)}` : undefined,
      };
    }
    return { kind: 'series', id: r.series_id!, label: r.series_title ?? 'A deleted series', href: `/series/${r.series_id}` };
  });
}

export function findEmailMode(db: Db, userId: number): Promise<EmailMode> {
  return repo.findEmailMode(db, userId);
}

export function setEmailMode(db: Db, viewer: Viewer, mode: EmailMode): Promise<void> {
  return repo.upsertEmailMode(db, viewer.id, mode);
}

// ---- notifications -----------------------------------------------------------------------

/** Recipients are recorded this many at a time, each batch in its own short transaction. */
const FAN_OUT_BATCH = 500;

/** The end of the UTC day of `now`: when that day's digests go out. */
export function endOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
}

export interface FanOutOptions {
  /** Whether email is configured (SMTP_URL): only then are email and digest jobs enqueued. */
  emailEnabled: boolean;
  now?: Date;
}

/**
 * Turns one event into one inbox item per subscriber, and one email job (or a place in the
 * daily digest) each. A subscription_notifications row per recipient and event is written in
 * the same transaction as the inbox item and the email job, and nothing is written for a
 * recipient who already has that row: running the job again, or after a failure half-way,
 * sends nothing twice. Returns how many recipients were new.
 */
export async function fanOutWorkUpdate(db: Db, event: WorkUpdatedEvent, options: FanOutOptions): Promise<number> {
  const work = await db
    .selectFrom('works')
    .select(['id', 'title', 'is_draft'])
    .select((eb) =>
      eb
        .exists(eb.selectFrom('hidden_works').select('hidden_works.work_id').whereRef('hidden_works.work_id', '=', 'works.id'))
        .as('is_hidden'),
    )
    .where('id', '=', event.workId)
    .executeTakeFirst();
  // Deleted, unposted or hidden since: nobody is told.
  if (!work || work.is_draft || work.is_hidden) return 0;
  const creators = await findCreatorsOfWorks(db, [work.id]);
  const creatorIds = [...new Set(creators.map((c) => c.user_id))];
  // An anonymous or unrevealed work (decision 043): no notice would keep its creators' secret to
  // their and its series' subscribers, so none goes until the reveal sends it; chapters say "Anonymous".
  const shown = await concealCreators(db, null, creators);
  if (shown.length < creators.length && event.event !== 'chapter') return 0;
  const byline = shown.length === 0 ? 'Anonymous' : shown.map((c) => c.pseud_name).join(', ');

  let recipients: number[];
  let notification: repo.NewNotification;
  let kind: string;
  if (event.event === 'chapter') {
    const chapter = await db
      .selectFrom('chapters')
      .select(['id', 'position', 'title'])
      .where('id', '=', event.chapterId)
      .where('work_id', '=', work.id)
      .executeTakeFirst();
    if (!chapter) return 0;
    recipients = await repo.findRecipients(db, { workIds: [work.id], excludeUserIds: creatorIds });
    const heading = chapterHeading(chapter.position, chapter.title);
    kind = 'subscription.chapter';
    notification = {
      eventKey: `chapter:${chapter.id}`,
      workId: work.id,
      subject: `New chapter of ${work.title}`,
      text: `${byline} posted ${heading} of “${work.title}”.`,
      url: `/works/${work.id}/chapters/${chapter.id}`,
    };
  } else {
    const seriesIds = event.event === 'series' ? [event.seriesId] : (await findSeriesOfWork(db, work.id)).map((s) => s.id);
    recipients = await repo.findRecipients(db, {
      creatorUserIds: event.event === 'work' ? creatorIds : [],
      seriesIds,
      excludeUserIds: creatorIds,
    });
    const series = event.event === 'series' ? await findSeriesRow(db, event.seriesId) : undefined;
    kind = 'subscription.work';
    // One "new work" notification per work and user, however many of their subscriptions it matches.
    notification = {
      eventKey: `work:${work.id}`,
      workId: work.id,
      subject: series ? `New work in the series ${series.title}` : `New work by ${byline}`,
      text: series ? `${byline} added “${work.title}” to the series “${series.title}”.` : `${byline} posted a new work: “${work.title}”.`,
      url: `/works/${work.id}`,
    };
  }

  const now = options.now ?? new Date();
  let added = 0;
  for (let i = 0; i < recipients.length; i += FAN_OUT_BATCH) {
    const batch = recipients.slice(i, i + FAN_OUT_BATCH);
    added += await db.transaction().execute(async (trx) => {
      const rows = await repo.insertNotifications(trx, batch, notification);
      // Set-based: a few statements per batch whatever its size (bench/subscriptions.ts).
      await repo.insertInboxItems(
        trx,
        rows.map((r) => r.user_id),
        { kind, workId: work.id, text: notification.text, url: notification.url, dedupeKey: `notify:${notification.eventKey}` },
      );
      if (options.emailEnabled) {
        const each = rows.filter((r) => r.email_mode === 'each');
        await repo.enqueueJobs(
          trx,
          EMAIL_JOB,
          each.map((r) => ({ payload: { notificationId: r.id }, dedupeKey: `notify:${notification.eventKey}:${r.user_id}` })),
          now,
        );
        const day = now.toISOString().slice(0, 10);
        const digest = rows.filter((r) => r.email_mode === 'digest');
        await repo.enqueueJobs(
          trx,
          DIGEST_JOB,
          digest.map((r) => ({ payload: { userId: r.user_id }, dedupeKey: `digest:${day}:${r.user_id}` })),
          endOfUtcDay(now),
        );
      }
      return rows.length;
    });
  }
  return added;
}

export interface MailContext {
  mailer: Mailer;
  baseUrl: string;
  siteName: string;
}

function messageId(ctx: MailContext, local: string): string {
  const host = new URL(ctx.baseUrl).hostname || 'localhost';
  return `<${local.replace(/[^A-Za-z0-9.-]/g, '-')}@${host}>`;
}

function footer(ctx: MailContext, login: string): string {
  return `\n\n-- \nYou get this email because you subscribed on ${ctx.siteName}. Manage your subscriptions and email choice: ${ctx.baseUrl}/users/${encodeURIComponent(login)}/subscriptions`;
}

/**
 * Sends the email of one notification, unless it was sent already. Throws when the mail
 * server refuses, so the job runner retries; the Message-ID is the same on every attempt.
 */
export async function sendNotificationEmail(db: Db, ctx: MailContext, notificationId: number): Promise<boolean> {
  const n = await repo.findNotificationForEmail(db, notificationId);
  if (!n || n.emailed_at !== null) return false;
  await ctx.mailer.send({
    to: n.email,
    subject: `[${ctx.siteName}] ${n.subject}`,
    text: `${n.text}\n\n${ctx.baseUrl}${n.url}${footer(ctx, n.login)}`,
    messageId: messageId(ctx, `notify-${n.event_key}-${n.user_id}`),
  });
  await repo.markEmailed(db, [n.id], new Date());
  return true;
}

const DIGEST_LIMIT = 200;

/** Sends one email listing the user's notifications not yet emailed; nothing when there are none. */
export async function sendDigestEmail(db: Db, ctx: MailContext, userId: number): Promise<number> {
  const user = await repo.findUserContact(db, userId);
  if (!user) return 0;
  const items = await repo.findPendingDigest(db, userId, DIGEST_LIMIT);
  if (items.length === 0) return 0;
  const lines = items.map((i) => `* ${i.text}\n  ${ctx.baseUrl}${i.url}`).join('\n\n');
  await ctx.mailer.send({
    to: user.email,
    subject: `[${ctx.siteName}] Your daily digest: ${items.length} ${items.length === 1 ? 'update' : 'updates'}`,
    text: `What happened in your subscriptions:\n\n${lines}${footer(ctx, user.login)}`,
    messageId: messageId(ctx, `digest-${userId}-${items[items.length - 1]!.id}`),
  });
  await repo.markEmailed(
    db,
    items.map((i) => i.id),
    new Date(),
  );
  return items.length;
}
