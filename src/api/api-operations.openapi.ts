// The OpenAPI description of api-works.routes.ts and api-me.routes.ts (the site's signed-in pages
// and forms as operations) and of the OAuth endpoints, merged into openapi.ts's document and
// checked against the app by api-operations.routes.test.ts. One row an operation: the statuses it
// can answer are listed with it, and the shared ones (bad JSON, no token, a missing scope, the
// rate limit) follow from what it is.
import { FONTS, LINE_WIDTHS, TEXT_SIZES, THEMES } from '../accounts/reader-preferences.ts';
import { COMMENT_MAX_CHARS } from '../comments/comments.schema.ts';
import { REPORT_REASONS } from '../moderation/moderation.schema.ts';
import { PERIODS } from '../stats/stats.service.ts';
import { EMAIL_MODES, SUBSCRIPTION_KINDS } from '../subscriptions/subscriptions.schema.ts';
import { MAIL_KINDS } from '../notifications/notifications.service.ts';
import { EXAMPLE_SKINS } from '../work-skins/example-skins.ts';
import { MAX_SKIN_BYTES } from '../work-skins/skin-contract.ts';
import { MAX_CHAPTERS } from '../works/works.schema.ts';
import { ACCOUNT_CEILING_FACTOR } from './api.auth.ts';
import { READS_PER_MINUTE, WRITES_PER_MINUTE } from './api.schema.ts';
import { SCOPES, type Scope } from './api-scopes.ts';
import { MAIL_CHOICES } from './api-settings.routes.ts';
import type { JsonSchema, MediaTypeObject, OperationObject, ParameterObject, PathItemObject, ResponseObject } from './openapi.ts';

export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: JsonSchema, example?: unknown): Record<string, MediaTypeObject> => ({
  'application/json': example === undefined ? { schema } : { schema, example },
});
/** Errors are RFC 9457 problem details (api-conventions.ts). */
const problem = (schema: JsonSchema): Record<string, MediaTypeObject> => ({ 'application/problem+json': { schema } });
const failure = (description: string): ResponseObject => ({ description, content: problem(ref('Error')) });
export const str = (description: string, extra: JsonSchema = {}): JsonSchema => ({ type: 'string', description, ...extra });
export const int = (description: string, extra: JsonSchema = {}): JsonSchema => ({ type: 'integer', description, ...extra });
export const bool = (description: string): JsonSchema => ({ type: 'boolean', description });
export const uri = (description: string): JsonSchema => ({ type: 'string', format: 'uri', description });
export const nullable = (type: 'string' | 'integer', description: string, extra: JsonSchema = {}): JsonSchema => ({
  type: [type, 'null'],
  description,
  ...extra,
});
export const obj = (properties: Record<string, JsonSchema>, description?: string, optional: string[] = []): JsonSchema => ({
  type: 'object',
  ...(description ? { description } : {}),
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
  properties,
});
/** A request body: unknown fields are refused (422). */
export const input = (properties: Record<string, JsonSchema>, required: string[]): JsonSchema => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties,
});
export const wrap = (key: string, schema: JsonSchema): JsonSchema => obj({ [key]: schema });
export const list = (key: string, item: JsonSchema, extra: Record<string, JsonSchema> = {}): JsonSchema =>
  obj({ [key]: { type: 'array', items: item }, ...extra });
const postAt = str('When to post, in UTC: "2030-01-31T18:00Z" (seconds optional), at most a year ahead.');

const retryAfter = { 'Retry-After': { description: 'Seconds until the limit resets.', schema: { type: 'integer' as const } } };
const tooMany = (what: string): ResponseObject => ({
  description: `${what} An account's tokens together get ${ACCOUNT_CEILING_FACTOR} times one token's allowance. The Retry-After and RateLimit-* headers say when to try again.`,
  headers: retryAfter,
  content: problem(ref('Error')),
});

// ---- schemas ---------------------------------------------------------------------------------

const bookmarkInput = {
  notes: str('Your notes (limited HTML allowed).'),
  tags: { type: 'array', items: { type: 'string', maxLength: 100 }, description: 'Your tags, one an item (no commas).' } as JsonSchema,
  private: bool('Only you see it.'),
  rec: bool('Recommend it.'),
};

const readingPreferenceFields = {
  show_adult: bool('Open Mature, Explicit and Not Rated works without the notice first.'),
  hide_warnings: bool('Hide archive warnings behind a reveal.'),
  hide_freeforms: bool('Hide additional tags behind a reveal.'),
  text_size: str('The text size.', { enum: [...TEXT_SIZES] }),
  line_width: str('The line width.', { enum: [...LINE_WIDTHS] }),
  font: str('The font.', { enum: [...FONTS] }),
  theme: str('The colours; system follows the device.', { enum: [...THEMES] }),
};
const notificationFields = Object.fromEntries(
  MAIL_KINDS.map((kind) => [kind, str(`Email about ${kind}: each time, a daily digest, or none.`, { enum: [...MAIL_CHOICES] })]),
) as Record<string, JsonSchema>;

