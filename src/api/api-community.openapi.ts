// The OpenAPI description of api-community.routes.ts (search, series, bookmarks, comments),
// merged into openapi.ts's document and checked by openapi.test.ts.
import { TAG_TYPES } from '../db/schema.ts';
import { COMMENT_MAX_CHARS } from '../comments/comments.schema.ts';
import { CROSSOVERS, MAX_PAGE as MAX_SEARCH_PAGE, SORTS } from '../search/search.schema.ts';
import { ACCOUNT_CEILING_FACTOR } from './api.auth.ts';
import { MAX_PAGE, PAGE_SIZE, READS_PER_MINUTE, WRITES_PER_MINUTE } from './api.schema.ts';
import { IDEMPOTENCY_KEY, UNVERIFIED_403 } from './api-operations.openapi.ts';
import type { JsonSchema, MediaTypeObject, ParameterObject, PathItemObject, ResponseObject } from './openapi.ts';

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: JsonSchema): Record<string, MediaTypeObject> => ({ 'application/json': { schema } });
/** Errors are RFC 9457 problem details (api-conventions.ts). */
const problem = (schema: JsonSchema): Record<string, MediaTypeObject> => ({ 'application/problem+json': { schema } });
const failure = (description: string): ResponseObject => ({ description, content: problem(ref('Error')) });
const invalid = (description: string): ResponseObject => ({ description, content: problem(ref('ValidationError')) });
const retryAfter = { 'Retry-After': { description: 'Seconds until the limit resets.', schema: { type: 'integer' as const } } };
const tooMany = (what: string): ResponseObject => ({
  description: `${what} Each token has its own allowance; an account's tokens together get ${ACCOUNT_CEILING_FACTOR} times one token's. The Retry-After header says when to try again.`,
  headers: retryAfter,
  content: problem(ref('Error')),
});
const readsLimited = tooMany(`More than ${READS_PER_MINUTE} requests a minute from this token (or this address, without one).`);
const writesLimited = tooMany(`More than ${WRITES_PER_MINUTE} writes a minute from this token.`);
const badToken = failure('The Authorization header names no live token (unknown, revoked or malformed).');
const needsToken = failure('No token was sent, or it is unknown or revoked. Writes need a token.');
const badJson = failure('The body is not JSON, or not UTF-8.');
const notJson = failure('The body is not application/json.');
const workIdParam: ParameterObject = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'The work id.',
  schema: { type: 'integer', minimum: 1 },
};
const pageParam = (max: number): ParameterObject => ({
  name: 'page',
  in: 'query',
  required: false,
  description: 'The page, from 1.',
  schema: { type: 'integer', minimum: 1, maximum: max, default: 1 },
});
const str = (description: string, extra: JsonSchema = {}): JsonSchema => ({ type: 'string', description, ...extra });
const uri = (description: string): JsonSchema => ({ type: 'string', format: 'uri', description });
const tagList = (description: string): ParameterObject['schema'] => ({
  type: 'array',
  items: { type: 'string', maxLength: 150 },
  description,
});

const q = (name: string, description: string, schema: JsonSchema = { type: 'string' }): ParameterObject => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});

