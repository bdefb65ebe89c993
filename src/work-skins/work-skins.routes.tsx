import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { RouteDeps } from '../app-deps.ts';
import { HttpError } from '../web/errors.tsx';
import { formValues, parseId, toFieldErrors, type FieldErrors } from '../web/form.ts';
import { pageContext, requireViewer } from '../web/page-context.ts';
import { sendPage } from '../web/render.ts';
import { setFlash } from '../web/session.ts';
import { findExampleSkin, findExampleSkinIn } from './example-skins.ts';
import { SkinChoiceSchema, SkinFormSchema } from './work-skins.schema.ts';
import * as service from './work-skins.service.ts';
import { SkinChoicePage, SkinFormPage, SkinsPage, type SkinFormValues } from './work-skins.views.tsx';

type IdParams = { Params: { id: string } };

function idOf(raw: string, what: string): number {
  const id = parseId(raw);
  if (id === null) throw new HttpError(404, `There is no ${what} with the id “${raw.slice(0, 40)}”.`);
  return id;
}

function toHttp(error: unknown): never {
  if (error instanceof service.SkinError) throw new HttpError(error.status, error.message);
  throw error;
}

/** Creators' work skins (/skins), the choice of a work's skin, and the stylesheet readers' browsers load. */
export function workSkinsRoutes(app: FastifyInstance, { db, config, workPanels }: RouteDeps): void {
  const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, config.siteName);

  // The creator's way in from the work page.
  workPanels.register({
    id: 'work-skin',
    slot: 'actions',
    order: 90,
    // The same for every signed-in reader who is not a creator (the only readers of the shared page, docs/decisions/033).
    personalWhen: () => sql<boolean>`false`,
    render: async ({ viewer, work }) =>
      viewer && work.creators.some((c) => c.login === viewer.login) ? (
        <a class="button button-secondary" href={`/works/${work.id}/skin`}>
          Work skin
        </a>
      ) : null,
  });

  app.get('/skins', async (request, reply) => {
    const viewer = requireViewer(request);
    const skins = await service.listOwnSkins(db, viewer);
    return sendPage(
      reply,
      <SkinsPage ctx={ctx(request, reply)} skins={skins.map((s) => ({ id: s.id, title: s.title, uses: Number(s.uses) }))} />,
    );
  });

  app.get<{ Querystring: { from?: string } }>('/skins/new', async (request, reply) => {
    requireViewer(request);
    const example = typeof request.query.from === 'string' ? findExampleSkin(request.query.from) : undefined;
    const values = example ? { title: example.title, css: example.css } : { title: '', css: '' };
    return sendPage(reply, <SkinFormPage ctx={ctx(request, reply)} values={values} errors={{}} problems={[]} example={example} />);
  });

  const save = async (request: FastifyRequest, reply: FastifyReply, skinId: number | undefined) => {
    const viewer = requireViewer(request);
    // Someone else's skin is not there, whatever the form says.
    if (skinId !== undefined) await service.loadOwnSkin(db, viewer, skinId).catch(toHttp);
    const raw = formValues(request.body);
    const values: SkinFormValues = { title: raw.title ?? '', css: raw.css ?? '' };
    const form = (errors: FieldErrors, problems: service.SaveSkinResult['problems'], status: number) =>
      sendPage(
        reply,
        <SkinFormPage
          ctx={ctx(request, reply)}
          {...(skinId !== undefined ? { skinId } : {})}
          values={values}
          errors={errors}
          problems={problems}
          example={findExampleSkinIn(values.css)}
        />,
        status,
      );
    const parsed = SkinFormSchema.safeParse(raw);
    if (!parsed.success) return form(toFieldErrors(parsed.error), [], 422);
    let result: service.SaveSkinResult;
    try {
      result = await service.saveSkin(db, viewer, {
        ...(skinId !== undefined ? { skinId } : {}),
        title: parsed.data.title,
        css: parsed.data.css,
        acceptDropped: parsed.data.accept_dropped === '1',
      });
    } catch (error) {
      if (error instanceof service.SkinError && error.field) return form({ [error.field]: error.message }, [], error.status);
      return toHttp(error);
    }
    if (!result.saved) {
      const n = result.problems.length;
      return form(
        {
          css: `${n === 1 ? 'One part' : `${n} parts`} of this CSS cannot be used (listed above). Change it, or tick "Save without the parts listed above".`,
        },
        result.problems,
        422,
      );
    }
    setFlash(
      request,
      reply,
      result.problems.length > 0 ? `Skin saved without the ${result.problems.length} parts that cannot be used.` : 'Skin saved.',
    );
    return reply.redirect(`/skins/${result.id}/edit`, 303);
  };

  app.post('/skins', (request, reply) => save(request, reply, undefined));

  app.get<IdParams>('/skins/:id/edit', async (request, reply) => {
    const viewer = requireViewer(request);
    const skin = await service.loadOwnSkin(db, viewer, idOf(request.params.id, 'skin')).catch(toHttp);
    // What is served now, checked again: a skin saved before a rule changed shows what it loses.
    const { problems } = await service.cleanSkin(skin.source_css).catch(() => ({ problems: [] }));
    return sendPage(
      reply,
      <SkinFormPage
        ctx={ctx(request, reply)}
        skinId={skin.id}
        values={{ title: skin.title, css: skin.source_css }}
        errors={{}}
        problems={problems}
        example={findExampleSkinIn(skin.source_css)}
      />,
    );
  });

  app.post<IdParams>('/skins/:id', (request, reply) => save(request, reply, idOf(request.params.id, 'skin')));

  app.post<IdParams>('/skins/:id/delete', async (request, reply) => {
    const viewer = requireViewer(request);
    const works = await service.deleteOwnSkin(db, viewer, idOf(request.params.id, 'skin')).catch(toHttp);
    for (const workId of works) app.pageCache.invalidateWork(workId);
    setFlash(request, reply, works.length > 0 ? `Skin deleted; ${works.length} of your works now wear none.` : 'Skin deleted.');
    return reply.redirect('/skins', 303);
  });

  // ---- a work's skin -------------------------------------------------------------------

  app.get<IdParams>('/works/:id/skin', async (request, reply) => {
    const viewer = requireViewer(request);
    const choice = await service.loadSkinChoice(db, viewer, idOf(request.params.id, 'work')).catch(toHttp);
    return sendPage(
      reply,
      <SkinChoicePage
        ctx={ctx(request, reply)}
        work={choice.work}
        skins={choice.skins}
        value={choice.currentSkinId === null ? '' : String(choice.currentSkinId)}
        errors={{}}
      />,
    );
  });

  app.post<IdParams>('/works/:id/skin', async (request, reply) => {
    const viewer = requireViewer(request);
    const workId = idOf(request.params.id, 'work');
    const raw = formValues(request.body);
    const parsed = SkinChoiceSchema.safeParse(raw);
    const again = async (errors: FieldErrors) => {
      const choice = await service.loadSkinChoice(db, viewer, workId).catch(toHttp);
      return sendPage(
        reply,
        <SkinChoicePage ctx={ctx(request, reply)} work={choice.work} skins={choice.skins} value={raw.skin ?? ''} errors={errors} />,
        422,
      );
    };
    if (!parsed.success) return again(toFieldErrors(parsed.error));
    try {
      await service.chooseSkin(db, viewer, workId, parsed.data.skin);
    } catch (error) {
      if (error instanceof service.SkinError && error.field) return again({ [error.field]: error.message });
      return toHttp(error);
    }
    // The work page's head names the stylesheet: a stored guest copy must not keep the old one.
    app.pageCache.invalidateWork(workId);
    setFlash(request, reply, parsed.data.skin === '' ? 'This work wears no skin now.' : 'Work skin saved.');
    return reply.redirect(`/works/${workId}`, 303);
  });

  // The skin as a stylesheet of its own (the Content-Security-Policy allows no inline styles),
  // readable exactly when the work is. Always revalidated, so an edited skin shows at once.
  app.get<IdParams>('/works/:id/skin.css', async (request, reply) => {
    const sheet = await service.loadSkinStylesheet(db, request.viewer, idOf(request.params.id, 'work')).catch(toHttp);
    reply
      .header('content-type', 'text/css; charset=utf-8')
      .header('cache-control', sheet.shared ? 'public, max-age=0, must-revalidate' : 'private, no-cache')
      .header('etag', sheet.etag)
      .header('x-content-type-options', 'nosniff');
    if (request.headers['if-none-match'] === sheet.etag) return reply.code(304).send();
    return reply.send(sheet.css);
  });
}