export const operationSchemas: Record<string, JsonSchema> = {
  UpdateWork: {
    type: 'object',
    additionalProperties: false,
    required: ['title', 'rating', 'warnings', 'fandoms'],
    description: 'The fields of CreateWork except chapter and draft, all sent (as the edit form sends them).',
    properties: {
      title: str('The title.'),
      summary: str('The summary.'),
      notes: str('Beginning notes.'),
      end_notes: str('End notes.'),
      rating: str('The rating.'),
      warnings: { type: 'array', items: { type: 'string' }, description: 'Archive warnings.' },
      categories: { type: 'array', items: { type: 'string' }, description: 'Categories.' },
      fandoms: { type: 'array', items: { type: 'string' }, description: 'Fandoms.' },
      relationships: { type: 'array', items: { type: 'string' }, description: 'Relationships.' },
      characters: { type: 'array', items: { type: 'string' }, description: 'Characters.' },
      freeforms: { type: 'array', items: { type: 'string' }, description: 'Additional tags.' },
      language: str('The language.'),
      expected_chapters: { type: ['integer', 'null'], minimum: 1, maximum: MAX_CHAPTERS, description: 'Chapters expected, or null.' },
      restricted: bool('Only registered users may read it.'),
    },
  },
  AddChapter: {
    type: 'object',
    additionalProperties: false,
    required: ['text', 'format'],
    description: 'CreateChapter, and optionally post_at: the chapter then waits, seen only by its creators, until that time.',
    properties: {
      title: str('The chapter title.'),
      summary: str('The chapter summary.'),
      notes: str('The chapter notes.'),
      end_notes: str('The chapter end notes.'),
      text: str('The chapter text, not blank.'),
      format: str('How to read `text`.', { enum: ['plain', 'markdown', 'html'] }),
      post_at: postAt,
    },
  },
  ReportInput: input(
    {
      target_type: str('What is reported.', { enum: ['work', 'comment', 'user'] }),
      target_id: int('Its id.'),
      reason: str('Why.', { enum: [...REPORT_REASONS] }),
      details: str('More, for the moderators.', { maxLength: 4000 }),
    },
    ['target_type', 'target_id', 'reason'],
  ),
  Report: wrap(
    'report',
    obj({
      id: int('The report.'),
      target: obj({
        type: str('What.'),
        id: int('Its id.'),
        label: str('How the moderators see it named.'),
        url: nullable('string', 'Its page.'),
      }),
    }),
  ),
  Proposal: input(
    { kind: str('What the analysis proposed: a character, relationship or additional tag.'), value: str('The proposed tag, as listed.') },
    ['kind', 'value'],
  ),
  ProposalAnswer: wrap(
    'proposal',
    obj({
      work_id: int('The work.'),
      kind: str('Its kind.'),
      value: str('The tag.'),
      action: str('What was done.', { enum: ['accept', 'dismiss'] }),
    }),
  ),
  AnalysisRetry: wrap(
    'analysis',
    obj({ work_id: int('The work.'), chapters_retried: int('Chapters to be read again (0: nothing had failed).') }),
  ),
  ChapterStatus: wrap(
    'chapter',
    obj({
      id: int('The chapter id.'),
      work_id: int('The work id.'),
      posted: bool('Whether readers see it.'),
      scheduled_at: nullable('string', 'When it will be posted, if it waits.', { format: 'date-time' }),
      url: uri('The chapter page.'),
    }),
  ),
  Schedule: input({ post_at: postAt }, ['post_at']),
  WorkSchedule: wrap('schedule', obj({ work_id: int('The work.'), post_at: nullable('string', 'When the draft will be posted.') })),
  ChapterOrder: input({ chapter_ids: { type: 'array', items: { type: 'integer' }, description: 'Every chapter id, in the new order.' } }, [
    'chapter_ids',
  ]),
  CommentSettings: input(
    { guest_comments_allowed: bool('Guests may comment.'), comments_moderated: bool('Comments wait for your approval.') },
    ['guest_comments_allowed', 'comments_moderated'],
  ),
  CommentSettingsResponse: wrap(
    'comment_settings',
    obj({ work_id: int('The work.'), guest_comments_allowed: bool('Guests may comment.'), comments_moderated: bool('Moderated.') }),
  ),
  SeriesInput: input(
    {
      title: str('The title.', { minLength: 1, maxLength: 240 }),
      summary: str('The summary.', { maxLength: 5000 }),
      notes: str('Notes.', { maxLength: 20000 }),
      complete: bool('The series is complete.'),
      work_id: int('A work of yours to start it with (creation only).'),
    },
    ['title'],
  ),
  SeriesSummary: wrap(
    'series',
    obj({
      id: int('The series id.'),
      url: uri('The series page.'),
      title: str('The title.'),
      complete: bool('Complete.'),
      work_ids: { type: 'array', items: { type: 'integer' }, description: 'Its works, in order.' },
    }),
  ),
  SeriesWork: input({ work_id: int('A work of yours.') }, ['work_id']),
  SeriesOrder: input({ work_ids: { type: 'array', items: { type: 'integer' }, description: 'Every work id, in the new order.' } }, [
    'work_ids',
  ]),
  Me: wrap(
    'user',
    obj({ id: int('Your account id.'), login: str('Your login.'), default_pseud: str('Your default pseud.'), url: uri('Your profile.') }),
  ),
  Kudos: wrap('kudos', obj({ work_id: int('The work.'), given: bool('True when this request gave them; false when you had already.') })),
  EditComment: input({ comment: str('The new text.', { minLength: 1, maxLength: COMMENT_MAX_CHARS }) }, ['comment']),
  CommentRef: wrap('comment', obj({ id: int('The comment.'), url: uri('Its permalink.') })),
  ModerateComment: input({ action: str('What to do.', { enum: ['approve', 'hide', 'unhide', 'freeze', 'unfreeze'] }) }, ['action']),
  ModeratedComment: wrap('comment', obj({ id: int('The comment.'), action: str('What was done.'), url: uri('Its permalink.') })),
  BookmarkInput: input(bookmarkInput, []),
  ExternalBookmarkInput: input(
    {
      ...bookmarkInput,
      url: uri('The work elsewhere (http or https).'),
      title: str('Its title.'),
      creator: str('Its creator.'),
      fandom: str('Its fandom.'),
      summary: str('Its summary.'),
    },
    ['url', 'title', 'creator'],
  ),
  SeriesBookmark: wrap(
    'bookmark',
    obj({
      id: int('The bookmark.'),
      series_id: int('The series.'),
      url: uri('The series page.'),
      private: bool('Private.'),
      rec: bool('Recommended.'),
      tags: { type: 'array', items: { type: 'string' } },
    }),
  ),
  ExternalBookmark: wrap('bookmark', obj({ id: int('The bookmark.'), url: uri('The work elsewhere.'), title: str('Its title.') })),
  MarkForLater: input({ to_read: bool('On your Marked for Later list, or off it.') }, ['to_read']),
  Reading: wrap('reading', obj({ work_id: int('The work.'), to_read: bool('On the list.') })),
  PositionInput: input(
    {
      chapter_id: int('The chapter being read.'),
      paragraph: int('The paragraph, from 1.', { minimum: 1, maximum: 1_000_000 }),
      fraction: { type: 'number', minimum: 0, maximum: 1, description: 'How far down the chapter, from 0 to 1.' },
    },
    ['chapter_id'],
  ),
  Position: wrap(
    'position',
    obj({
      work_id: int('The work.'),
      chapter_id: int('The chapter.'),
      paragraph: nullable('integer', 'The paragraph, if known.'),
      url: uri('Where to continue reading.'),
    }),
  ),
  Readings: list(
    'readings',
    obj({
      work_id: int('The work.'),
      title: str('Its title.'),
      url: uri('The work page.'),
      to_read: bool('Marked for later.'),
      visits: int('Visits recorded.'),
      last_read_at: nullable('string', 'Last visit.', { format: 'date-time' }),
    }),
    { history_enabled: bool('Whether visits are recorded.') },
  ),
  Subscriptions: list(
    'subscriptions',
    obj({
      kind: str('What it is to.', { enum: [...SUBSCRIPTION_KINDS] }),
      id: int('Its id.'),
      label: str('Its name.'),
      url: nullable('string', 'Its page, unless you can no longer read it.'),
    }),
  ),
  Subscribe: input(
    { kind: str('What to subscribe to.', { enum: [...SUBSCRIPTION_KINDS] }), id: int('Its id (a user id for a creator).') },
    ['kind', 'id'],
  ),
  Subscription: wrap('subscription', obj({ kind: str('What it is to.'), id: int('Its id.') })),
  Inbox: list(
    'items',
    obj({
      id: int('The item.'),
      kind: str('What happened.'),
      text: str('What happened, in a sentence (plain text).'),
      url: uri('Where it happened.'),
      read: bool('Read.'),
      created_at: str('When.', { format: 'date-time' }),
    }),
    { unread: int('Unread items in all.'), per_page: int('Items a page.') },
  ),
  InboxAction: input(
    {
      action: str('What to do with the items.', { enum: ['read', 'unread', 'delete'] }),
      ids: { type: 'array', items: { type: 'integer' }, minItems: 1, maxItems: 500, description: 'Item ids.' },
    },
    ['action', 'ids'],
  ),
  InboxChanged: obj({ changed: int('Items changed (ids of other people’s items are ignored).') }),
  InboxItem: wrap('item', obj({ id: int('The item.'), read: bool('Now read.'), url: uri('Where it happened.') })),
  Users: list('users', obj({ login: str('Their login.'), since: str('Since when.', { format: 'date-time' }) })),
  UserRef: wrap('user', obj({ login: str('Their login.') })),
  SavedSearches: list(
    'saved_searches',
    obj({
      id: int('The saved search.'),
      name: str('Its name.'),
      query: str('The search page’s query string.'),
      new_matches: int('Works posted since you last listed your saved searches (listing marks them seen).'),
      url: uri('The search page.'),
      feed_url: uri('Its private Atom feed.'),
    }),
  ),
  SavedSearchInput: input({ name: str('A name.', { minLength: 1, maxLength: 100 }), query: str('The search page’s query string.') }, [
    'name',
    'query',
  ]),
  SavedSearch: wrap('saved_search', obj({ id: int('The saved search.'), name: str('Its name.') })),
  Filters: list(
    'filters',
    obj({ kind: str('A tag or a creator.', { enum: ['tag', 'creator'] }), id: int('Its id.'), label: str('What is hidden.') }),
  ),
  FilterInput: input(
    {
      kind: str('Hide a tag or a creator.', { enum: ['tag', 'creator'] }),
      name: str('The tag, or the creator’s login or pseud.'),
      tag_type: str('The tag’s type, when names clash.'),
    },
    ['kind', 'name'],
  ),
  Stats: obj({
    days: int('The period.', { enum: [...PERIODS] }),
    totals: ref('Counts'),
    works: {
      type: 'array',
      items: obj({ id: int('The work.'), title: str('Its title.'), words: int('Its words.'), totals: ref('Counts') }),
    },
    daily: { type: 'array', items: { type: 'object', required: ['day'], properties: { day: str('The UTC day.', { format: 'date' }) } } },
  }),
  Counts: obj({
    hits: int('Hits.'),
    kudos: int('Kudos.'),
    comments: int('Comments.'),
    bookmarks: int('Bookmarks.'),
    subscriptions: int('Subscriptions.'),
  }),
  Preferences: wrap(
    'preferences',
    obj({
      history_enabled: bool('Record the works you read.'),
      subscription_email: str('Email about subscriptions.', { enum: [...EMAIL_MODES] }),
    }),
  ),
  PreferencesInput: input(
    {
      history_enabled: bool('Record the works you read.'),
      subscription_email: str('Email about subscriptions.', { enum: [...EMAIL_MODES] }),
    },
    [],
  ),
  SkinList: list('skins', obj({ id: int('The skin.'), title: str('Its title.'), uses: int('How many of your works wear it.') })),
  Skin: wrap(
    'skin',
    obj({
      id: int('The skin.'),
      title: str('Its title.'),
      css: str('The CSS as you wrote it.'),
      dropped: {
        type: 'array',
        description: 'Parts of the CSS left out of what readers get, and why (empty when all of it is used).',
        items: obj({ line: nullable('integer', 'The line, when known.'), text: str('The part, shortened.'), reason: str('Why.') }),
      },
    }),
  ),
  SkinInput: input(
    {
      title: str('A title, at most 100 characters.', { maxLength: 100 }),
      css: str(`The CSS, at most ${MAX_SKIN_BYTES / 1024} KB. Its rules apply inside the work's text only.`),
      accept_dropped: bool(
        'Save without the parts that cannot be used. Without it, a skin with such parts is refused (422) with the parts listed, as the form does.',
      ),
    },
    ['title', 'css'],
  ),
  WorkSkin: wrap(
    'work_skin',
    obj({ work_id: int('The work.'), skin_id: nullable('integer', 'The skin it wears (one of its creator’s), or null for none.') }),
  ),
  WorkSkinInput: input(
    {
      skin_id: nullable('integer', 'One of your skins, or null for none.'),
      example: str(`A shipped example, copied into your skins the first time: ${EXAMPLE_SKINS.map((e) => e.key).join(', ')}.`),
    },
    [],
  ),
  ReadingPreferences: wrap('reading_preferences', obj(readingPreferenceFields)),
  ReadingPreferencesInput: input(readingPreferenceFields, []),
  NotificationSettings: wrap('notification_settings', obj(notificationFields)),
  NotificationSettingsInput: input(notificationFields, []),
  PseudList: list('pseuds', obj({ id: int('The pseud.'), name: str('Its name.'), default: bool('Your default pseud.') })),
  Pseud: wrap('pseud', obj({ id: int('The pseud.'), name: str('Its name.'), default: bool('Your default pseud.') })),
  PseudInput: input(
    { name: str('Letters, digits, spaces, dots, dashes and underscores, starting with a letter or digit; at most 40.', { maxLength: 40 }) },
    ['name'],
  ),
  TokenResponse: obj({
    access_token: str('Send as Authorization: Bearer … for an hour.'),
    token_type: str('Always Bearer.'),
    expires_in: int('Seconds the access token lives.'),
    refresh_token: str('Exchange once for a new pair (the old one is then spent).'),
    scope: str('The scopes granted, space-separated.'),
  }),
  PlainError: obj({ error: obj({ status: int('The HTTP status.'), message: str('What went wrong.') }) }),
  OAuthError: obj({ error: str('RFC 6749 error code, such as invalid_grant.'), error_description: str('What went wrong.') }, undefined, [
    'error_description',
  ]),
};