/** The /works/search page's parameters (search.schema.ts), the same names and rules. */
const searchParameters: ParameterObject[] = [
  q(
    'q',
    'The query language of /works/search: words, "exact phrases", -excluded, OR, parentheses, and fields such as fandom:"…", character:…, relationship:…, tag:…, rating:teen, warning:…, category:…, title:…, creator:…, words>1000.',
    { type: 'string', maxLength: 1000 },
  ),
  ...(['fandoms', 'relationships', 'characters', 'freeforms', 'tags'] as const).flatMap((field) => [
    q(
      field,
      `${field === 'tags' ? 'Tags of any type' : field[0]!.toUpperCase() + field.slice(1)} every result must carry (comma-separated or repeated; at most 20).`,
      tagList('Tag names.'),
    ),
    q(
      `exclude_${field}`,
      `${field === 'tags' ? 'Tags of any type' : field[0]!.toUpperCase() + field.slice(1)} no result may carry.`,
      tagList('Tag names.'),
    ),
  ]),
  q('with', 'Tag ids every result must carry (as the facets give them).', { type: 'array', items: { type: 'string', format: 'integer' } }),
  q('without', 'Tag ids no result may carry.', { type: 'array', items: { type: 'string', format: 'integer' } }),
  q('ratings', 'Ratings: a result has any one of them.', tagList('Rating names.')),
  q('warnings', 'Archive warnings every result carries.', tagList('Warning names.')),
  q('exclude_warnings', 'Archive warnings no result carries.', tagList('Warning names.')),
  q('categories', 'Categories every result carries.', tagList('Category names.')),
  q('exclude_categories', 'Categories no result carries.', tagList('Category names.')),
  q('crossover', 'Crossovers (works in more than one fandom).', { type: 'string', enum: [...CROSSOVERS], default: 'include' }),
  q('complete', 'Complete works, works in progress, or either (empty).', { type: 'string', enum: ['', 'complete', 'in_progress'] }),
  q('words_from', 'The smallest word count.', { type: 'string', format: 'integer' }),
  q('words_to', 'The largest word count.', { type: 'string', format: 'integer' }),
  q('posted_from', 'First posted on or after (YYYY-MM-DD).', { type: 'string', format: 'date' }),
  q('posted_to', 'First posted on or before (YYYY-MM-DD).', { type: 'string', format: 'date' }),
  q('updated_from', 'Updated on or after (YYYY-MM-DD).', { type: 'string', format: 'date' }),
  q('updated_to', 'Updated on or before (YYYY-MM-DD).', { type: 'string', format: 'date' }),
  q('language', 'A BCP 47 language code.', { type: 'string', maxLength: 20 }),
  q('creator', 'A creator login or pseud.', { type: 'string', maxLength: 100 }),
  q('sort', 'The order; default best match with a query, else updated.', { type: 'string', enum: [...SORTS] }),
  q('direction', 'The direction; default descending (ascending for title and creator).', { type: 'string', enum: ['asc', 'desc'] }),
  pageParam(MAX_SEARCH_PAGE),
];

export const communityPaths: Record<string, PathItemObject> = {
  '/api/v1/works/search': {
    get: {
      operationId: 'searchWorks',
      summary: 'Search works with the full filter set and query language of /works/search',
      description: `${PAGE_SIZE} works a page, with the total and the most used tags of each type among all results (facets); both are exact unless \`total_estimated\` says a phrase search estimated them. Restricted works only with a token; the token owner's hidden tags and creators apply.`,
      tags: ['search'],
      security: [{}, { bearerAuth: [] }],
      parameters: searchParameters,
      responses: {
        '200': { description: 'One page of results.', content: json(ref('SearchResults')) },
        '401': badToken,
        '422': invalid('A parameter is not valid, or the query cannot be read; `fields` names it ("q" for the query).'),
        '429': readsLimited,
      },
    },
  },
  '/api/v1/series/{id}': {
    get: {
      operationId: 'getSeries',
      summary: 'A series with the works in it the caller may read, in order',
      tags: ['series'],
      security: [{}, { bearerAuth: [] }],
      parameters: [{ name: 'id', in: 'path', required: true, description: 'The series id.', schema: { type: 'integer', minimum: 1 } }],
      responses: {
        '200': { description: 'The series and its readable works.', content: json(ref('SeriesResponse')) },
        '401': badToken,
        '404': failure('No such series, or none of its works is readable by the caller.'),
        '429': readsLimited,
      },
    },
  },
  '/api/v1/users/{login}/bookmarks': {
    get: {
      operationId: 'listUserBookmarks',
      summary: "A user's bookmarks, most recently updated first",
      description: `Public bookmarks; with the owner's own token, private ones too. Bookmarks of works the caller may not read are left out. ${PAGE_SIZE} a page.`,
      tags: ['bookmarks'],
      security: [{}, { bearerAuth: [] }],
      parameters: [
        { name: 'login', in: 'path', required: true, description: "The user's login.", schema: { type: 'string', minLength: 1 } },
        pageParam(MAX_PAGE),
      ],
      responses: {
        '200': { description: 'One page of bookmarks.', content: json(ref('BookmarkList')) },
        '400': failure('The page is not a whole number from 1 up.'),
        '401': badToken,
        '404': failure('No user has this login.'),
        '429': readsLimited,
      },
    },
  },
  '/api/v1/works/{id}/bookmarks': {
    post: {
      operationId: 'createBookmark',
      summary: 'Bookmark a work (or update your bookmark of it)',
      tags: ['bookmarks'],
      security: [{ bearerAuth: [] }, { oauth2: ['write:interactions'] }],
      parameters: [workIdParam, IDEMPOTENCY_KEY],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: ref('CreateBookmark'),
            example: { notes: 'Read this twice.', tags: ['comfort read'], private: false, rec: true },
          },
        },
      },
      responses: {
        '200': { description: 'Your existing bookmark of the work, updated.', content: json(ref('BookmarkResponse')) },
        '201': { description: 'The bookmark, created.', content: json(ref('BookmarkResponse')) },
        '400': badJson,
        '401': needsToken,
        '404': failure('No such work, a draft of someone else, or an id that is not a number.'),
        '415': notJson,
        '422': invalid('A field is not valid, or the work is a draft.'),
        '429': writesLimited,
      },
    },
  },
  '/api/v1/works/{id}/comments': {
    get: {
      operationId: 'listWorkComments',
      summary: "A work's comments as threads, oldest first",
      description:
        "The comments the caller may see (as on the work page): pending and hidden comments only for the work's creators and their authors; removed comments stay as placeholders where replies hang below them.",
      tags: ['comments'],
      security: [{}, { bearerAuth: [] }],
      parameters: [workIdParam],
      responses: {
        '200': { description: 'The threads.', content: json(ref('CommentThreads')) },
        '401': failure('The work is restricted to registered users and no token was sent, or the token is unknown or revoked.'),
        '404': failure('No such work, a draft of someone else, or an id that is not a number.'),
        '429': readsLimited,
      },
    },
    post: {
      operationId: 'createComment',
      summary: 'Comment on a work, a chapter or a paragraph, or reply to a comment',
      description:
        "Every rule of the comment form applies: blocks, frozen threads, drafts, moderation (a comment may await the creator's approval), and the archive's limit on comments per account and network address.",
      tags: ['comments'],
      security: [{ bearerAuth: [] }, { oauth2: ['write:interactions'] }],
      parameters: [workIdParam, IDEMPOTENCY_KEY],
      requestBody: {
        required: true,
        content: { 'application/json': { schema: ref('CreateComment'), example: { comment: 'This chapter made me cry.' } } },
      },
      responses: {
        '201': { description: 'The comment, posted (or awaiting approval).', content: json(ref('CommentPosted')) },
        '400': badJson,
        '401': needsToken,
        '403': failure(`The creator (or the comment's author) blocked you, the thread is frozen, or ${UNVERIFIED_403}.`),
        '404': failure('No such work, chapter, paragraph or comment to reply to.'),
        '415': notJson,
        '422': invalid(
          'The comment is empty or too long, a field has the wrong type, the work is a draft, or the comment replied to was deleted.',
        ),
        '429': tooMany(
          `More than ${WRITES_PER_MINUTE} writes a minute from this token, or more comments than the archive allows in ten minutes.`,
        ),
      },
    },
  },
};

