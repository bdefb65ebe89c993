// /api/v1 search, series, bookmarks and comments (issue 6). Mounted inside the API's plugin scope
// by api.routes.ts (same tokens, JSON and rate limits); each route calls its feature's own service,
// so the rules (visibility, the search language, bookmark and comment rules) live in one place.
// Documented in api-community.openapi.ts and checked by openapi.test.ts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { findUserByLogin } from '../accounts/accounts.service.ts';
import { mutedUserIds } from '../blocking/blocking.service.ts';
import * as bookmarks from '../bookmarks/bookmarks.service.ts';
import { BookmarkFormSchema } from '../bookmarks/bookmarks.schema.ts';
import { toThreadView, type CommentView } from '../comments/comments.presenter.ts';
import { CommentFormSchema } from '../comments/comments.schema.ts';
import * as comments from '../comments/comments.service.ts';
import { loadInteractionWork } from '../comments/work-access.ts';
import type { Config } from '../config.ts';
import type { Database, WorkRow } from '../db/schema.ts';
import { QueryParseError } from '../search/query-parser.ts';
import { SearchQuerySchema } from '../search/search.schema.ts';
import { searchWorks } from '../search/search.service.ts';
import { loadSeriesForViewer, SeriesNotFoundError } from '../series/series.service.ts';
import { HttpError } from '../web/errors.tsx';
import { parseId } from '../web/form.ts';
import type { Viewer } from '../web/viewer.ts';
import { canReadWork, isCreator } from '../works/works.policy.ts';
import { findCreatorsOfWorks, findTagsOfWorks } from '../works/works.service.ts';
import { toApiWork, type ApiWork } from './api.presenter.ts';
import { PAGE_SIZE, parsePage, toFieldMessages, type FieldMessages } from './api.schema.ts';
import { sendLinks } from './api-pagination.ts';
import { concealCommentAuthors, concealCreators, withoutUnrevealed } from '../collections/anonymity.ts';

type Db = Kysely<Database>;

export interface ApiCommunityDeps {
  db: Db;
  config: Config;
  viewerOf(request: FastifyRequest): Viewer | null;
  requireToken: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  reads: object;
  writes: object;
}

function sendJson(reply: FastifyReply, status: number, body: unknown) {
  return reply.status(status).type('application/json; charset=utf-8').send(body);
}

function unprocessable(reply: FastifyReply, message: string, fields: FieldMessages) {
  return sendJson(reply, 422, { error: { status: 422, message, fields } });
}

async function toApiWorks(db: Db, baseUrl: string, listed: readonly WorkRow[]): Promise<ApiWork[]> {
  // The API has no "Mystery work" form of a work: unrevealed ones are left out until the reveal (decision 043).
  const rows = await withoutUnrevealed(db, listed);
  const ids = rows.map((r) => r.id);
  const [creators, tags] = await Promise.all([
    findCreatorsOfWorks(db, ids).then((c) => concealCreators(db, null, c)),
    findTagsOfWorks(db, ids),
  ]);
  return rows.map((row) =>
    toApiWork(
      baseUrl,
      row,
      creators.filter((c) => c.work_id === row.id),
      tags.filter((t) => t.work_id === row.id),
    ),
  );
}

/** The JSON body of POST /works/:id/bookmarks: the bookmark form's fields with JSON types. */
export const CreateBookmarkApiSchema = z.strictObject(
  {
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
  },
  { error: 'The request body must be a JSON object describing the bookmark.' },
);

const optionalId = (name: string) =>
  z
    .number({ error: `${name} is a whole number.` })
    .int({ error: `${name} is a whole number.` })
    .min(1, { error: `${name} is a whole number from 1.` })
    .max(2_147_483_647, { error: `${name} is too large.` })
    .optional();

/** The JSON body of POST /works/:id/comments. */
export const CreateCommentApiSchema = z.strictObject(
  {
    comment: z.string({ error: (issue) => (issue.input === undefined ? 'Write your comment.' : 'comment is a string.') }),
    parent_id: optionalId('parent_id'),
    chapter_id: optionalId('chapter_id'),
    paragraph: optionalId('paragraph'),
  },
  { error: 'The request body must be a JSON object describing the comment.' },
);

export interface ApiComment {
  id: number;
  state: CommentView['state'];
  author: string | null;
  login: string | null;
  guest: boolean;
  body_html: string;
  chapter_id: number | null;
  paragraph: number | null;
  pending: boolean;
  frozen: boolean;
  edited: boolean;
  created_at: string;
  url: string;
  replies: ApiComment[];
}

