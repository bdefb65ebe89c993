// The moderation slice's interface for other slices: they import from here, never from moderation.repo.ts.
import type { Kysely } from 'kysely';
import * as accounts from '../accounts/accounts.service.ts';
import { commentPermalink, findComment } from '../comments/comments.service.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Database } from '../db/schema.ts';
import type { ReportTargetType } from '../db/tables/moderation.ts';
import { canReadWork } from '../works/works.policy.ts';
import * as works from '../works/works.service.ts';
import { loadWorkAccess, WorkNotFoundError } from '../works/works.service.ts';
import type { Viewer } from '../web/viewer.ts';
import * as repo from './moderation.repo.ts';
import type { ReportInput, SuspendUserInput } from './moderation.schema.ts';

export { findActiveSuspension } from './moderation.repo.ts';

type Db = Kysely<Database>;

export class ModerationTargetMissingError extends Error {}
export class ModerationForbiddenError extends Error {}

const actorOf = (v: Viewer) => ({ id: v.id, login: v.login });

/** Whether the reported thing exists (comments live in another slice's table, which may not exist yet). */
async function targetExists(db: Db, type: ReportTargetType, id: number): Promise<boolean> {
  if (type === 'work') return (await works.findWorkRow(db, id)) !== undefined;
  if (type === 'user') return (await accounts.findUserById(db, id)) !== undefined;
  return true;
}

/** What a report is about, as the report form, the queue and the API name it. */
export interface ReportTarget {
  type: ReportTargetType;
  id: number;
  label: string;
  href: string | null;
}

/**
 * The thing a viewer may report, or null: a work they may not read (someone else's draft, a
 * hidden work), or a comment on one, is not there to report (its title would leak). Staff reading
 * the queue see hidden works, so their queue names them.
 */
export async function describeReportTarget(db: Db, type: string, id: number, viewer: Viewer | null): Promise<ReportTarget | null> {
  if (type === 'work') {
    const loaded = await loadWorkAccess(db, id).catch((error: unknown) => {
      if (error instanceof WorkNotFoundError) return null;
      throw error;
    });
    if (!loaded || !canReadWork(viewer, loaded.facts).allowed) return null;
    return { type, id, label: `the work “${loaded.work.title}”`, href: `/works/${id}` };
  }
  if (type === 'user') {
    const user = await accounts.findUserById(db, id);
    return user ? { type, id, label: `the user ${user.login}`, href: `/users/${encodeURIComponent(user.login)}` } : null;
  }
  if (type === 'comment') {
    // The permalink: a moderator lands on the page of the thread that holds it, whichever page that is.
    const comment = await findComment(db, id);
    if (!comment) return null;
    const loaded = await loadWorkAccess(db, comment.work_id).catch(() => null);
    if (!loaded || !canReadWork(viewer, loaded.facts).allowed) return null;
    return { type, id, label: `comment ${id}`, href: commentPermalink(id) };
  }
  return null;
}

/** Files a report from a signed-in reader. */
export async function fileReport(db: Db, reporter: Viewer, input: ReportInput): Promise<number> {
  if (!(await targetExists(db, input.target_type, input.target_id)))
    throw new ModerationTargetMissingError('What you are reporting no longer exists.');
  return repo.insertReport(db, {
    reporterId: reporter.id,
    targetType: input.target_type,
    targetId: input.target_id,
    reason: input.reason,
    details: input.details,
  });
}

/** Hides a work from everyone but its creators and staff; the creator sees the reason. */
export async function hideWork(db: Db, actor: Viewer, workId: number, reason: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const work = await works.findWorkRow(trx, workId);
    if (!work) throw new ModerationTargetMissingError('There is no work with this id.');
    await repo.hideWork(trx, workId, reason, actor.id);
    await recordAudit(trx, {
      actor: actorOf(actor),
      action: 'hide_work',
      targetType: 'work',
      targetId: workId,
      reason,
      details: { title: work.title },
    });
  });
}

