// /api/v1 operations of the prompt-memes slice (docs/decisions/047): a collection's meme settings,
// its prompts (listed with the page's filters, read, posted, edited, deleted), claims and fills.
// Each calls the service function the page calls; an anonymous prompter is "Anonymous" here too,
// except to themselves. Documented in api-prompt-memes.openapi.ts; api-prompt-memes.routes.test.ts
// produces every status listed there.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { FillSchema, PromptFilterSchema, PromptSchema } from '../prompt-memes/prompt-memes.schema.ts';
import * as prompts from '../prompt-memes/prompt-memes.service.ts';
import { HttpError } from '../web/errors.tsx';
import { type ApiOperationDeps, ApiInvalidError, idOf, operation, parseBody, parseForm, sendJson, viewerIn } from './api-kit.ts';

type Id = { Params: { id: string } };
type Name = { Params: { name: string } };

const tagList = (name: string) =>
  z
    .array(z.string({ error: `Each of ${name} is a tag name.` }), { error: `${name} is a list of tag names.` })
    .max(75, { error: `${name} has at most 75 tags.` });

export const PromptApiSchema = z.strictObject(
  {
    title: z.string({ error: 'title is a string.' }),
    fandoms: tagList('fandoms'),
    characters: tagList('characters').optional(),
    relationships: tagList('relationships').optional(),
    freeforms: tagList('freeforms').optional(),
    description: z.string({ error: 'description is a string (limited HTML).' }).optional(),
    anonymous: z.boolean({ error: 'anonymous is true or false.' }).optional(),
  },
  { error: 'Send {"title": "…", "fandoms": ["…"]}.' },
);
export const MemeSettingsApiSchema = z.strictObject(
  { prompts_open: z.boolean({ error: 'prompts_open is true or false.' }) },
  { error: 'Send {"prompts_open": true}.' },
);
export const FillApiSchema = z.strictObject(
  { work_id: z.number({ error: 'work_id is a whole number.' }) },
  { error: 'Send {"work_id": 123}.' },
);

function toPromptApiError(error: unknown): unknown {
  if (error instanceof prompts.PromptError)
    return error.status === 422
      ? new ApiInvalidError(error.message, { [error.field ?? '_body']: error.message })
      : new HttpError(error.status, error.message);
  return error;
}

async function mapped<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw toPromptApiError(error);
  }
}

/** A prompt as the API shows it: the prompter's login only when the caller may see it. */
function toPromptJson(base: string, p: prompts.PromptView, collection: string) {
  return {
    id: p.id,
    collection,
    title: p.title,
    description_html: p.descriptionHtml,
    prompter: p.prompter.login === null ? null : p.prompter.login,
    prompter_name: p.prompter.name,
    anonymous: p.prompter.anonymous,
    state: p.state,
    tags: p.tags,
    claimants: p.claimants,
    fills: p.fills.map((f) => ({ work_id: f.workId, title: f.title, by: f.by, url: `${base}/works/${f.workId}` })),
    created_at: p.createdAt.toISOString(),
    url: `${base}/prompts/${p.id}`,
  };
}

const toForm = (body: z.output<typeof PromptApiSchema>) => ({
  title: body.title,
  fandoms: body.fandoms.join(','),
  characters: (body.characters ?? []).join(','),
  relationships: (body.relationships ?? []).join(','),
  freeforms: (body.freeforms ?? []).join(','),
  description: body.description ?? '',
  anonymous: body.anonymous === true,
});

