import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { findViewerByApiToken } from '../accounts/accounts.service.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { writeBackup } from '../backup/backup.ts';
import { hashToken } from '../lib/tokens.ts';
import { requireAdmin } from '../moderation/moderation.policy.ts';
import type { Viewer } from '../web/viewer.ts';

const BEARER = /^Bearer +([A-Za-z0-9._~+/=-]{1,200}) *$/i;

/**
 * GET /admin/backup streams a consistent backup of the running archive. It is how `fanfold
 * backup --from URL` reaches an embedded (PGlite) archive, whose database only the serving
 * process may open. Admins only: by session, or by an admin's API token for the CLI.
 */
export function backupRoutes(app: FastifyInstance, { db, config }: AppDeps): void {
  const adminOf = async (request: FastifyRequest): Promise<Viewer> => {
    const header = request.headers.authorization;
    const bearer = header ? BEARER.exec(header) : null;
    if (bearer) return requireAdmin((await findViewerByApiToken(db, hashToken(bearer[1]!))) ?? null);
    return requireAdmin(request.viewer);
  };

  app.get('/admin/backup', async (request, reply) => {
    const admin = await adminOf(request);
    const stream = new PassThrough();
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    reply
      .header('content-type', 'application/zip')
      .header('content-disposition', `attachment; filename="fanfold-backup-${stamp}.zip"`)
      .header('cache-control', 'no-store');
    await recordAudit(db, { actor: { id: admin.id, login: admin.login }, action: 'backup', targetType: 'archive', targetId: 'all' });
    const sink = {
      write: (chunk: Uint8Array) =>
        new Promise<void>((resolve) => {
          if (stream.write(chunk)) resolve();
          else stream.once('drain', resolve);
        }),
      end: async () => {
        stream.end();
      },
    };
    writeBackup(db, sink, {
      engine: config.databaseUrl ? 'postgres' : 'pglite',
      dataDir: config.dataDir,
      progress: (m) => request.log.info(m),
    }).catch((error) => {
      request.log.error({ err: error }, 'backup failed');
      stream.destroy(error instanceof Error ? error : new Error(String(error)));
    });
    return reply.send(stream);
  });
}
