import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { RouteDeps } from '../app-deps.ts';
import { findUserByLogin } from '../accounts/accounts.service.ts';
import { HttpError } from '../web/errors.tsx';
import { pageContext, requireViewer } from '../web/page-context.ts';
import { sendPage } from '../web/render.ts';
import { toCsv } from './csv.ts';
import { loadCreatorStats, PERIODS, toStatsCsvRows } from './stats.service.ts';
import { StatsPage } from './stats.views.tsx';

type StatsRequest = FastifyRequest<{ Params: { login: string }; Querystring: { days?: string } }>;

const PeriodSchema = z.object({
  days: z.coerce
    .number()
    .pipe(z.union(PERIODS.map((p) => z.literal(p)) as [z.ZodLiteral<7>, z.ZodLiteral<30>, z.ZodLiteral<90>, z.ZodLiteral<365>]))
    .catch(30),
});

export function statsRoutes(app: FastifyInstance, { db, config }: RouteDeps): void {
  /** Stats are the creator's own: anyone else gets a 403 (admins included: nothing to moderate here). */
  const authorize = async (request: StatsRequest) => {
    const viewer = requireViewer(request);
    const user = await findUserByLogin(db, request.params.login);
    if (!user) throw new HttpError(404, `There is no user called ${request.params.login.slice(0, 40)}.`);
    if (user.id !== viewer.id) throw new HttpError(403, 'Stats are private: you can only see the stats of your own works.');
    return { viewer, days: PeriodSchema.parse(request.query ?? {}).days };
  };

  app.get<{ Params: { login: string }; Querystring: { days?: string } }>('/users/:login/stats', async (request, reply) => {
    const { viewer, days } = await authorize(request);
    const stats = await loadCreatorStats(db, viewer.id, { days });
    return sendPage(reply, <StatsPage ctx={pageContext(request, reply, config.siteName)} login={viewer.login} stats={stats} days={days} />);
  });

  app.get<{ Params: { login: string }; Querystring: { days?: string } }>('/users/:login/stats.csv', async (request, reply) => {
    const { viewer, days } = await authorize(request);
    const stats = await loadCreatorStats(db, viewer.id, { days });
    const today = new Date().toISOString().slice(0, 10);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${viewer.login.replace(/[^A-Za-z0-9_-]/g, '_')}-stats-${today}.csv"`)
      .header('cache-control', 'private, no-store')
      .send(toStatsCsvRows(stats).length > 0 ? toCsv(toStatsCsvRows(stats)) : '');
  });
}
