import type { FastifyInstance, FastifyReply } from 'fastify';
import type { RouteDeps } from '../app-deps.ts';
import { HttpError } from '../web/errors.tsx';
import { parseId } from '../web/form.ts';
import { loadWorkForReading } from '../works/reading.ts';
import { createWork } from '../works/works.service.ts';
import { ApiAuth } from './api.auth.ts';
import { toApiWorkResponse, type ApiWorkListResponse } from './api.presenter.ts';
import { PAGE_SIZE, parseCreateWork, parsePage, READS_PER_MINUTE, WRITES_PER_MINUTE } from './api.schema.ts';
import { listVisibleWorks, loadReadableWork } from './api.service.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { apiExtensionRoutes } from './api-extensions.routes.ts';
import { isEmailVerified, isVerificationRequired } from '../accounts/email-verification.ts';
import { apiCollectionsRoutes } from './api-collections.routes.ts';
import { apiCollectionAnonymityRoutes } from './api-collections-anonymity.routes.ts';
import { apiCommunityRoutes } from './api-community.routes.ts';
import { apiCoCreatorsRoutes } from './api-co-creators.routes.ts';
import { applyApiConventions, RATE_LIMIT_HEADERS } from './api-conventions.ts';
import { IdempotencyStore, idempotencyHooks } from './api-idempotency.ts';
import type { ApiOperationDeps } from './api-kit.ts';
import { apiMeRoutes } from './api-me.routes.ts';
import { apiSettingsRoutes } from './api-settings.routes.ts';
import { apiGiftsRoutes } from './api-gifts.routes.ts';
import { apiExchangesRoutes } from './api-exchanges.routes.ts';
import { apiPromptMemesRoutes } from './api-prompt-memes.routes.ts';
import { apiWorksRoutes } from './api-works.routes.ts';
import { sendLinks } from './api-pagination.ts';

export const API_PREFIX = '/api/v1';

/** The operations that post works, chapters and comments: the pages' email-verification guard covers their forms. */
export const POSTING_OPERATIONS = new Set([
  'POST /api/v1/works',
  'POST /api/v1/works/:id/post',
  'POST /api/v1/works/:id/chapters',
  'POST /api/v1/works/:id/comments',
  'POST /api/v1/news/:id/comments',
]);
export const UNVERIFIED_MESSAGE =
  'Confirm your email address first: follow the link we mailed you (a changed address needs confirming again), or ask for a new one on the site. Until then you can read, but not post works, chapters or comments.';

const utf8 = new TextDecoder('utf-8', { fatal: true });

type WorkParams = { Params: { id: string } };
type ListQuery = { Querystring: { page?: string } };

/**
 * The JSON API: list works, read one with its chapters, create one. In its own plugin scope so
 * that JSON is the only body it parses (anything else is a 415 before a byte is read into a form
 * parser) and so its hooks stay off the HTML pages.
 */
