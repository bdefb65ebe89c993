import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../app-deps.ts';
import { sharedBlockedByCreator, sharedInteractionWork } from '../comments/work-access.ts';
import { HttpError } from '../web/errors.tsx';
import { parseId } from '../web/form.ts';
import { safeReturnPath } from '../web/page-context.ts';
import { setFlash } from '../web/session.ts';
import { isCreator } from '../works/works.policy.ts';
import {
  findKudosGivers,
  giveKudos,
  hasGivenKudos,
  kudosPersonalSql,
  KUDOS_SUMMARY_JOB,
  KudosError,
  writeKudosSummary,
} from './kudos.service.ts';
import { KudosPanel } from './kudos.views.tsx';

export function kudosRoutes(app: FastifyInstance, { db, jobs, workPanels }: RouteDeps): void {
  jobs.register(KUDOS_SUMMARY_JOB, writeKudosSummary);

  workPanels.register({
    id: 'kudos',
    slot: 'afterText',
    order: 10,
    personalWhen: kudosPersonalSql,
    async render(ctx) {
      if (ctx.work.isDraft) return null;
      const work = await sharedInteractionWork(ctx);
      if (!work) return null;
      const givers = await findKudosGivers(ctx.db, work.id);
      let state: 'give' | 'given' | 'creator' | 'blocked' = 'give';
      if (ctx.viewer) {
        if (isCreator(ctx.viewer, work)) state = 'creator';
        else if (await sharedBlockedByCreator(ctx, work)) state = 'blocked';
        else if (await hasGivenKudos(ctx.db, ctx.viewer, work.id)) state = 'given';
      }
      const returnTo = ctx.chapterId === undefined ? `/works/${work.id}` : `/works/${work.id}/chapters/${ctx.chapterId}`;
      return <KudosPanel view={{ workId: work.id, givers, state, csrfToken: ctx.viewer ? ctx.csrfToken() : '', returnTo }} />;
    },
  });

  app.post<{ Params: { id: string } }>('/works/:id/kudos', async (request, reply) => {
    const workId = parseId(request.params.id);
    if (workId === null) throw new HttpError(404, 'There is no work with this id. Work ids are numbers.');
    let result;
    try {
      result = await giveKudos(db, request.viewer, workId, request.ip);
    } catch (error) {
      if (error instanceof KudosError) throw new HttpError(error.status, error.message);
      throw error;
    }
    if (result === 'given') app.pageCache.invalidateWork(workId);
    const body = (request.body ?? {}) as Record<string, unknown>;
    setFlash(request, reply, result === 'given' ? 'Thank you for leaving kudos!' : 'You have already left kudos here. :)');
    return reply.redirect(`${safeReturnPath(body.return_to, `/works/${workId}`)}#kudos`, 303);
  });
}
