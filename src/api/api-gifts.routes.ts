// /api/v1 operations of the gifts and related-works slices: a work's gifts and related-work links
// (the work form's fields), the gifts given to you (refusing one), and links to your works
// (approving or removing one). Each calls the function the page calls, in one transaction.
// Documented in api-gifts.openapi.ts; every status listed there is produced by api-gifts.routes.test.ts.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import * as gifts from '../gifts/gifts.service.ts';
import * as related from '../related-works/related-works.service.ts';
import { RELATIONS } from '../related-works/related-works.schema.ts';
import { HttpError } from '../web/errors.tsx';
import type { Viewer } from '../web/viewer.ts';
import { loadEditable, WorkFieldError } from '../works/works.service.ts';
import { type ApiOperationDeps, ApiInvalidError, idOf, operation, parseBody, sendJson, viewerIn } from './api-kit.ts';

type Id = { Params: { id: string } };
type LinkParams = { Params: { id: string; linkId: string } };

export const GiftsApiSchema = z.strictObject(
  {
    recipients: z
      .array(z.string({ error: 'Each recipient is a string: a login, a pseud, "Pseud (login)" or any name.' }), {
        error: 'recipients is a list of names.',
      })
      .max(100, { error: 'recipients has too many names.' }),
  },
  { error: 'Send {"recipients": ["login", "A Name"]}.' },
);
export const RelatedWorkApiSchema = z.strictObject(
  {
    relation: z.enum(RELATIONS, { error: `relation is one of ${RELATIONS.join(', ')}.` }),
    url: z.string({ error: 'url is a string: a work’s address here, its id, or an http(s) address elsewhere.' }),
    title: z.string({ error: 'title is a string.' }).optional(),
    creator: z.string({ error: 'creator is a string.' }).optional(),
  },
  { error: 'Send {"relation": "translation_of", "url": "https://…/works/12"}.' },
);

/** The slices' refusals as API answers (the rest go through api-kit's toApiError). */
function toGiftsApiError(error: unknown): unknown {
  if (error instanceof WorkFieldError) {
    const field = { gifts: 'recipients', related_url: 'url', related_title: 'title', related_creator: 'creator' }[error.field] ?? '_body';
    return new ApiInvalidError(error.message, { [field]: error.message });
  }
  if (error instanceof gifts.GiftError || error instanceof related.RelatedWorkError)
    return error.status === 422 ? new ApiInvalidError(error.message, { _body: error.message }) : new HttpError(error.status, error.message);
  return error;
}

async function mapped<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw toGiftsApiError(error);
  }
}

