import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { RouteDeps } from '../app-deps.ts';
import { HttpError } from '../web/errors.tsx';
import { parseId } from '../web/form.ts';
import { pageContext, requireViewer } from '../web/page-context.ts';
import { sendPage } from '../web/render.ts';
import { setFlash } from '../web/session.ts';
import { toWorkSummaryView } from '../works/works.presenter.ts';
import * as service from './gifts.service.ts';
import { GiftsPage, GiftsPanel, giftsHref } from './gifts.views.tsx';

function toHttp(error: unknown): never {
  if (error instanceof service.GiftError) throw new HttpError(error.status, error.message);
  throw error;
}

export function giftsRoutes(app: FastifyInstance, { db, config, workPanels }: RouteDeps): void {
  workPanels.register({
    id: 'gifts-of-work',
    slot: 'beforeText',
    order: 15,
    async render({ db: panelDb, work }) {
      const recipients = await service.findShownRecipients(panelDb, work.id);
      return recipients.length > 0 ? <GiftsPanel recipients={recipients} /> : null;
    },
    // Who a work is for is the same for every reader.
    personalWhen: () => sql<boolean>`false`,
  });

  app.get<{ Params: { login: string }; Querystring: { page?: string } }>('/users/:login/gifts', async (request, reply) => {
    const page = request.query.page === undefined ? 1 : parseId(request.query.page);
    if (page === null || page > 10_000)
      throw new HttpError(422, `The page must be a whole number from 1, as in ${giftsHref(request.params.login)}?page=2.`);
    const viewer = request.viewer;
    const found = await service.listGiftsForUser(db, viewer, request.params.login, page).catch(toHttp);
    if (page > 1 && found.gifts.length === 0) throw new HttpError(404, `There is no page ${page} of these gifts.`);
    return sendPage(
      reply,
      <GiftsPage
        ctx={pageContext(request, reply, config.siteName)}
        login={found.user.login}
        isSelf={viewer?.id === found.user.id}
        gifts={found.gifts.map((g) => ({ giftId: g.giftId, work: toWorkSummaryView(g.row, g.creators, g.tags) }))}
        page={page}
        hasNext={found.hasNext}
      />,
    );
  });

  app.post<{ Params: { id: string } }>('/gifts/:id/refuse', async (request, reply) => {
    const viewer = requireViewer(request);
    const id = parseId(request.params.id);
    if (id === null) throw new HttpError(404, 'There is no gift with this id. Gift ids are whole numbers.');
    const workId = await service.refuseGift(db, viewer, id).catch(toHttp);
    app.pageCache.invalidateWork(workId);
    setFlash(request, reply, 'You refused the gift: it is no longer on your gifts page or shown as for you on the work.');
    return reply.redirect(giftsHref(viewer.login), 303);
  });
}