// ---- operations -------------------------------------------------------------------------------

export interface Spec {
  id: string;
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  description?: string;
  scope: Scope;
  tag: string;
  body?: { schema: string; example: unknown };
  ok: { status: '200' | '201' | '204'; schema?: string; description: string; location?: boolean; paged?: boolean };
  /** Statuses beyond the shared ones, and what they mean here. */
  also?: Partial<Record<'403' | '404' | '409' | '422' | '429', string>>;
  /** The limit, when not the API's usual one. */
  limit?: string;
  query?: ParameterObject[];
  /** Also answered without a token (public reads): a token only adds what its owner may see. */
  guest?: boolean;
}

const paramOf = (name: string): ParameterObject =>
  ['login', 'kind', 'name'].includes(name)
    ? {
        name,
        in: 'path',
        required: true,
        description: { login: 'A user’s login.', name: 'A collection’s name, as in its address.' }[name] ?? 'What kind of thing.',
        schema: { type: 'string', minLength: 1 },
      }
    : {
        name,
        in: 'path',
        required: true,
        description:
          { id: 'The id.', chapterId: 'The chapter id.', workId: 'The work id.', itemId: 'The inbox item id.' }[name] ?? 'The id.',
        schema: { type: 'integer', minimum: 1 },
      };

const cursorParam: ParameterObject = {
  name: 'cursor',
  in: 'query',
  required: false,
  description: 'Where to continue: take it from the Link header of the previous answer (rel="next").',
  schema: { type: 'string' },
};

const WORK_403 = 'You are not a creator of this work, or the app was not allowed the scope.';
/** Posting what others see needs a confirmed email address when the archive asks for one, as on the pages. */
export const UNVERIFIED_403 =
  'your email address is not confirmed yet (when the archive asks for it; a changed address needs confirming again)';
const WORK_403_POSTING = `${WORK_403.replace(/\.$/, '')}, or ${UNVERIFIED_403}.`;
const WORK_404 = 'No such work (or chapter), or a draft or hidden work of someone else.';
const SERIES_403 = 'You are not a creator of this series, or the app was not allowed the scope.';

