// /api/v1 operations of a reader on their own things and on others' works: kudos, comments (edit,
// delete, moderate on one's works), bookmarks and mark for later, subscriptions, the inbox,
// reading position and history, mutes and blocks, saved searches, filters, stats and preferences.
// Each calls the function its page's form calls, so the rules live once. Documented in
// api-me.openapi.ts.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { addRelation, listBlocked, listMuted, removeRelation, type Relation } from '../blocking/blocking.service.ts';
import { BookmarkFormSchema, ExternalBookmarkFormSchema } from '../bookmarks/bookmarks.schema.ts';
import * as bookmarks from '../bookmarks/bookmarks.service.ts';
import { EditCommentSchema } from '../comments/comments.schema.ts';
import * as comments from '../comments/comments.service.ts';
import { applyInboxAction, INBOX_PER_PAGE, InboxActionSchema, listInbox, openInboxItem } from '../inbox/inbox.service.ts';
import { giveKudos } from '../kudos/kudos.service.ts';
import { REPORT_REASONS, ReportSchema } from '../moderation/moderation.schema.ts';
import { describeReportTarget, fileReport } from '../moderation/moderation.service.ts';
import { PositionSchema } from '../reading-position/reading-position.schema.ts';
import { findSavedPosition, savePosition } from '../reading-position/reading-position.service.ts';
import { GlobalFilterSchema, SavedSearchSchema } from '../search/search.schema.ts';
import {
  addGlobalFilter,
  listGlobalFilters,
  listSavedSearches,
  removeGlobalFilter,
  removeSavedSearch,
  saveSearch,
} from '../search/preferences.service.ts';
import { loadCreatorStats, PERIODS } from '../stats/stats.service.ts';
import { EMAIL_MODES, PreferencesSchema, SUBSCRIPTION_KINDS } from '../subscriptions/subscriptions.schema.ts';
import * as subscriptions from '../subscriptions/subscriptions.service.ts';
import { HttpError } from '../web/errors.tsx';
import { authorizeRead, WorkNotFoundError } from '../works/works.service.ts';
import {
  type ApiOperationDeps,
  ApiInvalidError,
  flag,
  idList,
  idOf,
  jsonId,
  operation,
  parseBody,
  parseForm,
  sendJson,
  viewerIn,
} from './api-kit.ts';
import { decodeCursor, sendLinks } from './api-pagination.ts';

type Id = { Params: { id: string } };
type Login = { Params: { login: string } };

