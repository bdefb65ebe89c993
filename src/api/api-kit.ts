// What the /api/v1 operation files share: answering JSON, the one place where each feature's
// refusal (its service's error class) becomes an HTTP status, and reading a JSON body through a
// strict schema for its JSON types before the feature's own form schema checks it.
import type { FastifyReply, FastifyRequest, RouteGenericInterface } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { BlockingError } from '../blocking/blocking.service.ts';
import { BookmarkError } from '../bookmarks/bookmarks.service.ts';
import { CommentError } from '../comments/comments.service.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { KudosError } from '../kudos/kudos.service.ts';
import { ModerationTargetMissingError } from '../moderation/moderation.service.ts';
import { PositionRefusedError } from '../reading-position/reading-position.service.ts';
import { ChapterPostedError, ScheduleError } from '../scheduling/scheduling.service.ts';
import { PreferenceInputError } from '../search/preferences.service.ts';
import { QueryParseError } from '../search/query-parser.ts';
import { SeriesForbiddenError, SeriesNotFoundError, SeriesWorkError } from '../series/series.service.ts';
import { SubscriptionRefusedError } from '../subscriptions/subscriptions.service.ts';
import { HttpError } from '../web/errors.tsx';
import { SkinError } from '../work-skins/work-skins.service.ts';
import { parseId } from '../web/form.ts';
import type { Viewer } from '../web/viewer.ts';
import { NestingTooDeepError } from '../works/text/index.ts';
import { ChapterOrderError, ChapterTextError, LastChapterError, WorkForbiddenError, WorkNotFoundError } from '../works/works.service.ts';
import { toFieldMessages, type FieldMessages } from './api.schema.ts';
import type { Scope } from './api-scopes.ts';

export type Db = Kysely<Database>;
type Hook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/** What every operation file gets from api.routes.ts: the database, the caller and the API's limits. */
export interface ApiOperationDeps {
  /** The read handle: a replica on a GET when one has the caller's writes, the primary otherwise (decision 039). */
  db: Db;
  /** The primary, for the few reads that also write (marking saved searches seen). */
  primary: Db;
  config: Config;
  viewerOf(request: FastifyRequest): Viewer | null;
  /** preParsing: a token holding this scope (401 without a token, 403 without the scope). */
  requireScope(scope: Scope): Hook;
  reads: object;
  writes: object;
}

export function sendJson(reply: FastifyReply, status: number, body: unknown) {
  return reply.status(status).type('application/json; charset=utf-8').send(body);
}

/** A 422 with a message per field; thrown, so services' refusals and schema errors share one path. */
export class ApiInvalidError extends Error {
  constructor(
    message: string,
    readonly fields: FieldMessages,
  ) {
    super(message);
  }
}

export function sendInvalid(reply: FastifyReply, error: ApiInvalidError) {
  return sendJson(reply, 422, { error: { status: 422, message: error.message, fields: error.fields } });
}

/** Parses a JSON body with the operation's strict schema; a 422 naming each field otherwise. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ApiInvalidError(`${what}: a field needs fixing.`, toFieldMessages(parsed.error));
  return parsed.data;
}

/** Runs a feature's form schema on values mapped from the JSON body, keeping its messages. */
export function parseForm<S extends z.ZodType>(schema: S, values: unknown, what: string): z.output<S> {
  return parseBody(schema, values, what);
}

/** A path id: a 404 (not a 400) when it is not a whole number, as on the pages. */
export function idOf(raw: string, what: string): number {
  const id = parseId(raw);
  if (id === null) throw new HttpError(404, `There is no ${what} with this id. Ids are whole numbers.`);
  return id;
}

const field = (error: { field?: string }) => (!error.field || error.field === '_form' ? '_body' : error.field);

/**
 * Each feature's refusal as the API answers it: the status the page answers with, the page's
 * message; a 422 names the field. Anything else is not a refusal and goes on (a 500, logged).
 */