const SPECS: Spec[] = [
  // works
  {
    id: 'updateWork',
    method: 'put',
    path: '/api/v1/works/{id}',
    summary: "Change a work's metadata (title, tags, notes…)",
    scope: 'write:works',
    tag: 'works',
    body: {
      schema: 'UpdateWork',
      example: { title: 'A New Title', rating: 'General Audiences', warnings: ['No Archive Warnings Apply'], fandoms: ['Original Work'] },
    },
    ok: { status: '200', schema: 'WorkResponse', description: 'The work as it is now.' },
    also: { '403': WORK_403, '404': WORK_404, '422': 'A field is not valid; `fields` names it.' },
  },
  {
    id: 'deleteWork',
    method: 'delete',
    path: '/api/v1/works/{id}',
    summary: 'Delete a work with its chapters, comments and kudos',
    scope: 'write:works',
    tag: 'works',
    ok: { status: '204', description: 'Deleted.' },
    also: { '403': WORK_403, '404': WORK_404 },
  },
  {
    id: 'postDraft',
    method: 'post',
    path: '/api/v1/works/{id}/post',
    summary: 'Post a draft now',
    scope: 'write:works',
    tag: 'works',
    ok: { status: '200', schema: 'WorkResponse', description: 'The posted work.' },
    also: { '403': WORK_403_POSTING, '404': WORK_404 },
  },
  {
    id: 'scheduleWork',
    method: 'put',
    path: '/api/v1/works/{id}/schedule',
    summary: 'Schedule a draft to be posted at a time',
    scope: 'write:works',
    tag: 'works',
    body: { schema: 'Schedule', example: { post_at: '2030-01-31T18:00Z' } },
    ok: { status: '200', schema: 'WorkSchedule', description: 'Scheduled.' },
    also: { '403': WORK_403, '404': WORK_404, '422': 'The time is not valid, in the past, more than a year ahead, or the work is posted.' },
  },
  {
    id: 'cancelWorkSchedule',
    method: 'delete',
    path: '/api/v1/works/{id}/schedule',
    summary: "Cancel a draft's scheduled posting",
    scope: 'write:works',
    tag: 'works',
    ok: { status: '204', description: 'The draft stays a draft.' },
    also: { '403': WORK_403, '404': `${WORK_404} Or the work is not scheduled.` },
  },
  {
    id: 'updateCommentSettings',
    method: 'put',
    path: '/api/v1/works/{id}/comment_settings',
    summary: "A work's comment settings: guest comments, moderation",
    scope: 'write:works',
    tag: 'works',
    body: { schema: 'CommentSettings', example: { guest_comments_allowed: false, comments_moderated: true } },
    ok: { status: '200', schema: 'CommentSettingsResponse', description: 'Saved.' },
    also: { '403': WORK_403, '404': WORK_404, '422': 'A field is not true or false.' },
  },
  // chapters
  {
    id: 'addChapter',
    method: 'post',
    path: '/api/v1/works/{id}/chapters',
    summary: 'Add a chapter, posted now or scheduled (post_at)',
    scope: 'write:works',
    tag: 'chapters',
    body: { schema: 'AddChapter', example: { title: 'Wednesday', text: 'The next day.', format: 'plain' } },
    ok: { status: '201', schema: 'ChapterStatus', description: 'Added.', location: true },
    also: { '403': WORK_403_POSTING, '404': WORK_404, '422': 'A field is not valid, or the time is; `fields` names it.' },
  },
  {
    id: 'reorderChapters',
    method: 'put',
    path: '/api/v1/works/{id}/chapters/order',
    summary: "Put a work's chapters in a new order",
    scope: 'write:works',
    tag: 'chapters',
    body: { schema: 'ChapterOrder', example: { chapter_ids: [2, 1] } },
    ok: { status: '200', schema: 'WorkResponse', description: 'The work in its new order.' },
    also: { '403': WORK_403, '404': WORK_404, '422': 'The list does not name every chapter exactly once.' },
  },
  {
    id: 'updateChapter',
    method: 'put',
    path: '/api/v1/works/{id}/chapters/{chapterId}',
    summary: 'Replace a chapter’s text and notes',
    scope: 'write:works',
    tag: 'chapters',
    body: { schema: 'CreateChapter', example: { title: 'Tuesday', text: 'She had not cried at the funeral.', format: 'plain' } },
    ok: { status: '200', schema: 'ChapterStatus', description: 'Saved.' },
    also: { '403': WORK_403, '404': WORK_404, '422': 'A field is not valid; `fields` names it.' },
  },
  {
    id: 'deleteChapter',
    method: 'delete',
    path: '/api/v1/works/{id}/chapters/{chapterId}',
    summary: 'Delete a chapter',
    scope: 'write:works',
    tag: 'chapters',
    ok: { status: '204', description: 'Deleted.' },
    also: { '403': WORK_403, '404': WORK_404, '422': 'It is the work’s last (posted) chapter: delete the work instead.' },
  },
  {
    id: 'rescheduleChapter',
    method: 'put',
    path: '/api/v1/works/{id}/chapters/{chapterId}/schedule',
    summary: 'Move a waiting chapter to another time',
    scope: 'write:works',
    tag: 'chapters',
    body: { schema: 'Schedule', example: { post_at: '2030-02-01T09:00Z' } },
    ok: { status: '200', schema: 'ChapterStatus', description: 'Rescheduled.' },
    also: { '403': WORK_403, '404': WORK_404, '409': 'The chapter is already posted.', '422': 'The time is not valid.' },
  },
  {
    id: 'postChapterNow',
    method: 'post',
    path: '/api/v1/works/{id}/chapters/{chapterId}/post',
    summary: 'Post a waiting chapter now',
    scope: 'write:works',
    tag: 'chapters',
    ok: { status: '200', schema: 'ChapterStatus', description: 'Posted (or it already was).' },
    also: { '403': WORK_403, '404': WORK_404 },
  },
  // story analysis
  ...(['accept', 'dismiss'] as const).map(
    (action): Spec => ({
      id: `${action}Proposal`,
      method: 'post',
      path: `/api/v1/works/{id}/proposals/${action}`,
      summary: action === 'accept' ? 'Add a tag the story analysis proposed to the work' : 'Dismiss a tag the story analysis proposed',
      scope: 'write:works',
      tag: 'story analysis',
      body: { schema: 'Proposal', example: { kind: 'character', value: 'Caroline Forbes' } },
      ok: { status: '200', schema: 'ProposalAnswer', description: action === 'accept' ? 'Added.' : 'Dismissed.' },
      also: { '403': WORK_403, '404': WORK_404, '422': 'An unknown kind, or no value.' },
    }),
  ),
  {
    id: 'retryAnalysis',
    method: 'post',
    path: '/api/v1/works/{id}/analysis/retry',
    summary: 'Read the chapters whose analysis failed again',
    scope: 'write:works',
    tag: 'story analysis',
    ok: { status: '200', schema: 'AnalysisRetry', description: 'How many chapters will be read again.' },
    also: { '403': WORK_403, '404': WORK_404 },
  },
  // series
  {
    id: 'createSeries',
    method: 'post',
    path: '/api/v1/series',
    summary: 'Start a series (optionally with one of your works)',
    scope: 'write:works',
    tag: 'series',
    body: { schema: 'SeriesInput', example: { title: 'The Caroline Stories', summary: 'After.', complete: false } },
    ok: { status: '201', schema: 'SeriesSummary', description: 'Created.', location: true },
    also: { '422': 'A field is not valid, or work_id names no work of yours.' },
  },
  {
    id: 'updateSeries',
    method: 'put',
    path: '/api/v1/series/{id}',
    summary: "Change a series' title, summary, notes or completeness",
    scope: 'write:works',
    tag: 'series',
    body: { schema: 'SeriesInput', example: { title: 'The Caroline Stories', complete: true } },
    ok: { status: '200', schema: 'SeriesSummary', description: 'Saved.' },
    also: { '403': SERIES_403, '404': 'No such series.', '422': 'A field is not valid.' },
  },
  {
    id: 'deleteSeries',
    method: 'delete',
    path: '/api/v1/series/{id}',
    summary: 'Delete a series (its works stay)',
    scope: 'write:works',
    tag: 'series',
    ok: { status: '204', description: 'Deleted.' },
    also: { '403': SERIES_403, '404': 'No such series.' },
  },
  {
    id: 'addWorkToSeries',
    method: 'post',
    path: '/api/v1/series/{id}/works',
    summary: 'Add one of your works to the end of a series',
    scope: 'write:works',
    tag: 'series',
    body: { schema: 'SeriesWork', example: { work_id: 1 } },
    ok: { status: '200', schema: 'SeriesSummary', description: 'Added.' },
    also: { '403': SERIES_403, '404': 'No such series.', '422': 'The work is not one of yours, or already in the series.' },
  },
  {
    id: 'removeWorkFromSeries',
    method: 'delete',
    path: '/api/v1/series/{id}/works/{workId}',
    summary: 'Take a work out of a series',
    scope: 'write:works',
    tag: 'series',
    ok: { status: '204', description: 'Removed.' },
    also: { '403': SERIES_403, '404': 'No such series.', '422': 'The work is not in the series.' },
  },
  {
    id: 'reorderSeries',
    method: 'put',
    path: '/api/v1/series/{id}/order',
    summary: "Put a series' works in a new order",
    scope: 'write:works',
    tag: 'series',
    body: { schema: 'SeriesOrder', example: { work_ids: [2, 1] } },
    ok: { status: '200', schema: 'SeriesSummary', description: 'Reordered.' },
    also: { '403': SERIES_403, '404': 'No such series.', '422': 'The list does not name every work exactly once.' },
  },
  // me
  {
    id: 'getMe',
    method: 'get',
    path: '/api/v1/me',
    summary: 'The account behind the token',
    scope: 'read',
    tag: 'me',
    ok: { status: '200', schema: 'Me', description: 'You.' },
  },
  // interactions
  {
    id: 'giveKudos',
    method: 'post',
    path: '/api/v1/works/{id}/kudos',
    summary: 'Leave kudos on a work',
    scope: 'write:interactions',
    tag: 'interactions',
    ok: { status: '201', schema: 'Kudos', description: 'Given.' },
    also: {
      '403': 'A creator of the work blocked you, or the app was not allowed the scope.',
      '404': WORK_404,
      '422': 'It is your own work, or a draft.',
    },
  },
  {
    id: 'createReport',
    method: 'post',
    path: '/api/v1/reports',
    summary: 'Report a work, a comment or a user to the moderators',
    scope: 'write:interactions',
    tag: 'interactions',
    body: {
      schema: 'ReportInput',
      example: { target_type: 'work', target_id: 1, reason: 'Spam', details: 'The same text is posted daily.' },
    },
    ok: { status: '201', schema: 'Report', description: 'Sent.' },
    also: { '404': 'Nothing you may see with this type and id.', '422': 'A field is not valid.' },
    limit: 'More than 30 reports an hour from this address (the report form’s limit).',
  },
  {
    id: 'editComment',
    method: 'put',
    path: '/api/v1/comments/{id}',
    summary: 'Change the text of your comment',
    scope: 'write:interactions',
    tag: 'interactions',
    body: { schema: 'EditComment', example: { comment: 'Edited: I loved it.' } },
    ok: { status: '200', schema: 'CommentRef', description: 'Saved.' },
    also: {
      '403': 'It is not your comment, or the app was not allowed the scope.',
      '404': 'No such comment.',
      '422': 'The text is empty or too long.',
    },
  },
  {
    id: 'deleteComment',
    method: 'delete',
    path: '/api/v1/comments/{id}',
    summary: 'Delete your comment, or one on your work',
    scope: 'write:interactions',
    tag: 'interactions',
    ok: { status: '204', description: 'Deleted (one with replies stays as “deleted”).' },
    also: { '403': 'Neither your comment nor on your work, or the app was not allowed the scope.', '404': 'No such comment.' },
  },
  {
    id: 'moderateComment',
    method: 'post',
    path: '/api/v1/comments/{id}/moderation',
    summary: 'Approve, hide, unhide, freeze or unfreeze a comment on your work',
    scope: 'write:interactions',
    tag: 'interactions',
    body: { schema: 'ModerateComment', example: { action: 'freeze' } },
    ok: { status: '200', schema: 'ModeratedComment', description: 'Done.' },
    also: {
      '403': 'Not on your work, or the app was not allowed the scope.',
      '404': 'No such comment.',
      '422': 'An action this API does not know.',
    },
  },
  {
    id: 'bookmarkSeries',
    method: 'post',
    path: '/api/v1/series/{id}/bookmarks',
    summary: 'Bookmark a series (or update your bookmark of it)',
    scope: 'write:interactions',
    tag: 'bookmarks',
    body: { schema: 'BookmarkInput', example: { notes: 'All of it.', tags: ['comfort'], rec: true } },
    ok: { status: '201', schema: 'SeriesBookmark', description: 'Created (200 when an existing bookmark was updated).' },
    also: { '404': 'No such series, or none of it you may read.', '422': 'A field is not valid.' },
  },
  {
    id: 'createExternalBookmark',
    method: 'post',
    path: '/api/v1/bookmarks/external',
    summary: 'Bookmark a work hosted elsewhere',
    scope: 'write:interactions',
    tag: 'bookmarks',
    body: { schema: 'ExternalBookmarkInput', example: { url: 'https://example.org/story', title: 'Elsewhere', creator: 'someone' } },
    ok: { status: '201', schema: 'ExternalBookmark', description: 'Created.' },
    also: { '422': 'A field is not valid.' },
  },
  {
    id: 'deleteBookmark',
    method: 'delete',
    path: '/api/v1/bookmarks/{id}',
    summary: 'Delete one of your bookmarks',
    scope: 'write:interactions',
    tag: 'bookmarks',
    ok: { status: '204', description: 'Deleted.' },
    also: { '403': 'It is someone else’s bookmark, or the app was not allowed the scope.', '404': 'No such bookmark.' },
  },
  {
    id: 'markForLater',
    method: 'put',
    path: '/api/v1/works/{id}/mark_for_later',
    summary: 'Put a work on your Marked for Later list, or take it off',
    scope: 'write:interactions',
    tag: 'reading',
    body: { schema: 'MarkForLater', example: { to_read: true } },
    ok: { status: '200', schema: 'Reading', description: 'Saved.' },
    also: { '404': WORK_404, '422': 'to_read is missing, or the work is a draft.' },
  },
  {
    id: 'savePosition',
    method: 'put',
    path: '/api/v1/works/{id}/position',
    summary: 'Keep your place in a work (for any device)',
    scope: 'write:interactions',
    tag: 'reading',
    body: { schema: 'PositionInput', example: { chapter_id: 1, paragraph: 12 } },
    ok: { status: '200', schema: 'Position', description: 'Saved.' },
    also: { '404': `${WORK_404} Or no such chapter in it.`, '422': 'A field is not valid.' },
  },
  {
    id: 'getPosition',
    method: 'get',
    path: '/api/v1/works/{id}/position',
    summary: 'Your saved place in a work',
    scope: 'read',
    tag: 'reading',
    ok: { status: '200', schema: 'Position', description: 'Where to continue.' },
    also: { '404': `${WORK_404} Or no place saved.` },
  },
  {
    id: 'listReadings',
    method: 'get',
    path: '/api/v1/me/readings',
    summary: 'Your Marked for Later list, or your reading history',
    scope: 'read',
    tag: 'reading',
    query: [
      {
        name: 'show',
        in: 'query',
        required: false,
        description: 'Which list.',
        schema: { type: 'string', enum: ['to-read', 'history'], default: 'to-read' },
      },
      cursorParam,
    ],
    ok: { status: '200', schema: 'Readings', description: 'One page; Link names the next.', paged: true },
    also: { '422': 'show or the cursor is not valid.' },
  },
  {
    id: 'clearReadingHistory',
    method: 'delete',
    path: '/api/v1/me/readings/history',
    summary: 'Forget your reading history (Marked for Later stays)',
    scope: 'write:interactions',
    tag: 'reading',
    ok: { status: '204', description: 'Cleared.' },
  },
  {
    id: 'listSubscriptions',
    method: 'get',
    path: '/api/v1/me/subscriptions',
    summary: 'What you are subscribed to',
    scope: 'read',
    tag: 'subscriptions',
    ok: { status: '200', schema: 'Subscriptions', description: 'Your subscriptions.' },
  },
  {
    id: 'subscribe',
    method: 'post',
    path: '/api/v1/me/subscriptions',
    summary: 'Subscribe to a work, a creator or a series',
    scope: 'write:interactions',
    tag: 'subscriptions',
    body: { schema: 'Subscribe', example: { kind: 'work', id: 1 } },
    ok: { status: '201', schema: 'Subscription', description: 'Subscribed (200 when you already were).' },
    also: { '404': 'Nothing of that kind and id you may see.', '422': 'A field is not valid, or it is yourself or your own work.' },
  },
  {
    id: 'unsubscribe',
    method: 'delete',
    path: '/api/v1/me/subscriptions/{kind}/{id}',
    summary: 'Unsubscribe',
    scope: 'write:interactions',
    tag: 'subscriptions',
    ok: { status: '204', description: 'Unsubscribed.' },
    also: { '404': 'You have no such subscription.' },
  },
  {
    id: 'listInbox',
    method: 'get',
    path: '/api/v1/me/inbox',
    summary: 'Your inbox: comments, replies, kudos and subscription news',
    scope: 'read',
    tag: 'inbox',
    query: [
      {
        name: 'filter',
        in: 'query',
        required: false,
        description: 'Which items.',
        schema: { type: 'string', enum: ['all', 'unread', 'read'], default: 'all' },
      },
      cursorParam,
    ],
    ok: { status: '200', schema: 'Inbox', description: 'One page, newest first; Link names the next.', paged: true },
    also: { '422': 'filter or the cursor is not valid.' },
  },
  {
    id: 'updateInbox',
    method: 'post',
    path: '/api/v1/me/inbox',
    summary: 'Mark items read or unread, or delete them',
    scope: 'write:interactions',
    tag: 'inbox',
    body: { schema: 'InboxAction', example: { action: 'read', ids: [1, 2] } },
    ok: { status: '200', schema: 'InboxChanged', description: 'Done.' },
    also: { '422': 'A field is not valid.' },
  },
  {
    id: 'readInboxItem',
    method: 'post',
    path: '/api/v1/me/inbox/{itemId}/read',
    summary: 'Open an item: marks it read and gives where it happened',
    scope: 'write:interactions',
    tag: 'inbox',
    ok: { status: '200', schema: 'InboxItem', description: 'Read.' },
    also: { '404': 'No such item in your inbox.' },
  },
  {
    id: 'deleteInboxItem',
    method: 'delete',
    path: '/api/v1/me/inbox/{itemId}',
    summary: 'Delete an item from your inbox',
    scope: 'write:interactions',
    tag: 'inbox',
    ok: { status: '204', description: 'Deleted.' },
    also: { '404': 'No such item in your inbox.' },
  },
  ...(['muted', 'blocked'] as const).flatMap((path): Spec[] => {
    const Rel = path === 'muted' ? 'Muted' : 'Blocked';
    const verb = path === 'muted' ? 'Mute' : 'Block';
    return [
      {
        id: `list${Rel}`,
        method: 'get',
        path: `/api/v1/me/${path}`,
        summary: `The users you ${path === 'muted' ? 'muted' : 'blocked'}`,
        scope: 'read',
        tag: 'mutes and blocks',
        ok: { status: '200', schema: 'Users', description: 'By login.' },
      },
      {
        id: `${verb.toLowerCase()}User`,
        method: 'put',
        path: `/api/v1/me/${path}/{login}`,
        summary: `${verb} a user`,
        scope: 'write:account',
        tag: 'mutes and blocks',
        ok: { status: '200', schema: 'UserRef', description: 'Done (also when already done).' },
        also: { '422': 'No user has this login, or it is yourself.' },
      },
      {
        id: `un${verb.toLowerCase()}User`,
        method: 'delete',
        path: `/api/v1/me/${path}/{login}`,
        summary: `Un${verb.toLowerCase()} a user`,
        scope: 'write:account',
        tag: 'mutes and blocks',
        ok: { status: '204', description: 'Done (also when there was nothing to undo).' },
      },
    ];
  }),
  {
    id: 'listSavedSearches',
    method: 'get',
    path: '/api/v1/me/saved_searches',
    summary: 'Your saved searches, with new matches since you last listed them',
    scope: 'read',
    tag: 'search',
    ok: { status: '200', schema: 'SavedSearches', description: 'Your saved searches.' },
  },
  {
    id: 'createSavedSearch',
    method: 'post',
    path: '/api/v1/me/saved_searches',
    summary: 'Save a search',
    scope: 'write:account',
    tag: 'search',
    body: { schema: 'SavedSearchInput', example: { name: 'Slow burns', query: 'q=slow+burn&sort=kudos' } },
    ok: { status: '201', schema: 'SavedSearch', description: 'Saved.' },
    also: { '422': 'The name or the search is not valid (the search page would show the same errors).' },
  },
  {
    id: 'deleteSavedSearch',
    method: 'delete',
    path: '/api/v1/me/saved_searches/{id}',
    summary: 'Delete a saved search',
    scope: 'write:account',
    tag: 'search',
    ok: { status: '204', description: 'Deleted.' },
    also: { '404': 'No such saved search of yours.' },
  },
  {
    id: 'listFilters',
    method: 'get',
    path: '/api/v1/me/filters',
    summary: 'The tags and creators you hide everywhere',
    scope: 'read',
    tag: 'search',
    ok: { status: '200', schema: 'Filters', description: 'Your filters.' },
  },
  {
    id: 'addFilter',
    method: 'post',
    path: '/api/v1/me/filters',
    summary: 'Hide a tag or a creator everywhere',
    scope: 'write:account',
    tag: 'search',
    body: { schema: 'FilterInput', example: { kind: 'tag', name: 'Major Character Death' } },
    ok: { status: '201', schema: 'Filters', description: 'All your filters now.' },
    also: { '422': 'No such tag or creator, or a field is not valid.' },
  },
  {
    id: 'removeFilter',
    method: 'delete',
    path: '/api/v1/me/filters/{kind}/{id}',
    summary: 'Show a hidden tag or creator again',
    scope: 'write:account',
    tag: 'search',
    ok: { status: '204', description: 'Shown again (also when it was not hidden).' },
    also: { '404': 'kind is not tag or creator.' },
  },
  {
    id: 'getStats',
    method: 'get',
    path: '/api/v1/me/stats',
    summary: 'Statistics of your works: hits, kudos, comments, bookmarks, subscriptions',
    scope: 'read',
    tag: 'stats',
    query: [
      {
        name: 'days',
        in: 'query',
        required: false,
        description: 'The period.',
        schema: { type: 'integer', enum: [...PERIODS], default: 30 },
      },
    ],
    ok: { status: '200', schema: 'Stats', description: 'Totals, per work and per day.' },
    also: { '422': 'days is not one of the periods.' },
  },
  {
    id: 'getPreferences',
    method: 'get',
    path: '/api/v1/me/preferences',
    summary: 'Your preferences',
    scope: 'read',
    tag: 'me',
    ok: { status: '200', schema: 'Preferences', description: 'Your preferences.' },
  },
  {
    id: 'updatePreferences',
    method: 'patch',
    path: '/api/v1/me/preferences',
    summary: 'Change some of your preferences',
    scope: 'write:account',
    tag: 'me',
    body: { schema: 'PreferencesInput', example: { history_enabled: false, subscription_email: 'digest' } },
    ok: { status: '200', schema: 'Preferences', description: 'Your preferences now.' },
    also: { '422': 'A field is not valid.' },
  },
  // work skins, reading preferences, notification mail, pseuds (api-settings.routes.ts)
  {
    id: 'listSkins',
    method: 'get',
    path: '/api/v1/me/skins',
    summary: 'Your work skins',
    scope: 'read',
    tag: 'skins',
    ok: { status: '200', schema: 'SkinList', description: 'Your skins, with how many works wear each.' },
  },
  {
    id: 'createSkin',
    method: 'post',
    path: '/api/v1/me/skins',
    summary: 'Save a new work skin',
    description: 'The CSS is cleaned as on the skin form: what cannot be used is listed and, unless accept_dropped, nothing is saved.',
    scope: 'write:works',
    tag: 'skins',
    body: { schema: 'SkinInput', example: { title: 'Texting', css: '.text { font-family: monospace; }' } },
    ok: { status: '201', schema: 'Skin', description: 'Saved.', location: true },
    also: { '422': 'No title, no CSS, CSS too large, or parts that cannot be used (listed under css) without accept_dropped.' },
  },
  {
    id: 'getSkin',
    method: 'get',
    path: '/api/v1/me/skins/{id}',
    summary: 'One of your work skins, with the parts readers do not get',
    scope: 'read',
    tag: 'skins',
    ok: { status: '200', schema: 'Skin', description: 'The skin.' },
    also: { '404': 'No such skin among yours.' },
  },
  {
    id: 'updateSkin',
    method: 'put',
    path: '/api/v1/me/skins/{id}',
    summary: 'Change one of your work skins',
    scope: 'write:works',
    tag: 'skins',
    body: { schema: 'SkinInput', example: { title: 'Texting', css: '.text { font-family: monospace; color: #333; }' } },
    ok: { status: '200', schema: 'Skin', description: 'Saved.' },
    also: { '404': 'No such skin among yours.', '422': 'As for createSkin.' },
  },
  {
    id: 'deleteSkin',
    method: 'delete',
    path: '/api/v1/me/skins/{id}',
    summary: 'Delete one of your work skins; works wearing it wear none',
    scope: 'write:works',
    tag: 'skins',
    ok: { status: '204', description: 'Deleted.' },
    also: { '404': 'No such skin among yours.' },
  },
  {
    id: 'getWorkSkin',
    method: 'get',
    path: '/api/v1/works/{id}/skin',
    summary: 'The skin a work of yours wears',
    scope: 'read',
    tag: 'skins',
    ok: { status: '200', schema: 'WorkSkin', description: 'Its skin, or null.' },
    also: { '403': WORK_403, '404': WORK_404 },
  },
  {
    id: 'chooseWorkSkin',
    method: 'put',
    path: '/api/v1/works/{id}/skin',
    summary: 'Choose the skin a work of yours wears: one of yours, a shipped example, or none',
    scope: 'write:works',
    tag: 'skins',
    body: { schema: 'WorkSkinInput', example: { example: 'texting' } },
    ok: { status: '200', schema: 'WorkSkin', description: 'The skin it wears now.' },
    also: { '403': WORK_403, '404': WORK_404, '422': 'Not one of your skins, no such example, or both sent.' },
  },
  {
    id: 'getReadingPreferences',
    method: 'get',
    path: '/api/v1/me/reading_preferences',
    summary: 'How works are shown to you: the adult-content notice, hidden tags, text size, width, font, theme',
    scope: 'read',
    tag: 'me',
    ok: { status: '200', schema: 'ReadingPreferences', description: 'Your reading preferences (the defaults if never saved).' },
  },
  {
    id: 'updateReadingPreferences',
    method: 'patch',
    path: '/api/v1/me/reading_preferences',
    summary: 'Change some of your reading preferences',
    scope: 'write:account',
    tag: 'me',
    body: { schema: 'ReadingPreferencesInput', example: { theme: 'dark', text_size: 'large' } },
    ok: { status: '200', schema: 'ReadingPreferences', description: 'Your reading preferences now.' },
    also: { '422': 'A value is not one of the choices.' },
  },
  {
    id: 'getNotificationSettings',
    method: 'get',
    path: '/api/v1/me/notification_settings',
    summary: 'Which email you get about comments, replies, kudos, gifts and related works',
    scope: 'read',
    tag: 'me',
    ok: { status: '200', schema: 'NotificationSettings', description: 'Your settings.' },
  },
  {
    id: 'updateNotificationSettings',
    method: 'patch',
    path: '/api/v1/me/notification_settings',
    summary: 'Change some of your notification email settings',
    scope: 'write:account',
    tag: 'me',
    body: { schema: 'NotificationSettingsInput', example: { kudos: 'digest' } },
    ok: { status: '200', schema: 'NotificationSettings', description: 'Your settings now.' },
    also: { '422': 'A value is not each, digest or off.' },
  },
  {
    id: 'listPseuds',
    method: 'get',
    path: '/api/v1/me/pseuds',
    summary: 'Your pseuds, the default first',
    scope: 'read',
    tag: 'me',
    ok: { status: '200', schema: 'PseudList', description: 'Your pseuds.' },
  },
  {
    id: 'createPseud',
    method: 'post',
    path: '/api/v1/me/pseuds',
    summary: 'Add a pseud',
    scope: 'write:account',
    tag: 'me',
    body: { schema: 'PseudInput', example: { name: 'Night Owl' } },
    ok: { status: '201', schema: 'Pseud', description: 'Added.' },
    also: { '422': 'The name is not valid, or you already have a pseud of that name.' },
  },
];