export function apiPromptMemesRoutes(api: FastifyInstance, deps: ApiOperationDeps): void {
  const { db, config, requireScope, reads, writes } = deps;
  const base = config.baseUrl;
  const read = { config: reads, preParsing: requireScope('read') };
  const write = { config: writes, preParsing: requireScope('write:collections') };
  const promptOut = async (viewer: ReturnType<typeof viewerIn>, id: number) => {
    const loaded = await mapped(prompts.loadPrompt(db, viewer, id));
    return { prompt: toPromptJson(base, loaded.prompt, loaded.collection.name) };
  };

  api.get<Name & { Querystring: Record<string, string | string[]> }>(
    '/collections/:name/prompts',
    read,
    operation<Name & { Querystring: Record<string, string | string[]> }>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const filter = parseForm(PromptFilterSchema, request.query ?? {}, 'The prompts were not listed');
      const found = await mapped(prompts.listPrompts(db, viewer, request.params.name, filter));
      return sendJson(reply, 200, {
        prompts_open: found.meme.promptsOpen,
        prompts: found.prompts.map((p) => toPromptJson(base, p, found.meme.collection.name)),
        page: filter.page,
        hasNext: found.hasNext,
      });
    }),
  );

  api.put<Name>(
    '/collections/:name/prompt_meme',
    write,
    operation<Name>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      // Who may run the meme is answered before what the body says, as elsewhere in the API.
      const meme = await mapped(prompts.loadMeme(db, viewer, request.params.name));
      if (!meme.isMaintainer) throw new HttpError(403, `Only the maintainers of ${meme.collection.title} can run its prompt meme.`);
      const body = parseBody(MemeSettingsApiSchema, request.body, 'The prompt meme was not changed');
      const name = await mapped(prompts.saveMemeSettings(db, viewer, request.params.name, body.prompts_open));
      return sendJson(reply, 200, { prompt_meme: { collection: name, prompts_open: body.prompts_open } });
    }),
  );

  api.post<Name>(
    '/collections/:name/prompts',
    write,
    operation<Name>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      await mapped(prompts.loadMeme(db, viewer, request.params.name));
      const body = parseBody(PromptApiSchema, request.body, 'The prompt was not posted');
      const input = parseForm(PromptSchema, toForm(body), 'The prompt was not posted');
      const id = await mapped(prompts.createPrompt(db, viewer, request.params.name, input));
      return sendJson(reply, 201, await promptOut(viewer, id));
    }),
  );

  api.get<Id>(
    '/prompts/:id',
    read,
    operation<Id>(async (request, reply) =>
      sendJson(reply, 200, await promptOut(viewerIn(deps, request), idOf(request.params.id, 'prompt'))),
    ),
  );

  api.put<Id>(
    '/prompts/:id',
    write,
    operation<Id>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const id = idOf(request.params.id, 'prompt');
      const loaded = await mapped(prompts.loadPrompt(db, viewer, id));
      if (!loaded.prompt.prompter.isSelf) throw new HttpError(403, 'Only the person who posted this prompt can edit it.');
      const body = parseBody(PromptApiSchema, request.body, 'The prompt was not saved');
      const input = parseForm(PromptSchema, toForm(body), 'The prompt was not saved');
      await mapped(prompts.updatePrompt(db, viewer, id, input));
      for (const f of loaded.prompt.fills) api.pageCache?.invalidateWork(f.workId);
      return sendJson(reply, 200, await promptOut(viewer, id));
    }),
  );

  api.delete<Id>(
    '/prompts/:id',
    write,
    operation<Id>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const id = idOf(request.params.id, 'prompt');
      const fills = (await mapped(prompts.loadPrompt(db, viewer, id))).prompt.fills;
      await mapped(prompts.deletePrompt(db, viewer, id));
      for (const f of fills) api.pageCache?.invalidateWork(f.workId);
      return reply.status(204).send();
    }),
  );

  api.post<Id>(
    '/prompts/:id/claim',
    write,
    operation<Id>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const id = idOf(request.params.id, 'prompt');
      await mapped(prompts.claimPrompt(db, viewer, id));
      return sendJson(reply, 200, await promptOut(viewer, id));
    }),
  );

  api.delete<Id>(
    '/prompts/:id/claim',
    write,
    operation<Id>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const id = idOf(request.params.id, 'prompt');
      await mapped(prompts.unclaimPrompt(db, viewer, id));
      return sendJson(reply, 200, await promptOut(viewer, id));
    }),
  );

  api.post<Id>(
    '/prompts/:id/fills',
    write,
    operation<Id>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const id = idOf(request.params.id, 'prompt');
      await mapped(prompts.loadPrompt(db, viewer, id));
      const body = parseBody(FillApiSchema, request.body, 'The prompt was not filled');
      const input = parseForm(FillSchema, body, 'The prompt was not filled');
      const filled = await mapped(prompts.fillPrompt(db, viewer, id, input.work_id));
      api.pageCache?.invalidateWork(filled.workId);
      return sendJson(reply, 201, { outcome: filled.outcome, ...(await promptOut(viewer, id)) });
    }),
  );
}
