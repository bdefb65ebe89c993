import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { ReportTargetType } from '../db/tables/moderation.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** user_roles comes from the tags slice's migration (0003); typed here for the queries of this slice. */
interface RolesDb {
  user_roles: { user_id: number; role: string; granted_by: number | null };
}
const roles = (db: Db) => db as unknown as Kysely<RolesDb>;

export async function insertReport(
  db: Db,
  report: { reporterId: number; targetType: ReportTargetType; targetId: number; reason: string; details: string },
): Promise<number> {
  const row = await db
    .insertInto('reports')
    .values({
      reporter_id: report.reporterId,
      target_type: report.targetType,
      target_id: report.targetId,
      reason: report.reason,
      details: report.details,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Open reports, oldest first, with the reporter's login. */
export function findOpenReports(db: Db, limit = 200) {
  return db
    .selectFrom('reports')
    .leftJoin('users', 'users.id', 'reports.reporter_id')
    .select([
      'reports.id',
      'reports.target_type',
      'reports.target_id',
      'reports.reason',
      'reports.details',
      'reports.created_at',
      'users.login as reporter_login',
    ])
    .where('reports.status', '=', 'open')
    .orderBy('reports.id')
    .limit(limit)
    .execute();
}

export async function markReportHandled(db: Db, reportId: number, handledBy: number): Promise<boolean> {
  const result = await db
    .updateTable('reports')
    .set({ status: 'handled', handled_by: handledBy, handled_at: new Date() })
    .where('id', '=', reportId)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function hideWork(db: Db, workId: number, reason: string, hiddenBy: number): Promise<void> {
  await db
    .insertInto('hidden_works')
    .values({ work_id: workId, reason, hidden_by: hiddenBy })
    .onConflict((oc) => oc.column('work_id').doUpdateSet({ reason, hidden_by: hiddenBy }))
    .execute();
}

export async function unhideWork(db: Db, workId: number): Promise<boolean> {
  const result = await db.deleteFrom('hidden_works').where('work_id', '=', workId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export function findHiddenWork(db: Db, workId: number) {
  return db.selectFrom('hidden_works').selectAll().where('work_id', '=', workId).executeTakeFirst();
}

export async function upsertSuspension(
  db: Db,
  s: { userId: number; until: Date | null; message: string; createdBy: number },
): Promise<void> {
  await db
    .insertInto('user_suspensions')
    .values({ user_id: s.userId, until: s.until, message: s.message, created_by: s.createdBy })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ until: s.until, message: s.message, created_by: s.createdBy }))
    .execute();
}

export async function deleteSuspension(db: Db, userId: number): Promise<boolean> {
  const result = await db.deleteFrom('user_suspensions').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** The suspension in force for a user now, if any. */
export function findActiveSuspension(db: Db, userId: number) {
  return db
    .selectFrom('user_suspensions')
    .selectAll()
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('until', 'is', null), eb('until', '>', new Date())]))
    .executeTakeFirst();
}

export async function deleteSessionsOfUser(db: Db, userId: number): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

export async function findRolesOfUser(db: Db, userId: number): Promise<string[]> {
  const rows = await roles(db).selectFrom('user_roles').select('role').where('user_id', '=', userId).orderBy('role').execute();
  return rows.map((r) => r.role);
}

export async function grantRole(db: Db, userId: number, role: string, grantedBy: number): Promise<void> {
  await roles(db)
    .insertInto('user_roles')
    .values({ user_id: userId, role, granted_by: grantedBy })
    .onConflict((oc) => oc.columns(['user_id', 'role']).doNothing())
    .execute();
}

export async function revokeRole(db: Db, userId: number, role: string): Promise<void> {
  await roles(db).deleteFrom('user_roles').where('user_id', '=', userId).where('role', '=', role).execute();
}