const bookmarkFields = {
  notes: z.string({ error: 'notes is a string.' }).optional(),
  tags: z
    .array(
      z
        .string({ error: 'Each tag is a string.' })
        .refine((t) => !t.includes(','), 'Tags cannot contain commas: send each tag as its own array item.'),
      { error: 'Send tags as an array of strings.' },
    )
    .optional(),
  private: z.boolean({ error: 'private is true or false.' }).optional(),
  rec: z.boolean({ error: 'rec is true or false.' }).optional(),
};
export const BookmarkApiSchema = z.strictObject(bookmarkFields, {
  error: 'The request body must be a JSON object describing the bookmark.',
});
export const ExternalBookmarkApiSchema = z.strictObject(
  {
    ...bookmarkFields,
    url: z.string({ error: 'url is a string.' }),
    title: z.string({ error: 'title is a string.' }),
    creator: z.string({ error: 'creator is a string.' }),
    fandom: z.string({ error: 'fandom is a string.' }).optional(),
    summary: z.string({ error: 'summary is a string.' }).optional(),
  },
  { error: 'The request body must be a JSON object describing the external work.' },
);
export const ReportApiSchema = z.strictObject(
  {
    target_type: z.enum(['work', 'comment', 'user'], { error: 'target_type is work, comment or user.' }),
    target_id: jsonId('target_id'),
    reason: z.enum(REPORT_REASONS, { error: `reason is one of ${REPORT_REASONS.join(', ')}.` }),
    details: z.string({ error: 'details is a string.' }).optional(),
  },
  { error: 'Send {"target_type": "work", "target_id": 1, "reason": "..."}.' },
);
export const EditCommentApiSchema = z.strictObject(
  { comment: z.string({ error: 'comment is a string.' }) },
  { error: 'Send {"comment": "..."}.' },
);
export const ModerateCommentApiSchema = z.strictObject(
  {
    action: z.enum(['approve', 'hide', 'unhide', 'freeze', 'unfreeze'], { error: 'action is approve, hide, unhide, freeze or unfreeze.' }),
  },
  { error: 'Send {"action": "approve"}.' },
);
export const MarkForLaterApiSchema = z.strictObject(
  { to_read: z.boolean({ error: 'to_read is true or false.' }) },
  { error: 'Send {"to_read": true}.' },
);
export const PositionApiSchema = z.strictObject(
  {
    chapter_id: jsonId('chapter_id'),
    paragraph: jsonId('paragraph').max(1_000_000, { error: 'paragraph is at most 1000000.' }).optional(),
    fraction: z
      .number({ error: 'fraction is a number from 0 to 1.' })
      .min(0, { error: 'fraction is from 0 to 1.' })
      .max(1, { error: 'fraction is from 0 to 1.' })
      .optional(),
  },
  { error: 'Send {"chapter_id": 1, "paragraph": 3}.' },
);
export const SubscribeApiSchema = z.strictObject(
  { kind: z.enum(SUBSCRIPTION_KINDS, { error: 'kind is work, creator or series.' }), id: jsonId('id') },
  { error: 'Send {"kind": "work", "id": 1}.' },
);
export const InboxActionApiSchema = z.strictObject(
  { action: z.enum(['read', 'unread', 'delete'], { error: 'action is read, unread or delete.' }), ids: idList('ids') },
  { error: 'Send {"action": "read", "ids": [1, 2]}.' },
);
export const SavedSearchApiSchema = z.strictObject(
  { name: z.string({ error: 'name is a string.' }), query: z.string({ error: 'query is a string: the search page’s query string.' }) },
  { error: 'Send {"name": "...", "query": "q=...&fandoms=..."}.' },
);
export const FilterApiSchema = z.strictObject(
  {
    kind: z.enum(['tag', 'creator'], { error: 'kind is tag or creator.' }),
    name: z.string({ error: 'name is a string.' }),
    tag_type: z.string({ error: 'tag_type is a string.' }).optional(),
  },
  { error: 'Send {"kind": "tag", "name": "..."}.' },
);
export const PreferencesApiSchema = z.strictObject(
  {
    history_enabled: z.boolean({ error: 'history_enabled is true or false.' }).optional(),
    subscription_email: z.enum(EMAIL_MODES, { error: `subscription_email is one of ${EMAIL_MODES.join(', ')}.` }).optional(),
  },
  { error: 'Send {"history_enabled": true, "subscription_email": "digest"}.' },
);

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);
const PAGE = 20;