const bookmarkSchema: JsonSchema = {
  type: 'object',
  required: ['id', 'kind', 'work_id', 'series_id', 'title', 'url', 'notes_html', 'tags', 'private', 'rec', 'updated_at'],
  additionalProperties: false,
  properties: {
    id: { type: 'integer' },
    kind: { type: 'string', enum: ['work', 'series', 'external'] },
    work_id: { type: ['integer', 'null'] },
    series_id: { type: ['integer', 'null'] },
    title: str("The work's, series' or external title."),
    url: uri('The work, the series, or the external address.'),
    notes_html: str("The bookmarker's notes. Sanitized HTML."),
    tags: { type: 'array', items: { type: 'string' }, description: "The bookmarker's own tags." },
    private: { type: 'boolean' },
    rec: { type: 'boolean', description: 'Marked as a recommendation.' },
    updated_at: str('ISO 8601.', { format: 'date-time' }),
  },
};

const commentSchema: JsonSchema = {
  type: 'object',
  required: [
    'id',
    'state',
    'author',
    'login',
    'guest',
    'body_html',
    'chapter_id',
    'paragraph',
    'pending',
    'frozen',
    'edited',
    'created_at',
    'url',
    'replies',
  ],
  additionalProperties: false,
  properties: {
    id: { type: 'integer' },
    state: {
      type: 'string',
      enum: ['shown', 'deleted', 'hidden', 'muted'],
      description: 'Anything but "shown" is a placeholder with an empty body, kept because replies hang below it.',
    },
    author: { type: ['string', 'null'], description: 'The pseud or guest name; null on placeholders.' },
    login: { type: ['string', 'null'], description: "The author's login; null for guests and placeholders." },
    guest: { type: 'boolean' },
    body_html: str('The comment. Sanitized HTML; empty on placeholders.'),
    chapter_id: { type: ['integer', 'null'] },
    paragraph: { type: ['integer', 'null'], description: 'The paragraph of the chapter it is about, from 1.' },
    pending: { type: 'boolean', description: "Awaiting the creator's approval (seen only by creators and the author)." },
    frozen: { type: 'boolean', description: 'No one can reply.' },
    edited: { type: 'boolean' },
    created_at: str('ISO 8601.', { format: 'date-time' }),
    url: uri("The comment's permalink on the archive: it redirects to the page of comments that holds it."),
    replies: { type: 'array', items: ref('Comment') },
  },
};