/** The Idempotency-Key header every POST takes (api-idempotency.ts). */
export const IDEMPOTENCY_KEY: ParameterObject = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Any unique string (a UUID) of 1 to 255 printable characters. A retry with the same key and body gets the first success again (with `Idempotency-Replayed: true`) instead of doing it twice; the same key with another body is a 422, a key whose first request is still running a 409, a malformed key a 400. Remembered for a day, per account.',
  schema: { type: 'string', minLength: 1, maxLength: 255 },
};

/** Every operation id documented here, for the tests that cover them. */
export const OPERATION_IDS: readonly string[] = [...SPECS.map((s) => s.id), 'exchangeOAuthToken', 'revokeOAuthToken'];

export function toOperation(spec: Spec): OperationObject {
  const params = [...spec.path.matchAll(/\{(\w+)\}/g)].map((m) => paramOf(m[1]!));
  if (spec.method === 'post') params.push(IDEMPOTENCY_KEY);
  const write = spec.scope !== 'read';
  const responses: Record<string, ResponseObject> = {};
  const okHeaders = {
    ...(spec.ok.location ? { Location: { description: 'The new thing’s page.', schema: { type: 'string' as const, format: 'uri' } } } : {}),
  };
  responses[spec.ok.status] = {
    description: spec.ok.paged
      ? `${spec.ok.description} The Link header (RFC 8288) has rel="next" when there is more.`
      : spec.ok.description,
    ...(Object.keys(okHeaders).length > 0 ? { headers: okHeaders } : {}),
    ...(spec.ok.schema ? { content: json(ref(spec.ok.schema)) } : {}),
  };
  if (spec.ok.status === '201' && ['giveKudos', 'bookmarkSeries', 'subscribe'].includes(spec.id))
    responses['200'] = { description: 'Nothing new: it was already so.', content: json(ref(spec.ok.schema!)) };
  if (spec.body) responses['400'] = failure('The body is not JSON, or not UTF-8.');
  responses['401'] = failure(
    spec.guest
      ? 'The token sent is unknown, expired or revoked (sending none is fine).'
      : 'No token, or one that is unknown, expired or revoked.',
  );
  if (write || spec.also?.['403'])
    responses['403'] = failure(spec.also?.['403'] ?? `The app was not allowed “${spec.scope}” (WWW-Authenticate names it).`);
  for (const status of ['404', '409'] as const) if (spec.also?.[status]) responses[status] = failure(spec.also[status]!);
  if (spec.body) responses['415'] = failure('The body is not application/json.');
  if (spec.also?.['422'] || spec.body)
    responses['422'] = { description: spec.also?.['422'] ?? 'A field is not valid.', content: problem(ref('ValidationError')) };
  responses['429'] = spec.limit
    ? tooMany(spec.limit)
    : write
      ? tooMany(`More than ${WRITES_PER_MINUTE} writes a minute from this token.`)
      : tooMany(`More than ${READS_PER_MINUTE} requests a minute from this token.`);
  return {
    operationId: spec.id,
    summary: spec.summary,
    description: `${spec.description ? `${spec.description} ` : ''}${
      spec.guest ? 'Needs no token.' : `Needs a token with the “${spec.scope}” scope (personal tokens hold every scope).`
    }`,
    tags: [spec.tag],
    security: spec.guest ? [{}, { bearerAuth: [] }, { oauth2: [spec.scope] }] : [{ bearerAuth: [] }, { oauth2: [spec.scope] }],
    ...(params.length + (spec.query?.length ?? 0) > 0 ? { parameters: [...params, ...(spec.query ?? [])] } : {}),
    ...(spec.body ? { requestBody: { required: true, content: json(ref(spec.body.schema), spec.body.example) } } : {}),
    responses,
  };
}