export function apiMeRoutes(api: FastifyInstance, deps: ApiOperationDeps): void {
  const { db, config, requireScope, reads, writes } = deps;
  const base = config.baseUrl;
  const interact = { config: writes, preParsing: requireScope('write:interactions') };
  const account = { config: writes, preParsing: requireScope('write:account') };
  const ownRead = { config: reads, preParsing: requireScope('read') };
  const changed = (workId: number) => api.pageCache.invalidateWork(workId);
  const absolute = (url: string) => (url.startsWith('/') ? `${base}${url}` : url);

  api.get(
    '/me',
    ownRead,
    operation(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      return sendJson(reply, 200, {
        user: {
          id: viewer.id,
          login: viewer.login,
          default_pseud: viewer.defaultPseudName,
          url: `${base}/users/${encodeURIComponent(viewer.login)}`,
        },
      });
    }),
  );

  // ---- kudos, comments --------------------------------------------------------------------

  api.post<Id>(
    '/works/:id/kudos',
    interact,
    operation<Id>(async (request, reply) => {
      const id = idOf(request.params.id, 'work');
      const result = await giveKudos(db, viewerIn(deps, request), id, request.ip);
      if (result === 'given') changed(id);
      return sendJson(reply, result === 'given' ? 201 : 200, { kudos: { work_id: id, given: result === 'given' } });
    }),
  );

  api.put<Id>(
    '/comments/:id',
    interact,
    operation<Id>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const id = idOf(request.params.id, 'comment');
      const { work } = await comments.authorizeEdit(db, viewer, id);
      const body = parseBody(EditCommentApiSchema, request.body, 'The comment was not changed');
      const { comment } = parseForm(EditCommentSchema, body, 'The comment was not changed');
      await comments.editComment(db, viewer, id, comment);
      changed(work.id);
      return sendJson(reply, 200, { comment: { id, url: `${base}${comments.commentPermalink(id)}` } });
    }),
  );

  api.delete<Id>(
    '/comments/:id',
    interact,
    operation<Id>(async (request, reply) => {
      const { workId } = await comments.deleteComment(db, viewerIn(deps, request), idOf(request.params.id, 'comment'));
      changed(workId);
      return reply.status(204).send();
    }),
  );

  api.post<Id>(
    '/comments/:id/moderation',
    interact,
    operation<Id>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const id = idOf(request.params.id, 'comment');
      const { action } = parseBody(ModerateCommentApiSchema, request.body, 'The comment was not moderated');
      const { workId } = await comments.moderateComment(db, viewer, id, action);
      changed(workId);
      return sendJson(reply, 200, { comment: { id, action, url: `${base}${comments.commentPermalink(id)}` } });
    }),
  );

  // ---- reports: the form's own limit (30 an hour), not the API's usual one ------------------

  const reportLimit = { ...(writes as { rateLimit: object }).rateLimit, max: 30, timeWindow: '1 hour' };
  api.post(
    '/reports',
    { config: { rateLimit: reportLimit }, preParsing: requireScope('write:interactions') },
    operation(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const body = parseBody(ReportApiSchema, request.body, 'The report was not sent');
      const target = await describeReportTarget(db, body.target_type, body.target_id, viewer);
      if (!target) throw new HttpError(404, 'There is nothing to report with this id.');
      const input = parseForm(ReportSchema, { ...body, details: body.details ?? '' }, 'The report was not sent');
      const id = await fileReport(db, viewer, input);
      return sendJson(reply, 201, {
        report: { id, target: { type: target.type, id: target.id, label: target.label, url: target.href ? absolute(target.href) : null } },
      });
    }),
  );

  // ---- bookmarks, mark for later, reading position -----------------------------------------

  const bookmarkForm = (body: z.output<typeof BookmarkApiSchema>, extra: Record<string, string | undefined> = {}) => {
    const values = {
      notes: body.notes ?? '',
      tags: (body.tags ?? []).join(','),
      private: flag(body.private),
      rec: flag(body.rec),
      ...extra,
    };
    return values;
  };

  api.post<Id>(
    '/series/:id/bookmarks',
    interact,
    operation<Id>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const id = idOf(request.params.id, 'series');
      await bookmarks.authorizeSeries(db, viewer, id);
      const body = parseBody(BookmarkApiSchema, request.body, 'The bookmark was not saved');
      const form = parseForm(BookmarkFormSchema, bookmarkForm(body), 'The bookmark was not saved');
      const outcome = await bookmarks.saveSeriesBookmark(db, viewer, id, form);
      const saved = (await bookmarks.findBookmarkOfSeries(db, viewer.id, id))!;
      return sendJson(reply, outcome === 'created' ? 201 : 200, {
        bookmark: {
          id: saved.id,
          series_id: id,
          url: `${base}/series/${id}`,
          private: saved.is_private,
          rec: saved.is_rec,
          tags: saved.tags,
        },
      });
    }),
  );

  api.post(
    '/bookmarks/external',
    interact,
    operation(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const body = parseBody(ExternalBookmarkApiSchema, request.body, 'The bookmark was not saved');
      const form = parseForm(
        ExternalBookmarkFormSchema,
        bookmarkForm(body, {
          url: body.url,
          title: body.title,
          creator: body.creator,
          fandom: body.fandom ?? '',
          summary: body.summary ?? '',
        }),
        'The bookmark was not saved',
      );
      const id = await bookmarks.saveExternalBookmark(db, viewer, form);
      return sendJson(reply, 201, { bookmark: { id, url: form.url, title: form.title } });
    }),
  );

  api.delete<Id>(
    '/bookmarks/:id',
    interact,
    operation<Id>(async (request, reply) => {
      const workId = await bookmarks.deleteBookmark(db, viewerIn(deps, request), idOf(request.params.id, 'bookmark'));
      if (workId !== null) changed(workId);
      return reply.status(204).send();
    }),
  );

  api.put<Id>(
    '/works/:id/mark_for_later',
    interact,
    operation<Id>(async (request, reply) => {
      const id = idOf(request.params.id, 'work');
      const { to_read } = parseBody(MarkForLaterApiSchema, request.body, 'The reading list was not changed');
      await bookmarks.setToRead(db, viewerIn(deps, request), id, to_read);
      return sendJson(reply, 200, { reading: { work_id: id, to_read } });
    }),
  );

  api.put<Id>(
    '/works/:id/position',
    interact,
    operation<Id>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const id = idOf(request.params.id, 'work');
      const body = parseBody(PositionApiSchema, request.body, 'The position was not saved');
      const input = parseForm(PositionSchema, body, 'The position was not saved');
      await savePosition(db, viewer, id, input);
      const saved = (await findSavedPosition(db, viewer.id, id))!;
      return sendJson(reply, 200, {
        position: { work_id: id, chapter_id: saved.chapterId, paragraph: saved.paragraph, url: `${base}${saved.href}` },
      });
    }),
  );

  api.get<Id>(
    '/works/:id/position',
    ownRead,
    operation<Id>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const id = idOf(request.params.id, 'work');
      const decision = await authorizeRead(db, viewer, id).catch((error: unknown) => {
        throw error instanceof WorkNotFoundError ? new HttpError(404, error.message) : error;
      });
      if (!decision.allowed) throw new HttpError(decision.status, decision.reason);
      const saved = await findSavedPosition(db, viewer.id, id);
      if (!saved) throw new HttpError(404, 'You have no saved position in this work.');
      return sendJson(reply, 200, {
        position: { work_id: id, chapter_id: saved.chapterId, paragraph: saved.paragraph, url: `${base}${saved.href}` },
      });
    }),
  );

  api.get<{ Querystring: { show?: string; cursor?: string } }>(
    '/me/readings',
    ownRead,
    operation<{ Querystring: { show?: string; cursor?: string } }>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const show = request.query.show ?? 'to-read';
      if (show !== 'to-read' && show !== 'history')
        throw new ApiInvalidError('show is to-read or history.', { show: 'show is to-read or history.' });
      const page = decodeCursor(request.query.cursor);
      const rows = await bookmarks.listReadings(db, viewer.id, show, page, PAGE);
      sendLinks(reply, request, page, rows.length > PAGE);
      return sendJson(reply, 200, {
        readings: rows.slice(0, PAGE).map((r) => ({
          work_id: r.work_id,
          title: r.title,
          url: `${base}/works/${r.work_id}`,
          to_read: r.to_read,
          visits: r.visits,
          last_read_at: iso(r.last_read_at),
        })),
        history_enabled: await bookmarks.historyEnabled(db, viewer.id),
      });
    }),
  );

  api.delete(
    '/me/readings/history',
    interact,
    operation(async (request, reply) => {
      await bookmarks.clearHistory(db, viewerIn(deps, request).id);
      return reply.status(204).send();
    }),
  );

  // ---- subscriptions ---------------------------------------------------------------------

  api.get(
    '/me/subscriptions',
    ownRead,
    operation(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const items = await subscriptions.listSubscriptions(db, viewer);
      return sendJson(reply, 200, {
        subscriptions: items.map((s) => ({ kind: s.kind, id: s.id, label: s.label, url: s.href ? absolute(s.href) : null })),
      });
    }),
  );

  api.post(
    '/me/subscriptions',
    interact,
    operation(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const target = parseBody(SubscribeApiSchema, request.body, 'The subscription was not made');
      const existed = (await subscriptions.findSubscriptionId(db, viewer.id, target)) !== undefined;
      await subscriptions.subscribe(db, viewer, target);
      return sendJson(reply, existed ? 200 : 201, { subscription: target });
    }),
  );

  api.delete<{ Params: { kind: string; id: string } }>(
    '/me/subscriptions/:kind/:id',
    interact,
    operation<{ Params: { kind: string; id: string } }>(async (request, reply) => {
      const kind = SUBSCRIPTION_KINDS.find((k) => k === request.params.kind);
      if (!kind) throw new HttpError(404, 'Subscriptions are to a work, a creator or a series.');
      const removed = await subscriptions.unsubscribe(db, viewerIn(deps, request), { kind, id: idOf(request.params.id, kind) });
      if (!removed) throw new HttpError(404, 'You have no such subscription.');
      return reply.status(204).send();
    }),
  );

  // ---- inbox -------------------------------------------------------------------------------

  api.get<{ Querystring: { filter?: string; cursor?: string } }>(
    '/me/inbox',
    ownRead,
    operation<{ Querystring: { filter?: string; cursor?: string } }>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const filter = request.query.filter ?? 'all';
      if (filter !== 'all' && filter !== 'unread' && filter !== 'read')
        throw new ApiInvalidError('filter is all, unread or read.', { filter: 'filter is all, unread or read.' });
      const page = decodeCursor(request.query.cursor, 10_000);
      const { rows, hasNext, unread } = await listInbox(db, viewer.id, { filter, page });
      sendLinks(reply, request, page, hasNext);
      return sendJson(reply, 200, {
        items: rows.map((r) => ({
          id: r.id,
          kind: r.kind,
          text: r.text,
          url: absolute(r.url),
          read: r.read_at !== null,
          created_at: iso(r.created_at),
        })),
        unread,
        per_page: INBOX_PER_PAGE,
      });
    }),
  );

  api.post(
    '/me/inbox',
    interact,
    operation(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const body = parseBody(InboxActionApiSchema, request.body, 'The inbox was not changed');
      const input = parseForm(InboxActionSchema, body, 'The inbox was not changed');
      return sendJson(reply, 200, { changed: await applyInboxAction(db, viewer.id, input) });
    }),
  );

  api.post<{ Params: { itemId: string } }>(
    '/me/inbox/:itemId/read',
    interact,
    operation<{ Params: { itemId: string } }>(async (request, reply) => {
      const url = await openInboxItem(db, viewerIn(deps, request).id, idOf(request.params.itemId, 'inbox item'));
      if (!url) throw new HttpError(404, 'There is no such item in your inbox. It may have been deleted.');
      return sendJson(reply, 200, { item: { id: Number(request.params.itemId), read: true, url: absolute(url) } });
    }),
  );

  api.delete<{ Params: { itemId: string } }>(
    '/me/inbox/:itemId',
    interact,
    operation<{ Params: { itemId: string } }>(async (request, reply) => {
      const id = idOf(request.params.itemId, 'inbox item');
      const n = await applyInboxAction(db, viewerIn(deps, request).id, { action: 'delete', ids: [id] });
      if (n === 0) throw new HttpError(404, 'There is no such item in your inbox. It may have been deleted.');
      return reply.status(204).send();
    }),
  );

  // ---- mutes and blocks ---------------------------------------------------------------------

  for (const [path, relation] of [
    ['muted', 'mute'],
    ['blocked', 'block'],
  ] as const satisfies ReadonlyArray<readonly [string, Relation]>) {
    api.get(
      `/me/${path}`,
      ownRead,
      operation(async (request, reply) => {
        const viewer = viewerIn(deps, request);
        const rows = relation === 'mute' ? await listMuted(db, viewer.id) : await listBlocked(db, viewer.id);
        return sendJson(reply, 200, { users: rows.map((r) => ({ login: r.login, since: iso(r.created_at) })) });
      }),
    );
    api.put<Login>(
      `/me/${path}/:login`,
      account,
      operation<Login>(async (request, reply) => {
        const login = await addRelation(db, viewerIn(deps, request).id, relation, request.params.login);
        return sendJson(reply, 200, { user: { login } });
      }),
    );
    api.delete<Login>(
      `/me/${path}/:login`,
      account,
      operation<Login>(async (request, reply) => {
        await removeRelation(db, viewerIn(deps, request).id, relation, request.params.login);
        return reply.status(204).send();
      }),
    );
  }

  // ---- saved searches, filters -------------------------------------------------------------

  api.get(
    '/me/saved_searches',
    ownRead,
    operation(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      // Listing marks the searches seen (their new-match counts restart): a write, so on the primary.
      const searches = await listSavedSearches(deps.primary, viewer.id);
      const feed = (s: { id: number; feedToken: string }) =>
        `${base}/users/${encodeURIComponent(viewer.login)}/saved_searches/${s.id}/feed.atom?token=${encodeURIComponent(s.feedToken)}`;
      return sendJson(reply, 200, {
        saved_searches: searches.map((s) => ({
          id: s.id,
          name: s.name,
          query: s.query,
          new_matches: s.newCount,
          url: `${base}/works/search?${s.query}`,
          feed_url: feed(s),
        })),
      });
    }),
  );

  api.post(
    '/me/saved_searches',
    account,
    operation(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const body = parseBody(SavedSearchApiSchema, request.body, 'The search was not saved');
      const input = parseForm(SavedSearchSchema, body, 'The search was not saved');
      const id = await saveSearch(db, viewer.id, input.name, input.query);
      return sendJson(reply, 201, { saved_search: { id, name: input.name } });
    }),
  );

  api.delete<Id>(
    '/me/saved_searches/:id',
    account,
    operation<Id>(async (request, reply) => {
      if (!(await removeSavedSearch(db, viewerIn(deps, request).id, idOf(request.params.id, 'saved search'))))
        throw new HttpError(404, 'There is no such saved search.');
      return reply.status(204).send();
    }),
  );

  api.get(
    '/me/filters',
    ownRead,
    operation(async (request, reply) => {
      const filters = await listGlobalFilters(db, viewerIn(deps, request).id);
      return sendJson(reply, 200, { filters: filters.map((f) => ({ kind: f.kind, id: f.targetId, label: f.label })) });
    }),
  );

  api.post(
    '/me/filters',
    account,
    operation(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const body = parseBody(FilterApiSchema, request.body, 'Nothing was hidden');
      const input = parseForm(GlobalFilterSchema, body, 'Nothing was hidden');
      await addGlobalFilter(db, viewer.id, input);
      const filters = await listGlobalFilters(db, viewer.id);
      return sendJson(reply, 201, { filters: filters.map((f) => ({ kind: f.kind, id: f.targetId, label: f.label })) });
    }),
  );

  api.delete<{ Params: { kind: string; id: string } }>(
    '/me/filters/:kind/:id',
    account,
    operation<{ Params: { kind: string; id: string } }>(async (request, reply) => {
      const kind = request.params.kind;
      if (kind !== 'tag' && kind !== 'creator') throw new HttpError(404, 'Filters hide a tag or a creator.');
      await removeGlobalFilter(db, viewerIn(deps, request).id, kind, idOf(request.params.id, kind));
      return reply.status(204).send();
    }),
  );

  // ---- stats, preferences -----------------------------------------------------------------

  api.get<{ Querystring: { days?: string } }>(
    '/me/stats',
    ownRead,
    operation<{ Querystring: { days?: string } }>(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const days = request.query.days === undefined ? 30 : Number(request.query.days);
      if (!PERIODS.includes(days as (typeof PERIODS)[number]))
        throw new ApiInvalidError(`days is one of ${PERIODS.join(', ')}.`, { days: `days is one of ${PERIODS.join(', ')}.` });
      const stats = await loadCreatorStats(db, viewer.id, { days });
      return sendJson(reply, 200, {
        days,
        totals: stats.totals,
        works: stats.works.map((w) => ({ id: w.id, title: w.title, words: w.words, totals: w.totals })),
        daily: stats.days.map((day, i) => ({ day, ...stats.daily[i]! })),
      });
    }),
  );

  const preferences = async (userId: number) => ({
    preferences: {
      history_enabled: await bookmarks.historyEnabled(db, userId),
      subscription_email: await subscriptions.findEmailMode(db, userId),
    },
  });

  api.get(
    '/me/preferences',
    ownRead,
    operation(async (request, reply) => sendJson(reply, 200, await preferences(viewerIn(deps, request).id))),
  );

  api.patch(
    '/me/preferences',
    account,
    operation(async (request, reply) => {
      const viewer = viewerIn(deps, request);
      const body = parseBody(PreferencesApiSchema, request.body, 'The preferences were not saved');
      if (body.subscription_email !== undefined) {
        const { email_mode } = parseForm(PreferencesSchema, { email_mode: body.subscription_email }, 'The preferences were not saved');
        await subscriptions.setEmailMode(db, viewer, email_mode);
      }
      if (body.history_enabled !== undefined) await bookmarks.setHistoryEnabled(db, viewer.id, body.history_enabled);
      return sendJson(reply, 200, await preferences(viewer.id));
    }),
  );
}
