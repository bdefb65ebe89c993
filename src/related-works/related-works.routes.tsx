import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { RouteDeps } from '../app-deps.ts';
import { HttpError } from '../web/errors.tsx';
import { parseId } from '../web/form.ts';
import { pageContext, requireViewer } from '../web/page-context.ts';
import { sendPage } from '../web/render.ts';
import { setFlash } from '../web/session.ts';
import * as service from './related-works.service.ts';
import { ChildrenPanel, ParentsPanel, RelatedWorksPage } from './related-works.views.tsx';

function toHttp(error: unknown): never {
  if (error instanceof service.RelatedWorkError) throw new HttpError(error.status, error.message);
  throw error;
}

export const relatedWorksHref = (login: string) => `/users/${encodeURIComponent(login)}/related_works`;

export function relatedWorksRoutes(app: FastifyInstance, { db, config, workPanels }: RouteDeps): void {
  // Both panels show only works every signed-in reader may read (posted, not hidden), so they are
  // the same for all of them; guests get their own rendering, without restricted works.
  workPanels.register({
    id: 'related-parents',
    slot: 'beforeText',
    order: 16,
    async render({ db: panelDb, work, viewer }) {
      const links = await service.findParentsShown(panelDb, work.id, viewer !== null);
      return links.length > 0 ? <ParentsPanel links={links} /> : null;
    },
    personalWhen: () => sql<boolean>`false`,
  });
  workPanels.register({
    id: 'related-children',
    slot: 'afterText',
    order: 2,
    async render({ db: panelDb, work, viewer }) {
      const links = await service.findChildrenShown(panelDb, work.id, viewer !== null);
      return links.length > 0 ? <ChildrenPanel links={links} /> : null;
    },
    personalWhen: () => sql<boolean>`false`,
  });

  app.get<{ Params: { login: string } }>('/users/:login/related_works', async (request, reply) => {
    const viewer = requireViewer(request);
    if (viewer.login !== request.params.login) throw new HttpError(403, 'This page is only for its owner: it lists links to their works.');
    const links = await service.listLinksToUsersWorks(db, viewer);
    return sendPage(reply, <RelatedWorksPage ctx={pageContext(request, reply, config.siteName)} links={links} />);
  });

  const decide = (status: 'approved' | 'removed') => async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    const viewer = requireViewer(request);
    const id = parseId(request.params.id);
    if (id === null) throw new HttpError(404, 'There is no related-work link with this id. Ids are whole numbers.');
    const { childId, parentId } = await service.decideLink(db, viewer, id, status).catch(toHttp);
    app.pageCache.invalidateWork(childId);
    app.pageCache.invalidateWork(parentId);
    setFlash(
      request,
      reply,
      status === 'approved' ? 'The link is approved: your work now shows it.' : 'The link is removed: your work no longer shows it.',
    );
    return reply.redirect(relatedWorksHref(viewer.login), 303);
  };
  app.post<{ Params: { id: string } }>('/related_works/:id/approve', decide('approved'));
  app.post<{ Params: { id: string } }>('/related_works/:id/remove', decide('removed'));
}
