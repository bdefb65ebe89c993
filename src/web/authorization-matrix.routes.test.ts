import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, TestVisitor, type TestApp } from '../../test/app.ts';
import { buildWorkForm } from '../../test/factories.ts';
import type { FastifyInstance } from 'fastify';
import { ACCOUNT_CEILING_FACTOR } from '../api/api.auth.ts';
import { WRITES_PER_MINUTE } from '../api/api.schema.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { asciiFileName } from '../downloads/downloads.formats.ts';
import { makeAdmin, makeModerator, workIdOf } from '../../test/staff.ts';

/*
 * The authorization matrix: for each route, what each kind of visitor gets.
 *
 *   guest      no session
 *   reader     signed in, no relation to the work
 *   creator    credited on the work (and the account named in /users/:login routes)
 *   co         co-creator: a second work_creators row on the same work, another account
 *   blocked    signed in, blocked by the creator
 *   suspended  signed in before a moderator suspended them: the session no longer counts
 *   mod        holds the moderator role
 *   admin      is_admin
 *
 * POSTs carry an empty form (plus the CSRF token), so "allowed" shows as 422 (the form's own
 * errors) or a 303 (actions without fields); refusals as 401 (log in), 403 (not yours) or
 * 404 (a draft or hidden work, whose existence does not leak: on every route, editing ones too, to
 * all but those who may read it). Rows marked `fresh` run each
 * visitor on new things, because the action destroys them; rows with `{ form }` post that form,
 * where an empty one would stop at its own errors before the rule under test.
 */
type Visitor = 'guest' | 'reader' | 'creator' | 'co' | 'blocked' | 'suspended' | 'mod' | 'admin';
const VISITORS: Visitor[] = ['guest', 'reader', 'creator', 'co', 'blocked', 'suspended', 'mod', 'admin'];

interface Ids {
  work: number;
  chapter: number;
  /** The page of a chapter scheduled for tomorrow on a posted work: not posted yet, so only the creators see it. */
  scheduled: string;
  draft: number;
  hidden: number;
  /** The one chapter of the hidden work, and `reader`'s comment on it. */
  hiddenChapter: number;
  hiddenComment: number;
  restricted: number;
  /** `creator`'s series holding only the draft, and one holding only the hidden work. */
  draftSeries: number;
  hiddenSeries: number;
  post: number;
  series: number;
  comment: number;
  bookmark: number;
  inboxItem: number;
  savedSearch: number;
  feedToken: string;
  apiToken: number;
  session: string;
  /** Items of `creator`'s collection matrix_collection (all approved), one for each decision row. */
  collectionItems: { approve: number; reject: number; remove: number; apiRemove: number };
  /** A gift of `work` to `reader`; a link from `reader`'s work naming `work` as its parent, pending. */
  gift: number;
  relatedLink: number;
}
/** `fresh`: each visitor acts on new things (the action destroys them); `{ form }`: post this instead of an empty form. */
type Options = 'fresh' | { form: Record<string, string> };
type Row = [method: 'GET' | 'POST', route: string, url: (ids: Ids) => string, expected: string, options?: Options];

/* Common patterns, spelt out once (columns as above: guest reader creator co blocked suspended mod admin). */
/** The same answer for everyone. */
const everyone = (status: number) => Array(VISITORS.length).fill(status).join('   ');
/** Any signed-in account (a suspended one's session no longer counts, so it is answered like a guest). */
const signedIn = (ok: number) => `401   ${ok}   ${ok}   ${ok}   ${ok}   401   ${ok}   ${ok}`;
/** A self-only page under /users/creator (or a thing `creator` owns): guest 401, others 403, the owner `ok`. */
const selfOnly = (ok: number) => `401   403   ${ok}   403   403   401   403   403`;
/** Only the work's creators (creator and co-creator). */
const workCreators = (ok: number) => `401   403   ${ok}   ${ok}   403   401   403   403`;
/** Comment moderation: the work's creators, and moderators and admins (audited). */
const creatorsAndStaff = (ok: number) => `401   403   ${ok}   ${ok}   403   401   ${ok}   ${ok}`;