export function apiRoutes(app: FastifyInstance, { db, reads: readDb, config }: RouteDeps): void {
  app.register(
    // biome-ignore lint/nursery/noMisusedPromises: Fastify awaits an async plugin; its errors reach app.ready()
    async (api) => {
      const auth = new ApiAuth(db, (error) => api.log.warn({ err: error }, 'could not record an API token’s last use'));
      const limit = (max: number) => ({
        rateLimit: {
          max,
          timeWindow: '1 minute',
          keyGenerator: auth.rateLimitKey,
          errorResponseBuilder: (_request: unknown, context: { after: string }) =>
            new HttpError(429, `Too many API requests. Try again in ${context.after}.`),
          ...RATE_LIMIT_HEADERS,
        },
      });
      const reads = limit(READS_PER_MINUTE);
      const writes = limit(WRITES_PER_MINUTE);

      api.removeAllContentTypeParsers();
      const parseJson = api.getDefaultJsonParser('error', 'error');
      api.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
        let text: string;
        try {
          text = utf8.decode(body as Buffer);
        } catch {
          done(new HttpError(400, 'The request body is not valid UTF-8. Send JSON encoded as UTF-8.'), undefined);
          return;
        }
        // biome-ignore lint/nursery/noFloatingPromises: Fastify's default parser answers through done(), not its return value
        parseJson(request, text, done);
      });

      // Resolve the token first: the rate limit (a route onRequest hook, so it runs after these)
      // keys on the account behind it. Refusals wait for preParsing, so they are rate limited too.
      api.addHook('onRequest', auth.resolve);
      api.addHook('preParsing', auth.refuseInvalid);
      api.addHook('preParsing', auth.accountCeiling);
      // ETag and 304s on reads, problem details on errors, private caching only (api-conventions.ts).
      api.addHook('onSend', applyApiConventions);
      // Posting what others will see waits for a confirmed address, as on the pages (a token made
      // before the address changed does not get around it).
      api.addHook('preHandler', async (request) => {
        const viewer = auth.viewerOf(request);
        if (!viewer || !POSTING_OPERATIONS.has(`${request.method} ${request.routeOptions.url}`)) return;
        if (!isVerificationRequired(api.siteSettings, config) || (await isEmailVerified(db, viewer.id))) return;
        throw new HttpError(403, UNVERIFIED_MESSAGE);
      });
      // A POST retried with the same Idempotency-Key gets the first answer, not a second work (api-idempotency.ts).
      const idempotency = idempotencyHooks((request) => auth.viewerOf(request)?.id ?? null, new IdempotencyStore(db));
      api.addHook('preHandler', idempotency.check);
      api.addHook('onSend', idempotency.remember);

      // Every operation gets the read handle: a GET reads a replica that has the caller's last
      // write (else the primary), and a POST, PUT, PATCH or DELETE reads and writes only the
      // primary through the same handle (src/db/replicas.ts, decisions 034 and 039). Without
      // replicas it is the primary. The token lookup, idempotency keys and the email check above
      // stay on the primary.
      apiExtensionRoutes(api, { db: readDb, config, viewerOf: (request) => auth.viewerOf(request), reads });
      apiCommunityRoutes(api, {
        db: readDb,
        config,
        viewerOf: (request) => auth.viewerOf(request),
        // Its writes (bookmarks, comments) are interactions: an app needs that scope.
        requireToken: auth.requireScope('write:interactions'),
        reads,
        writes,
      });

      // Everything a signed-in person does on the site's pages, through the same services (decision 030).
      const operations: ApiOperationDeps = {
        db: readDb,
        primary: db,
        config,
        viewerOf: (request) => auth.viewerOf(request),
        requireScope: (scope) => auth.requireScope(scope),
        reads,
        writes,
      };
      apiWorksRoutes(api, operations);
      apiMeRoutes(api, operations);
      apiSettingsRoutes(api, operations);
      apiGiftsRoutes(api, operations);
      apiCoCreatorsRoutes(api, operations);
      apiCollectionsRoutes(api, operations);
      apiCollectionAnonymityRoutes(api, operations);
      apiExchangesRoutes(api, operations);
      apiPromptMemesRoutes(api, operations);

      api.get('/openapi.json', { config: reads }, async (_request, reply) => {
        return sendJson(reply, 200, buildOpenApiDocument(config.baseUrl));
      });

      api.get<ListQuery>('/works', { config: reads }, async (request, reply) => {
        const page = parsePage(request.query.page);
        if (page === null) throw new HttpError(400, 'The page number must be a whole number from 1 up.');
        const { works, hasNext } = await listVisibleWorks(readDb, config.baseUrl, auth.viewerOf(request), page, PAGE_SIZE);
        const body: ApiWorkListResponse = { works, page, hasNext };
        sendLinks(reply, request, page, hasNext, 'page');
        return sendJson(reply, 200, body);
      });

      api.get<WorkParams>('/works/:id', { config: reads }, async (request, reply) => {
        const id = parseId(request.params.id);
        if (id === null) throw new HttpError(404, 'There is no work with this id. Work ids are whole numbers.');
        const result = await loadReadableWork(readDb, auth.viewerOf(request), id);
        if (!result.allowed) {
          if (result.status === 401) reply.header('www-authenticate', 'Bearer');
          throw new HttpError(
            result.status,
            result.status === 401 ? 'This work is only available to registered users. Send an API token to read it.' : result.reason,
          );
        }
        return sendJson(reply, 200, toApiWorkResponse(config.baseUrl, result.loaded));
      });

      api.post('/works', { config: writes, preParsing: auth.requireScope('write:works') }, async (request, reply) => {
        const viewer = auth.viewerOf(request)!;
        const parsed = parseCreateWork(request.body);
        if (!parsed.ok) {
          const count = Object.keys(parsed.fields).length;
          return sendJson(reply, 422, {
            error: {
              status: 422,
              message: `The work was not created: ${count === 1 ? 'one field needs' : `${count} fields need`} fixing.`,
              fields: parsed.fields,
            },
          });
        }
        const workId = await createWork(readDb, viewer, { meta: parsed.meta, chapter: parsed.chapter, draft: parsed.draft });
        const loaded = await loadWorkForReading(readDb, workId);
        if (!loaded) throw new Error(`work ${workId} vanished right after it was created`);
        reply.header('location', `${config.baseUrl}${API_PREFIX}/works/${workId}`);
        return sendJson(reply, 201, toApiWorkResponse(config.baseUrl, loaded));
      });
    },
    { prefix: API_PREFIX },
  );
}

function sendJson(reply: FastifyReply, status: number, body: unknown) {
  return reply.status(status).type('application/json; charset=utf-8').send(body);
}
