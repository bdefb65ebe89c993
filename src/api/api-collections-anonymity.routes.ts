// /api/v1 operations of what decision 043 added to collections: the reveal of an anonymous or
// unrevealed collection (the maintainers' "Reveal now" button) and bookmarks in collections (add,
// invite, approve or reject, accept or decline an invitation, remove, list), each through the page's
// service function, so audit entries, inbox notices, held-back notices and the rules live once.
// Documented in api-collections-anonymity.openapi.ts.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  addBookmarkToCollection,
  authorizeBookmarkInvitation,
  decideCollectionBookmark,
  inviteBookmarkToCollection,
  listCollectionBookmarks,
  listOwnCollectionBookmarks,
} from '../collections/collection-bookmarks.service.ts';
import { AddBookmarkSchema } from '../collections/collections.schema.ts';
import { RevealRefusedError, revealCollection } from '../collections/reveal.service.ts';
import {
  CollectionFieldError,
  CollectionForbiddenError,
  CollectionNotFoundError,
  findCollectionForListing,
  loadCollectionProfile,
} from '../collections/collections.service.ts';
import { HttpError } from '../web/errors.tsx';
import { type ApiOperationDeps, ApiInvalidError, idOf, jsonId, operation, parseBody, parseForm, sendJson, viewerIn } from './api-kit.ts';

type NameReq = { Params: { name: string } };
type IdReq = { Params: { id: string } };

const AddBookmarkApiSchema = z.object({ bookmark_id: jsonId('bookmark_id') }).strict();
const DecisionApiSchema = z.object({ decision: z.enum(['approve', 'reject'], { error: 'decision is "approve" or "reject".' }) }).strict();

/** The page's refusals as API answers: a field refusal is a 422 naming the field. */
function toApi(error: unknown): never {
  if (error instanceof CollectionNotFoundError) throw new HttpError(404, error.message);
  if (error instanceof CollectionForbiddenError) throw new HttpError(403, error.message);
  if (error instanceof CollectionFieldError) throw new ApiInvalidError(error.message, { [error.field]: error.message });
  throw error;
}

export function apiCollectionAnonymityRoutes(api: FastifyInstance, deps: ApiOperationDeps): void {
  const { db, config, requireScope, reads, writes } = deps;
  const write = { config: writes, preParsing: requireScope('write:collections') };
  const ownRead = { config: reads, preParsing: requireScope('read') };
  const urlOf = (target: { href: string; external: boolean }) => (target.external ? target.href : `${config.baseUrl}${target.href}`);
  const existing = (name: string) =>
    findCollectionForListing(db, name).catch((error: unknown) => {
      throw error instanceof CollectionNotFoundError ? new HttpError(404, error.message) : error;
    });

  api.get<NameReq>(
    '/collections/:name/bookmarks',
    { config: reads },
    operation<NameReq>(async (request, reply) => {
      const collection = await existing(request.params.name);
      const bookmarks = await listCollectionBookmarks(db, deps.viewerOf(request), collection.name);
      return sendJson(reply, 200, {
        bookmarks: bookmarks.map((b) => ({
          id: b.id,
          owner: b.owner,
          notes_html: b.notesHtml,
          title: b.target.title,
          url: urlOf(b.target),
          pending: b.pending,
          invited: b.invited,
        })),
      });
    }),
  );

  api.post<NameReq>(
    '/collections/:name/bookmarks',
    write,
    operation<NameReq>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const collection = await existing(request.params.name);
      const body = parseBody(AddBookmarkApiSchema, request.body, 'The bookmark was not added');
      const input = parseForm(
        AddBookmarkSchema,
        { collection: collection.name, bookmark_id: String(body.bookmark_id) },
        'The bookmark was not added',
      );
      const { outcome, name } = await addBookmarkToCollection(db, viewer, input).catch(toApi);
      return sendJson(reply, 201, {
        collection_bookmark: { collection: name, bookmark_id: input.bookmark_id, status: outcome === 'approved' ? 'approved' : 'pending' },
      });
    }),
  );

  api.post<NameReq>(
    '/collections/:name/bookmark_invitations',
    write,
    operation<NameReq>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      // Who may invite, before the body is judged: as the page's form.
      const { name } = await authorizeBookmarkInvitation(db, viewer, request.params.name).catch(toApi);
      const body = parseBody(AddBookmarkApiSchema, request.body, 'The bookmark was not invited');
      const { id, owner } = await inviteBookmarkToCollection(db, viewer, { collection: name, bookmark_id: body.bookmark_id }).catch(
        (error: unknown) => {
          // The page's field is the bookmark's link; here it is its id.
          if (error instanceof CollectionFieldError && error.field === 'bookmark')
            throw new ApiInvalidError(error.message, { bookmark_id: error.message });
          return toApi(error);
        },
      );
      return sendJson(reply, 201, {
        collection_bookmark: { id, collection: name, bookmark_id: body.bookmark_id, owner, status: 'invited' },
      });
    }),
  );

  api.get(
    '/me/collection_bookmarks',
    ownRead,
    operation(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const bookmarks = await listOwnCollectionBookmarks(db, viewer);
      return sendJson(reply, 200, {
        bookmarks: bookmarks.map((b) => ({
          id: b.id,
          collection: b.collection.name,
          collection_title: b.collection.title,
          title: b.title,
          url: urlOf(b),
          collection_approval: b.collectionApproval,
          owner_approval: b.ownerApproval,
        })),
      });
    }),
  );

  api.put<IdReq>(
    '/collection_bookmarks/:id/decision',
    write,
    operation<IdReq>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const id = idOf(request.params.id, 'collection bookmark');
      const { decision } = parseBody(DecisionApiSchema, request.body, 'Nothing was decided');
      const { name } = await decideCollectionBookmark(db, viewer, id, decision).catch((error: unknown) => {
        // Already so: the page answers 409, and so does this.
        if (error instanceof CollectionFieldError) throw new HttpError(409, error.message);
        return toApi(error);
      });
      return sendJson(reply, 200, { collection_bookmark: { id, collection: name, decision } });
    }),
  );

  api.delete<IdReq>(
    '/collection_bookmarks/:id',
    write,
    operation<IdReq>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const id = idOf(request.params.id, 'collection bookmark');
      await decideCollectionBookmark(db, viewer, id, 'remove').catch(toApi);
      return reply.status(204).send();
    }),
  );

  api.post<NameReq>(
    '/collections/:name/reveal',
    write,
    operation<NameReq>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const collection = await findCollectionForListing(db, request.params.name).catch((error: unknown) => {
        throw error instanceof CollectionNotFoundError ? new HttpError(404, error.message) : error;
      });
      try {
        const { name, workIds } = await revealCollection(db, viewer, collection.name);
        for (const workId of workIds) api.pageCache.invalidateWork(workId);
        return sendJson(reply, 200, {
          collection: { name, url: `${config.baseUrl}/collections/${encodeURIComponent(name)}`, anonymous: false, unrevealed: false },
          revealed_works: workIds.length,
        });
      } catch (error) {
        if (!(error instanceof RevealRefusedError)) throw error;
        const { isMaintainer } = await loadCollectionProfile(db, viewer, collection.name);
        throw new HttpError(isMaintainer ? 409 : 403, error.message);
      }
    }),
  );
}