// prettier-ignore
const MATRIX: Row[] = [
  // Gifts and related works: a user's gifts page is public (each work checked for the viewer); only the recipient refuses;
  // only the named work's creators approve or remove a link to it, from their own page.
  ['GET', '/users/:login/gifts', () => '/users/reader/gifts', everyone(200)],
  ['POST', '/gifts/:id/refuse', (i) => `/gifts/${i.gift}/refuse`, '401   303   404   404   404   401   404   404'],
  ['GET', '/users/:login/related_works', () => '/users/creator/related_works', selfOnly(200)],
  ['POST', '/related_works/:id/approve', (i) => `/related_works/${i.relatedLink}/approve`, workCreators(303)],
  ['POST', '/related_works/:id/remove', (i) => `/related_works/${i.relatedLink}/remove`, workCreators(303)],
  //                                                                                                        guest reader creator co blocked suspended mod admin
  ['GET', '/', () => '/', '200   200   200   200   200   200   200   200'],
  ['GET', '/works', () => '/works', '200   200   200   200   200   200   200   200'],
  ['GET', '/works/:id', (i) => `/works/${i.work}`, '200   200   200   200   200   200   200   200'],
  ['GET', '/works/:id', (i) => `/works/${i.draft}`, '404   404   200   200   404   404   404   404'],
  ['GET', '/works/:id', (i) => `/works/${i.hidden}`, '404   404   200   200   404   404   200   200'],
  ['GET', '/works/:id', (i) => `/works/${i.restricted}`, '401   200   200   200   200   401   200   200'],
  [
    'GET',
    '/works/:id/chapters/:chapterId',
    (i) => `/works/${i.work}/chapters/${i.chapter}`,
    '200   200   200   200   200   200   200   200',
  ],
  ['GET', '/works/:id/chapters/:chapterId', (i) => i.scheduled, '404   404   200   200   404   404   404   404'],
  ['GET', '/works/:id/navigate', (i) => `/works/${i.draft}/navigate`, '404   404   200   200   404   404   404   404'],
  ['GET', '/works/new', () => '/works/new', '401   200   200   200   200   401   200   200'],
  ['POST', '/works', () => '/works', '401   422   422   422   422   401   422   422'],
  ['GET', '/works/:id/edit', (i) => `/works/${i.work}/edit`, '401   403   200   200   403   401   403   403'],
  ['GET', '/works/:id/edit', (i) => `/works/${i.draft}/edit`, '401   404   200   200   404   401   404   404'],
  // A hidden work: 404 to whoever may not read it (its creators may still edit it; staff see it, so a 403 tells them nothing new).
  ['GET', '/works/:id/edit', (i) => `/works/${i.hidden}/edit`, '401   404   200   200   404   401   403   403'],
  ['POST', '/works/:id', (i) => `/works/${i.hidden}`, '401   404   422   422   404   401   403   403'],
  ['POST', '/works/:id/post', (i) => `/works/${i.hidden}/post`, '401   404   303   303   404   401   403   403'],
  ['GET', '/works/:id/chapters/new', (i) => `/works/${i.hidden}/chapters/new`, '401   404   200   200   404   401   403   403'],
  ['POST', '/works/:id/chapters', (i) => `/works/${i.hidden}/chapters`, '401   404   422   422   404   401   403   403'],
  [
    'GET',
    '/works/:id/chapters/:chapterId/edit',
    (i) => `/works/${i.hidden}/chapters/${i.hiddenChapter}/edit`,
    '401   404   200   200   404   401   403   403',
  ],
  [
    'POST',
    '/works/:id/chapters/:chapterId',
    (i) => `/works/${i.hidden}/chapters/${i.hiddenChapter}`,
    '401   404   422   422   404   401   403   403',
  ],
  [
    'POST',
    '/works/:id/chapters/:chapterId/delete',
    (i) => `/works/${i.hidden}/chapters/${i.hiddenChapter}/delete`,
    '401   404   422   422   404   401   403   403',
  ], // its last chapter: refused, work kept
  [
    'POST',
    '/works/:id/chapters/:chapterId/post',
    (i) => `/works/${i.hidden}/chapters/${i.hiddenChapter}/post`,
    '401   404   303   303   404   401   403   403',
  ],
  ['GET', '/works/:id/chapters/manage', (i) => `/works/${i.hidden}/chapters/manage`, '401   404   200   200   404   401   403   403'],
  ['POST', '/works/:id/chapters/manage', (i) => `/works/${i.hidden}/chapters/manage`, '401   404   422   422   404   401   403   403'],
  ['GET', '/works/:id/confirm_delete', (i) => `/works/${i.hidden}/confirm_delete`, '401   404   200   200   404   401   403   403'],
  [
    'GET',
    '/works/:id/chapters/:chapterId',
    (i) => `/works/${i.hidden}/chapters/${i.hiddenChapter}`,
    '404   404   200   200   404   404   200   200',
  ],
  ['GET', '/works/:id/navigate', (i) => `/works/${i.hidden}/navigate`, '404   404   200   200   404   404   200   200'],
  // Reporting names the work: not one the visitor may not read.
  ['GET', '/reports/new', (i) => `/reports/new?type=work&id=${i.draft}`, '401   404   200   200   404   401   404   404'],
  ['GET', '/reports/new', (i) => `/reports/new?type=work&id=${i.hidden}`, '401   404   200   200   404   401   200   200'],
  ['POST', '/works/:id', (i) => `/works/${i.work}`, '401   403   422   422   403   401   403   403'],
  ['GET', '/works/:id/chapters/new', (i) => `/works/${i.work}/chapters/new`, '401   403   200   200   403   401   403   403'],
  ['POST', '/works/:id/chapters', (i) => `/works/${i.work}/chapters`, '401   403   422   422   403   401   403   403'],
  [
    'GET',
    '/works/:id/chapters/:chapterId/edit',
    (i) => `/works/${i.work}/chapters/${i.chapter}/edit`,
    '401   403   200   200   403   401   403   403',
  ],
  ['GET', '/works/:id/confirm_delete', (i) => `/works/${i.work}/confirm_delete`, '401   403   200   200   403   401   403   403'],
  ['POST', '/works/:id/delete', (i) => `/works/${i.work}/delete`, '401   403   303   303   403   401   403   403', 'fresh'],
  ['POST', '/works/:id/post', (i) => `/works/${i.draft}/post`, '401   404   303   303   404   401   404   404', 'fresh'],
  ['GET', '/works/:id/schedule', (i) => `/works/${i.draft}/schedule`, '401   404   200   200   404   401   404   404'],
  ['POST', '/works/:id/schedule', (i) => `/works/${i.draft}/schedule`, '401   404   422   422   404   401   404   404'],
  ['POST', '/works/:id/schedule/cancel', (i) => `/works/${i.draft}/schedule/cancel`, '401   404   303   303   404   401   404   404'],
  // A chapter not posted yet: its schedule page, "Change the time" (an empty form stops at its own errors), "Post now" (on a posted chapter: nothing to do).
  ['GET', '/works/:id/chapters/:chapterId/schedule', (i) => `${i.scheduled}/schedule`, '401   403   200   200   403   401   403   403'],
  ['POST', '/works/:id/chapters/:chapterId/schedule', (i) => `${i.scheduled}/schedule`, '401   403   422   422   403   401   403   403'],
  [
    'POST',
    '/works/:id/chapters/:chapterId/post',
    (i) => `/works/${i.work}/chapters/${i.chapter}/post`,
    '401   403   303   303   403   401   403   403',
  ],
  ['GET', '/reports/new', (i) => `/reports/new?type=work&id=${i.work}`, '401   200   200   200   200   401   200   200'],
  ['POST', '/reports', () => '/reports', '401   404   404   404   404   401   404   404'],
  ['GET', '/moderation', () => '/moderation', '401   403   403   403   403   401   200   200'],
  ['GET', '/moderation/works/:id', (i) => `/moderation/works/${i.work}`, '401   403   403   403   403   401   200   200'],
  ['POST', '/moderation/works/:id/hide', (i) => `/moderation/works/${i.work}/hide`, '401   403   403   403   403   401   422   422'],
  ['POST', '/moderation/works/:id/unhide', (i) => `/moderation/works/${i.work}/unhide`, '401   403   403   403   403   401   404   404'],
  ['POST', '/moderation/works/:id/delete', (i) => `/moderation/works/${i.work}/delete`, '401   403   403   403   403   401   422   422'],
  ['GET', '/moderation/users/:login', () => '/moderation/users/reader', '401   403   403   403   403   401   200   200'],
  ['POST', '/moderation/users/:login/suspend', () => '/moderation/users/reader/suspend', '401   403   403   403   403   401   422   422'],
  [
    'POST',
    '/moderation/users/:login/unsuspend',
    () => '/moderation/users/reader/unsuspend',
    '401   403   403   403   403   401   404   404',
  ],
  ['POST', '/moderation/users/:login/roles', () => '/moderation/users/reader/roles', '401   403   403   403   403   401   403   422'],
  ['POST', '/moderation/reports/:id/handled', () => '/moderation/reports/999999/handled', '401   403   403   403   403   401   404   404'],
  ['GET', '/admin/audit', () => '/admin/audit', '401   403   403   403   403   401   200   200'],
  ['GET', '/admin', () => '/admin', '401   403   403   403   403   401   403   200'],
  ['GET', '/admin/settings', () => '/admin/settings', '401   403   403   403   403   401   403   200'],
  ['POST', '/admin/settings', () => '/admin/settings', '401   403   403   403   403   401   403   422'],
  ['GET', '/admin/embeds', () => '/admin/embeds', '401   403   403   403   403   401   403   200'],
  ['POST', '/admin/embeds', () => '/admin/embeds', '401   403   403   403   403   401   403   303'], // an empty list: no players
  ['GET', '/admin/invitations', () => '/admin/invitations', '401   403   403   403   403   401   403   200'],
  ['POST', '/admin/invitations/release', () => '/admin/invitations/release', '401   403   403   403   403   401   403   422'],
  ['GET', '/admin/users', () => '/admin/users?q=reader', '401   403   403   403   403   401   403   200'],
  ['GET', '/admin/backup', () => '/admin/backup', '401   403   403   403   403   401   403   200'],
  ['GET', '/admin_posts', () => '/admin_posts', '200   200   200   200   200   200   200   200'],
  ['GET', '/admin_posts/feed.atom', () => '/admin_posts/feed.atom', '200   200   200   200   200   200   200   200'],
  ['GET', '/admin_posts/:id', (i) => `/admin_posts/${i.post}`, '200   200   200   200   200   200   200   200'],
  ['GET', '/admin_posts/new', () => '/admin_posts/new', '401   403   403   403   403   401   403   200'],
  ['POST', '/admin_posts', () => '/admin_posts', '401   403   403   403   403   401   403   422'],
  ['POST', '/admin_posts/:id/comments', (i) => `/admin_posts/${i.post}/comments`, '401   422   422   422   422   401   422   422'],
  ['GET', '/content_policy', () => '/content_policy', '200   200   200   200   200   200   200   200'],
  ['GET', '/invite_requests', () => '/invite_requests', '200   200   200   200   200   200   200   200'],
  ['POST', '/invite_requests', () => '/invite_requests', '422   422   422   422   422   422   422   422'],
  ['GET', '/login', () => '/login', '200   200   200   200   200   200   200   200'],
  ['GET', '/signup', () => '/signup', '200   200   200   200   200   200   200   200'],
  ['GET', '/password/forgot', () => '/password/forgot', '200   200   200   200   200   200   200   200'],
  ['GET', '/password/reset/:token', () => '/password/reset/not-a-token', '404   404   404   404   404   404   404   404'],
  ['GET', '/users/:login', () => '/users/creator', '200   200   200   200   200   200   200   200'],
  ['GET', '/users/:login/password', () => '/users/creator/password', '401   403   200   403   403   401   403   403'],
  ['GET', '/users/:login/api_tokens', () => '/users/creator/api_tokens', '401   403   200   403   403   401   403   403'],
  ['GET', '/users/:login/two_factor', () => '/users/creator/two_factor', '401   403   200   403   403   401   403   403'],
  ['POST', '/users/:login/two_factor', () => '/users/creator/two_factor', '401   403   422   403   403   401   403   403'],
  ['POST', '/users/:login/two_factor/disable', () => '/users/creator/two_factor/disable', '401   403   422   403   403   401   403   403'],
  ['GET', '/users/:login/sessions', () => '/users/creator/sessions', '401   403   200   403   403   401   403   403'],
  ['GET', '/users/:login/delete', () => '/users/creator/delete', '401   403   200   403   403   401   403   403'],
  ['POST', '/users/:login/delete', () => '/users/creator/delete', '401   403   422   403   403   401   403   403'],
  ['GET', '/users/:login/export', () => '/users/creator/export', '401   403   200   403   403   401   403   403'],
  ['GET', '/users/:login/export/data.json', () => '/users/creator/export/data.json', '401   403   200   403   403   401   403   403'],
  ['GET', '/users/:login/export/works.zip', () => '/users/creator/export/works.zip', '401   403   200   403   403   401   403   403'],

  // ── Accounts, sessions, tokens, pseuds ── (a suspended visitor's session no longer counts: answered like a guest)
  ['GET', '/healthz', () => '/healthz', everyone(200)],
  // The matrix's visitors come from other machines: without METRICS_TOKEN nobody's account opens it (metrics.routes.test.ts).
  ['GET', '/metrics', () => '/metrics', everyone(403)],
  ['POST', '/signup', () => '/signup', everyone(422)],
  ['POST', '/login', () => '/login', everyone(422)],
  ['GET', '/login/two_factor', () => '/login/two_factor', everyone(303)],
  ['POST', '/login/two_factor', () => '/login/two_factor', everyone(303)],
  ['POST', '/password/forgot', () => '/password/forgot', everyone(422)],
  ['POST', '/password/reset/:token', () => '/password/reset/not-a-token', everyone(422)],
  ['GET', '/users/:login/works', () => '/users/creator/works', everyone(200)],
  ['GET', '/users/:login/pseuds/:pseud', () => '/users/creator/pseuds/creator', everyone(302)], // the default pseud is the profile
  ['GET', '/users/:login/pseuds/:pseud/works', () => '/users/creator/pseuds/creator/works', everyone(200)],
  ['POST', '/users/:login/pseuds', () => '/users/creator/pseuds', selfOnly(422)],
  ['POST', '/users/:login/password', () => '/users/creator/password', selfOnly(422)],
  ['POST', '/users/:login/api_tokens', () => '/users/creator/api_tokens', selfOnly(422)],
  ['POST', '/users/:login/api_tokens/:id/revoke', (i) => `/users/creator/api_tokens/${i.apiToken}/revoke`, selfOnly(303)],
  ['POST', '/users/:login/two_factor/recovery_codes', () => '/users/creator/two_factor/recovery_codes', selfOnly(422)],
  ['POST', '/users/:login/sessions/:id/end', (i) => `/users/creator/sessions/${i.session}/end`, selfOnly(303)],

  // ── Works: chapters ──
  ['POST', '/works/:id/chapters/:chapterId', (i) => `/works/${i.work}/chapters/${i.chapter}`, workCreators(422)],
  ['GET', '/works/:id/chapters/manage', (i) => `/works/${i.work}/chapters/manage`, workCreators(200)],
  ['POST', '/works/:id/chapters/manage', (i) => `/works/${i.work}/chapters/manage`, workCreators(422)],
  ['POST', '/works/:id/chapters/:chapterId/delete', (i) => `/works/${i.work}/chapters/${i.chapter}/delete`, workCreators(422)],

  // ── Tags and wrangling ── (wranglers hold the tag_wrangler role; admins may too; only admins grant it)
  ['GET', '/tags/:name', () => '/tags/Test%20Fandom', everyone(200)],
  ['GET', '/tags/:name/works', () => '/tags/Test%20Fandom/works', everyone(200)],
  ['GET', '/tags/:name/feed.atom', () => '/tags/Test%20Fandom/feed.atom', everyone(200)],
  ['GET', '/autocomplete/tags', () => '/autocomplete/tags?type=fandom&term=Test', everyone(200)],
  // A tag on no work the visitor may read is no tag at all (tags.policy.ts): the draft's, the hidden work's, the restricted
  // work's freeform. Wranglers (here: admin) see every tag. Feeds, OPDS and the API without a token answer as to a guest.
  ['GET', '/tags/:name', () => '/tags/Matrix%20Draft%20Tag', '404   404   200   200   404   404   404   200'],
  ['GET', '/tags/:name/works', () => '/tags/Matrix%20Draft%20Tag/works', '404   404   200   200   404   404   404   200'],
  ['GET', '/tags/:name', () => '/tags/Matrix%20Hidden%20Tag', '404   404   200   200   404   404   200   200'],
  ['GET', '/tags/:name/works', () => '/tags/Matrix%20Hidden%20Tag/works', '404   404   200   200   404   404   200   200'],
  ['GET', '/tags/:name', () => '/tags/Matrix%20Restricted%20Tag', '404   200   200   200   200   404   200   200'],
  ['GET', '/tags/:name/works', () => '/tags/Matrix%20Restricted%20Tag/works', '404   200   200   200   200   404   200   200'],
  ...(['Draft', 'Hidden', 'Restricted'] as const).flatMap((kind): Row[] => [
    ['GET', '/tags/:name/feed.atom', () => `/tags/Matrix%20${kind}%20Tag/feed.atom`, everyone(404)],
    ['GET', '/opds/tags/:name', () => `/opds/tags/Matrix%20${kind}%20Tag`, everyone(404)],
    ['GET', '/api/v1/tags/:name', () => `/api/v1/tags/Matrix%20${kind}%20Tag`, everyone(404)],
    ['GET', '/api/v1/tags/:name/works', () => `/api/v1/tags/Matrix%20${kind}%20Tag/works`, everyone(404)],
  ]),
  ['GET', '/wrangling', () => '/wrangling', '401   403   403   403   403   401   403   200'],
  ['POST', '/wrangling', () => '/wrangling', '401   403   403   403   403   401   403   422'],
  ['GET', '/wrangling/wranglers', () => '/wrangling/wranglers', '401   403   403   403   403   401   403   200'],
  ['POST', '/wrangling/wranglers', () => '/wrangling/wranglers', '401   403   403   403   403   401   403   422'],
  [
    'POST',
    '/wrangling/wranglers/:userId/revoke',
    () => '/wrangling/wranglers/999999/revoke',
    '401   403   403   403   403   401   403   303',
  ],

  // ── Reading preferences: guests keep theirs in a cookie, accounts in the database ──
  ['GET', '/preferences', () => '/preferences', everyone(200)],
  ['POST', '/preferences', () => '/preferences', everyone(303)],
  ['GET', '/users/:login/preferences', () => '/users/creator/preferences', everyone(303)],
  // ── Fandom directories: public, counting only works the visitor may read ──
  ['GET', '/media', () => '/media', everyone(200)],
  ['GET', '/media/:name/fandoms', () => '/media/TV%20Shows/fandoms', everyone(200)],
  ['GET', '/media/:name/fandoms', () => '/media/No%20Such%20Media/fandoms', everyone(404)],
  ['GET', '/fandoms', () => '/fandoms', everyone(302)],

  // ── Search, saved searches, filter preferences ──
  ['GET', '/works/search', () => '/works/search?q=test', everyone(200)],
  ['GET', '/works/search/help', () => '/works/search/help', everyone(200)],
  ['GET', '/users/:login/saved_searches', () => '/users/creator/saved_searches', selfOnly(200)],
  ['POST', '/users/:login/saved_searches', () => '/users/creator/saved_searches', selfOnly(422)],
  // A saved search's feed is for feed readers, which carry no session: its secret token is what opens it.
  [
    'GET',
    '/users/:login/saved_searches/:id/feed.atom',
    (i) => `/users/creator/saved_searches/${i.savedSearch}/feed.atom?token=${i.feedToken}`,
    everyone(200),
  ],
  [
    'GET',
    '/users/:login/saved_searches/:id/feed.atom',
    (i) => `/users/creator/saved_searches/${i.savedSearch}/feed.atom?token=wrong`,
    everyone(404),
  ],
  [
    'POST',
    '/users/:login/saved_searches/:id/delete',
    (i) => `/users/creator/saved_searches/${i.savedSearch}/delete`,
    selfOnly(303),
    'fresh',
  ],
  ['GET', '/preferences/filters', () => '/preferences/filters', signedIn(200)],
  ['POST', '/preferences/filters', () => '/preferences/filters', signedIn(422)],
  // Filtering out a tag one may not see: no such tag (the page would otherwise confirm it exists).
  [
    'POST',
    '/preferences/filters',
    () => '/preferences/filters',
    '401   422   303   303   422   401   422   303',
    { form: { kind: 'tag', tag_type: 'freeform', name: 'Matrix Draft Tag' } },
  ],
  [
    'POST',
    '/preferences/filters',
    () => '/preferences/filters',
    '401   422   303   303   422   401   303   303',
    { form: { kind: 'tag', name: 'Matrix Hidden Tag' } },
  ],
  ['POST', '/preferences/filters/remove', () => '/preferences/filters/remove', signedIn(422)],

  // ── Kudos, comments ── (the fixture comment is `reader`'s, on the creators' work; the creator blocks `blocked`)
  ['POST', '/works/:id/kudos', (i) => `/works/${i.work}/kudos`, '303   303   422   422   403   303   303   303'],
  [
    'POST',
    '/works/:id/comments',
    (i) => `/works/${i.work}/comments`,
    '303   303   303   303   403   303   303   303',
    { form: { comment: 'Matrix.', guest_name: 'Guest', guest_email: 'guest@example.org' } },
  ],
  ['GET', '/works/:id/comments', (i) => `/works/${i.work}/comments?page=2`, everyone(200)],
  ['GET', '/works/:id/comments', (i) => `/works/${i.draft}/comments`, everyone(404)], // drafts have no comments
  ['GET', '/works/:id/chapters/:chapterId/paragraphs', (i) => `/works/${i.work}/chapters/${i.chapter}/paragraphs`, everyone(200)],
  [
    'GET',
    '/works/:id/chapters/:chapterId/paragraphs/:n/comments',
    (i) => `/works/${i.work}/chapters/${i.chapter}/paragraphs/1/comments`,
    everyone(200),
  ],
  ['GET', '/comments/:id', (i) => `/comments/${i.comment}`, everyone(303)], // the permalink: to the page holding it
  ['GET', '/comments/:id', () => '/comments/999999999', everyone(404)],
  // A comment on a hidden work: as the work, 404 to all but its creators and staff (its author included).
  ['GET', '/comments/:id', (i) => `/comments/${i.hiddenComment}`, '404   404   303   303   404   404   303   303'],
  ['GET', '/comments/:id/reply', (i) => `/comments/${i.hiddenComment}/reply`, '404   404   200   200   404   404   200   200'],
  ['GET', '/comments/:id/edit', (i) => `/comments/${i.hiddenComment}/edit`, '404   404   403   403   404   404   403   403'],
  ['POST', '/comments/:id', (i) => `/comments/${i.hiddenComment}`, '404   404   403   403   404   404   403   403'],
  ['POST', '/comments/:id/approve', (i) => `/comments/${i.hiddenComment}/approve`, '401   404   303   303   404   401   303   303'],
  ['GET', '/reports/new', (i) => `/reports/new?type=comment&id=${i.hiddenComment}`, '401   404   200   200   404   401   200   200'],
  ['GET', '/comments/:id/reply', (i) => `/comments/${i.comment}/reply`, '200   200   200   200   403   200   200   200'],
  ['GET', '/comments/:id/edit', (i) => `/comments/${i.comment}/edit`, '401   200   403   403   403   401   403   403'],
  ['POST', '/comments/:id', (i) => `/comments/${i.comment}`, '401   422   403   403   403   401   403   403'],
  ['POST', '/comments/:id/approve', (i) => `/comments/${i.comment}/approve`, creatorsAndStaff(303)],
  ['POST', '/comments/:id/freeze', (i) => `/comments/${i.comment}/freeze`, creatorsAndStaff(303)],
  ['POST', '/comments/:id/unfreeze', (i) => `/comments/${i.comment}/unfreeze`, creatorsAndStaff(303)],
  ['POST', '/comments/:id/hide', (i) => `/comments/${i.comment}/hide`, creatorsAndStaff(303)],
  ['POST', '/comments/:id/unhide', (i) => `/comments/${i.comment}/unhide`, creatorsAndStaff(303)],
  ['POST', '/comments/:id/delete', (i) => `/comments/${i.comment}/delete`, '401   303   303   303   403   401   303   303', 'fresh'],
  ['GET', '/works/:id/comment_settings', (i) => `/works/${i.work}/comment_settings`, workCreators(200)],
  ['POST', '/works/:id/comment_settings', (i) => `/works/${i.work}/comment_settings`, workCreators(303)],
  ['GET', '/works/:id/comment_settings', (i) => `/works/${i.draft}/comment_settings`, '401   404   200   200   404   401   404   404'],
  ['GET', '/works/:id/comment_settings', (i) => `/works/${i.hidden}/comment_settings`, '401   404   200   200   404   401   403   403'],
  ['POST', '/works/:id/comment_settings', (i) => `/works/${i.hidden}/comment_settings`, '401   404   303   303   404   401   403   403'],
  // A hidden work, for reading and interacting: as its page (only its creators and staff).
  ['POST', '/works/:id/kudos', (i) => `/works/${i.hidden}/kudos`, '404   404   422   422   404   404   303   303'],
  ['GET', '/works/:id/comments', (i) => `/works/${i.hidden}/comments`, '404   404   200   200   404   404   200   200'],
  [
    'GET',
    '/works/:id/chapters/:chapterId/paragraphs',
    (i) => `/works/${i.hidden}/chapters/${i.hiddenChapter}/paragraphs`,
    '404   404   200   200   404   404   200   200',
  ],
  ['GET', '/works/:id/bookmarks/new', (i) => `/works/${i.hidden}/bookmarks/new`, '401   404   200   200   404   401   200   200'],

  // ── Bookmarks, reading history ── (the fixture bookmark is `creator`'s)
  ['GET', '/works/:id/bookmarks/new', (i) => `/works/${i.work}/bookmarks/new`, signedIn(200)],
  ['POST', '/works/:id/bookmarks', (i) => `/works/${i.work}/bookmarks`, signedIn(303)],
  ['GET', '/bookmarks/external/new', () => '/bookmarks/external/new', signedIn(200)],
  ['POST', '/bookmarks/external', () => '/bookmarks/external', signedIn(422)],
  ['POST', '/bookmarks/:id/delete', (i) => `/bookmarks/${i.bookmark}/delete`, selfOnly(303), 'fresh'],
  ['GET', '/users/:login/bookmarks', () => '/users/creator/bookmarks', everyone(200)],
  ['GET', '/users/:login/readings', () => '/users/creator/readings', selfOnly(200)],
  ['POST', '/users/:login/readings/clear', () => '/users/creator/readings/clear', selfOnly(303)],
  ['POST', '/users/:login/readings/preferences', () => '/users/creator/readings/preferences', selfOnly(303)],
  ['POST', '/works/:id/mark_for_later', (i) => `/works/${i.work}/mark_for_later`, signedIn(303)],
  ['POST', '/works/:id/position', (i) => `/works/${i.work}/position`, signedIn(422)],

  ['GET', '/series/:id/bookmarks/new', (i) => `/series/${i.series}/bookmarks/new`, signedIn(200)],
  ['POST', '/series/:id/bookmarks', (i) => `/series/${i.series}/bookmarks`, signedIn(303)],

  // ── Story intelligence ── (the map is for readers; proposals and their status for the work's creators)
  ['GET', '/works/:id/story_map', (i) => `/works/${i.work}/story_map`, everyone(200)],
  ['GET', '/works/:id/story_map', (i) => `/works/${i.draft}/story_map`, '404   404   200   200   404   404   404   404'],
  ['GET', '/works/:id/analysis_status', (i) => `/works/${i.work}/analysis_status`, workCreators(200)],
  ['GET', '/works/:id/story_map', (i) => `/works/${i.hidden}/story_map`, '404   404   200   200   404   404   200   200'],
  ['GET', '/works/:id/analysis_status', (i) => `/works/${i.draft}/analysis_status`, '401   404   200   200   404   401   404   404'],
  ['GET', '/works/:id/analysis_status', (i) => `/works/${i.hidden}/analysis_status`, '401   404   200   200   404   401   403   403'],
  ['POST', '/works/:id/analysis/retry', (i) => `/works/${i.hidden}/analysis/retry`, '401   404   303   303   404   401   403   403'],
  [
    'POST',
    '/works/:id/proposals/dismiss',
    (i) => `/works/${i.hidden}/proposals/dismiss`,
    '401   404   303   303   404   401   403   403',
    { form: { kind: 'character', value: 'Matrix' } },
  ],
  ['POST', '/works/:id/analysis/retry', (i) => `/works/${i.work}/analysis/retry`, workCreators(303)],
  [
    'POST',
    '/works/:id/proposals/accept',
    (i) => `/works/${i.work}/proposals/accept`,
    workCreators(303),
    { form: { kind: 'character', value: 'Matrix' } },
  ],
  [
    'POST',
    '/works/:id/proposals/dismiss',
    (i) => `/works/${i.work}/proposals/dismiss`,
    workCreators(303),
    { form: { kind: 'character', value: 'Matrix' } },
  ],

  // ── Inbox, blocking and muting ──
  ['GET', '/users/:login/inbox', () => '/users/creator/inbox', selfOnly(200)],
  ['POST', '/users/:login/inbox', () => '/users/creator/inbox', selfOnly(422)],
  ['GET', '/users/:login/inbox/:itemId', (i) => `/users/creator/inbox/${i.inboxItem}`, selfOnly(303)],
  ['GET', '/users/:login/blocked', () => '/users/creator/blocked', selfOnly(200)],
  ['POST', '/users/:login/blocked', () => '/users/creator/blocked', selfOnly(422)],
  ['GET', '/users/:login/muted', () => '/users/creator/muted', selfOnly(200)],
  ['POST', '/users/:login/muted', () => '/users/creator/muted', selfOnly(422)],

  // ── Series (the fixture series is `creator`'s) and subscriptions ──
  ['GET', '/series/new', () => '/series/new', signedIn(200)],
  ['POST', '/series', () => '/series', signedIn(422)],
  ['GET', '/series/:id', (i) => `/series/${i.series}`, everyone(200)],
  ['GET', '/series/:id/feed.atom', (i) => `/series/${i.series}/feed.atom`, everyone(200)],
  // A series of works the visitor may not read does not exist for them, and its feed (a guest's view: feed readers carry no session) follows.
  ['GET', '/series/:id', (i) => `/series/${i.draftSeries}`, '404   404   200   200   404   404   404   404'],
  ['GET', '/series/:id', (i) => `/series/${i.hiddenSeries}`, '404   404   200   200   404   404   200   200'],
  ['GET', '/series/:id/feed.atom', (i) => `/series/${i.draftSeries}/feed.atom`, everyone(404)],
  ['GET', '/series/:id/feed.atom', (i) => `/series/${i.hiddenSeries}/feed.atom`, everyone(404)],
  ['GET', '/series/:id/edit', (i) => `/series/${i.series}/edit`, selfOnly(200)],
  ['POST', '/series/:id', (i) => `/series/${i.series}`, selfOnly(422)],
  ['GET', '/series/:id/manage', (i) => `/series/${i.series}/manage`, selfOnly(200)],
  ['POST', '/series/:id/works', (i) => `/series/${i.series}/works`, selfOnly(422)],
  ['POST', '/series/:id/works/remove', (i) => `/series/${i.series}/works/remove`, selfOnly(422)],
  ['POST', '/series/:id/order', (i) => `/series/${i.series}/order`, selfOnly(422)],
  ['POST', '/series/:id/delete', (i) => `/series/${i.series}/delete`, selfOnly(303), 'fresh'],
  // ── Collections (matrix_collection is `creator`'s; its owner is its only maintainer) ──
  ['GET', '/collections', () => '/collections', everyone(200)],
  ['GET', '/collections/new', () => '/collections/new', signedIn(200)],
  ['POST', '/collections', () => '/collections', signedIn(422)],
  ['GET', '/collections/:name', () => '/collections/matrix_collection', everyone(200)],
  ['GET', '/collections/:name/works', () => '/collections/matrix_collection/works', everyone(200)],
  ['GET', '/collections/:name/feed.atom', () => '/collections/matrix_collection/feed.atom', everyone(200)],
  ['GET', '/opds/collections/:name', () => '/opds/collections/matrix_collection', everyone(200)],
  ['GET', '/collections/:name/edit', () => '/collections/matrix_collection/edit', selfOnly(200)],
  ['POST', '/collections/:name', () => '/collections/matrix_collection', selfOnly(422)],
  ['POST', '/collections/:name/participants', () => '/collections/matrix_collection/participants', selfOnly(422)],
  ['POST', '/collections/:name/participants/remove', () => '/collections/matrix_collection/participants/remove', selfOnly(422)],
  ['GET', '/collections/:name/items', () => '/collections/matrix_collection/items', selfOnly(200)],
  // Its owner may reveal it, but it is neither anonymous nor unrevealed: nothing to reveal (409).
  ['POST', '/collections/:name/reveal', () => '/collections/matrix_collection/reveal', selfOnly(409)],
  ['POST', '/collection_bookmarks', () => '/collection_bookmarks', signedIn(422)],
  // Only its maintainers invite someone's bookmark (the owner `creator` is its only one): no bookmark 999999 is theirs to see.
  [
    'POST',
    '/collection_bookmarks/invitations',
    () => '/collection_bookmarks/invitations',
    selfOnly(422),
    { form: { collection: 'matrix_collection', bookmark: '999999' } },
  ],
  ['POST', '/collection_bookmarks/:id/approve', () => '/collection_bookmarks/999999/approve', signedIn(404)],
  ['POST', '/collection_bookmarks/:id/reject', () => '/collection_bookmarks/999999/reject', signedIn(404)],
  ['POST', '/collection_bookmarks/:id/remove', () => '/collection_bookmarks/999999/remove', signedIn(404)],
  // Prompt memes (decision 047): matrix_meme is `creator`'s, open, and prompt 1 is `creator`'s.
  ['GET', '/collections/:name/prompts', () => '/collections/matrix_meme/prompts', everyone(200)],
  ['GET', '/collections/:name/prompts/new', () => '/collections/matrix_meme/prompts/new', signedIn(200)],
  ['POST', '/collections/:name/prompt_meme', () => '/collections/matrix_meme/prompt_meme', selfOnly(303), { form: { prompts_open: '1' } }],
  ['POST', '/collections/:name/prompts', () => '/collections/matrix_meme/prompts', signedIn(422)],
  ['GET', '/prompts/:id', () => '/prompts/1', everyone(200)],
  ['GET', '/prompts/:id/edit', () => '/prompts/1/edit', selfOnly(200)],
  ['POST', '/prompts/:id', () => '/prompts/1', selfOnly(422)],
  ['POST', '/prompts/:id/delete', () => '/prompts/999999/delete', signedIn(404)],
  // The prompter (creator) blocks `blocked`, who may not claim their prompts (one message, decision 047).
  ['POST', '/prompts/:id/claim', () => '/prompts/1/claim', '401   303   303   303   403   401   303   303'],
  ['POST', '/prompts/:id/unclaim', () => '/prompts/999999/unclaim', signedIn(404)],
  ['POST', '/prompts/:id/fills', () => '/prompts/1/fills', signedIn(422)],
  // Gift exchanges (decision 046): matrix_collection is no exchange, so everything past the
  // maintainers' check (settings aside) is a 404; an empty settings form is the owner's 422.
  ['GET', '/collections/:name/exchange', () => '/collections/matrix_collection/exchange', everyone(200)],
  ['GET', '/collections/:name/exchange/settings', () => '/collections/matrix_collection/exchange/settings', selfOnly(200)],
  ['POST', '/collections/:name/exchange/settings', () => '/collections/matrix_collection/exchange/settings', selfOnly(422)],
  ['GET', '/collections/:name/exchange/signup', () => '/collections/matrix_collection/exchange/signup', signedIn(404)],
  ['POST', '/collections/:name/exchange/signup', () => '/collections/matrix_collection/exchange/signup', signedIn(404)],
  ['POST', '/collections/:name/exchange/signup/delete', () => '/collections/matrix_collection/exchange/signup/delete', signedIn(404)],
  ['GET', '/collections/:name/exchange/matching', () => '/collections/matrix_collection/exchange/matching', selfOnly(404)],
  ['POST', '/collections/:name/exchange/matching', () => '/collections/matrix_collection/exchange/matching', selfOnly(404)],
  ['POST', '/collections/:name/exchange/matching/change', () => '/collections/matrix_collection/exchange/matching/change', selfOnly(404)],
  ['POST', '/collections/:name/exchange/send', () => '/collections/matrix_collection/exchange/send', selfOnly(404)],
  ['POST', '/collections/:name/exchange/pinch_hits', () => '/collections/matrix_collection/exchange/pinch_hits', selfOnly(404)],
  ['GET', '/collections/:name/exchange/nominations', () => '/collections/matrix_collection/exchange/nominations', signedIn(404)],
  ['POST', '/collections/:name/exchange/nominations', () => '/collections/matrix_collection/exchange/nominations', signedIn(404)],
  [
    'POST',
    '/collections/:name/exchange/nominations/review',
    () => '/collections/matrix_collection/exchange/nominations/review',
    selfOnly(404),
  ],
  [
    'POST',
    '/collections/:name/exchange/nominations/:id/withdraw',
    () => '/collections/matrix_collection/exchange/nominations/999999/withdraw',
    signedIn(404),
  ],
  // An assignment exists only for its giver and the maintainers: to anyone else it does not exist.
  ['GET', '/collections/:name/exchange/assignments/:id', () => '/collections/matrix_collection/exchange/assignments/999999', signedIn(404)],
  [
    'POST',
    '/collections/:name/exchange/assignments/:id/default',
    () => '/collections/matrix_collection/exchange/assignments/999999/default',
    signedIn(404),
  ],
  [
    'POST',
    '/collections/:name/exchange/assignments/:id/pinch_hit',
    () => '/collections/matrix_collection/exchange/assignments/999999/pinch_hit',
    signedIn(404),
  ],
  [
    'POST',
    '/collections/:name/exchange/assignments/:id/fulfil',
    () => '/collections/matrix_collection/exchange/assignments/999999/fulfil',
    signedIn(404),
  ],
  // Rows that change things run in column order: once the owner deleted it, it is gone for the rest (404).
  ['POST', '/collections/:name/delete', () => '/collections/matrix_doomed/delete', '401   403   303   404   404   401   404   404'],
  ['GET', '/collection_items/new', (i) => `/collection_items/new?work_id=${i.work}`, '401   404   200   200   404   401   404   404'],
  ['POST', '/collection_items', () => '/collection_items', signedIn(422)],
  // Already approved by both sides: nothing left for the owner or the co-creator to approve (409); no one else may.
  [
    'POST',
    '/collection_items/:id/approve',
    (i) => `/collection_items/${i.collectionItems.approve}/approve`,
    '401   403   409   409   403   401   403   403',
  ],
  [
    'POST',
    '/collection_items/:id/reject',
    (i) => `/collection_items/${i.collectionItems.reject}/reject`,
    '401   403   303   409   403   401   403   403',
  ],
  [
    'POST',
    '/collection_items/:id/remove',
    (i) => `/collection_items/${i.collectionItems.remove}/remove`,
    '401   403   303   404   404   401   404   404',
  ],
  ['GET', '/users/:login/collection_items', () => '/users/creator/collection_items', selfOnly(200)],
  ['GET', '/users/:login/collection_bookmarks', () => '/users/creator/collection_bookmarks', selfOnly(200)],
  // ── Co-creators and orphaning (the edit rule: the work's creators; a series' creators are users, `co` is not one) ──
  ['GET', '/works/:id/creators', (i) => `/works/${i.work}/creators`, workCreators(200)],
  ['POST', '/works/:id/creators/invitations', (i) => `/works/${i.work}/creators/invitations`, workCreators(422)],
  ['POST', '/works/:id/creators/leave', (i) => `/works/${i.work}/creators/leave`, workCreators(303), 'fresh'],
  ['GET', '/works/:id/orphan', (i) => `/works/${i.work}/orphan`, workCreators(200)],
  ['POST', '/works/:id/orphan', (i) => `/works/${i.work}/orphan`, workCreators(422)],
  ['GET', '/series/:id/creators', (i) => `/series/${i.series}/creators`, selfOnly(200)],
  ['POST', '/series/:id/creators/invitations', (i) => `/series/${i.series}/creators/invitations`, selfOnly(422)],
  ['POST', '/series/:id/creators/leave', (i) => `/series/${i.series}/creators/leave`, selfOnly(422)], // its only creator
  ['GET', '/series/:id/orphan', (i) => `/series/${i.series}/orphan`, selfOnly(200)],
  ['POST', '/series/:id/orphan', (i) => `/series/${i.series}/orphan`, selfOnly(422)],
  ['GET', '/orphans', () => '/orphans', signedIn(200)],
  ['POST', '/orphans', () => '/orphans', signedIn(422)],
  ['GET', '/orphans/series', () => '/orphans/series', signedIn(200)],
  ['POST', '/orphans/series', () => '/orphans/series', signedIn(422)],
  ['GET', '/co_creator_invitations', () => '/co_creator_invitations', signedIn(200)],
  ['POST', '/co_creator_invitations/preference', () => '/co_creator_invitations/preference', signedIn(303)],
  // Only the invited pseud's user may answer; nobody else learns that an invitation exists.
  [
    'POST',
    '/co_creator_invitations/:id/accept',
    () => '/co_creator_invitations/999999/accept',
    '401   404   404   404   404   401   404   404',
  ],
  [
    'POST',
    '/co_creator_invitations/:id/decline',
    () => '/co_creator_invitations/999999/decline',
    '401   404   404   404   404   401   404   404',
  ],
  ['POST', '/subscriptions', () => '/subscriptions', signedIn(422)],
  ['POST', '/subscriptions/delete', () => '/subscriptions/delete', signedIn(422)],
  ['GET', '/users/:login/subscriptions', () => '/users/creator/subscriptions', selfOnly(200)],
  ['POST', '/users/:login/subscriptions/preferences', () => '/users/creator/subscriptions/preferences', selfOnly(422)],
  // Subscribing to a creator: any signed-in account but the creator themself.
  ['GET', '/users/:login/subscription', () => '/users/creator/subscription', '401   200   422   200   200   401   200   200'],

  // ── Statistics ──
  ['GET', '/users/:login/stats', () => '/users/creator/stats', selfOnly(200)],
  ['GET', '/users/:login/stats.csv', () => '/users/creator/stats.csv', selfOnly(200)],

  // ── Downloads, feeds, OPDS ── (follow the work page: a draft only to its creators)
  ['GET', '/downloads/:id/:file', (i) => `/downloads/${i.work}/${asciiFileName('A Test Work', i.work)}.html`, everyone(200)],
  [
    'GET',
    '/downloads/:id/:file',
    (i) => `/downloads/${i.draft}/${asciiFileName('A Test Work', i.draft)}.html`,
    '404   404   200   200   404   404   404   404',
  ],
  ['GET', '/works/:id/chapters/feed.atom', (i) => `/works/${i.work}/chapters/feed.atom`, everyone(200)],
  ['GET', '/works/:id/chapters/feed.atom', (i) => `/works/${i.draft}/chapters/feed.atom`, '404   404   200   200   404   404   404   404'],
  [
    'GET',
    '/downloads/:id/:file',
    (i) => `/downloads/${i.hidden}/${asciiFileName('A Test Work', i.hidden)}.html`,
    '404   404   200   200   404   404   200   200',
  ],
  ['GET', '/works/:id/chapters/feed.atom', (i) => `/works/${i.hidden}/chapters/feed.atom`, '404   404   200   200   404   404   200   200'],
  ['GET', '/users/:login/works/feed.atom', () => '/users/creator/works/feed.atom', everyone(200)],
  ['GET', '/opds', () => '/opds', everyone(200)],
  ['GET', '/opds/recent', () => '/opds/recent', everyone(200)],
  ['GET', '/opds/fandoms', () => '/opds/fandoms', everyone(200)],
  ['GET', '/opds/tags', () => '/opds/tags', everyone(200)],
  ['GET', '/opds/tags/:name', () => '/opds/tags/Test%20Fandom', everyone(200)],
  ['GET', '/opds/creators', () => '/opds/creators', everyone(200)],
  ['GET', '/opds/creators/:login', () => '/opds/creators/creator', everyone(200)],
  ['GET', '/opds/search.xml', () => '/opds/search.xml', everyone(200)],
  ['GET', '/opds/search', () => '/opds/search?q=test', everyone(200)],

  // ── Imports ──
  ['GET', '/works/import', () => '/works/import', signedIn(200)],
  ['POST', '/works/import', () => '/works/import', signedIn(422)],
  ['POST', '/works/import/post', () => '/works/import/post', signedIn(404)], // no import waiting

  // ── API ── (authenticated by bearer token only: a browser session neither grants nor refuses anything)
  ['GET', '/api/v1/openapi.json', () => '/api/v1/openapi.json', everyone(200)],
  ['GET', '/api/v1/works', () => '/api/v1/works', everyone(200)],
  ['GET', '/api/v1/works/:id', (i) => `/api/v1/works/${i.work}`, everyone(200)],
  ['GET', '/api/v1/works/:id', (i) => `/api/v1/works/${i.draft}`, everyone(404)],
  ['GET', '/api/v1/works/:id', (i) => `/api/v1/works/${i.hidden}`, everyone(404)],
  ['GET', '/api/v1/works/:id/downloads', (i) => `/api/v1/works/${i.hidden}/downloads`, everyone(404)],
  ['GET', '/api/v1/works/:id/comments', (i) => `/api/v1/works/${i.hidden}/comments`, everyone(404)],
  ['GET', '/api/v1/works/:id/downloads', (i) => `/api/v1/works/${i.work}/downloads`, everyone(200)],
  ['GET', '/api/v1/tags/:name', () => '/api/v1/tags/Test%20Fandom', everyone(200)],
  ['GET', '/api/v1/tags/:name/works', () => '/api/v1/tags/Test%20Fandom/works', everyone(200)],
  ['GET', '/api/v1/works/:id/comments', (i) => `/api/v1/works/${i.work}/comments`, everyone(200)],
  ['GET', '/api/v1/works/search', () => '/api/v1/works/search?q=test', everyone(200)],
  ['GET', '/api/v1/series/:id', (i) => `/api/v1/series/${i.series}`, everyone(200)],
  ['GET', '/api/v1/users/:login/bookmarks', () => '/api/v1/users/creator/bookmarks', everyone(200)],
  ['POST', '/api/v1/works', () => '/api/v1/works', everyone(401)],
  ['POST', '/api/v1/works/:id/bookmarks', (i) => `/api/v1/works/${i.work}/bookmarks`, everyone(401)],
  ['POST', '/api/v1/works/:id/comments', (i) => `/api/v1/works/${i.work}/comments`, everyone(401)],

  // ── OAuth apps ── (the consent page checks the request before anything else: no app named is a 400 to everyone)
  ['GET', '/oauth/apps', () => '/oauth/apps', signedIn(200)],
  ['POST', '/oauth/apps', () => '/oauth/apps', signedIn(422)],
  ['POST', '/oauth/apps/:id/delete', () => '/oauth/apps/999999/delete', signedIn(404)],
  ['POST', '/oauth/authorized/:appId/revoke', () => '/oauth/authorized/999999/revoke', signedIn(303)],
  ['GET', '/oauth/authorize', () => '/oauth/authorize', everyone(400)],
  ['POST', '/oauth/authorize', () => '/oauth/authorize', signedIn(422)],
  // Apps' own endpoints: the client proves itself (PKCE, a refresh token), not a session.
  ['POST', '/api/oauth/token', () => '/api/oauth/token', everyone(400)],
  ['POST', '/api/oauth/revoke', () => '/api/oauth/revoke', everyone(400)],

  // ── Work skins (a creator's own; another's is not there), email notifications, email verification ──
  ['GET', '/skins', () => '/skins', signedIn(200)],
  ['GET', '/skins/new', () => '/skins/new', signedIn(200)],
  ['POST', '/skins', () => '/skins', signedIn(422)],
  ['GET', '/skins/:id/edit', () => '/skins/999999/edit', '401   404   404   404   404   401   404   404'],
  ['POST', '/skins/:id', () => '/skins/999999', '401   404   404   404   404   401   404   404'],
  ['POST', '/skins/:id/delete', () => '/skins/999999/delete', '401   404   404   404   404   401   404   404'],
  ['GET', '/works/:id/skin', (i) => `/works/${i.work}/skin`, workCreators(200)],
  ['GET', '/works/:id/skin', (i) => `/works/${i.draft}/skin`, '401   404   200   200   404   401   404   404'],
  ['POST', '/works/:id/skin', (i) => `/works/${i.work}/skin`, workCreators(303)],
  // The work wears no skin: readable works answer 404 alike; the stylesheet of a draft is as absent as the draft.
  ['GET', '/works/:id/skin.css', (i) => `/works/${i.work}/skin.css`, everyone(404)],
  ['GET', '/works/:id/skin.css', (i) => `/works/${i.restricted}/skin.css`, '401   404   404   404   404   401   404   404'],
  ['GET', '/users/:login/notifications', () => '/users/creator/notifications', selfOnly(200)],
  ['POST', '/users/:login/notifications', () => '/users/creator/notifications', selfOnly(422)],
  // Signed links: the token is the authority, so the answer is the same for everyone.
  ['GET', '/unsubscribe/:token', () => '/unsubscribe/not-a-token', everyone(404)],
  ['POST', '/unsubscribe/:token', () => '/unsubscribe/not-a-token', everyone(404)],
  ['GET', '/verify-email/:token', () => '/verify-email/not-a-token', everyone(404)],
  ['POST', '/verify-email/resend', () => '/verify-email/resend', signedIn(303)],

  // ── Static files; ending sessions (last: after these, other sessions and then every visitor's session are gone) ──
  ['GET', '/static/*', () => '/static/style.css', everyone(200)],
  [
    'POST',
    '/users/:login/sessions/end_others',
    () => '/users/creator/sessions/end_others',
    '401   403   303   403   403   401   403   403',
  ],
  ['POST', '/logout', () => '/logout', everyone(303)],
];

