// The OpenAPI document for /api/v1, written by hand as typed objects, one per slice of the API.
// No generator: a few routes per slice read top to bottom, a generator would be one more
// dependency whose output nobody reads, and openapi.test.ts checks this document against what
// the routes actually do (routes, statuses, response shapes, the request body's rules).
import { CATEGORIES, LANGUAGES, RATINGS, WARNINGS } from '../works/vocabulary.ts';
import { MAX_CHAPTER_CHARS, MAX_CHAPTERS, MAX_NOTES, MAX_SUMMARY, MAX_TITLE } from '../works/works.schema.ts';
import { MAX_PAGE, PAGE_SIZE, READS_PER_MINUTE, WRITES_PER_MINUTE } from './api.schema.ts';
import { extensionPaths, extensionSchemas } from './api-extensions.openapi.ts';
import { communityPaths, communitySchemas } from './api-community.openapi.ts';
import { coCreatorPaths, coCreatorSchemas } from './api-co-creators.openapi.ts';
import { IDEMPOTENCY_KEY, oauthSecurityScheme, operationPaths, operationSchemas, UNVERIFIED_403 } from './api-operations.openapi.ts';
import { giftPaths, giftSchemas } from './api-gifts.openapi.ts';
import { exchangePaths, exchangeSchemas } from './api-exchanges.openapi.ts';
import { promptMemePaths, promptMemeSchemas } from './api-prompt-memes.openapi.ts';
import { collectionPaths, collectionSchemas } from './api-collections.openapi.ts';
import { anonymityPaths, anonymitySchemas } from './api-collections-anonymity.openapi.ts';

type JsonType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'null';

/** The part of JSON Schema (2020-12, as OpenAPI 3.1 uses it) this document needs. */
export interface JsonSchema {
  $ref?: string;
  type?: JsonType | JsonType[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  items?: JsonSchema;
  enum?: ReadonlyArray<string | number | null>;
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
}

export interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description: string;
  schema: JsonSchema;
}

export interface MediaTypeObject {
  schema: JsonSchema;
  example?: unknown;
}

export interface ResponseObject {
  description: string;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
  content?: Record<string, MediaTypeObject>;
}

export interface OperationObject {
  operationId: string;
  summary: string;
  description?: string;
  tags?: string[];
  /** `{}` in the list means the operation also works without a token. */
  security: Array<Record<string, string[]>>;
  parameters?: ParameterObject[];
  requestBody?: { required: boolean; description?: string; content: Record<string, MediaTypeObject> };
  responses: Record<string, ResponseObject>;
}

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type PathItemObject = Partial<Record<HttpMethod, OperationObject>>;

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: Array<{ url: string }>;
  paths: Record<string, PathItemObject>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: {
      bearerAuth: { type: 'http'; scheme: 'bearer'; description: string };
      oauth2: ReturnType<typeof oauthSecurityScheme>;
    };
  };
}

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const str = (description: string, extra: JsonSchema = {}): JsonSchema => ({ type: 'string', description, ...extra });
const int = (description: string, extra: JsonSchema = {}): JsonSchema => ({ type: 'integer', description, ...extra });
const bool = (description: string): JsonSchema => ({ type: 'boolean', description });
const names = (description: string): JsonSchema => ({ type: 'array', items: { type: 'string' }, description });
const html = (description: string): JsonSchema => str(`${description} Sanitized HTML, safe to insert into a page.`);

// The tag rules of the posting form (works.schema.ts): at most 75 tags a field, 100 characters a
// tag, none of , ^ * < > { } = ` \ %.
const tagInput = (description: string, extra: JsonSchema = {}): JsonSchema => ({
  type: 'array',
  maxItems: 75,
  items: { type: 'string', minLength: 1, maxLength: 100 },
  description: `${description} One tag an item; tags cannot contain , ^ * < > { } = \` \\ %.`,
  ...extra,
});

