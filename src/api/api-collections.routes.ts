// /api/v1 operations of collections (the forms of src/collections: create, change, delete,
// maintainers, adding a work, approving, rejecting and removing an item; the profile, its works,
// the maintainers' queue, a creator's items) and of comments on news posts. Each maps its JSON onto
// the page's form schema and calls the function the page's form calls (collections.service,
// admin.service), so the rules (who owns, who moderates, closed and moderated collections, two
// approvals per item) live once. Documented in api-collections.openapi.ts.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AdminCommentSchema } from '../admin/admin.schema.ts';
import { addAdminPostComment, findAdminPost } from '../admin/admin.service.ts';
import { AddItemSchema, CreateCollectionSchema, ParticipantSchema, UpdateCollectionSchema } from '../collections/collections.schema.ts';
import * as collections from '../collections/collections.service.ts';
import { loadListing } from '../browse/listing.service.ts';
import { emptyFilters } from '../search/search.schema.ts';
import { HttpError } from '../web/errors.tsx';
import { PAGE_SIZE } from './api.schema.ts';
import {
  type ApiOperationDeps,
  ApiInvalidError,
  flag,
  idOf,
  jsonId,
  operation,
  parseBody,
  parseForm,
  postAtText,
  sendJson,
  viewerIn,
} from './api-kit.ts';
import { decodeCursor, sendLinks } from './api-pagination.ts';

type NameReq = { Params: { name: string } };
type MaintainerReq = { Params: { name: string; login: string } };
type IdReq = { Params: { id: string } };
type PagedNameReq = NameReq & { Querystring: { cursor?: string } };

const text = (name: string) => z.string({ error: `${name} is a string.` });
const fields = {
  title: text('title'),
  description: text('description').optional(),
  rules: text('rules').optional(),
  faq: text('faq').optional(),
  parent: text('parent').nullable().optional(),
  closed: z.boolean({ error: 'closed is true or false.' }).optional(),
  moderated: z.boolean({ error: 'moderated is true or false.' }).optional(),
  anonymous: z.boolean({ error: 'anonymous is true or false.' }).optional(),
  unrevealed: z.boolean({ error: 'unrevealed is true or false.' }).optional(),
  reveal_at: postAtText.nullable().optional(),
};
/** PUT sends every setting, as the edit form does: one left out is empty (or false). */
export const CollectionSettingsApiSchema = z.strictObject(fields, { error: 'Send the collection as a JSON object: {"title": "..."}.' });
export const CreateCollectionApiSchema = z.strictObject(
  { name: text('name'), ...fields },
  { error: 'Send the collection as a JSON object: {"name": "...", "title": "..."}.' },
);
export const MaintainerApiSchema = z.strictObject(
  { login: text('login'), role: z.enum(['owner', 'moderator'], { error: 'role is owner or moderator.' }).optional() },
  { error: 'Send {"login": "...", "role": "moderator"}.' },
);
export const CollectionItemApiSchema = z.strictObject({ work_id: jsonId('work_id') }, { error: 'Send {"work_id": 1}.' });
export const ItemDecisionApiSchema = z.strictObject(
  { decision: z.enum(['approve', 'reject'], { error: 'decision is approve or reject.' }) },
  { error: 'Send {"decision": "approve"} or {"decision": "reject"}.' },
);
export const NewsCommentApiSchema = z.strictObject({ comment: text('comment') }, { error: 'Send {"comment": "..."}.' });

const toFormValues = (body: z.output<typeof CollectionSettingsApiSchema>) => ({
  title: body.title,
  description: body.description,
  rules: body.rules,
  faq: body.faq,
  parent: body.parent ?? undefined,
  closed: flag(body.closed),
  moderated: flag(body.moderated),
  anonymous: flag(body.anonymous),
  unrevealed: flag(body.unrevealed),
  reveal_at: body.reveal_at ?? undefined,
});

/** The scheduled reveal of an anonymous or unrevealed collection, when it has one. */
function revealAtOf(row: object): string | null {
  const at = (row as { reveal_at?: Date | string | null }).reveal_at;
  return at ? new Date(at).toISOString() : null;
}

/** A collection's refusal about a field, named as the JSON body names it. */
function toInvalid(error: collections.CollectionFieldError): ApiInvalidError {
  return new ApiInvalidError(error.message, { [error.field === 'item' ? '_body' : error.field]: error.message });
}