/*
 * Where a name is listed rather than answered for (autocomplete and search answer 200 to everyone), whether each
 * kind of visitor finds this text on the page: the same rule as the tag rows above, columns as in the matrix
 * (1 = found, 0 = not). Search must not confirm a tag the visitor may not see: to them it is no tag at all.
 */
type ListingRow = [url: string, text: string, expected: string];
// prettier-ignore
const LISTINGS: ListingRow[] = [
  //                                                                                          guest reader creator co blocked suspended mod admin
  ['/autocomplete/tags?type=freeform&term=matrix', 'Matrix Draft Tag', '0   0   1   1   0   0   0   1'],
  ['/autocomplete/tags?type=freeform&term=matrix', 'Matrix Hidden Tag', '0   0   1   1   0   0   1   1'],
  ['/autocomplete/tags?type=freeform&term=matrix', 'Matrix Restricted Tag', '0   1   1   1   1   0   1   1'],
  ['/autocomplete/tags?type=freeform&term=tag', 'Matrix Draft Tag', '0   0   1   1   0   0   0   1'], // a later word's prefix
  ['/works/search?freeforms=Matrix%20Draft%20Tag', 'There is no additional tag called', '1   1   0   0   1   1   1   0'],
  ['/works/search?q=tag%3A%22Matrix%20Hidden%20Tag%22', 'There is no tag called', '1   1   0   0   1   1   0   0'],
  // A collection's listing is a search: drafts and hidden works are never listed, restricted ones only to signed-in readers.
  ['/collections/matrix_collection/works', 'Matrix Draft Tag', '0   0   0   0   0   0   0   0'],
  ['/collections/matrix_collection/works', 'Matrix Hidden Tag', '0   0   0   0   0   0   0   0'],
  ['/collections/matrix_collection/works', 'Matrix Restricted Tag', '0   1   1   1   1   0   1   1'],
  // A user's gifts page: never drafts, hidden works only to staff, restricted ones only to signed-in readers.
  ['/users/reader/gifts', 'Matrix Draft Tag', '0   0   0   0   0   0   0   0'],
  ['/users/reader/gifts', 'Matrix Hidden Tag', '0   0   0   0   0   0   1   1'],
  ['/users/reader/gifts', 'Matrix Restricted Tag', '0   1   1   1   1   0   1   1'],
];