export async function unhideWork(db: Db, actor: Viewer, workId: number, reason: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (!(await repo.unhideWork(trx, workId))) throw new ModerationTargetMissingError('This work is not hidden.');
    await recordAudit(trx, { actor: actorOf(actor), action: 'unhide_work', targetType: 'work', targetId: workId, reason });
  });
}

/** Deletes a work for good (its creator's copy too). */
export async function deleteWorkAsStaff(db: Db, actor: Viewer, workId: number, reason: string): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const work = await works.findWorkRow(trx, workId);
    if (!work) throw new ModerationTargetMissingError('There is no work with this id.');
    const creators = await works.findCreatorsOfWorks(trx, [workId]);
    await works.deleteWorkRow(trx, workId);
    await recordAudit(trx, {
      actor: actorOf(actor),
      action: 'delete_work',
      targetType: 'work',
      targetId: workId,
      reason,
      details: { title: work.title, creators: creators.map((c) => c.login) },
    });
    return work.title;
  });
}

/** The end of a suspension `duration` days from now, or null for a ban. */
export function suspensionEnd(duration: SuspendUserInput['duration'], now = new Date()): Date | null {
  if (duration === 'permanent') return null;
  return new Date(now.getTime() + Number(duration) * 24 * 3600 * 1000);
}

/** Suspends (or bans) a user: their sessions end, and they cannot log in, post or comment until it ends. */
export async function suspendUser(db: Db, actor: Viewer, userId: number, input: SuspendUserInput): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const user = await accounts.findUserById(trx, userId);
    if (!user) throw new ModerationTargetMissingError('There is no such user.');
    if (user.id === actor.id || user.is_admin)
      throw new ModerationForbiddenError('Admins cannot be suspended, and no one can suspend themselves.');
    const until = suspensionEnd(input.duration);
    await repo.upsertSuspension(trx, { userId, until, message: input.message, createdBy: actor.id });
    await repo.deleteSessionsOfUser(trx, userId);
    await recordAudit(trx, {
      actor: actorOf(actor),
      action: until ? 'suspend_user' : 'ban_user',
      targetType: 'user',
      targetId: userId,
      reason: input.reason,
      details: { login: user.login, until: until?.toISOString() ?? 'permanent', message: input.message },
    });
  });
}

export async function liftSuspension(db: Db, actor: Viewer, userId: number, reason: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (!(await repo.deleteSuspension(trx, userId))) throw new ModerationTargetMissingError('This user is not suspended.');
    await recordAudit(trx, { actor: actorOf(actor), action: 'lift_suspension', targetType: 'user', targetId: userId, reason });
  });
}

export async function handleReport(db: Db, actor: Viewer, reportId: number, note: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (!(await repo.markReportHandled(trx, reportId, actor.id)))
      throw new ModerationTargetMissingError('This report does not exist or was already handled.');
    await recordAudit(trx, { actor: actorOf(actor), action: 'handle_report', targetType: 'report', targetId: reportId, reason: note });
  });
}

/** Grants or revokes a role (admins only, checked by the route). */
export async function setRole(db: Db, actor: Viewer, userId: number, role: string, grant: boolean): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const user = await accounts.findUserById(trx, userId);
    if (!user) throw new ModerationTargetMissingError('There is no such user.');
    if (grant) await repo.grantRole(trx, userId, role, actor.id);
    else await repo.revokeRole(trx, userId, role);
    await recordAudit(trx, {
      actor: actorOf(actor),
      action: grant ? 'grant_role' : 'revoke_role',
      targetType: 'user',
      targetId: userId,
      details: { login: user.login, role },
    });
  });
}

/** What a suspended user is told when they try to log in. */
export function suspensionNotice(s: { until: Date | null; message: string }): string {
  const when = s.until ? `until ${s.until.toISOString().slice(0, 16).replace('T', ' ')} UTC` : 'permanently';
  return `Your account has been suspended ${when}. Message from the moderators: ${s.message}`;
}