export function toApiError(error: unknown): Error {
  if (error instanceof ApiInvalidError || error instanceof HttpError) return error;
  if (error instanceof WorkNotFoundError || error instanceof SeriesNotFoundError || error instanceof ModerationTargetMissingError)
    return new HttpError(404, error.message);
  if (error instanceof WorkForbiddenError || error instanceof SeriesForbiddenError) return new HttpError(403, error.message);
  if (error instanceof ChapterPostedError) return new HttpError(409, error.message);
  if (error instanceof ChapterTextError) return new ApiInvalidError(error.message, { text: error.message });
  if (error instanceof NestingTooDeepError)
    return new ApiInvalidError(error.message, { _body: `A summary or notes field: ${error.message}` });
  if (error instanceof ScheduleError) return new ApiInvalidError(error.message, { post_at: error.message });
  if (error instanceof LastChapterError || error instanceof ChapterOrderError || error instanceof SeriesWorkError)
    return new ApiInvalidError(error.message, { _body: error.message });
  if (error instanceof QueryParseError) return new ApiInvalidError(error.message, { query: error.message });
  if (error instanceof PreferenceInputError) return new ApiInvalidError(error.message, { [error.field]: error.message });
  if (error instanceof SkinError)
    return error.status === 422
      ? new ApiInvalidError(error.message, { [error.field ?? '_body']: error.message })
      : new HttpError(error.status, error.message);
  if (
    error instanceof KudosError ||
    error instanceof CommentError ||
    error instanceof BookmarkError ||
    error instanceof SubscriptionRefusedError ||
    error instanceof PositionRefusedError ||
    error instanceof BlockingError
  ) {
    if (error.status === 422) return new ApiInvalidError(error.message, { [field(error as { field?: string })]: error.message });
    return new HttpError(error.status, error.message);
  }
  return error instanceof Error ? error : new Error(String(error));
}

type Handler<G extends RouteGenericInterface> = (request: FastifyRequest<G>, reply: FastifyReply) => Promise<unknown>;

/** Wraps an operation so feature refusals become API answers (a 422 with fields, or the page's status). */
export function operation<G extends RouteGenericInterface = RouteGenericInterface>(handler: Handler<G>): Handler<G> {
  return async (request, reply) => {
    try {
      return await handler(request, reply);
    } catch (error) {
      const mapped = toApiError(error);
      if (mapped instanceof ApiInvalidError) return sendInvalid(reply, mapped);
      if (mapped instanceof HttpError && mapped.statusCode === 401) reply.header('www-authenticate', 'Bearer');
      if (mapped instanceof HttpError && mapped.statusCode === 429 && !reply.hasHeader('retry-after')) reply.header('retry-after', '600');
      throw mapped;
    }
  };
}

/** The caller's viewer where a token is required (the preParsing hook already refused others). */
export function viewerIn(deps: ApiOperationDeps, request: FastifyRequest): Viewer {
  const viewer = deps.viewerOf(request);
  if (!viewer) throw new HttpError(401, 'This needs an API token.');
  return viewer;
}

/** JSON types, for schemas that then feed form schemas. */
export const jsonId = (name: string) =>
  z
    .number({ error: `${name} is a whole number.` })
    .int({ error: `${name} is a whole number.` })
    .min(1, { error: `${name} is a whole number from 1.` })
    .max(2_147_483_647, { error: `${name} is too large.` });

export const idList = (name: string) =>
  z.array(jsonId(`Each of ${name}`), { error: `${name} is an array of ids.` }).max(1000, { error: `${name} has at most 1000 ids.` });

/** A time to post at: ISO 8601 in UTC ("2030-01-31T18:00Z", seconds optional), as the schedule form's field reads it. */
export const postAtText = z
  .string({ error: 'post_at is a date and time in UTC, like 2030-01-31T18:00Z.' })
  .transform((v) => v.replace(/(\.\d{1,3})?Z$/i, ''));

export const flag = (v: boolean | undefined) => (v ? '1' : undefined);