/*
 * The API with each visitor's own personal token (the guest sends none; the suspended account's token stopped
 * working with the suspension). Same columns as MATRIX. Bodies are JSON: `{}` shows "allowed" as a 422 where the
 * rule is checked before the body; rows with a body send one the rule under test needs.
 */
type ApiRow = [
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  route: string,
  url: (ids: Ids) => string,
  expected: string,
  options?: { body?: unknown; fresh?: boolean },
];
const API_DRAFT_404 = '401   404   200   200   404   401   404   404';
// prettier-ignore
const API_MATRIX: ApiRow[] = [
  ['GET', '/api/v1/works/:id/gifts', (i) => `/api/v1/works/${i.work}/gifts`, workCreators(200)],
  ['PUT', '/api/v1/works/:id/gifts', (i) => `/api/v1/works/${i.work}/gifts`, workCreators(422), { body: {} }],
  ['GET', '/api/v1/works/:id/related_works', (i) => `/api/v1/works/${i.work}/related_works`, workCreators(200)],
  ['POST', '/api/v1/works/:id/related_works', (i) => `/api/v1/works/${i.work}/related_works`, workCreators(422), { body: {} }],
  ['DELETE', '/api/v1/works/:id/related_works/:linkId', (i) => `/api/v1/works/${i.work}/related_works/999999`, workCreators(404)],
  ['GET', '/api/v1/me/gifts', () => '/api/v1/me/gifts', signedIn(200)],
  ['GET', '/api/v1/collections/:name/prompts', () => '/api/v1/collections/matrix_meme/prompts', signedIn(200)],
  ['PUT', '/api/v1/collections/:name/prompt_meme', () => '/api/v1/collections/matrix_meme/prompt_meme', selfOnly(422), { body: {} }],
  ['POST', '/api/v1/collections/:name/prompts', () => '/api/v1/collections/matrix_meme/prompts', signedIn(422), { body: {} }],
  ['GET', '/api/v1/prompts/:id', () => '/api/v1/prompts/1', signedIn(200)],
  ['PUT', '/api/v1/prompts/:id', () => '/api/v1/prompts/1', selfOnly(422), { body: {} }],
  ['DELETE', '/api/v1/prompts/:id', () => '/api/v1/prompts/999999', signedIn(404)],
  ['POST', '/api/v1/prompts/:id/claim', () => '/api/v1/prompts/1/claim', '401   200   200   200   403   401   200   200'],
  ['DELETE', '/api/v1/prompts/:id/claim', () => '/api/v1/prompts/999999/claim', signedIn(404)],
  ['POST', '/api/v1/prompts/:id/fills', () => '/api/v1/prompts/1/fills', signedIn(422), { body: {} }],
  ['POST', '/api/v1/me/gifts/:id/refuse', (i) => `/api/v1/me/gifts/${i.gift}/refuse`, '401   200   404   404   404   401   404   404'],
  ['GET', '/api/v1/me/related_works', () => '/api/v1/me/related_works', signedIn(200)],
  ['POST', '/api/v1/me/related_works/:id/approve', (i) => `/api/v1/me/related_works/${i.relatedLink}/approve`, workCreators(200)],
  ['POST', '/api/v1/me/related_works/:id/remove', (i) => `/api/v1/me/related_works/${i.relatedLink}/remove`, workCreators(200)],
  //                                                                                                        guest reader creator co blocked suspended mod admin
  ['GET', '/api/v1/works/:id', (i) => `/api/v1/works/${i.draft}`, '404   404   200   200   404   401   404   404'],
  ['GET', '/api/v1/works/:id', (i) => `/api/v1/works/${i.hidden}`, '404   404   200   200   404   401   200   200'],
  ['GET', '/api/v1/works/:id', (i) => `/api/v1/works/${i.restricted}`, '401   200   200   200   200   401   200   200'],
  ['POST', '/api/v1/works', () => '/api/v1/works', signedIn(422), { body: {} }],
  ['PUT', '/api/v1/works/:id', (i) => `/api/v1/works/${i.work}`, workCreators(422), { body: {} }],
  ['PUT', '/api/v1/works/:id', (i) => `/api/v1/works/${i.draft}`, '401   404   422   422   404   401   404   404', { body: {} }],
  ['PUT', '/api/v1/works/:id', (i) => `/api/v1/works/${i.hidden}`, '401   404   422   422   404   401   403   403', { body: {} }],
  ['DELETE', '/api/v1/works/:id', (i) => `/api/v1/works/${i.work}`, workCreators(204), { fresh: true }],
  ['POST', '/api/v1/works/:id/post', (i) => `/api/v1/works/${i.draft}/post`, API_DRAFT_404, { fresh: true }],
  [
    'PUT',
    '/api/v1/works/:id/schedule',
    (i) => `/api/v1/works/${i.draft}/schedule`,
    '401   404   422   422   404   401   404   404',
    { body: {} },
  ],
  ['DELETE', '/api/v1/works/:id/schedule', (i) => `/api/v1/works/${i.work}/schedule`, workCreators(404)], // nothing scheduled
  [
    'PUT',
    '/api/v1/works/:id/comment_settings',
    (i) => `/api/v1/works/${i.work}/comment_settings`,
    workCreators(200),
    { body: { guest_comments_allowed: true, comments_moderated: false } },
  ],
  ['POST', '/api/v1/works/:id/chapters', (i) => `/api/v1/works/${i.work}/chapters`, workCreators(422), { body: {} }],
  [
    'POST',
    '/api/v1/works/:id/chapters',
    (i) => `/api/v1/works/${i.hidden}/chapters`,
    '401   404   422   422   404   401   403   403',
    { body: {} },
  ],
  [
    'PUT',
    '/api/v1/works/:id/chapters/order',
    (i) => `/api/v1/works/${i.work}/chapters/order`,
    workCreators(422),
    { body: { chapter_ids: [999999] } },
  ],
  ['PUT', '/api/v1/works/:id/chapters/:chapterId', (i) => `/api/v1/works/${i.work}/chapters/${i.chapter}`, workCreators(422), { body: {} }],
  ['DELETE', '/api/v1/works/:id/chapters/:chapterId', (i) => `/api/v1/works/${i.work}/chapters/${i.chapter}`, workCreators(422)], // its last chapter
  ['PUT', '/api/v1/works/:id/chapters/:chapterId/schedule', (i) => `/api/v1${i.scheduled}/schedule`, workCreators(422), { body: {} }],
  ['POST', '/api/v1/works/:id/chapters/:chapterId/post', (i) => `/api/v1/works/${i.work}/chapters/${i.chapter}/post`, workCreators(200)],
  [
    'POST',
    '/api/v1/works/:id/proposals/accept',
    (i) => `/api/v1/works/${i.work}/proposals/accept`,
    workCreators(200),
    { body: { kind: 'character', value: 'Matrix' } },
  ],
  [
    'POST',
    '/api/v1/works/:id/proposals/dismiss',
    (i) => `/api/v1/works/${i.hidden}/proposals/dismiss`,
    '401   404   200   200   404   401   403   403',
    { body: { kind: 'character', value: 'Matrix' } },
  ],
  ['POST', '/api/v1/works/:id/analysis/retry', (i) => `/api/v1/works/${i.work}/analysis/retry`, workCreators(200)],
  // Reporting a work one may not read: nothing there to report.
  [
    'POST',
    '/api/v1/reports',
    () => '/api/v1/reports',
    '401   404   201   201   404   401   404   404',
    { body: { target_type: 'work', target_id: '$draft', reason: 'Spam' } },
  ],
  // Co-creators and orphaning (api-co-creators.routes.ts): the edit rule first, then the body.
  [
    'POST',
    '/api/v1/works/:id/co_creator_invitations',
    (i) => `/api/v1/works/${i.work}/co_creator_invitations`,
    workCreators(422),
    { body: {} },
  ],
  [
    'POST',
    '/api/v1/series/:id/co_creator_invitations',
    (i) => `/api/v1/series/${i.series}/co_creator_invitations`,
    selfOnly(422),
    { body: {} },
  ],
  ['DELETE', '/api/v1/works/:id/creators/me', (i) => `/api/v1/works/${i.work}/creators/me`, workCreators(204), { fresh: true }],
  ['DELETE', '/api/v1/series/:id/creators/me', (i) => `/api/v1/series/${i.series}/creators/me`, selfOnly(422)], // its only creator
  ['GET', '/api/v1/me/co_creator_invitations', () => '/api/v1/me/co_creator_invitations', signedIn(200)],
  [
    'POST',
    '/api/v1/me/co_creator_invitations/:id',
    () => '/api/v1/me/co_creator_invitations/999999',
    '401   404   404   404   404   401   404   404',
    { body: { answer: 'accept' } },
  ],
  [
    'PUT',
    '/api/v1/me/co_creator_preference',
    () => '/api/v1/me/co_creator_preference',
    signedIn(200),
    { body: { allows_invitations: true } },
  ],
  ['POST', '/api/v1/works/:id/orphan', (i) => `/api/v1/works/${i.work}/orphan`, workCreators(422), { body: {} }],
  ['POST', '/api/v1/series/:id/orphan', (i) => `/api/v1/series/${i.series}/orphan`, selfOnly(200), { fresh: true }],
  ['POST', '/api/v1/me/orphan_works', () => '/api/v1/me/orphan_works', signedIn(422), { body: {} }],
  ['POST', '/api/v1/me/orphan_series', () => '/api/v1/me/orphan_series', signedIn(422), { body: {} }],
  ['POST', '/api/v1/series', () => '/api/v1/series', signedIn(422), { body: {} }],
  ['PUT', '/api/v1/series/:id', (i) => `/api/v1/series/${i.series}`, selfOnly(422), { body: {} }],
  ['DELETE', '/api/v1/series/:id', (i) => `/api/v1/series/${i.series}`, selfOnly(204), { fresh: true }],
  ['POST', '/api/v1/series/:id/works', (i) => `/api/v1/series/${i.series}/works`, selfOnly(422), { body: {} }],
  ['DELETE', '/api/v1/series/:id/works/:workId', (i) => `/api/v1/series/${i.series}/works/${i.work}`, selfOnly(204), { fresh: true }],
  ['PUT', '/api/v1/series/:id/order', (i) => `/api/v1/series/${i.series}/order`, selfOnly(422), { body: { work_ids: [999999] } }],
  ['POST', '/api/v1/series/:id/bookmarks', (i) => `/api/v1/series/${i.series}/bookmarks`, signedIn(201), { body: {}, fresh: true }],
  [
    'POST',
    '/api/v1/works/:id/kudos',
    (i) => `/api/v1/works/${i.work}/kudos`,
    '401   201   422   422   403   401   201   201',
    { fresh: true },
  ],
  ['POST', '/api/v1/works/:id/kudos', (i) => `/api/v1/works/${i.hidden}/kudos`, '401   404   422   422   404   401   201   201'],
  // `creator` already bookmarked each fresh work: theirs is updated.
  [
    'POST',
    '/api/v1/works/:id/bookmarks',
    (i) => `/api/v1/works/${i.work}/bookmarks`,
    '401   201   200   201   201   401   201   201',
    { body: {}, fresh: true },
  ],
  [
    'POST',
    '/api/v1/works/:id/comments',
    (i) => `/api/v1/works/${i.draft}/comments`,
    '401   404   422   422   404   401   404   404',
    { body: { comment: 'Matrix.' } },
  ],
  [
    'PUT',
    '/api/v1/comments/:id',
    (i) => `/api/v1/comments/${i.comment}`,
    '401   200   403   403   403   401   403   403',
    { body: { comment: 'Edited.' } },
  ],
  [
    'PUT',
    '/api/v1/comments/:id',
    (i) => `/api/v1/comments/${i.hiddenComment}`,
    '401   404   403   403   404   401   403   403',
    { body: { comment: 'Edited.' } },
  ],
  [
    'DELETE',
    '/api/v1/comments/:id',
    (i) => `/api/v1/comments/${i.comment}`,
    '401   204   204   204   403   401   204   204',
    { fresh: true },
  ],
  [
    'POST',
    '/api/v1/comments/:id/moderation',
    (i) => `/api/v1/comments/${i.comment}/moderation`,
    creatorsAndStaff(200),
    { body: { action: 'approve' } },
  ],
  ['POST', '/api/v1/bookmarks/external', () => '/api/v1/bookmarks/external', signedIn(422), { body: {} }],
  ['DELETE', '/api/v1/bookmarks/:id', (i) => `/api/v1/bookmarks/${i.bookmark}`, selfOnly(204), { fresh: true }],
  ['PUT', '/api/v1/works/:id/mark_for_later', (i) => `/api/v1/works/${i.work}/mark_for_later`, signedIn(200), { body: { to_read: true } }],
  [
    'PUT',
    '/api/v1/works/:id/mark_for_later',
    (i) => `/api/v1/works/${i.draft}/mark_for_later`,
    '401   404   422   422   404   401   404   404',
    { body: { to_read: true } },
  ],
  ['PUT', '/api/v1/works/:id/position', (i) => `/api/v1/works/${i.work}/position`, signedIn(200), { body: { chapter_id: '$chapter' } }],
  [
    'PUT',
    '/api/v1/works/:id/position',
    (i) => `/api/v1/works/${i.hidden}/position`,
    '401   404   200   200   404   401   200   200',
    { body: { chapter_id: '$hiddenChapter' } },
  ],
  ['GET', '/api/v1/works/:id/position', (i) => `/api/v1/works/${i.work}/position`, signedIn(200)],
  ['GET', '/api/v1/works/:id/position', (i) => `/api/v1/works/${i.draft}/position`, API_DRAFT_404.replace(/200/g, '404')], // no place kept in a draft
  ['GET', '/api/v1/me', () => '/api/v1/me', signedIn(200)],
  ['GET', '/api/v1/me/readings', () => '/api/v1/me/readings', signedIn(200)],
  ['DELETE', '/api/v1/me/readings/history', () => '/api/v1/me/readings/history', signedIn(204)],
  ['GET', '/api/v1/me/subscriptions', () => '/api/v1/me/subscriptions', signedIn(200)],
  // Subscribing to a work: not to one's own; a draft or hidden work is not there.
  [
    'POST',
    '/api/v1/me/subscriptions',
    () => '/api/v1/me/subscriptions',
    '401   201   422   422   201   401   201   201',
    { body: { kind: 'work', id: '$work' }, fresh: true },
  ],
  [
    'POST',
    '/api/v1/me/subscriptions',
    () => '/api/v1/me/subscriptions',
    '401   404   422   422   404   401   404   404',
    { body: { kind: 'work', id: '$draft' } },
  ],
  ['DELETE', '/api/v1/me/subscriptions/:kind/:id', (i) => `/api/v1/me/subscriptions/work/${i.work}`, signedIn(404)], // none to end
  ['GET', '/api/v1/me/inbox', () => '/api/v1/me/inbox', signedIn(200)],
  ['POST', '/api/v1/me/inbox', () => '/api/v1/me/inbox', signedIn(422), { body: {} }],
  // An item in `creator`'s inbox: nobody else's, so for them it does not exist.
  ['POST', '/api/v1/me/inbox/:itemId/read', (i) => `/api/v1/me/inbox/${i.inboxItem}/read`, '401   404   200   404   404   401   404   404'],
  ['DELETE', '/api/v1/me/inbox/:itemId', (i) => `/api/v1/me/inbox/${i.inboxItem}`, '401   404   204   404   404   401   404   404'],
  ['GET', '/api/v1/me/muted', () => '/api/v1/me/muted', signedIn(200)],
  ['PUT', '/api/v1/me/muted/:login', () => '/api/v1/me/muted/creator', '401   200   422   200   200   401   200   200'],
  ['DELETE', '/api/v1/me/muted/:login', () => '/api/v1/me/muted/creator', signedIn(204)],
  ['GET', '/api/v1/me/blocked', () => '/api/v1/me/blocked', signedIn(200)],
  ['PUT', '/api/v1/me/blocked/:login', () => '/api/v1/me/blocked/cocreator', '401   200   200   422   200   401   200   200'],
  ['DELETE', '/api/v1/me/blocked/:login', () => '/api/v1/me/blocked/cocreator', signedIn(204)],
  ['GET', '/api/v1/me/saved_searches', () => '/api/v1/me/saved_searches', signedIn(200)],
  ['POST', '/api/v1/me/saved_searches', () => '/api/v1/me/saved_searches', signedIn(422), { body: {} }],
  [
    'DELETE',
    '/api/v1/me/saved_searches/:id',
    (i) => `/api/v1/me/saved_searches/${i.savedSearch}`,
    '401   404   204   404   404   401   404   404',
    { fresh: true },
  ],
  ['GET', '/api/v1/me/filters', () => '/api/v1/me/filters', signedIn(200)],
  ['POST', '/api/v1/me/filters', () => '/api/v1/me/filters', signedIn(422), { body: {} }],
  // Hiding a tag one may not see: no such tag.
  [
    'POST',
    '/api/v1/me/filters',
    () => '/api/v1/me/filters',
    '401   422   201   201   422   401   422   201',
    { body: { kind: 'tag', name: 'Matrix Draft Tag' } },
  ],
  ['DELETE', '/api/v1/me/filters/:kind/:id', () => '/api/v1/me/filters/tag/999999', signedIn(204)],
  ['GET', '/api/v1/me/stats', () => '/api/v1/me/stats', signedIn(200)],
  ['GET', '/api/v1/me/preferences', () => '/api/v1/me/preferences', signedIn(200)],
  ['PATCH', '/api/v1/me/preferences', () => '/api/v1/me/preferences', signedIn(200), { body: {} }],
  // Work skins are private to their creator: another's is not there at all, as on /skins.
  ['GET', '/api/v1/me/skins', () => '/api/v1/me/skins', signedIn(200)],
  ['POST', '/api/v1/me/skins', () => '/api/v1/me/skins', signedIn(422), { body: {} }],
  ['GET', '/api/v1/me/skins/:id', () => '/api/v1/me/skins/999999', signedIn(404)],
  ['PUT', '/api/v1/me/skins/:id', () => '/api/v1/me/skins/999999', signedIn(404), { body: {} }],
  ['DELETE', '/api/v1/me/skins/:id', () => '/api/v1/me/skins/999999', signedIn(404)],
  ['GET', '/api/v1/works/:id/skin', (i) => `/api/v1/works/${i.work}/skin`, workCreators(200)],
  ['GET', '/api/v1/works/:id/skin', (i) => `/api/v1/works/${i.draft}/skin`, '401   404   200   200   404   401   404   404'],
  ['PUT', '/api/v1/works/:id/skin', (i) => `/api/v1/works/${i.work}/skin`, workCreators(200), { body: { skin_id: null } }],
  ['GET', '/api/v1/me/reading_preferences', () => '/api/v1/me/reading_preferences', signedIn(200)],
  ['PATCH', '/api/v1/me/reading_preferences', () => '/api/v1/me/reading_preferences', signedIn(200), { body: {} }],
  ['GET', '/api/v1/me/notification_settings', () => '/api/v1/me/notification_settings', signedIn(200)],
  ['PATCH', '/api/v1/me/notification_settings', () => '/api/v1/me/notification_settings', signedIn(200), { body: {} }],
  ['GET', '/api/v1/me/pseuds', () => '/api/v1/me/pseuds', signedIn(200)],
  ['POST', '/api/v1/me/pseuds', () => '/api/v1/me/pseuds', signedIn(422), { body: {} }],
  // Collections and news comments (api-collections.routes.ts), as their pages: owners change settings
  // and maintainers, maintainers see the queue, the collection or the work's creators decide on items.
  ['POST', '/api/v1/collections', () => '/api/v1/collections', signedIn(422), { body: {} }],
  ['GET', '/api/v1/collections/:name', () => '/api/v1/collections/matrix_collection', '200   200   200   200   200   401   200   200'],
  ['PUT', '/api/v1/collections/:name', () => '/api/v1/collections/matrix_collection', selfOnly(422), { body: {} }],
  ['DELETE', '/api/v1/collections/:name', () => '/api/v1/collections/matrix_doomed_api', '401   403   204   404   404   401   404   404'],
  ['POST', '/api/v1/collections/:name/maintainers', () => '/api/v1/collections/matrix_collection/maintainers', selfOnly(422), { body: {} }],
  [
    'DELETE',
    '/api/v1/collections/:name/maintainers/:login',
    () => '/api/v1/collections/matrix_collection/maintainers/nobody_here',
    selfOnly(422),
  ],
  [
    'GET',
    '/api/v1/collections/:name/works',
    () => '/api/v1/collections/matrix_collection/works',
    '200   200   200   200   200   401   200   200',
  ],
  ['GET', '/api/v1/collections/:name/queue', () => '/api/v1/collections/matrix_collection/queue', selfOnly(200)],
  ['POST', '/api/v1/collections/:name/reveal', () => '/api/v1/collections/matrix_collection/reveal', selfOnly(409)],
  [
    'GET',
    '/api/v1/collections/:name/bookmarks',
    () => '/api/v1/collections/matrix_collection/bookmarks',
    '200   200   200   200   200   401   200   200',
  ],
  ['POST', '/api/v1/collections/:name/bookmarks', () => '/api/v1/collections/matrix_collection/bookmarks', signedIn(422), { body: {} }],
  [
    'PUT',
    '/api/v1/collection_bookmarks/:id/decision',
    () => '/api/v1/collection_bookmarks/999999/decision',
    signedIn(404),
    { body: { decision: 'approve' } },
  ],
  ['DELETE', '/api/v1/collection_bookmarks/:id', () => '/api/v1/collection_bookmarks/999999', signedIn(404)],
  [
    'POST',
    '/api/v1/collections/:name/bookmark_invitations',
    () => '/api/v1/collections/matrix_collection/bookmark_invitations',
    selfOnly(422),
    { body: { bookmark_id: 999999 } },
  ],
  ['GET', '/api/v1/me/collection_bookmarks', () => '/api/v1/me/collection_bookmarks', signedIn(200)],
  ['POST', '/api/v1/collections/:name/items', () => '/api/v1/collections/matrix_collection/items', signedIn(422), { body: {} }],
  // Gift exchanges through the API: matrix_collection is no exchange, so past the maintainers' check (settings aside) a 404.
  ['GET', '/api/v1/collections/:name/exchange', () => '/api/v1/collections/matrix_collection/exchange', signedIn(404)],
  ['PUT', '/api/v1/collections/:name/exchange', () => '/api/v1/collections/matrix_collection/exchange', selfOnly(422), { body: {} }],
  ['GET', '/api/v1/collections/:name/exchange/signup', () => '/api/v1/collections/matrix_collection/exchange/signup', signedIn(404)],
  [
    'PUT',
    '/api/v1/collections/:name/exchange/signup',
    () => '/api/v1/collections/matrix_collection/exchange/signup',
    signedIn(404),
    { body: {} },
  ],
  ['DELETE', '/api/v1/collections/:name/exchange/signup', () => '/api/v1/collections/matrix_collection/exchange/signup', signedIn(404)],
  [
    'GET',
    '/api/v1/collections/:name/exchange/nominations',
    () => '/api/v1/collections/matrix_collection/exchange/nominations',
    signedIn(404),
  ],
  [
    'POST',
    '/api/v1/collections/:name/exchange/nominations',
    () => '/api/v1/collections/matrix_collection/exchange/nominations',
    signedIn(404),
    { body: { tags: {} } },
  ],
  [
    'POST',
    '/api/v1/collections/:name/exchange/nominations/:id',
    () => '/api/v1/collections/matrix_collection/exchange/nominations/999999',
    selfOnly(422),
    { body: {} },
  ],
  [
    'POST',
    '/api/v1/collections/:name/exchange/nominations/review',
    () => '/api/v1/collections/matrix_collection/exchange/nominations/review',
    selfOnly(422),
    { body: {} },
  ],
  [
    'DELETE',
    '/api/v1/collections/:name/exchange/nominations/:id',
    () => '/api/v1/collections/matrix_collection/exchange/nominations/999999',
    signedIn(404),
  ],
  [
    'GET',
    '/api/v1/collections/:name/exchange/assignments',
    () => '/api/v1/collections/matrix_collection/exchange/assignments',
    signedIn(404),
  ],
  [
    'GET',
    '/api/v1/collections/:name/exchange/assignments/:id',
    () => '/api/v1/collections/matrix_collection/exchange/assignments/999999',
    signedIn(404),
  ],
  [
    'POST',
    '/api/v1/collections/:name/exchange/assignments/:id/default',
    () => '/api/v1/collections/matrix_collection/exchange/assignments/999999/default',
    signedIn(404),
  ],
  [
    'POST',
    '/api/v1/collections/:name/exchange/assignments/:id/fulfil',
    () => '/api/v1/collections/matrix_collection/exchange/assignments/999999/fulfil',
    signedIn(404),
    { body: {} },
  ],
  [
    'POST',
    '/api/v1/collections/:name/exchange/assignments/:id/pinch_hit',
    () => '/api/v1/collections/matrix_collection/exchange/assignments/999999/pinch_hit',
    signedIn(404),
    { body: {} },
  ],
  ['GET', '/api/v1/collections/:name/exchange/matching', () => '/api/v1/collections/matrix_collection/exchange/matching', selfOnly(404)],
  ['POST', '/api/v1/collections/:name/exchange/matching', () => '/api/v1/collections/matrix_collection/exchange/matching', selfOnly(404)],
  [
    'POST',
    '/api/v1/collections/:name/exchange/matching/change',
    () => '/api/v1/collections/matrix_collection/exchange/matching/change',
    selfOnly(404),
    { body: {} },
  ],
  ['POST', '/api/v1/collections/:name/exchange/send', () => '/api/v1/collections/matrix_collection/exchange/send', selfOnly(404)],
  [
    'POST',
    '/api/v1/collections/:name/exchange/pinch_hits',
    () => '/api/v1/collections/matrix_collection/exchange/pinch_hits',
    selfOnly(404),
    { body: {} },
  ],
  [
    'PUT',
    '/api/v1/collection_items/:id/decision',
    (i) => `/api/v1/collection_items/${i.collectionItems.approve}/decision`,
    '401   403   409   409   403   401   403   403',
    { body: { decision: 'approve' } },
  ],
  [
    'DELETE',
    '/api/v1/collection_items/:id',
    (i) => `/api/v1/collection_items/${i.collectionItems.apiRemove}`,
    '401   403   204   404   404   401   404   404',
  ],
  ['GET', '/api/v1/me/collection_items', () => '/api/v1/me/collection_items', signedIn(200)],
  ['GET', '/api/v1/news/:id/comments', (i) => `/api/v1/news/${i.post}/comments`, '200   200   200   200   200   401   200   200'],
  ['POST', '/api/v1/news/:id/comments', (i) => `/api/v1/news/${i.post}/comments`, signedIn(422), { body: {} }],
];

