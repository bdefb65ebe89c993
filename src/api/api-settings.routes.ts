// /api/v1 operations of the settings pages that landed with their own slices: a creator's work
// skins and the skin a work wears (/skins, /works/:id/skin), reading preferences (/preferences),
// notification mail (/users/:login/notifications) and pseuds (the profile's form). Each maps its
// JSON onto the page's form schema and calls the function the page calls. Documented in
// api-operations.openapi.ts.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { PseudSchema } from '../accounts/accounts.schema.ts';
import { addPseud, findPseudsOfUser } from '../accounts/accounts.service.ts';
import { FONTS, LINE_WIDTHS, type ReaderPreferences, TEXT_SIZES, THEMES } from '../accounts/reader-preferences.ts';
import { ReaderPreferencesSchema, toPreferencesFormValues } from '../accounts/reader-preferences.schema.ts';
import { loadReaderPreferences, saveReaderPreferences } from '../accounts/reader-preferences.service.ts';
import type { MailChoice } from '../db/tables/work-skins-and-mail.ts';
import { findNotificationPreferences, MAIL_KINDS, saveNotificationPreferences } from '../notifications/notifications.service.ts';
import type { SkinProblem } from '../work-skins/skin-contract.ts';
import { SkinChoiceSchema, SkinFormSchema } from '../work-skins/work-skins.schema.ts';
import * as skins from '../work-skins/work-skins.service.ts';
import {
  type ApiOperationDeps,
  ApiInvalidError,
  flag,
  idOf,
  jsonId,
  operation,
  parseBody,
  parseForm,
  sendJson,
  viewerIn,
} from './api-kit.ts';

type Id = { Params: { id: string } };

/** The notification page's choices (its schema is private to its route; the type keeps the two in step). */
export const MAIL_CHOICES = ['each', 'digest', 'off'] as const satisfies readonly MailChoice[];

export const SkinApiSchema = z.strictObject(
  {
    title: z.string({ error: 'title is a string.' }),
    css: z.string({ error: 'css is a string.' }),
    accept_dropped: z.boolean({ error: 'accept_dropped is true or false.' }).optional(),
  },
  { error: 'Send {"title": "...", "css": "..."}.' },
);
export const SkinChoiceApiSchema = z.strictObject(
  {
    skin_id: jsonId('skin_id').nullable().optional(),
    example: z.string({ error: 'example is the key of an example skin, such as "texting".' }).optional(),
  },
  { error: 'Send {"skin_id": 12}, {"skin_id": null} or {"example": "texting"}.' },
);
export const ReadingPreferencesApiSchema = z.strictObject(
  {
    show_adult: z.boolean({ error: 'show_adult is true or false.' }).optional(),
    hide_warnings: z.boolean({ error: 'hide_warnings is true or false.' }).optional(),
    hide_freeforms: z.boolean({ error: 'hide_freeforms is true or false.' }).optional(),
    text_size: z.string({ error: `text_size is one of ${TEXT_SIZES.join(', ')}.` }).optional(),
    line_width: z.string({ error: `line_width is one of ${LINE_WIDTHS.join(', ')}.` }).optional(),
    font: z.string({ error: `font is one of ${FONTS.join(', ')}.` }).optional(),
    theme: z.string({ error: `theme is one of ${THEMES.join(', ')}.` }).optional(),
  },
  { error: 'Send the preferences to change, such as {"theme": "dark"}.' },
);
const mailChoice = (kind: string) => z.enum(MAIL_CHOICES, { error: `${kind} is one of ${MAIL_CHOICES.join(', ')}.` }).optional();
export const NotificationSettingsApiSchema = z.strictObject(
  {
    comments: mailChoice('comments'),
    replies: mailChoice('replies'),
    kudos: mailChoice('kudos'),
    gifts: mailChoice('gifts'),
    related_works: mailChoice('related_works'),
  },
  { error: 'Send the settings to change, such as {"kudos": "digest"}.' },
);
export const PseudApiSchema = z.strictObject({ name: z.string({ error: 'name is a string.' }) }, { error: 'Send {"name": "..."}.' });

