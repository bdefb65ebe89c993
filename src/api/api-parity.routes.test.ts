import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../test/app.ts';
import type { HttpMethod, OpenApiDocument, OperationObject } from './openapi.ts';

/*
 * Every state-changing form of the site, and what an app uses instead: the API operation that
 * calls the same service, or why there is none. A new form with neither fails this test, so the
 * API cannot silently fall behind the pages (decision 030).
 */
type Parity = string | { none: string };

const ACCOUNT = { none: 'Account security (sign-in, passwords, two-factor, sessions, tokens, deletion): only the person, in a browser.' };
const STAFF = { none: 'Staff tools (moderation, administration, wrangling) are not offered to third-party apps.' };
const BROWSER_FLOW = {
  none: 'Part of a browser flow with its own secret (a signed link, the consent page, an upload held in the session).',
};

const PARITY: Record<string, Parity> = {
  // works and chapters
  'POST /works': 'createWork',
  'POST /works/:id': 'updateWork',
  'POST /works/:id/post': 'postDraft',
  'POST /works/:id/delete': 'deleteWork',
  'POST /works/:id/schedule': 'scheduleWork',
  'POST /works/:id/schedule/cancel': 'cancelWorkSchedule',
  'POST /works/:id/chapters': 'addChapter',
  'POST /works/:id/chapters/:chapterId': 'updateChapter',
  'POST /works/:id/chapters/:chapterId/delete': 'deleteChapter',
  'POST /works/:id/chapters/manage': 'reorderChapters',
  'POST /works/:id/chapters/:chapterId/schedule': 'rescheduleChapter',
  'POST /works/:id/chapters/:chapterId/post': 'postChapterNow',
  'POST /works/:id/comment_settings': 'updateCommentSettings',
  // series
  'POST /series': 'createSeries',
  'POST /series/:id': 'updateSeries',
  'POST /series/:id/delete': 'deleteSeries',
  'POST /series/:id/works': 'addWorkToSeries',
  'POST /series/:id/works/remove': 'removeWorkFromSeries',
  'POST /series/:id/order': 'reorderSeries',
  // interactions
  'POST /works/:id/kudos': 'giveKudos',
  'POST /works/:id/comments': 'createComment',
  'POST /comments/:id': 'editComment',
  'POST /comments/:id/delete': 'deleteComment',
  'POST /comments/:id/approve': 'moderateComment',
  'POST /comments/:id/hide': 'moderateComment',
  'POST /comments/:id/unhide': 'moderateComment',
  'POST /comments/:id/freeze': 'moderateComment',
  'POST /comments/:id/unfreeze': 'moderateComment',
  'POST /works/:id/bookmarks': 'createBookmark',
  'POST /series/:id/bookmarks': 'bookmarkSeries',
  'POST /bookmarks/external': 'createExternalBookmark',
  'POST /bookmarks/:id/delete': 'deleteBookmark',
  'POST /works/:id/mark_for_later': 'markForLater',
  'POST /works/:id/position': 'savePosition',
  'POST /users/:login/readings/clear': 'clearReadingHistory',
  'POST /users/:login/readings/preferences': 'updatePreferences',
  'POST /subscriptions': 'subscribe',
  'POST /subscriptions/delete': 'unsubscribe',
  'POST /users/:login/subscriptions/preferences': 'updatePreferences',
  'POST /users/:login/inbox': 'updateInbox',
  'POST /users/:login/muted': 'muteUser',
  'POST /users/:login/blocked': 'blockUser',
  'POST /users/:login/saved_searches': 'createSavedSearch',
  'POST /users/:login/saved_searches/:id/delete': 'deleteSavedSearch',
  'POST /preferences/filters': 'addFilter',
  'POST /preferences/filters/remove': 'removeFilter',
  // settings of the slices that came later (api-settings.routes.ts)
  'POST /skins': 'createSkin',
  'POST /skins/:id': 'updateSkin',
  'POST /skins/:id/delete': 'deleteSkin',
  'POST /works/:id/skin': 'chooseWorkSkin',
  'POST /preferences': 'updateReadingPreferences',
  'POST /users/:login/notifications': 'updateNotificationSettings',
  // gifts and related works (api-gifts.routes.ts); their fields on the work form go with createWork and updateWork
  'POST /gifts/:id/refuse': 'refuseGift',
  'POST /related_works/:id/approve': 'approveRelatedWork',
  'POST /related_works/:id/remove': 'removeRelatedWork',
  // not for apps, or not yet
  'POST /signup': ACCOUNT,
  'POST /login': ACCOUNT,
  'POST /login/two_factor': ACCOUNT,
  'POST /logout': ACCOUNT,
  'POST /password/forgot': ACCOUNT,
  'POST /password/reset/:token': ACCOUNT,
  'POST /users/:login/password': ACCOUNT,
  'POST /users/:login/api_tokens': ACCOUNT,
  'POST /users/:login/api_tokens/:id/revoke': ACCOUNT,
  'POST /users/:login/two_factor': ACCOUNT,
  'POST /users/:login/two_factor/disable': ACCOUNT,
  'POST /users/:login/two_factor/recovery_codes': ACCOUNT,
  'POST /users/:login/sessions/:id/end': ACCOUNT,
  'POST /users/:login/sessions/end_others': ACCOUNT,
  'POST /users/:login/delete': ACCOUNT,
  'POST /verify-email/resend': ACCOUNT,
  'POST /oauth/apps': ACCOUNT,
  'POST /oauth/apps/:id/delete': ACCOUNT,
  'POST /oauth/authorized/:appId/revoke': ACCOUNT,
  'POST /oauth/authorize': BROWSER_FLOW,
  'POST /unsubscribe/:token': BROWSER_FLOW,
  'POST /works/import': BROWSER_FLOW,
  'POST /works/import/post': BROWSER_FLOW,
  'POST /invite_requests': { none: 'Asking for an invitation comes before there is an account to act for.' },
  'POST /reports': 'createReport',
  'POST /users/:login/pseuds': 'createPseud',
  'POST /works/:id/analysis/retry': 'retryAnalysis',
  'POST /works/:id/proposals/accept': 'acceptProposal',
  'POST /works/:id/proposals/dismiss': 'dismissProposal',
  'POST /admin_posts/:id/comments': 'createNewsComment',
  // co-creators and orphaning (api-co-creators.routes.ts)
  'POST /works/:id/creators/invitations': 'inviteWorkCoCreator',
  'POST /series/:id/creators/invitations': 'inviteSeriesCoCreator',
  'POST /works/:id/creators/leave': 'leaveWorkCredits',
  'POST /series/:id/creators/leave': 'leaveSeriesCredits',
  'POST /co_creator_invitations/:id/accept': 'answerCoCreatorInvitation',
  'POST /co_creator_invitations/:id/decline': 'answerCoCreatorInvitation',
  'POST /co_creator_invitations/preference': 'updateCoCreatorPreference',
  'POST /works/:id/orphan': 'orphanWork',
  'POST /series/:id/orphan': 'orphanSeries',
  'POST /orphans': 'orphanAllWorks',
  'POST /orphans/series': 'orphanAllSeries',
  // collections (api-collections.routes.ts)
  'POST /collections': 'createCollection',
  'POST /collections/:name': 'updateCollection',
  'POST /collections/:name/delete': 'deleteCollection',
  'POST /collections/:name/participants': 'addCollectionMaintainer',
  'POST /collections/:name/participants/remove': 'removeCollectionMaintainer',
  'POST /collections/:name/reveal': 'revealCollection',
  'POST /collection_bookmarks': 'addCollectionBookmark',
  'POST /collection_bookmarks/invitations': 'inviteCollectionBookmark',
  'POST /collection_bookmarks/:id/approve': 'decideCollectionBookmark',
  'POST /collection_bookmarks/:id/reject': 'decideCollectionBookmark',
  'POST /collection_bookmarks/:id/remove': 'removeCollectionBookmark',
  'POST /collection_items': 'addCollectionItem',
  'POST /collection_items/:id/approve': 'decideCollectionItem',
  'POST /collection_items/:id/reject': 'decideCollectionItem',
  'POST /collection_items/:id/remove': 'removeCollectionItem',
  // prompt memes (api-prompt-memes.routes.ts)
  'POST /collections/:name/prompt_meme': 'updatePromptMeme',
  'POST /collections/:name/prompts': 'createPrompt',
  'POST /prompts/:id': 'updatePrompt',
  'POST /prompts/:id/delete': 'deletePrompt',
  'POST /prompts/:id/claim': 'claimPrompt',
  'POST /prompts/:id/unclaim': 'unclaimPrompt',
  'POST /prompts/:id/fills': 'fillPrompt',
  // gift exchanges (src/exchanges, decision 046): api-exchanges.routes.ts
  'POST /collections/:name/exchange/settings': 'saveExchangeSettings',
  'POST /collections/:name/exchange/signup': 'saveExchangeSignUp',
  'POST /collections/:name/exchange/signup/delete': 'deleteExchangeSignUp',
  'POST /collections/:name/exchange/matching': 'startExchangeMatching',
  'POST /collections/:name/exchange/matching/change': 'changeExchangeAssignments',
  'POST /collections/:name/exchange/send': 'sendExchangeAssignments',
  'POST /collections/:name/exchange/pinch_hits': 'pinchHitExchangeRecipient',
  'POST /collections/:name/exchange/assignments/:id/default': 'defaultExchangeAssignment',
  'POST /collections/:name/exchange/assignments/:id/pinch_hit': 'assignExchangePinchHitter',
  'POST /collections/:name/exchange/assignments/:id/fulfil': 'fulfilExchangeAssignment',
  'POST /collections/:name/exchange/nominations': 'nominateExchangeTags',
  'POST /collections/:name/exchange/nominations/review': 'reviewExchangeNominations',
  'POST /collections/:name/exchange/nominations/:id/withdraw': 'withdrawExchangeNomination',
  'POST /moderation/reports/:id/handled': STAFF,
  'POST /moderation/works/:id/hide': STAFF,
  'POST /moderation/works/:id/unhide': STAFF,
  'POST /moderation/works/:id/delete': STAFF,
  'POST /moderation/users/:login/suspend': STAFF,
  'POST /moderation/users/:login/unsuspend': STAFF,
  'POST /moderation/users/:login/roles': STAFF,
  'POST /admin/settings': STAFF,
  'POST /admin/invitations/release': STAFF,
  'POST /admin/embeds': STAFF,
  'POST /admin_posts': STAFF,
  'POST /wrangling': STAFF,
  'POST /wrangling/wranglers': STAFF,
  'POST /wrangling/wranglers/:userId/revoke': STAFF,
};

describe('API parity with the forms of the site', () => {
  let t: TestApp;
  let operations: Set<string>;
  before(async () => {
    t = await createTestApp();
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as OpenApiDocument;
    operations = new Set(
      Object.values(doc.paths).flatMap((item) => Object.values(item as Record<HttpMethod, OperationObject>).map((op) => op.operationId)),
    );
  });
  after(() => t.close());

  it('names, for every state-changing route of the pages, its API operation or why there is none', () => {
    const forms = [
      ...new Set(t.app.routeList.filter((r) => r.method === 'POST' && !r.url.startsWith('/api/')).map((r) => `${r.method} ${r.url}`)),
    ];
    const missing = forms.filter((key) => !(key in PARITY)).sort();
    assert.deepEqual(missing, [], 'forms with no API operation and no reason given');
    const gone = Object.keys(PARITY).filter((key) => !forms.includes(key));
    assert.deepEqual(gone, [], 'rows for forms the app no longer has');
  });

  it('points every form with an operation at one the document has', () => {
    const unknown = Object.entries(PARITY)
      .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && !operations.has(entry[1]))
      .map(([form, op]) => `${form} → ${op}`);
    assert.deepEqual(unknown, []);
  });
});