const workProperties: Record<string, JsonSchema> = {
  id: int('The work id.'),
  url: str('The work page on the archive.', { format: 'uri' }),
  title: str('The title, as plain text (not HTML).'),
  creators: {
    type: 'array',
    description: 'The credited pseuds, in credit order.',
    items: {
      type: 'object',
      required: ['pseud', 'login'],
      properties: { pseud: str('The pseud name.'), login: str("The user's login.") },
    },
  },
  rating: str('The rating.', { enum: RATINGS }),
  warnings: names('Archive warnings.'),
  categories: names('Categories.'),
  fandoms: names('Fandoms.'),
  relationships: names('Relationships (A/B romantic, A & B platonic).'),
  characters: names('Characters.'),
  freeforms: names('Additional tags.'),
  summary_html: html('The summary.'),
  language: str('The language, as a BCP 47 code.'),
  words: int('Words in all chapters, counted on the text.'),
  chapters: str('Chapters posted over chapters expected, "2/5" or "2/?".'),
  chapter_count: int('Chapters posted.'),
  expected_chapters: { type: ['integer', 'null'], description: 'Chapters expected, or null when not known.' },
  complete: bool('Whether all expected chapters are posted.'),
  restricted: bool('Whether only registered users may read it.'),
  draft: bool('Whether it is an unposted draft (only its creators see drafts).'),
  kudos: int('Kudos.'),
  comments: int('Comments.'),
  bookmarks: int('Bookmarks.'),
  hits: int('Hits.'),
  published_at: { type: ['string', 'null'], format: 'date-time', description: 'When it was posted; null for a draft.' },
  updated_at: str('When it last changed.', { format: 'date-time' }),
};

const workSchema: JsonSchema = {
  type: 'object',
  required: Object.keys(workProperties),
  properties: workProperties,
};

const workDetailSchema: JsonSchema = {
  type: 'object',
  required: [...Object.keys(workProperties), 'notes_html', 'end_notes_html'],
  properties: {
    ...workProperties,
    notes_html: html("The work's beginning notes."),
    end_notes_html: html("The work's end notes."),
  },
};

const chapterSchema: JsonSchema = {
  type: 'object',
  required: ['id', 'position', 'title', 'summary_html', 'notes_html', 'end_notes_html', 'body_html', 'words'],
  properties: {
    id: int('The chapter id.'),
    position: int('Its place in the work, from 1.'),
    title: str('The chapter title, plain text; may be empty.'),
    summary_html: html('The chapter summary.'),
    notes_html: html('The chapter notes.'),
    end_notes_html: html('The chapter end notes.'),
    body_html: html('The chapter text.'),
    words: int('Words in the chapter.'),
  },
};

const createChapterSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['text', 'format'],
  properties: {
    title: str('The chapter title.', { maxLength: MAX_TITLE }),
    summary: str('The chapter summary (limited HTML allowed).', { maxLength: MAX_SUMMARY }),
    notes: str('The chapter notes (limited HTML allowed).', { maxLength: MAX_NOTES }),
    end_notes: str('The chapter end notes (limited HTML allowed).', { maxLength: MAX_NOTES }),
    text: str(
      'The chapter text, not blank. Plain text becomes one paragraph a line, every character kept; Markdown and HTML are converted and sanitized against an allowlist close to AO3’s.',
      { minLength: 1, maxLength: MAX_CHAPTER_CHARS },
    ),
    format: str('How to read `text`.', { enum: ['plain', 'markdown', 'html'] }),
  },
};

const createWorkSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['title', 'rating', 'warnings', 'fandoms', 'chapter'],
  properties: {
    title: str('The title (plain text).', { minLength: 1, maxLength: MAX_TITLE }),
    summary: str('The summary (limited HTML allowed).', { maxLength: MAX_SUMMARY }),
    notes: str('Beginning notes (limited HTML allowed).', { maxLength: MAX_NOTES }),
    end_notes: str('End notes (limited HTML allowed).', { maxLength: MAX_NOTES }),
    rating: str('The rating.', { enum: RATINGS }),
    warnings: {
      type: 'array',
      minItems: 1,
      items: { type: 'string', enum: WARNINGS },
      description: 'At least one archive warning (or Creator Chose Not To Use Archive Warnings).',
    },
    categories: { type: 'array', items: { type: 'string', enum: CATEGORIES }, description: 'Categories, if any.' },
    fandoms: tagInput('At least one fandom.', { minItems: 1 }),
    relationships: tagInput('Relationships: "A/B" romantic or sexual, "A & B" platonic.'),
    characters: tagInput('Characters.'),
    freeforms: tagInput('Additional tags.'),
    language: str('The language; default "en".', { enum: LANGUAGES.map((l) => l.code), default: 'en' }),
    expected_chapters: {
      type: ['integer', 'null'],
      minimum: 1,
      maximum: MAX_CHAPTERS,
      description: 'How many chapters the work will have; null (the default) when not known yet.',
    },
    restricted: { type: 'boolean', default: false, description: 'Show the work only to registered users.' },
    draft: { type: 'boolean', default: false, description: 'Save as a draft, visible only to you, instead of posting.' },
    chapter: ref('CreateChapter'),
  },
};

/** RFC 9457 problem details; `error` repeats status and message in the shape earlier clients read. */
const problemProperties: Record<string, JsonSchema> = {
  type: { type: 'string', description: 'Always about:blank: the status says what kind of problem it is.' },
  title: { type: 'string', description: "The status's phrase." },
  status: { type: 'integer', description: 'The HTTP status.' },
  detail: { type: 'string', description: 'What went wrong and what to do, for a person.' },
};

const errorSchema: JsonSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'error'],
  properties: {
    ...problemProperties,
    error: {
      type: 'object',
      required: ['status', 'message'],
      properties: { status: { type: 'integer', description: 'The HTTP status.' }, message: { type: 'string', description: 'As detail.' } },
    },
  },
};

const validationErrorSchema: JsonSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'errors', 'error'],
  properties: {
    ...problemProperties,
    errors: {
      type: 'object',
      description: 'One message per field, keyed by its path in the body ("title", "chapter.text"); "_body" when the body itself is wrong.',
    },
    error: {
      type: 'object',
      required: ['status', 'message', 'fields'],
      properties: {
        status: { type: 'integer', description: 'Always 422.', enum: [422] },
        message: { type: 'string', description: 'As detail.' },
        fields: { type: 'object', description: 'As errors.' },
      },
    },
  },
};

const json = (schema: JsonSchema, example?: unknown): Record<string, MediaTypeObject> => ({
  'application/json': example === undefined ? { schema } : { schema, example },
});
/** Errors are RFC 9457 problem details (api-conventions.ts). */
const problem = (schema: JsonSchema): Record<string, MediaTypeObject> => ({ 'application/problem+json': { schema } });
const failure = (description: string): ResponseObject => ({ description, content: problem(ref('Error')) });
const tooMany = failure(
  'Too many requests a minute from this token (or this address, without one). The Retry-After header says when to try again.',
);
const badToken = failure('The Authorization header names no live token (unknown, revoked or malformed).');

/** A body the create route accepts, which the test posts as written. */
export const CREATE_WORK_EXAMPLE = {
  title: 'The Long Way Home',
  summary: 'Caroline, after.',
  notes: 'Thanks to my beta.',
  end_notes: 'Comments are welcome.',
  rating: 'Teen And Up Audiences',
  warnings: ['No Archive Warnings Apply'],
  categories: ['F/M'],
  fandoms: ['The Vampire Diaries (TV)'],
  relationships: ['Caroline Forbes/Stefan Salvatore'],
  characters: ['Caroline Forbes', 'Stefan Salvatore'],
  freeforms: ['Hurt/Comfort', 'Grief'],
  language: 'en',
  expected_chapters: 1,
  restricted: false,
  draft: false,
  chapter: {
    title: 'Tuesday',
    summary: '',
    notes: '',
    end_notes: '',
    text: 'She had not cried at the funeral.\n\n"Its fine," she said. It was not.',
    format: 'plain',
  },
} as const;

