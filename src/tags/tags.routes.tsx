import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteDeps } from '../app-deps.ts';
import { HttpError } from '../web/errors.tsx';
import { formValues, parseId, toFieldErrors, type FieldErrors } from '../web/form.ts';
import { pageContext, requireViewer } from '../web/page-context.ts';
import { sendPage } from '../web/render.ts';
import { setFlash } from '../web/session.ts';
import { decodeTagName } from '../works/works.presenter.ts';
import { canManageWranglers, canWrangle, type TagActor } from './tags.policy.ts';
import { toTagPageView, toWranglingRowView } from './tags.presenter.ts';
import { AutocompleteSchema, GrantRoleSchema, WranglingActionSchema, WranglingListSchema, type WranglingListInput } from './tags.schema.ts';
import * as service from './tags.service.ts';
import { TagPage, WranglersPage, WranglingPage } from './tags.views.tsx';

const PER_PAGE = 50;

export function tagsRoutes(app: FastifyInstance, { db, config }: RouteDeps): void {
  const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, config.siteName);

  const actorOf = async (request: FastifyRequest): Promise<TagActor> => ({
    viewer: request.viewer,
    roles: request.viewer ? await service.rolesOf(db, request.viewer.id) : [],
  });

  const requireWrangler = async (request: FastifyRequest): Promise<TagActor> => {
    requireViewer(request);
    const actor = await actorOf(request);
    if (!canWrangle(actor)) throw new HttpError(403, 'Only tag wranglers can wrangle tags. Ask an admin to make you one.');
    return actor;
  };

  const requireAdmin = async (request: FastifyRequest): Promise<TagActor> => {
    requireViewer(request);
    const actor = await actorOf(request);
    if (!canManageWranglers(actor)) throw new HttpError(403, 'Only admins can choose tag wranglers.');
    return actor;
  };

  // ---- tag pages -------------------------------------------------------------------------

  app.get<{ Params: { name: string } }>('/tags/:name', async (request, reply) => {
    const name = decodeTagName(request.params.name);
    const data = await service.loadTagPage(db, name, request.viewer).catch((error: unknown) => {
      throw error instanceof service.TagNotFoundError ? new HttpError(404, error.message) : error;
    });
    const view = toTagPageView(data, canWrangle(await actorOf(request)));
    return sendPage(reply, <TagPage ctx={ctx(request, reply)} view={view} />);
  });

  // ---- autocomplete ----------------------------------------------------------------------

  app.get('/autocomplete/tags', async (request, reply) => {
    const parsed = AutocompleteSchema.safeParse(request.query);
    if (!parsed.success) {
      return reply
        .code(422)
        .type('application/json')
        .send({ error: parsed.error.issues.map((i) => i.message).join(' ') });
    }
    const items = await service.suggestTags(db, parsed.data.type, parsed.data.term, request.viewer);
    return reply.type('application/json').header('cache-control', 'private, max-age=60').send(items);
  });

  // ---- wrangling -------------------------------------------------------------------------

  const renderWrangling = async (
    request: FastifyRequest,
    reply: FastifyReply,
    actor: TagActor,
    filters: WranglingListInput,
    form: { errors: FieldErrors; values: Record<string, string> },
    status = 200,
  ) => {
    const errors = { ...form.errors };
    let rows: Awaited<ReturnType<typeof service.listForWrangling>>['rows'] = [];
    let hasNext = false;
    try {
      ({ rows, hasNext } = await service.listForWrangling(db, filters, PER_PAGE));
    } catch (error) {
      if (!(error instanceof service.WranglingError)) throw error;
      errors.fandom = error.message;
      status = status === 200 ? 422 : status;
    }
    const query = (page: number) =>
      new URLSearchParams({
        type: filters.type,
        status: filters.status,
        fandom: filters.fandom,
        q: filters.q,
        page: String(page),
      }).toString();
    const view = {
      type: filters.type,
      status: filters.status,
      fandom: filters.fandom,
      q: filters.q,
      page: filters.page,
      hasNext,
      rows: rows.map(toWranglingRowView),
      pageHref: (page: number) => `/wrangling?${query(page)}`,
      canManageWranglers: canManageWranglers(actor),
    };
    return sendPage(reply, <WranglingPage ctx={ctx(request, reply)} view={view} errors={errors} values={form.values} />, status);
  };

  const listFilters = (request: FastifyRequest): WranglingListInput => {
    const parsed = WranglingListSchema.safeParse(request.query);
    if (!parsed.success)
      throw new HttpError(400, `Bad wrangling filter: ${parsed.error.issues.map((i) => i.message).join(' ')} Use the form's choices.`);
    return parsed.data;
  };

  app.get('/wrangling', async (request, reply) => {
    const actor = await requireWrangler(request);
    return renderWrangling(request, reply, actor, listFilters(request), { errors: {}, values: {} });
  });

  app.post('/wrangling', async (request, reply) => {
    const actor = await requireWrangler(request);
    const filters = listFilters(request);
    const parsed = WranglingActionSchema.safeParse(request.body);
    const values = formValues(request.body);
    if (!parsed.success) return renderWrangling(request, reply, actor, filters, { errors: toFieldErrors(parsed.error), values }, 422);
    try {
      const result = await service.wrangleTags(db, parsed.data);
      for (const workId of result.changedWorkIds) app.pageCache.invalidateWork(workId);
      setFlash(request, reply, result.message);
    } catch (error) {
      if (!(error instanceof service.WranglingError)) throw error;
      return renderWrangling(request, reply, actor, filters, { errors: { [error.field]: error.message }, values }, 422);
    }
    const back = new URLSearchParams({ type: filters.type, status: filters.status, fandom: filters.fandom, q: filters.q }).toString();
    return reply.redirect(`/wrangling?${back}`, 303);
  });

  // ---- the tag wrangler role -------------------------------------------------------------

  const renderWranglers = async (request: FastifyRequest, reply: FastifyReply, errors: FieldErrors, login: string, status = 200) =>
    sendPage(
      reply,
      <WranglersPage ctx={ctx(request, reply)} wranglers={await service.listWranglers(db)} errors={errors} login={login} />,
      status,
    );

  app.get('/wrangling/wranglers', async (request, reply) => {
    await requireAdmin(request);
    return renderWranglers(request, reply, {}, '');
  });

  app.post('/wrangling/wranglers', async (request, reply) => {
    const actor = await requireAdmin(request);
    const parsed = GrantRoleSchema.safeParse(request.body);
    const login = formValues(request.body).login ?? '';
    if (!parsed.success) return renderWranglers(request, reply, toFieldErrors(parsed.error), login, 422);
    try {
      const granted = await service.grantWrangler(db, actor.viewer!.id, parsed.data.login);
      setFlash(request, reply, `${granted} is now a tag wrangler.`);
    } catch (error) {
      if (!(error instanceof service.UnknownUserError)) throw error;
      return renderWranglers(request, reply, { login: error.message }, login, 422);
    }
    return reply.redirect('/wrangling/wranglers', 303);
  });

  app.post<{ Params: { userId: string } }>('/wrangling/wranglers/:userId/revoke', async (request, reply) => {
    await requireAdmin(request);
    const userId = parseId(request.params.userId);
    if (userId === null) throw new HttpError(404, 'There is no such user.');
    await service.revokeWrangler(db, userId);
    setFlash(request, reply, 'Tag wrangler role revoked.');
    return reply.redirect('/wrangling/wranglers', 303);
  });
}
