import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { RouteDeps } from '../app-deps.ts';
import { HttpError } from '../web/errors.tsx';
import { type FieldErrors, formValues, parseId, toFieldErrors } from '../web/form.ts';
import { pageContext, requireViewer } from '../web/page-context.ts';
import { sendPage } from '../web/render.ts';
import { setFlash } from '../web/session.ts';
import { FillSchema, MemeSettingsSchema, PromptFilterSchema, PromptSchema } from './prompt-memes.schema.ts';
import * as service from './prompt-memes.service.ts';
import {
  type PromptFilterValues,
  PromptFormPage,
  type PromptFormValues,
  PromptListingPage,
  PromptPage,
  PromptsAnsweredPanel,
  promptHref,
  promptsHref,
} from './prompt-memes.views.tsx';

type NameParams = { Params: { name: string } };
type IdParams = { Params: { id: string } };

function toHttp(error: unknown): never {
  if (error instanceof service.PromptError) throw new HttpError(error.status, error.message);
  throw error;
}

function promptId(raw: string): number {
  const id = parseId(raw);
  if (id === null) throw new HttpError(404, 'There is no prompt with this id. Prompt ids are whole numbers.');
  return id;
}

const single = (v: unknown) => (Array.isArray(v) ? v.join(', ') : typeof v === 'string' ? v : '');