/** What the skin form lists above the CSS, as one message beside the field. */
function describeDropped(problems: SkinProblem[]): string {
  const listed = problems.map((p) => `${p.line === null ? '' : `line ${p.line}, `}${p.text}: ${p.reason}`).join('; ');
  return `${problems.length === 1 ? 'One part' : `${problems.length} parts`} of this CSS cannot be used (${listed}). Change it, or send "accept_dropped": true to save without them.`;
}

const toReadingPreferences = (p: ReaderPreferences) => ({
  reading_preferences: {
    show_adult: p.showAdult,
    hide_warnings: p.hideWarnings,
    hide_freeforms: p.hideFreeforms,
    text_size: p.textSize,
    line_width: p.lineWidth,
    font: p.font,
    theme: p.theme,
  },
});

export function apiSettingsRoutes(api: FastifyInstance, deps: ApiOperationDeps): void {
  const { db, config, requireScope, reads, writes } = deps;
  const base = config.baseUrl;
  const ownRead = { config: reads, preParsing: requireScope('read') };
  const works = { config: writes, preParsing: requireScope('write:works') };
  const account = { config: writes, preParsing: requireScope('write:account') };

  // ---- work skins ---------------------------------------------------------------------------

  const skinOf = async (viewer: Parameters<typeof skins.loadOwnSkin>[1], id: number) => {
    const skin = await skins.loadOwnSkin(db, viewer, id);
    // What is served now, checked again, as the edit page shows it.
    const { problems } = await skins.cleanSkin(skin.source_css).catch(() => ({ problems: [] as SkinProblem[] }));
    return {
      skin: {
        id: skin.id,
        title: skin.title,
        css: skin.source_css,
        dropped: problems.map((p) => ({ line: p.line, text: p.text, reason: p.reason })),
      },
    };
  };

  api.get(
    '/me/skins',
    ownRead,
    operation(async (request, reply) => {
      const own = await skins.listOwnSkins(db, viewerIn(deps, request));
      return sendJson(reply, 200, { skins: own.map((s) => ({ id: s.id, title: s.title, uses: Number(s.uses) })) });
    }),
  );

  api.get<Id>(
    '/me/skins/:id',
    ownRead,
    operation<Id>(async (request, reply) => sendJson(reply, 200, await skinOf(viewerIn(deps, request), idOf(request.params.id, 'skin')))),
  );

  const save = async (viewer: Parameters<typeof skins.loadOwnSkin>[1], body: unknown, skinId: number | undefined) => {
    const json = parseBody(SkinApiSchema, body, 'The skin was not saved');
    const form = parseForm(
      SkinFormSchema,
      { title: json.title, css: json.css, accept_dropped: flag(json.accept_dropped) },
      'The skin was not saved',
    );
    const result = await skins.saveSkin(db, viewer, {
      ...(skinId !== undefined ? { skinId } : {}),
      title: form.title,
      css: form.css,
      acceptDropped: form.accept_dropped === '1',
    });
    if (!result.saved) throw new ApiInvalidError('The skin was not saved', { css: describeDropped(result.problems) });
    return result.id;
  };

  api.post(
    '/me/skins',
    works,
    operation(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const id = await save(viewer, request.body, undefined);
      reply.header('location', `${base}/api/v1/me/skins/${id}`);
      return sendJson(reply, 201, await skinOf(viewer, id));
    }),
  );

  api.put<Id>(
    '/me/skins/:id',
    works,
    operation<Id>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const id = idOf(request.params.id, 'skin');
      await skins.loadOwnSkin(db, viewer, id);
      await save(viewer, request.body, id);
      return sendJson(reply, 200, await skinOf(viewer, id));
    }),
  );

  api.delete<Id>(
    '/me/skins/:id',
    works,
    operation<Id>(async (request, reply) => {
      const worn = await skins.deleteOwnSkin(db, viewerIn(deps, request), idOf(request.params.id, 'skin'));
      for (const workId of worn) api.pageCache.invalidateWork(workId);
      return reply.status(204).send();
    }),
  );

  const workSkin = async (viewer: Parameters<typeof skins.loadSkinChoice>[1], workId: number) => {
    const choice = await skins.loadSkinChoice(db, viewer, workId);
    return { work_skin: { work_id: choice.work.id, skin_id: choice.currentSkinId } };
  };

  api.get<Id>(
    '/works/:id/skin',
    ownRead,
    operation<Id>(async (request, reply) => sendJson(reply, 200, await workSkin(viewerIn(deps, request), idOf(request.params.id, 'work')))),
  );

  api.put<Id>(
    '/works/:id/skin',
    works,
    operation<Id>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const workId = idOf(request.params.id, 'work');
      const json = parseBody(SkinChoiceApiSchema, request.body, 'The work skin was not chosen');
      if (json.example !== undefined && json.skin_id !== undefined && json.skin_id !== null)
        throw new ApiInvalidError('The work skin was not chosen', { _body: 'Send either skin_id or example, not both.' });
      const raw = json.example !== undefined ? `example:${json.example}` : json.skin_id == null ? '' : String(json.skin_id);
      const { skin } = parseForm(SkinChoiceSchema, { skin: raw }, 'The work skin was not chosen');
      await skins.chooseSkin(db, viewer, workId, skin);
      // The work page's head names the stylesheet: a stored guest copy must not keep the old one.
      api.pageCache.invalidateWork(workId);
      return sendJson(reply, 200, await workSkin(viewer, workId));
    }),
  );

  // ---- reading preferences, notification mail -------------------------------------------------

  api.get(
    '/me/reading_preferences',
    ownRead,
    operation(async (request, reply) =>
      sendJson(reply, 200, toReadingPreferences(await loadReaderPreferences(db, viewerIn(deps, request).id))),
    ),
  );

  api.patch(
    '/me/reading_preferences',
    account,
    operation(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const json = parseBody(ReadingPreferencesApiSchema, request.body, 'The reading preferences were not saved');
      // The form sends every field; the API sends what changes, on top of what is saved.
      const values = { ...toPreferencesFormValues(await loadReaderPreferences(db, viewer.id)) };
      for (const [key, value] of Object.entries(json))
        if (value !== undefined) values[key] = typeof value === 'boolean' ? (value ? '1' : '') : value;
      const preferences = parseForm(ReaderPreferencesSchema, values, 'The reading preferences were not saved');
      await saveReaderPreferences(db, viewer.id, preferences);
      return sendJson(reply, 200, toReadingPreferences(preferences));
    }),
  );

  api.get(
    '/me/notification_settings',
    ownRead,
    operation(async (request, reply) =>
      sendJson(reply, 200, { notification_settings: await findNotificationPreferences(db, viewerIn(deps, request).id) }),
    ),
  );

  api.patch(
    '/me/notification_settings',
    account,
    operation(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const json = parseBody(NotificationSettingsApiSchema, request.body, 'The notification settings were not saved');
      const settings = { ...(await findNotificationPreferences(db, viewer.id)) };
      for (const kind of MAIL_KINDS) settings[kind] = json[kind] ?? settings[kind];
      await saveNotificationPreferences(db, viewer.id, settings);
      return sendJson(reply, 200, { notification_settings: settings });
    }),
  );

  // ---- pseuds -----------------------------------------------------------------------------------

  const pseudsOf = async (userId: number) =>
    (await findPseudsOfUser(db, userId)).map((p) => ({ id: p.id, name: p.name, default: p.is_default }));

  api.get(
    '/me/pseuds',
    ownRead,
    operation(async (request, reply) => sendJson(reply, 200, { pseuds: await pseudsOf(viewerIn(deps, request).id) })),
  );

  api.post(
    '/me/pseuds',
    account,
    operation(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const json = parseBody(PseudApiSchema, request.body, 'The pseud was not added');
      const { name } = parseForm(PseudSchema, json, 'The pseud was not added');
      const added = await addPseud(db, viewer.id, name);
      if (!added.ok) throw new ApiInvalidError('The pseud was not added', added.errors);
      return sendJson(reply, 201, { pseud: { id: added.id, name, default: false } });
    }),
  );
}