const form = (schema: JsonSchema): Record<string, MediaTypeObject> => ({ 'application/x-www-form-urlencoded': { schema } });
const oauthFailure = (description: string): ResponseObject => ({ description, content: json(ref('OAuthError')) });

export const operationPaths: Record<string, PathItemObject> = (() => {
  const paths: Record<string, PathItemObject> = {};
  for (const spec of SPECS) (paths[spec.path] ??= {})[spec.method] = toOperation(spec);
  paths['/api/oauth/token'] = {
    post: {
      operationId: 'exchangeOAuthToken',
      summary: 'Exchange an authorization code (with its PKCE verifier) or a refresh token for a token pair',
      description:
        'RFC 6749 §4.1.3 and §6, form-encoded. Apps are public clients: send client_id, no secret. A refresh token is spent by its use (the old pair ends); a code by its first.',
      tags: ['oauth'],
      security: [{}],
      requestBody: {
        required: true,
        content: form(
          obj(
            {
              grant_type: str('authorization_code or refresh_token.', { enum: ['authorization_code', 'refresh_token'] }),
              client_id: str('Your app’s client_id.'),
              code: str('The code from the redirect (authorization_code).'),
              redirect_uri: str('The registered redirect address (authorization_code).'),
              code_verifier: str('The PKCE verifier whose S256 challenge you sent (authorization_code).'),
              refresh_token: str('A refresh token (refresh_token).'),
            },
            undefined,
            ['code', 'redirect_uri', 'code_verifier', 'refresh_token'],
          ),
        ),
      },
      responses: {
        '200': { description: 'A new token pair.', content: json(ref('TokenResponse')) },
        '400': oauthFailure(
          'invalid_request, invalid_client (no such client_id), invalid_grant (a spent, expired or unknown code or refresh token, or a wrong verifier), …',
        ),
        '429': {
          description: 'More than 60 requests a minute from this address. Retry-After says when to try again.',
          headers: retryAfter,
          content: json(ref('PlainError')),
        },
      },
    },
  };
  paths['/api/oauth/revoke'] = {
    post: {
      operationId: 'revokeOAuthToken',
      summary: 'Revoke a token pair (RFC 7009): send either of its tokens',
      tags: ['oauth'],
      security: [{}],
      requestBody: {
        required: true,
        content: form(obj({ token: str('An access or refresh token.'), client_id: str('Your app’s client_id.') })),
      },
      responses: {
        '200': { description: 'Revoked, or it was not a live token of this app (the answer does not say which).' },
        '400': oauthFailure('token or client_id is missing.'),
        '401': oauthFailure('No such client_id.'),
        '429': {
          description: 'More than 60 requests a minute from this address. Retry-After says when to try again.',
          headers: retryAfter,
          content: json(ref('PlainError')),
        },
      },
    },
  };
  return paths;
})();

/** The OAuth 2.0 security scheme: where apps send people, where they get tokens, and the scopes. */
export function oauthSecurityScheme(baseUrl: string) {
  return {
    type: 'oauth2' as const,
    description:
      'For third-party apps: register one at /oauth/apps, send people to the authorization URL with PKCE (S256; plain is refused) and a state, then exchange the code. Tokens and codes are stored hashed; refresh tokens rotate.',
    flows: {
      authorizationCode: {
        authorizationUrl: `${baseUrl}/oauth/authorize`,
        tokenUrl: `${baseUrl}/api/oauth/token`,
        refreshUrl: `${baseUrl}/api/oauth/token`,
        scopes: { ...SCOPES },
      },
    },
  };
}