export function apiCommunityRoutes(api: FastifyInstance, { db, config, viewerOf, requireToken, reads, writes }: ApiCommunityDeps): void {
  const base = config.baseUrl;
  const changed = (workId: number) => api.pageCache.invalidateWork(workId);
  const workId = (raw: string) => {
    const id = parseId(raw);
    if (id === null) throw new HttpError(404, 'There is no work with this id. Work ids are whole numbers.');
    return id;
  };
  const refuse = (reply: FastifyReply, status: number, message: string): never => {
    if (status === 401) reply.header('www-authenticate', 'Bearer');
    throw new HttpError(
      status,
      status === 401 ? 'This work is only available to registered users. Send an API token to read it.' : message,
    );
  };

  // Search: the /works/search page's parameters and query language, with its visibility rules.
  api.get<{ Querystring: Record<string, string | string[]> }>('/works/search', { config: reads }, async (request, reply) => {
    const parsed = SearchQuerySchema.safeParse(request.query ?? {});
    if (!parsed.success) return unprocessable(reply, 'The search was not run: a parameter needs fixing.', toFieldMessages(parsed.error));
    const filters = parsed.data;
    const viewer = viewerOf(request);
    let result;
    try {
      // A phrase search may stop checking once the page is full: its total is then an estimate, flagged (decision 048).
      result = await searchWorks(db, viewer, filters, { perPage: PAGE_SIZE, estimate: true });
    } catch (error) {
      if (error instanceof QueryParseError)
        return unprocessable(reply, 'The search was not run: the query needs fixing.', { q: error.message });
      throw error;
    }
    sendLinks(reply, request, filters.page, result.hasNext, 'page');
    return sendJson(reply, 200, {
      works: await toApiWorks(db, base, result.rows),
      total: result.total,
      total_estimated: result.totalEstimated === true,
      page: filters.page,
      hasNext: result.hasNext,
      facets: result.facets.map((f) => ({ id: f.id, name: f.name, type: f.type, works: f.n })),
      notices: result.notices,
    });
  });

  api.get<{ Params: { id: string } }>('/series/:id', { config: reads }, async (request, reply) => {
    const id = parseId(request.params.id);
    if (id === null) throw new HttpError(404, 'There is no series with this id. Series ids are whole numbers.');
    const loaded = await loadSeriesForViewer(db, viewerOf(request), id).catch((error: unknown) => {
      if (error instanceof SeriesNotFoundError) throw new HttpError(404, error.message);
      throw error;
    });
    return sendJson(reply, 200, {
      series: {
        id: loaded.series.id,
        url: `${base}/series/${loaded.series.id}`,
        title: loaded.series.title,
        summary_html: loaded.series.summary_html,
        notes_html: loaded.series.notes_html,
        complete: loaded.series.is_complete,
        creators: loaded.creators.map((c) => ({ login: c.login })),
        updated_at: new Date(loaded.series.updated_at).toISOString(),
      },
      works: await toApiWorks(db, base, loaded.works),
    });
  });

  api.get<{ Params: { login: string }; Querystring: { page?: string } }>(
    '/users/:login/bookmarks',
    { config: reads },
    async (request, reply) => {
      const page = parsePage(request.query.page);
      if (page === null) throw new HttpError(400, 'The page number must be a whole number from 1 up.');
      const owner = await findUserByLogin(db, request.params.login);
      if (!owner) throw new HttpError(404, `There is no user called “${request.params.login.slice(0, 60)}”.`);
      const viewer = viewerOf(request);
      const self = viewer?.id === owner.id;
      const { rows, hasNext } = await bookmarks.listBookmarks(
        db,
        owner.id,
        { page },
        { self, signedIn: viewer !== null, viewerId: viewer?.id ?? null, perPage: PAGE_SIZE },
      );
      sendLinks(reply, request, page, hasNext, 'page');
      return sendJson(reply, 200, {
        bookmarks: rows.map((r) => ({
          id: r.id,
          kind: r.work_id !== null ? 'work' : r.series_id !== null ? 'series' : 'external',
          work_id: r.work_id,
          series_id: r.series_id,
          title: r.work_title ?? r.series_title ?? r.external_title ?? '',
          url:
            r.work_id !== null
              ? `${base}/works/${r.work_id}`
              : r.series_id !== null
                ? `${base}/series/${r.series_id}`
                : (r.external_url ?? ''),
          notes_html: r.notes_html,
          tags: r.tags,
          private: r.is_private,
          rec: r.is_rec,
          updated_at: new Date(r.updated_at).toISOString(),
        })),
        page,
        hasNext,
      });
    },
  );

  api.post<{ Params: { id: string } }>('/works/:id/bookmarks', { config: writes, preParsing: requireToken }, async (request, reply) => {
    const viewer = viewerOf(request)!;
    const id = workId(request.params.id);
    const body = CreateBookmarkApiSchema.safeParse(request.body);
    if (!body.success) return unprocessable(reply, 'The bookmark was not saved: a field needs fixing.', toFieldMessages(body.error));
    const form = BookmarkFormSchema.safeParse({
      notes: body.data.notes ?? '',
      tags: (body.data.tags ?? []).join(','),
      private: body.data.private ? '1' : undefined,
      rec: body.data.rec ? '1' : undefined,
    });
    if (!form.success) {
      const fields = toFieldMessages(form.error);
      if (fields._body) fields.tags ??= fields._body;
      delete fields._body;
      return unprocessable(reply, 'The bookmark was not saved: a field needs fixing.', fields);
    }
    let outcome: 'created' | 'updated';
    try {
      outcome = await bookmarks.saveWorkBookmark(db, viewer, id, form.data);
    } catch (error) {
      if (!(error instanceof bookmarks.BookmarkError)) throw error;
      if (error.status === 422) return unprocessable(reply, error.message, { _body: error.message });
      return refuse(reply, error.status, error.message);
    }
    changed(id);
    const saved = (await bookmarks.findBookmarkOfWork(db, viewer.id, id))!;
    return sendJson(reply, outcome === 'created' ? 201 : 200, {
      bookmark: {
        id: saved.id,
        kind: 'work',
        work_id: id,
        series_id: null,
        title: (await loadInteractionWork(db, id))?.title ?? '',
        url: `${base}/works/${id}`,
        notes_html: saved.notes_html,
        tags: saved.tags,
        private: saved.is_private,
        rec: saved.is_rec,
        updated_at: new Date(saved.updated_at).toISOString(),
      },
    });
  });

  api.get<{ Params: { id: string } }>('/works/:id/comments', { config: reads }, async (request, reply) => {
    const id = workId(request.params.id);
    const viewer = viewerOf(request);
    const work = await loadInteractionWork(db, id);
    if (!work) throw new HttpError(404, 'There is no work with this id. It may have been deleted.');
    const read = canReadWork(viewer, work);
    if (!read.allowed) return refuse(reply, read.status, read.reason);
    const rows = await concealCommentAuthors(db, id, await comments.findCommentsOfWork(db, id));
    const muted = viewer ? await mutedUserIds(db, viewer.id) : [];
    const thread = toThreadView(rows, { viewer, isCreator: isCreator(viewer, work), mutedUserIds: muted, canPost: false });
    const byId = new Map(rows.map((r) => [r.id, r]));
    const toApi = (view: CommentView): ApiComment => {
      const row = byId.get(view.id)!;
      const shown = view.state === 'shown';
      return {
        id: view.id,
        state: view.state,
        author: shown ? view.author : null,
        login: shown ? (row.login ?? null) : null,
        guest: shown && view.isGuest,
        body_html: String(view.bodyHtml),
        chapter_id: row.chapter_id,
        paragraph: row.paragraph,
        pending: view.pending,
        frozen: view.frozen,
        edited: view.edited,
        created_at: new Date(row.created_at).toISOString(),
        url: `${base}${comments.commentPermalink(row.id)}`,
        replies: view.replies.map(toApi),
      };
    };
    return sendJson(reply, 200, { comments: thread.map(toApi) });
  });

  api.post<{ Params: { id: string } }>('/works/:id/comments', { config: writes, preParsing: requireToken }, async (request, reply) => {
    const viewer = viewerOf(request)!;
    const id = workId(request.params.id);
    const body = CreateCommentApiSchema.safeParse(request.body);
    if (!body.success) return unprocessable(reply, 'The comment was not posted: a field needs fixing.', toFieldMessages(body.error));
    const text = (n: number | undefined) => (n === undefined ? undefined : String(n));
    const form = CommentFormSchema.safeParse({
      comment: body.data.comment,
      parent_id: text(body.data.parent_id),
      chapter_id: text(body.data.chapter_id),
      paragraph: text(body.data.paragraph),
    });
    if (!form.success) return unprocessable(reply, 'The comment was not posted: a field needs fixing.', toFieldMessages(form.error));
    let posted;
    try {
      posted = await comments.postComment(db, { viewer, workId: id, form: form.data, address: request.ip });
    } catch (error) {
      if (!(error instanceof comments.CommentError)) throw error;
      if (error.status === 422)
        return unprocessable(reply, error.message, { [error.field === '_form' ? '_body' : error.field]: error.message });
      if (error.status === 429) reply.header('retry-after', '600');
      return refuse(reply, error.status, error.message);
    }
    changed(id);
    return sendJson(reply, 201, { comment: { id: posted.id, approved: posted.approved, url: `${base}${posted.url}` } });
  });
}
