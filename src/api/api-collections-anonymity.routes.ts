// /api/v1 operation of the reveal of an anonymous or unrevealed collection (decision 043): the
// maintainers' "Reveal now" button, through the same service function, so the audit entry and the
// held-back notices go out exactly as from the page. Documented in api-collections-anonymity.openapi.ts.
import type { FastifyInstance } from 'fastify';
import { RevealRefusedError, revealCollection } from '../collections/reveal.service.ts';
import { findCollectionForListing, CollectionNotFoundError, loadCollectionProfile } from '../collections/collections.service.ts';
import { HttpError } from '../web/errors.tsx';
import { type ApiOperationDeps, operation, sendJson, viewerIn } from './api-kit.ts';

type NameReq = { Params: { name: string } };

export function apiCollectionAnonymityRoutes(api: FastifyInstance, deps: ApiOperationDeps): void {
  const { db, config, requireScope, writes } = deps;
  const write = { config: writes, preParsing: requireScope('write:collections') };

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