export const communitySchemas: Record<string, JsonSchema> = {
  SearchResults: {
    type: 'object',
    required: ['works', 'total', 'total_estimated', 'page', 'hasNext', 'facets', 'notices'],
    additionalProperties: false,
    properties: {
      works: { type: 'array', items: ref('Work') },
      total: { type: 'integer', minimum: 0, description: 'All matching works the caller may see (an estimate when `total_estimated`).' },
      total_estimated: {
        type: 'boolean',
        description:
          'True when `total` and the facet counts are estimated, not counted: a phrase search over many works checks the phrase in result order until the page is full and estimates the rest from an even sample. The works on the page always hold the phrase, in exact order.',
      },
      page: { type: 'integer' },
      hasNext: { type: 'boolean' },
      facets: {
        type: 'array',
        description: 'For each tag type, the tags most used among all results.',
        items: {
          type: 'object',
          required: ['id', 'name', 'type', 'works'],
          additionalProperties: false,
          properties: {
            id: { type: 'integer', description: 'Pass as `with` or `without` to narrow.' },
            name: { type: 'string' },
            type: { type: 'string', enum: [...TAG_TYPES] },
            works: { type: 'integer', minimum: 0 },
          },
        },
      },
      notices: {
        type: 'array',
        items: { type: 'string' },
        description: 'Names in the search that matched no tag, and similar remarks for a person.',
      },
    },
  },
  SeriesResponse: {
    type: 'object',
    required: ['series', 'works'],
    additionalProperties: false,
    properties: {
      series: {
        type: 'object',
        required: ['id', 'url', 'title', 'summary_html', 'notes_html', 'complete', 'creators', 'updated_at'],
        additionalProperties: false,
        properties: {
          id: { type: 'integer' },
          url: uri('The series page.'),
          title: str('Plain text.'),
          summary_html: str('Sanitized HTML.'),
          notes_html: str('Sanitized HTML.'),
          complete: { type: 'boolean' },
          creators: {
            type: 'array',
            items: { type: 'object', required: ['login'], additionalProperties: false, properties: { login: { type: 'string' } } },
          },
          updated_at: str('ISO 8601.', { format: 'date-time' }),
        },
      },
      works: { type: 'array', items: ref('Work'), description: 'The works the caller may read, in series order.' },
    },
  },
  Bookmark: bookmarkSchema,
  BookmarkList: {
    type: 'object',
    required: ['bookmarks', 'page', 'hasNext'],
    additionalProperties: false,
    properties: { bookmarks: { type: 'array', items: ref('Bookmark') }, page: { type: 'integer' }, hasNext: { type: 'boolean' } },
  },
  BookmarkResponse: { type: 'object', required: ['bookmark'], additionalProperties: false, properties: { bookmark: ref('Bookmark') } },
  CreateBookmark: {
    type: 'object',
    additionalProperties: false,
    properties: {
      notes: str('Your notes (limited HTML allowed).', { maxLength: 5000 }),
      tags: {
        type: 'array',
        maxItems: 30,
        items: { type: 'string', maxLength: 100 },
        description: 'Your own tags, one an item (no commas).',
      },
      private: { type: 'boolean', description: 'Only you see it.' },
      rec: { type: 'boolean', description: 'A recommendation.' },
    },
  },
  Comment: commentSchema,
  CommentThreads: {
    type: 'object',
    required: ['comments'],
    additionalProperties: false,
    properties: { comments: { type: 'array', items: ref('Comment') } },
  },
  CreateComment: {
    type: 'object',
    required: ['comment'],
    additionalProperties: false,
    properties: {
      comment: str('The comment (limited HTML allowed).', { minLength: 1, maxLength: COMMENT_MAX_CHARS }),
      parent_id: { type: 'integer', minimum: 1, description: 'The comment this replies to (it then lives where its parent lives).' },
      chapter_id: { type: 'integer', minimum: 1, description: 'The chapter the comment is about.' },
      paragraph: { type: 'integer', minimum: 1, description: 'The paragraph of chapter_id it is about.' },
    },
  },
  CommentPosted: {
    type: 'object',
    required: ['comment'],
    additionalProperties: false,
    properties: {
      comment: {
        type: 'object',
        required: ['id', 'approved', 'url'],
        additionalProperties: false,
        properties: {
          id: { type: 'integer' },
          approved: { type: 'boolean', description: "False while it awaits the creator's approval." },
          url: uri('Where it is read.'),
        },
      },
    },
  },
};