export function apiGiftsRoutes(api: FastifyInstance, deps: ApiOperationDeps): void {
  const { db, config, requireScope, reads, writes } = deps;
  const base = config.baseUrl;
  const ownRead = { config: reads, preParsing: requireScope('read') };
  const works = { config: writes, preParsing: requireScope('write:works') };

  /** Runs `act` on a work the viewer may edit, in one transaction (404/403 as on the edit page). */
  const onEditable = <T>(viewer: Viewer, workId: number, act: (trx: Parameters<typeof loadEditable>[0]) => Promise<T>) =>
    mapped(
      db.transaction().execute(async (trx) => {
        await loadEditable(trx, viewer, workId);
        return act(trx);
      }),
    );
  const giftsOf = async (workId: number) => ({ gifts: await gifts.listGiftsOfWork(db, workId) });
  const linksOf = async (workId: number) => ({
    related_works: (await related.listLinksOfWork(db, workId)).map((l) => ({
      ...l,
      work_url: l.parent_work_id === null ? null : `${base}/works/${l.parent_work_id}`,
    })),
  });

  api.get<Id>(
    '/works/:id/gifts',
    ownRead,
    operation<Id>(async (request, reply) => {
      const workId = idOf(request.params.id, 'work');
      await onEditable(viewerIn(deps, request), workId, async () => undefined);
      return sendJson(reply, 200, await giftsOf(workId));
    }),
  );

  api.put<Id>(
    '/works/:id/gifts',
    works,
    operation<Id>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const workId = idOf(request.params.id, 'work');
      // Who may change the work is answered before what the body says, as on the edit page.
      await onEditable(viewer, workId, async () => undefined);
      const body = parseBody(GiftsApiSchema, request.body, 'The gifts were not saved');
      const field = gifts.parseGiftsField(body.recipients.join(','));
      if (!field.ok) throw new ApiInvalidError('The gifts were not saved: a field needs fixing.', { recipients: field.message });
      await onEditable(viewer, workId, (trx) => gifts.saveGiftsOfWork(trx, viewer, workId, field.names));
      return sendJson(reply, 200, await giftsOf(workId));
    }),
  );

  api.get<Id>(
    '/works/:id/related_works',
    ownRead,
    operation<Id>(async (request, reply) => {
      const workId = idOf(request.params.id, 'work');
      await onEditable(viewerIn(deps, request), workId, async () => undefined);
      return sendJson(reply, 200, await linksOf(workId));
    }),
  );

  api.post<Id>(
    '/works/:id/related_works',
    works,
    operation<Id>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const workId = idOf(request.params.id, 'work');
      await onEditable(viewer, workId, async () => undefined);
      const body = parseBody(RelatedWorkApiSchema, request.body, 'The link was not added');
      const parsed = related.parseRelatedFields({
        related_relation: body.relation,
        related_url: body.url,
        related_title: body.title ?? '',
        related_creator: body.creator ?? '',
      });
      if (!parsed.ok) {
        const fields = Object.fromEntries(Object.entries(parsed.errors).map(([k, v]) => [k.replace(/^related_/, ''), v]));
        throw new ApiInvalidError('The link was not added: a field needs fixing.', fields);
      }
      await onEditable(viewer, workId, (trx) => related.saveRelatedOfWork(trx, viewer, workId, parsed.change, base));
      return sendJson(reply, 201, await linksOf(workId));
    }),
  );

  api.delete<LinkParams>(
    '/works/:id/related_works/:linkId',
    works,
    operation<LinkParams>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const workId = idOf(request.params.id, 'work');
      const linkId = idOf(request.params.linkId, 'link');
      await onEditable(viewer, workId, async (trx) => {
        const links = await related.listLinksOfWork(trx, workId);
        if (!links.some((l) => l.id === linkId)) throw new HttpError(404, 'This work has no related-work link with this id.');
        await related.saveRelatedOfWork(trx, viewer, workId, { remove: [linkId] }, base);
      });
      return reply.status(204).send();
    }),
  );

  api.get(
    '/me/gifts',
    ownRead,
    operation(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const found = await mapped(gifts.listGiftsForUser(db, viewer, viewer.login, 1));
      return sendJson(reply, 200, {
        gifts: found.gifts.map((g) => ({ id: g.giftId, work_id: g.row.id, title: g.row.title, url: `${base}/works/${g.row.id}` })),
      });
    }),
  );

  api.post<Id>(
    '/me/gifts/:id/refuse',
    works,
    operation<Id>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const workId = await mapped(gifts.refuseGift(db, viewer, idOf(request.params.id, 'gift')));
      api.pageCache?.invalidateWork(workId);
      return sendJson(reply, 200, { gift: { id: Number(request.params.id), work_id: workId, refused: true } });
    }),
  );

  api.get(
    '/me/related_works',
    ownRead,
    operation(async (request, reply) => {
      const links = await related.listLinksToUsersWorks(db, viewerIn(deps, request));
      return sendJson(reply, 200, {
        related_works: links.map((l) => ({
          id: l.id,
          relation: l.relation,
          status: l.status,
          work_id: l.child_id,
          title: l.child_title,
          parent_work_id: l.parent_id,
          parent_title: l.parent_title,
        })),
      });
    }),
  );

  for (const [action, status] of [
    ['approve', 'approved'],
    ['remove', 'removed'],
  ] as const) {
    api.post<Id>(
      `/me/related_works/:id/${action}`,
      works,
      operation<Id>(async (request, reply) => {
        const viewer = viewerIn(deps, request);
        const id = idOf(request.params.id, 'link');
        const { childId, parentId } = await mapped(related.decideLink(db, viewer, id, status));
        api.pageCache?.invalidateWork(childId);
        api.pageCache?.invalidateWork(parentId);
        return sendJson(reply, 200, { related_work: { id, work_id: childId, parent_work_id: parentId, status } });
      }),
    );
  }
}