/** Path items of several slices in one: two slices may document different methods of one path. */
function mergePaths(...parts: Array<Record<string, PathItemObject>>): Record<string, PathItemObject> {
  const merged: Record<string, PathItemObject> = {};
  for (const part of parts) for (const [path, item] of Object.entries(part)) merged[path] = { ...merged[path], ...item };
  return withConditionalReads(merged);
}

const ETAG_HEADER = {
  ETag: {
    description: 'A strong validator of this answer: send it back as If-None-Match to get a 304 while it is unchanged.',
    schema: { type: 'string' as const },
  },
};

/**
 * Every GET answering 200 carries an ETag and answers a matching If-None-Match with 304
 * (api-conventions.ts does it for the whole scope), so the document says so for each of them
 * here rather than in each file's rows.
 */
function withConditionalReads(paths: Record<string, PathItemObject>): Record<string, PathItemObject> {
  const out: Record<string, PathItemObject> = {};
  for (const [path, item] of Object.entries(paths)) {
    const get = item.get;
    const ok = get?.responses['200'];
    if (!get || !ok) {
      out[path] = item;
      continue;
    }
    const responses: Record<string, ResponseObject> = {};
    for (const [status, response] of Object.entries(get.responses)) {
      responses[status] = status === '200' ? { ...response, headers: { ...response.headers, ...ETAG_HEADER } } : response;
      if (status === '200')
        responses['304'] = {
          description: 'Not Modified: If-None-Match named the ETag this answer has now. No body; keep using the copy you have.',
          headers: ETAG_HEADER,
        };
    }
    out[path] = { ...item, get: { ...get, responses } };
  }
  return out;
}