export function apiCollectionsRoutes(api: FastifyInstance, deps: ApiOperationDeps): void {
  const { db, config, requireScope, reads, writes } = deps;
  const base = config.baseUrl;
  const ownRead = { config: reads, preParsing: requireScope('read') };
  const write = { config: writes, preParsing: requireScope('write:collections') };
  const changed = (workId: number) => api.pageCache.invalidateWork(workId);
  const collectionUrl = (name: string) => `${base}/collections/${encodeURIComponent(name)}`;
  const family = (c: { name: string; title: string }) => ({ name: c.name, title: c.title, url: collectionUrl(c.name) });

  /** The profile as the collection's page shows it to this caller. */
  const collectionResponse = async (viewer: Parameters<typeof collections.loadCollectionProfile>[1], name: string) => {
    const loaded = await collections.loadCollectionProfile(db, viewer, name);
    const c = loaded.collection;
    const logins = (role: string) => loaded.participants.filter((p) => p.role === role).map((p) => p.login);
    return {
      collection: {
        name: c.name,
        title: c.title,
        url: collectionUrl(c.name),
        // Sanitized on the way in (toFieldHtml), as on the page.
        description_html: c.description_html,
        rules_html: c.rules_html,
        faq_html: c.faq_html,
        closed: c.is_closed,
        moderated: c.is_moderated,
        anonymous: c.is_anonymous,
        unrevealed: c.is_unrevealed,
        reveal_at: revealAtOf(c),
        parent: loaded.parent ? family(loaded.parent) : null,
        children: loaded.children.map(family),
        owners: logins('owner'),
        moderators: logins('moderator'),
        created_at: new Date(c.created_at).toISOString(),
        you: { owner: loaded.isOwner, maintainer: loaded.isMaintainer, can_add: loaded.canAdd },
      },
    };
  };
  const toItem = (row: { id: number; work_id: number; collection_approval: string; creator_approval: string }) => ({
    id: row.id,
    work_id: row.work_id,
    collection_approval: row.collection_approval,
    creator_approval: row.creator_approval,
  });
  /** Runs a collection's service call; its refusals as the page answers them (a field refusal is a 422 here). */
  const run = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      if (error instanceof collections.CollectionNotFoundError) throw new HttpError(404, error.message);
      if (error instanceof collections.CollectionForbiddenError) throw new HttpError(403, error.message);
      if (error instanceof collections.CollectionFieldError) throw toInvalid(error);
      throw error;
    }
  };

  // ---- collections ----------------------------------------------------------------------------

  api.post(
    '/collections',
    write,
    operation(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const body = parseBody(CreateCollectionApiSchema, request.body, 'The collection was not created');
      const input = parseForm(CreateCollectionSchema, { name: body.name, ...toFormValues(body) }, 'The collection was not created');
      const name = await run(() => collections.createCollection(db, viewer, input));
      reply.header('location', `${base}/api/v1/collections/${encodeURIComponent(name)}`);
      return sendJson(reply, 201, await run(() => collectionResponse(viewer, name)));
    }),
  );

  api.get<NameReq>(
    '/collections/:name',
    { config: reads },
    operation<NameReq>(async (request, reply) =>
      sendJson(reply, 200, await run(() => collectionResponse(deps.viewerOf(request), request.params.name))),
    ),
  );

  api.put<NameReq>(
    '/collections/:name',
    write,
    operation<NameReq>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const { name } = request.params;
      // Owners only, before the body is judged: as the edit form, whose page a stranger never sees.
      await run(() => collections.authorizeCollectionEdit(db, viewer, name));
      const body = parseBody(CollectionSettingsApiSchema, request.body, 'The collection was not changed');
      const input = parseForm(UpdateCollectionSchema, toFormValues(body), 'The collection was not changed');
      for (const workId of await run(() => collections.updateCollection(db, viewer, name, input))) changed(workId);
      return sendJson(reply, 200, await run(() => collectionResponse(viewer, name)));
    }),
  );

  api.delete<NameReq>(
    '/collections/:name',
    write,
    operation<NameReq>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const { workIds } = await run(() => collections.deleteCollection(db, viewer, request.params.name));
      for (const workId of workIds) changed(workId);
      return reply.status(204).send();
    }),
  );

  api.post<NameReq>(
    '/collections/:name/maintainers',
    write,
    operation<NameReq>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const { name } = request.params;
      await run(() => collections.authorizeCollectionEdit(db, viewer, name));
      const body = parseBody(MaintainerApiSchema, request.body, 'No maintainer was added');
      const input = parseForm(ParticipantSchema, body, 'No maintainer was added');
      await run(() => collections.addParticipant(db, viewer, name, input));
      return sendJson(reply, 200, await run(() => collectionResponse(viewer, name)));
    }),
  );

  api.delete<MaintainerReq>(
    '/collections/:name/maintainers/:login',
    write,
    operation<MaintainerReq>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      await run(() => collections.removeParticipant(db, viewer, request.params.name, request.params.login));
      return reply.status(204).send();
    }),
  );

  /** The works in the collection (and its sub-collections) the caller may read: the page's scoped search. */
  api.get<PagedNameReq>(
    '/collections/:name/works',
    { config: reads },
    operation<PagedNameReq>(async (request, reply) => {
      const page = decodeCursor(request.query.cursor);
      const collection = await run(() => collections.findCollectionForListing(db, request.params.name));
      const workIds = await collections.findListedWorkIds(db, collection);
      const outcome = await loadListing(db, deps.viewerOf(request), { workIds }, emptyFilters({ page }), {
        index: config.searchIndex,
        perPage: PAGE_SIZE,
      });
      // Past the last page there is nothing: an empty page, as a cursor list ends.
      const works = outcome.kind === 'page' ? outcome.works : [];
      sendLinks(reply, request, page, outcome.kind === 'page' && page < outcome.lastPage);
      return sendJson(reply, 200, {
        // Titles as the listing shows them (a collection's unrevealed works stay unnamed there).
        works: works.map((w) => ({ id: w.id, title: w.title, url: `${base}/works/${w.id}`, api_url: `${base}/api/v1/works/${w.id}` })),
        total: outcome.kind === 'page' ? outcome.result.total : outcome.total,
      });
    }),
  );

  api.get<NameReq>(
    '/collections/:name/queue',
    ownRead,
    operation<NameReq>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const { items } = await run(() => collections.loadQueue(db, viewer, request.params.name));
      return sendJson(reply, 200, {
        items: items.map((i) => ({ ...toItem(i), work_title: i.title, created_at: new Date(i.created_at).toISOString() })),
      });
    }),
  );

  // ---- items ---------------------------------------------------------------------------------

  api.post<NameReq>(
    '/collections/:name/items',
    write,
    operation<NameReq>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const body = parseBody(CollectionItemApiSchema, request.body, 'The work was not added');
      const input = parseForm(AddItemSchema, { collection: request.params.name, work_id: body.work_id }, 'The work was not added');
      const added = await collections.addWorkToCollection(db, viewer, input).catch(async (error: unknown) => {
        // A collection named in the path that is not there is a 404, as on its page.
        if (error instanceof collections.CollectionFieldError && error.field === 'collection')
          await run(() => collections.findCollectionForListing(db, input.collection));
        return run(() => Promise.reject(error));
      });
      // Even one waiting for the maintainers is concealed already in an anonymous collection (decision 043).
      changed(input.work_id);
      return sendJson(reply, 201, {
        item: { id: added.itemId, collection: added.name, work_id: input.work_id, outcome: added.outcome },
      });
    }),
  );

  api.put<IdReq>(
    '/collection_items/:id/decision',
    write,
    operation<IdReq>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const id = idOf(request.params.id, 'collection item');
      const { decision } = parseBody(ItemDecisionApiSchema, request.body, 'Nothing was decided');
      const result = await collections.decideItem(db, viewer, id, decision).catch((error: unknown) => {
        // Already decided so: the page answers 409, and so does this.
        if (error instanceof collections.CollectionFieldError) throw new HttpError(409, error.message);
        return run(() => Promise.reject(error));
      });
      changed(result.workId);
      return sendJson(reply, 200, { item: { id, collection: result.name, work_id: result.workId, decision } });
    }),
  );

  api.delete<IdReq>(
    '/collection_items/:id',
    write,
    operation<IdReq>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const id = idOf(request.params.id, 'collection item');
      const result = await run(() => collections.removeItem(db, viewer, id));
      changed(result.workId);
      return reply.status(204).send();
    }),
  );

  api.get(
    '/me/collection_items',
    ownRead,
    operation(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const items = await collections.listItemsOfCreator(db, viewer.id);
      return sendJson(reply, 200, {
        items: items.map((i) => ({
          ...toItem(i),
          work_title: i.work_title,
          collection: i.collection_name,
          collection_title: i.collection_title,
        })),
      });
    }),
  );

  // ---- comments on news posts ---------------------------------------------------------------

  api.get<IdReq>(
    '/news/:id/comments',
    { config: reads },
    operation<IdReq>(async (request, reply) => {
      const found = await findAdminPost(db, idOf(request.params.id, 'news post'));
      if (!found) throw new HttpError(404, 'There is no news post with this id.');
      return sendJson(reply, 200, {
        comments: found.comments.map((c) => ({
          id: c.id,
          login: c.author,
          // Stored as typed; clients escape it, as the page does.
          body: c.body,
          created_at: new Date(c.created_at).toISOString(),
          url: `${base}/admin_posts/${found.post.id}#comment-${c.id}`,
        })),
      });
    }),
  );

  // The news page's form allows 30 comments in 10 minutes; so does this.
  const newsCommentLimit = { ...(writes as { rateLimit: object }).rateLimit, max: 30, timeWindow: '10 minutes' };
  api.post<IdReq>(
    '/news/:id/comments',
    { config: { rateLimit: newsCommentLimit }, preParsing: requireScope('write:interactions') },
    operation<IdReq>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const id = idOf(request.params.id, 'news post');
      const body = parseBody(NewsCommentApiSchema, request.body, 'The comment was not posted');
      const input = parseForm(AdminCommentSchema, body, 'The comment was not posted');
      const commentId = await addAdminPostComment(db, viewer, id, input.comment);
      if (commentId === null) throw new HttpError(404, 'There is no news post with this id.');
      const url = `${base}/admin_posts/${id}#comment-${commentId}`;
      return sendJson(reply, 201, { comment: { id: commentId, url } });
    }),
  );
}
