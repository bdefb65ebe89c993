import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { parseId } from '../web/form.ts';
import { pageContext } from '../web/page-context.ts';
import { sendPage } from '../web/render.ts';
import { requireStaff } from '../moderation/moderation.policy.ts';
import { listAudit } from './audit.repo.ts';
import { AuditLogPage, type AuditEntryView } from './audit.views.tsx';

const PAGE_SIZE = 100;

export function auditRoutes(app: FastifyInstance, { db, config }: AppDeps): void {
  app.get<{ Querystring: { before?: string } }>('/admin/audit', async (request, reply) => {
    requireStaff(request.viewer);
    const beforeId = parseId(request.query.before) ?? undefined;
    const rows = await listAudit(db, { limit: PAGE_SIZE, beforeId });
    const entries: AuditEntryView[] = rows.map((r) => ({
      id: r.id,
      when: r.created_at.toISOString().replace('T', ' ').slice(0, 19) + ' UTC',
      actor: r.actor_login,
      action: r.action,
      target: `${r.target_type} ${r.target_id}`,
      reason: r.reason,
      details: r.details && typeof r.details === 'object' && Object.keys(r.details).length > 0 ? JSON.stringify(r.details) : '',
    }));
    const last = rows.at(-1);
    const olderHref = rows.length === PAGE_SIZE && last ? `/admin/audit?before=${last.id}` : null;
    return sendPage(reply, <AuditLogPage ctx={pageContext(request, reply, config.siteName)} entries={entries} olderHref={olderHref} />);
  });
}