describe('authorization matrix', () => {
  let t: TestApp;
  const visitors = {} as Record<Visitor, TestVisitor>;
  const apiTokens = {} as Record<Visitor, string>;
  let ids: Ids;

  /** A posted work by `creator`, co-created by `co`. */
  const coCreatedWork = async (form: Record<string, string | string[]> = {}) => {
    const id = workIdOf((await visitors.creator.post('/works', buildWorkForm(form))).headers.location);
    const co = await t.db
      .selectFrom('pseuds')
      .innerJoin('users', 'users.id', 'pseuds.user_id')
      .select('pseuds.id')
      .where('users.login', '=', 'cocreator')
      .executeTakeFirstOrThrow();
    await t.db.insertInto('work_creators').values({ work_id: id, pseud_id: co.id, position: 1 }).execute();
    return id;
  };

  /** What the rows act on besides works: `reader`'s comment, and `creator`'s series, bookmark and saved search. */
  const ownedThings = async (work: number, chapter: number) => {
    const latest = async (table: 'comments' | 'series' | 'bookmarks' | 'saved_searches') =>
      (await t.db.selectFrom(table).select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
    let comment: number;
    if (ids) {
      // A copy of the first one, written straight to the table and dated long ago: posting it would run into the commenting rate limit.
      const { id: _id, ...first } = await t.db.selectFrom('comments').selectAll().where('id', '=', ids.comment).executeTakeFirstOrThrow();
      comment = (
        await t.db
          .insertInto('comments')
          .values({ ...first, work_id: work, chapter_id: chapter, created_at: new Date('2020-01-01') })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    } else {
      await visitors.reader.post(`/works/${work}/comments`, { comment: 'Lovely.' });
      comment = await latest('comments');
    }
    await visitors.creator.post('/series', { title: 'A Series', summary: '', work_id: String(work) });
    const series = await latest('series');
    await visitors.creator.post(`/works/${work}/bookmarks`, { notes: 'Good.' });
    const bookmark = await latest('bookmarks');
    await visitors.creator.post('/users/creator/saved_searches', { name: 'Tests', query: 'q=test' });
    const savedSearch = await latest('saved_searches');
    const { feed_token: feedToken } = await t.db
      .selectFrom('saved_searches')
      .select('feed_token')
      .where('id', '=', savedSearch)
      .executeTakeFirstOrThrow();
    return { comment, series, bookmark, savedSearch, feedToken };
  };

  /** Each visitor comes from an address of its own, as eight people would (rate limits are per address). */
  const send = async (who: Visitor, method: 'GET' | 'POST', url: string, form: Record<string, string> = {}) => {
    const visitor = visitors[who];
    const headers: Record<string, string> = { cookie: [...visitor.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
    if (method === 'GET') return t.app.inject({ method, url, headers, remoteAddress: `10.0.0.${VISITORS.indexOf(who) + 1}` });
    headers['content-type'] = 'application/x-www-form-urlencoded';
    const payload = new URLSearchParams({ _csrf: visitor.csrfToken, ...form }).toString();
    return t.app.inject({ method, url, headers, payload, remoteAddress: `10.0.0.${VISITORS.indexOf(who) + 1}` });
  };

  /** `work` (and the draft, hidden and restricted works, for the listing rows) given to `reader`, and `reader`'s own work naming `work` as its parent (a pending link). */
  const giftFixtures = async (work: number, alsoGiven: number[]) => {
    const reader = (await t.db.selectFrom('users').select('id').where('login', '=', 'reader').executeTakeFirstOrThrow()).id;
    const give = (workId: number) =>
      t.db
        .insertInto('work_gifts')
        .values({ work_id: workId, recipient_user_id: reader, recipient_name: 'reader' })
        .returning('id')
        .executeTakeFirstOrThrow();
    for (const other of alsoGiven) await give(other);
    const gift = await give(work);
    const child = workIdOf((await visitors.reader.post('/works', buildWorkForm({ title: 'Matrix Child' }))).headers.location);
    const link = await t.db
      .insertInto('related_works')
      .values({ work_id: child, relation: 'translation_of', parent_work_id: work, status: 'pending' })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { gift: gift.id, relatedLink: link.id };
  };

  before(async () => {
    t = await createTestApp({ PAGE_CACHE: 'off' });
    for (const v of VISITORS) if (v !== 'guest') visitors[v] = await new TestVisitor(t.app).signUp(v === 'co' ? 'cocreator' : v);
    visitors.guest = new TestVisitor(t.app);
    await visitors.guest.get('/login'); // the CSRF cookie a browser would have
    // Each signed-in visitor's personal API token, made before `suspended` is suspended.
    for (const v of VISITORS) {
      if (v === 'guest') continue;
      const login = v === 'co' ? 'cocreator' : v;
      const page = await visitors[v].post(`/users/${login}/api_tokens`, { name: 'matrix api' });
      apiTokens[v] = /ff_[A-Za-z0-9_-]{43}/.exec(page.body)![0];
    }
    await makeModerator(t.db, 'mod');
    await makeAdmin(t.db, 'admin');
    const work = await coCreatedWork();
    const chapter = (await t.db.selectFrom('chapters').select('id').where('work_id', '=', work).executeTakeFirstOrThrow()).id;
    // Each of these three carries a freeform no other work has: what the tag rows look up.
    const draft = await coCreatedWork({ action: 'draft', freeforms: 'Fluff, Matrix Draft Tag' });
    const hidden = await coCreatedWork({ freeforms: 'Fluff, Matrix Hidden Tag' });
    await visitors.admin.post(`/moderation/works/${hidden}/hide`, { reason: 'matrix' });
    const hiddenChapter = (await t.db.selectFrom('chapters').select('id').where('work_id', '=', hidden).executeTakeFirstOrThrow()).id;
    const restricted = await coCreatedWork({ restricted: '1', freeforms: 'Fluff, Matrix Restricted Tag' });
    const post = Number(
      /\/admin_posts\/(\d+)/.exec(
        String((await visitors.admin.post('/admin_posts', { title: 'News', body: 'Hello' })).headers.location),
      )![1],
    );
    const owned = await ownedThings(work, chapter);
    const tomorrow = new Date(Date.now() + 24 * 3600_000).toISOString().slice(0, 16);
    const waiting = await visitors.creator.post(`/works/${await coCreatedWork()}/chapters`, {
      text_format: 'plain',
      body: 'Later.',
      action: 'schedule',
      post_at: tomorrow,
    });
    const scheduled = String(waiting.headers.location);
    assert.match(scheduled, /^\/works\/\d+\/chapters\/\d+$/);
    // A second session of `creator`'s (the one POST /users/creator/sessions/:id/end ends).
    await new TestVisitor(t.app).post('/login', { login: 'creator', password: 'correct horse battery' });
    const creatorId = (await t.db.selectFrom('users').select('id').where('login', '=', 'creator').executeTakeFirstOrThrow()).id;
    const session = (
      await t.db
        .selectFrom('sessions')
        .select('token_hash')
        .where('user_id', '=', creatorId)
        .orderBy('created_at', 'desc')
        .executeTakeFirstOrThrow()
    ).token_hash.slice(0, 16);
    await visitors.creator.post('/users/creator/api_tokens', { name: 'matrix' });
    const apiToken = (await t.db.selectFrom('api_tokens').select('id').where('user_id', '=', creatorId).executeTakeFirstOrThrow()).id;
    const inboxItem = (await t.db.selectFrom('inbox_items').select('id').where('user_id', '=', creatorId).executeTakeFirstOrThrow()).id;
    // `reader`'s comment on the hidden work, copied straight into the table (posting now would meet the hidden work's 404).
    const { id: _first, ...first } = await t.db
      .selectFrom('comments')
      .selectAll()
      .where('id', '=', owned.comment)
      .executeTakeFirstOrThrow();
    const hiddenComment = (
      await t.db
        .insertInto('comments')
        .values({ ...first, work_id: hidden, chapter_id: hiddenChapter })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    const seriesOf = async (workId: number) => {
      await visitors.creator.post('/series', { title: `Series of ${workId}`, summary: '', work_id: String(workId) });
      return (await t.db.selectFrom('series').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
    };
    const draftSeries = await seriesOf(draft);
    const hiddenSeries = await seriesOf(hidden);
    for (const name of ['matrix_collection', 'matrix_doomed', 'matrix_doomed_api'])
      await visitors.creator.post('/collections', { name, title: name });
    // A prompt meme of `creator`'s, open, with one prompt of theirs: prompt id 1 in the rows below.
    await visitors.creator.post('/collections', { name: 'matrix_meme', title: 'matrix_meme' });
    await visitors.creator.post('/collections/matrix_meme/prompt_meme', { prompts_open: '1' });
    await visitors.creator.post('/collections/matrix_meme/prompts', { title: 'Matrix prompt', fandoms: 'Matrix Fandom' });
    const collected = async (workId: number) => {
      await visitors.creator.post('/collection_items', { collection: 'matrix_collection', work_id: String(workId) });
      return (await t.db.selectFrom('collection_items').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
    };
    const collectionItems = {
      approve: await collected(work),
      reject: await collected(restricted),
      remove: await collected(draft),
      apiRemove: await collected(await coCreatedWork()),
    };
    await collected(hidden);
    // The restricted work's item is rejected by a row; a second restricted work stays for the listing row.
    await collected(await coCreatedWork({ restricted: '1', freeforms: 'Matrix Restricted Tag' }));
    ids = {
      work,
      chapter,
      scheduled,
      draft,
      hidden,
      hiddenChapter,
      hiddenComment,
      restricted,
      draftSeries,
      hiddenSeries,
      post,
      ...owned,
      inboxItem,
      apiToken,
      session,
      collectionItems,
      ...(await giftFixtures(work, [draft, hidden, restricted])),
    };
    const users = new Map((await t.db.selectFrom('users').select(['id', 'login']).execute()).map((u) => [u.login, u.id]));
    await t.db
      .insertInto('blocks')
      .values({ user_id: users.get('creator')!, blocked_user_id: users.get('blocked')! })
      .execute();
    await visitors.admin.post('/moderation/users/suspended/suspend', { duration: '30', message: 'matrix' });
  });
  after(() => t.close());

  it('classifies every route of the app', () => {
    const inMatrix = new Set([...MATRIX, ...API_MATRIX].map(([m, r]) => `${m} ${r}`));
    const unclassified = [
      ...new Set(t.app.routeList.filter((r) => r.method === 'GET' || r.method === 'POST').map((r) => `${r.method} ${r.url}`)),
    ]
      .filter((key) => !inMatrix.has(key))
      .sort();
    assert.deepEqual(unclassified, [], 'routes with no row in the authorization matrix');
    // Every API operation, whatever its method, has a row with tokens.
    const inApiMatrix = new Set(API_MATRIX.map(([m, r]) => `${m} ${r}`));
    const apiUnclassified = [
      ...new Set(
        t.app.routeList
          .filter((r) => r.url.startsWith('/api/v1/') && !['GET', 'HEAD', 'POST'].includes(r.method))
          .map((r) => `${r.method} ${r.url}`),
      ),
    ].filter((key) => !inApiMatrix.has(key));
    assert.deepEqual(apiUnclassified, [], 'API routes with no row in API_MATRIX');
    for (const [m, r] of API_MATRIX)
      assert.ok(
        t.app.routeList.some((x) => x.method === m && x.url === r),
        `API_MATRIX names a route the app lacks: ${m} ${r}`,
      );
    for (const [m, r] of MATRIX)
      assert.ok(
        t.app.routeList.some((x) => x.method === m && x.url === r),
        `the matrix names a route the app lacks: ${m} ${r}`,
      );
  });

  /** New things for a row that destroys what it acts on. */
  const freshIds = async (): Promise<Ids> => {
    const work = await coCreatedWork();
    const chapter = (await t.db.selectFrom('chapters').select('id').where('work_id', '=', work).executeTakeFirstOrThrow()).id;
    return { ...ids, work, chapter, draft: await coCreatedWork({ action: 'draft' }), ...(await ownedThings(work, chapter)) };
  };

  it('gives each kind of visitor, through the API with their own token, what the same rules say', async () => {
    const mismatches: string[] = [];
    // Rows here read and delete an inbox item: a copy of `creator`'s, so the page rows below still find theirs.
    const { id: _item, ...item } = await t.db
      .selectFrom('inbox_items')
      .selectAll()
      .where('id', '=', ids.inboxItem)
      .executeTakeFirstOrThrow();
    const copy = await t.db.insertInto('inbox_items').values(item).returning('id').executeTakeFirstOrThrow();
    const apiIds: Ids = { ...ids, inboxItem: copy.id };
    // The rows write more than an account may in a minute (the ceiling is kept per process, decision
    // 017): past it, they go to a second instance of the app on the same database, as behind a balancer.
    let app = t.app;
    let writes = 0;
    const second: FastifyInstance[] = [];
    for (const [method, route, url, expectedText, options] of API_MATRIX) {
      const expected = expectedText.trim().split(/\s+/).map(Number);
      assert.equal(expected.length, VISITORS.length, `row ${method} ${route} needs ${VISITORS.length} columns`);
      for (const [i, who] of VISITORS.entries()) {
        const rowIds = options?.fresh ? { ...(await freshIds()), inboxItem: copy.id } : apiIds;
        const target = url(rowIds);
        // Ids in a body are named by the fixture they stand for ("$work", "$chapter") and filled in here.
        const body =
          options?.body === undefined
            ? undefined
            : JSON.stringify(options.body, (_key, value) =>
                typeof value === 'string' && value.startsWith('$') ? rowIds[value.slice(1) as keyof Ids] : value,
              );
        const headers: Record<string, string> = who === 'guest' ? {} : { authorization: `Bearer ${apiTokens[who]}` };
        if (body !== undefined) headers['content-type'] = 'application/json';
        if (method !== 'GET' && who === 'creator' && ++writes > WRITES_PER_MINUTE * ACCOUNT_CEILING_FACTOR - 1) {
          app = await buildApp(
            { db: t.db, config: loadConfig({ LOG_LEVEL: 'silent', BASE_URL: 'http://archive.test', PAGE_CACHE: 'off' }) },
            { logger: false },
          );
          second.push(app);
          writes = 1;
        }
        const response = await app.inject({
          method,
          url: target,
          headers,
          ...(body !== undefined ? { payload: body } : {}),
          remoteAddress: `10.0.1.${VISITORS.indexOf(who) + 1}`,
        });
        if (response.statusCode !== expected[i])
          mismatches.push(
            `${method} ${target} as ${who}: ${response.statusCode}, expected ${expected[i]} (${response.body.slice(0, 120)})`,
          );
      }
    }
    for (const extra of second) await extra.close();
    assert.deepEqual(mismatches, []);
  });

  it('lists a name only to the visitors who may see it', async () => {
    const mismatches: string[] = [];
    for (const [url, text, expectedText] of LISTINGS) {
      const expected = expectedText
        .trim()
        .split(/\s+/)
        .map((x) => x === '1');
      assert.equal(expected.length, VISITORS.length, `listing ${url} needs ${VISITORS.length} columns`);
      for (const [i, who] of VISITORS.entries()) {
        const response = await send(who, 'GET', url);
        assert.equal(response.statusCode, 200, `${url} as ${who}`);
        const found = response.body.includes(text);
        if (found !== expected[i]) mismatches.push(`${url} as ${who}: “${text}” ${found ? 'found' : 'not found'}, expected the opposite`);
      }
    }
    assert.deepEqual(mismatches, []);
  });

  it('gives each kind of visitor exactly what the rules say on every route in the matrix', async () => {
    const mismatches: string[] = [];
    for (const [method, route, url, expectedText, options] of MATRIX) {
      const expected = expectedText.trim().split(/\s+/).map(Number);
      assert.equal(expected.length, VISITORS.length, `row ${method} ${route} needs ${VISITORS.length} columns`);
      for (const [i, who] of VISITORS.entries()) {
        const rowIds = options === 'fresh' ? await freshIds() : ids;
        const target = url(rowIds);
        const response = await send(who, method, target, typeof options === 'object' ? options.form : {});
        if (response.statusCode !== expected[i])
          mismatches.push(`${method} ${target} as ${who}: ${response.statusCode}, expected ${expected[i]}`);
      }
    }
    assert.deepEqual(mismatches, []);
  });
});