export function promptMemesRoutes(app: FastifyInstance, { db, config, workPanels }: RouteDeps): void {
  const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, config.siteName);

  workPanels.register({
    id: 'prompts-answered',
    slot: 'beforeText',
    order: 18,
    async render({ db: panelDb, work }) {
      const prompts = await service.findPromptsAnsweredBy(panelDb, work.id);
      return prompts.length > 0 ? <PromptsAnsweredPanel prompts={prompts} /> : null;
    },
    // The same for every reader: an anonymous prompter is "Anonymous" here even to themselves (decision 047).
    personalWhen: () => sql<boolean>`false`,
  });

  app.get<NameParams & { Querystring: Record<string, string | string[]> }>('/collections/:name/prompts', async (request, reply) => {
    const q = request.query ?? {};
    const filterValues: PromptFilterValues = {
      tag: single(q.tag),
      exclude_tag: single(q.exclude_tag),
      state: single(q.state),
      mine: single(q.mine),
    };
    const parsed = PromptFilterSchema.safeParse(q);
    const filterErrors: FieldErrors = parsed.success ? {} : toFieldErrors(parsed.error);
    const filter = parsed.success ? parsed.data : { tag: [], exclude_tag: [], state: null, mine: null, page: 1 };
    const found = await service.listPrompts(db, request.viewer, request.params.name, filter).catch(toHttp);
    if (filter.page > 1 && found.prompts.length === 0) throw new HttpError(404, `There is no page ${filter.page} of these prompts.`);
    return sendPage(
      reply,
      <PromptListingPage
        ctx={ctx(request, reply)}
        collection={found.meme.collection}
        enabled={found.meme.enabled}
        promptsOpen={found.meme.promptsOpen}
        isMaintainer={found.meme.isMaintainer}
        prompts={found.prompts}
        filter={filterValues}
        filterErrors={filterErrors}
        page={filter.page}
        hasNext={found.hasNext}
      />,
      parsed.success ? 200 : 422,
    );
  });

  app.post<NameParams>('/collections/:name/prompt_meme', async (request, reply) => {
    const viewer = requireViewer(request);
    const parsed = MemeSettingsSchema.parse(request.body ?? {});
    const name = await service.saveMemeSettings(db, viewer, request.params.name, parsed.prompts_open).catch(toHttp);
    setFlash(request, reply, parsed.prompts_open ? 'The prompt meme is open to new prompts.' : 'The prompt meme is closed to new prompts.');
    return reply.redirect(promptsHref(name), 303);
  });

  const renderForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    collection: { name: string; title: string },
    mode: { kind: 'new' } | { kind: 'edit'; id: number },
    values: PromptFormValues,
    errors: FieldErrors,
    status: number,
  ) =>
    sendPage(
      reply,
      <PromptFormPage ctx={ctx(request, reply)} collection={collection} mode={mode} values={values} errors={errors} />,
      status,
    );

  app.get<NameParams>('/collections/:name/prompts/new', async (request, reply) => {
    const viewer = requireViewer(request);
    const meme = await service.loadMeme(db, viewer, request.params.name).catch(toHttp);
    if (!meme.enabled) throw new HttpError(404, `${meme.collection.title} has no prompt meme yet.`);
    if (!meme.promptsOpen) throw new HttpError(422, `${meme.collection.title}’s prompt meme is closed to new prompts.`);
    return renderForm(request, reply, meme.collection, { kind: 'new' }, {}, {}, 200);
  });

  app.post<NameParams>('/collections/:name/prompts', async (request, reply) => {
    const viewer = requireViewer(request);
    const meme = await service.loadMeme(db, viewer, request.params.name).catch(toHttp);
    const values = formValues(request.body);
    const parsed = PromptSchema.safeParse(request.body ?? {});
    if (!parsed.success) return renderForm(request, reply, meme.collection, { kind: 'new' }, values, toFieldErrors(parsed.error), 422);
    try {
      const id = await service.createPrompt(db, viewer, request.params.name, parsed.data);
      setFlash(request, reply, 'Your prompt was posted.');
      return reply.redirect(promptHref(id), 303);
    } catch (error) {
      if (error instanceof service.PromptError && error.field)
        return renderForm(request, reply, meme.collection, { kind: 'new' }, values, { [error.field]: error.message }, error.status);
      return toHttp(error);
    }
  });

  const renderPrompt = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    fillValues: { work_id?: string },
    fillErrors: FieldErrors,
    status: number,
  ) => {
    const loaded = await service.loadPrompt(db, request.viewer, id).catch(toHttp);
    return sendPage(
      reply,
      <PromptPage
        ctx={ctx(request, reply)}
        collection={loaded.collection}
        prompt={loaded.prompt}
        isMaintainer={loaded.isMaintainer}
        fillValues={fillValues}
        fillErrors={fillErrors}
      />,
      status,
    );
  };

  app.get<IdParams>('/prompts/:id', async (request, reply) => renderPrompt(request, reply, promptId(request.params.id), {}, {}, 200));

  app.get<IdParams>('/prompts/:id/edit', async (request, reply) => {
    const viewer = requireViewer(request);
    const id = promptId(request.params.id);
    const loaded = await service.loadPrompt(db, viewer, id).catch(toHttp);
    if (!loaded.prompt.prompter.isSelf) throw new HttpError(403, 'Only the person who posted this prompt can edit it.');
    const p = loaded.prompt;
    return renderForm(
      request,
      reply,
      loaded.collection,
      { kind: 'edit', id },
      { title: p.title, description: p.descriptionHtml, anonymous: p.prompter.anonymous ? '1' : '', ...loaded.tagFields },
      {},
      200,
    );
  });

  app.post<IdParams>('/prompts/:id', async (request, reply) => {
    const viewer = requireViewer(request);
    const id = promptId(request.params.id);
    const loaded = await service.loadPrompt(db, viewer, id).catch(toHttp);
    if (!loaded.prompt.prompter.isSelf) throw new HttpError(403, 'Only the person who posted this prompt can edit it.');
    const values = formValues(request.body);
    const parsed = PromptSchema.safeParse(request.body ?? {});
    if (!parsed.success)
      return renderForm(request, reply, loaded.collection, { kind: 'edit', id }, values, toFieldErrors(parsed.error), 422);
    await service.updatePrompt(db, viewer, id, parsed.data).catch(toHttp);
    for (const f of loaded.prompt.fills) app.pageCache.invalidateWork(f.workId);
    setFlash(request, reply, 'Your prompt was saved.');
    return reply.redirect(promptHref(id), 303);
  });

  app.post<IdParams>('/prompts/:id/delete', async (request, reply) => {
    const viewer = requireViewer(request);
    const id = promptId(request.params.id);
    const fills = (await service.loadPrompt(db, viewer, id).catch(toHttp)).prompt.fills;
    const name = await service.deletePrompt(db, viewer, id).catch(toHttp);
    for (const f of fills) app.pageCache.invalidateWork(f.workId);
    setFlash(request, reply, 'The prompt was deleted.');
    return reply.redirect(promptsHref(name), 303);
  });

  app.post<IdParams>('/prompts/:id/claim', async (request, reply) => {
    const viewer = requireViewer(request);
    const id = promptId(request.params.id);
    await service.claimPrompt(db, viewer, id).catch(toHttp);
    setFlash(request, reply, 'You claimed this prompt. Fill it with one of your works when it is posted.');
    return reply.redirect(promptHref(id), 303);
  });

  app.post<IdParams>('/prompts/:id/unclaim', async (request, reply) => {
    const viewer = requireViewer(request);
    const id = promptId(request.params.id);
    await service.unclaimPrompt(db, viewer, id).catch(toHttp);
    setFlash(request, reply, 'You dropped your claim.');
    return reply.redirect(promptHref(id), 303);
  });

  app.post<IdParams>('/prompts/:id/fills', async (request, reply) => {
    const viewer = requireViewer(request);
    const id = promptId(request.params.id);
    const values = { work_id: single(formValues(request.body).work_id) };
    const parsed = FillSchema.safeParse(request.body ?? {});
    if (!parsed.success) return renderPrompt(request, reply, id, values, toFieldErrors(parsed.error), 422);
    try {
      const filled = await service.fillPrompt(db, viewer, id, parsed.data.work_id);
      app.pageCache.invalidateWork(filled.workId);
      setFlash(
        request,
        reply,
        filled.outcome === 'awaiting-collection'
          ? 'Your work fills this prompt; it joins the collection once a maintainer approves it.'
          : 'Your work fills this prompt.',
      );
      return reply.redirect(promptHref(id), 303);
    } catch (error) {
      if (error instanceof service.PromptError && error.field)
        return renderPrompt(request, reply, id, values, { [error.field]: error.message }, error.status);
      return toHttp(error);
    }
  });
}
