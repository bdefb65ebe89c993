import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** One line of the audit log: who did what to what, and why. */
export interface AuditEntry {
  actor: { id: number; login: string } | null;
  action: string;
  targetType: string;
  targetId: string | number;
  reason?: string;
  details?: Record<string, unknown>;
}

/**
 * Appends to the audit log. There is deliberately no update or delete function here, and the
 * database refuses both (a trigger in migration 0007): the log is append-only.
 */
export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor_id: entry.actor?.id ?? null,
      actor_login: entry.actor?.login ?? 'system',
      action: entry.action,
      target_type: entry.targetType,
      target_id: String(entry.targetId),
      reason: entry.reason ?? '',
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

/** The newest entries first, optionally before an id (for paging). */
export function listAudit(db: Db, options: { limit: number; beforeId?: number | undefined }) {
  let query = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(options.limit);
  if (options.beforeId !== undefined) query = query.where('id', '<', options.beforeId);
  return query.execute();
}