/** The OpenAPI 3.1 document for /api/v1, with the archive's public address as its server. */
export function buildOpenApiDocument(baseUrl: string): OpenApiDocument {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Fanfold API',
      version: '1',
      description:
        'Read and post works. Reading needs no token (restricted works need one); posting does. ' +
        'Create a token on your API tokens page (/users/<login>/api_tokens) and send it as `Authorization: Bearer <token>`. ' +
        'Errors are RFC 9457 problem details (`application/problem+json`: type, title, status, detail, and errors per field on a 422), with `{"error": {"status", "message"}}` kept for older clients. ' +
        'Reads carry an ETag (send If-None-Match for a 304); lists page through the Link header; limits are in the RateLimit-* headers. ' +
        'Bodies are UTF-8 JSON (`Content-Type: application/json`).',
    },
    servers: [{ url: baseUrl }],
    paths: mergePaths(
      {
        '/api/v1/works': {
          get: {
            operationId: 'listWorks',
            summary: 'Works, most recently updated first',
            description: `Posted works the caller may read: without a token, unrestricted works only. ${PAGE_SIZE} a page. At most ${READS_PER_MINUTE} requests a minute.`,
            tags: ['works'],
            security: [{}, { bearerAuth: [] }],
            parameters: [
              {
                name: 'page',
                in: 'query',
                required: false,
                description: 'The page, from 1.',
                schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 1 },
              },
            ],
            responses: {
              '200': {
                description: 'One page of works. The Link header (RFC 8288) names the next and previous pages.',
                content: json(ref('WorkList')),
              },
              '400': failure('The page is not a whole number from 1 up.'),
              '401': badToken,
              '429': tooMany,
            },
          },
          post: {
            operationId: 'createWork',
            summary: 'Post a work (or save a draft) with its first chapter',
            description: `Needs a token; the work is credited to your default pseud. All or nothing: on any error nothing is saved. At most ${WRITES_PER_MINUTE} requests a minute.`,
            tags: ['works'],
            security: [{ bearerAuth: [] }, { oauth2: ['write:works'] }],
            parameters: [IDEMPOTENCY_KEY],
            requestBody: { required: true, content: json(ref('CreateWork'), CREATE_WORK_EXAMPLE) },
            responses: {
              '201': {
                description: 'Created. The body is what GET on the Location returns.',
                headers: { Location: { description: "The new work's API address.", schema: { type: 'string', format: 'uri' } } },
                content: json(ref('WorkResponse')),
              },
              '400': failure('The body is not JSON, or not UTF-8.'),
              '401': failure('No token, or a token that is unknown or revoked.'),
              '403': failure(`The app was not allowed “write:works”, or ${UNVERIFIED_403}.`),
              '413': failure('The body is larger than the archive accepts.'),
              '415': failure('The body is not application/json.'),
              '422': {
                description: 'The work is not valid; each field with a problem has a message.',
                content: problem(ref('ValidationError')),
              },
              '429': tooMany,
            },
          },
        },
        '/api/v1/works/{id}': {
          get: {
            operationId: 'getWork',
            summary: 'A work with all its chapters',
            description: `Drafts exist only for their creators (404 for anyone else); restricted works need a token (401). At most ${READS_PER_MINUTE} requests a minute.`,
            tags: ['works'],
            security: [{}, { bearerAuth: [] }],
            parameters: [{ name: 'id', in: 'path', required: true, description: 'The work id.', schema: { type: 'integer', minimum: 1 } }],
            responses: {
              '200': { description: 'The work and its chapters in order.', content: json(ref('WorkResponse')) },
              '401': failure('The work is restricted to registered users and no token was sent, or the token is unknown or revoked.'),
              '404': failure('No such work, a draft of someone else, or an id that is not a number.'),
              '429': tooMany,
            },
          },
        },
        ...extensionPaths,
        ...communityPaths,
        '/api/v1/openapi.json': {
          get: {
            operationId: 'getOpenApiDocument',
            summary: 'This document',
            tags: ['meta'],
            security: [{}],
            responses: {
              '200': {
                description: 'The OpenAPI 3.1 document.',
                content: json({ type: 'object', required: ['openapi', 'info', 'paths', 'components'] }),
              },
              '401': badToken,
              '429': tooMany,
            },
          },
        },
      },
      operationPaths,
      giftPaths,
      coCreatorPaths,
      collectionPaths,
      anonymityPaths,
      exchangePaths,
      promptMemePaths,
    ),
    components: {
      schemas: {
        ...extensionSchemas,
        ...communitySchemas,
        ...operationSchemas,
        ...giftSchemas,
        ...coCreatorSchemas,
        ...collectionSchemas,
        ...anonymitySchemas,
        ...exchangeSchemas,
        ...promptMemeSchemas,
        Work: workSchema,
        WorkDetail: workDetailSchema,
        Chapter: chapterSchema,
        WorkList: {
          type: 'object',
          required: ['works', 'page', 'hasNext'],
          properties: {
            works: { type: 'array', items: ref('Work') },
            page: int('This page.'),
            hasNext: bool('Whether a next page exists.'),
          },
        },
        WorkResponse: {
          type: 'object',
          required: ['work', 'chapters'],
          properties: {
            work: ref('WorkDetail'),
            chapters: { type: 'array', items: ref('Chapter'), description: 'Every chapter, in order.' },
          },
        },
        CreateWork: createWorkSchema,
        CreateChapter: createChapterSchema,
        Error: errorSchema,
        ValidationError: validationErrorSchema,
      },
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'A personal API token from /users/<login>/api_tokens. Tokens can be revoked there.',
        },
        oauth2: oauthSecurityScheme(baseUrl),
      },
    },
  };
}
