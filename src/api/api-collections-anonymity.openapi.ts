// The OpenAPI description of api-collections-anonymity.routes.ts, merged into openapi.ts's document.
import { bool, input, int, list, obj, type Spec, str, toOperation, uri } from './api-operations.openapi.ts';
import type { JsonSchema, PathItemObject } from './openapi.ts';

export const anonymitySchemas: Record<string, JsonSchema> = {
  CollectionRevealed: obj({
    collection: obj({
      name: str('Its name (its address).'),
      url: uri('Its page.'),
      anonymous: bool('Always false after a reveal.'),
      unrevealed: bool('Always false after a reveal.'),
    }),
    revealed_works: int('How many of its works were concealed until now (their creators’ subscribers are told of them now).'),
  }),
  CollectionBookmarks: list(
    'bookmarks',
    obj({
      id: int('The bookmark’s place in the collection (for deciding on or removing it).'),
      owner: str('The login of who bookmarked it.'),
      notes_html: str('Their notes, sanitized HTML.'),
      title: str('What is bookmarked: a work’s title ("Mystery work" while unrevealed), a series’ or an outside work’s.'),
      url: uri('Where it is.'),
      pending: bool('Waiting for a maintainer (only maintainers see these).'),
      invited: bool('Invited by a maintainer, waiting for its owner to accept (only maintainers see these).'),
    }),
  ),
  CollectionBookmarkInvitationInput: input(
    { bookmark_id: int('Someone’s public bookmark (its link on their bookmarks page ends in #bookmark-<id>).', { minimum: 1 }) },
    ['bookmark_id'],
  ),
  CollectionBookmarkInvited: obj({
    collection_bookmark: obj({
      id: int('The bookmark’s place in the collection (its owner accepts or declines it through its decision).'),
      collection: str('The collection’s name.'),
      bookmark_id: int('The bookmark.'),
      owner: str('The login of who bookmarked it: they are told in their inbox.'),
      status: str('Waiting for its owner to accept.', { enum: ['invited'] }),
    }),
  }),
  OwnCollectionBookmarks: list(
    'bookmarks',
    obj({
      id: int('The bookmark’s place in the collection (for accepting, declining or removing it).'),
      collection: str('The collection’s name.'),
      collection_title: str('Its title.'),
      title: str(
        'What is bookmarked: a work’s title ("Mystery work" while unrevealed; unnamed once not available), a series’ or an outside work’s.',
      ),
      url: uri('Where it is.'),
      collection_approval: str('The collection’s side.', { enum: ['pending', 'approved', 'rejected'] }),
      owner_approval: str('Your side: pending while a maintainer’s invitation waits for you.', {
        enum: ['pending', 'approved', 'rejected'],
      }),
    }),
  ),
  CollectionBookmarkInput: input({ bookmark_id: int('One of your public bookmarks.', { minimum: 1 }) }, ['bookmark_id']),
  CollectionBookmarkAdded: obj({
    collection_bookmark: obj({
      collection: str('The collection’s name.'),
      bookmark_id: int('The bookmark.'),
      status: str('In the collection, or waiting for a maintainer.', { enum: ['approved', 'pending'] }),
    }),
  }),
  CollectionBookmarkDecisionInput: input(
    { decision: str('Approve or reject it (its owner: accept or decline an invitation).', { enum: ['approve', 'reject'] }) },
    ['decision'],
  ),
  CollectionBookmarkDecision: obj({
    collection_bookmark: obj({
      id: int('The bookmark’s place in the collection.'),
      collection: str('The collection’s name.'),
      decision: str('What you decided.', { enum: ['approve', 'reject'] }),
    }),
  }),
};

const SPEC: Spec = {
  id: 'revealCollection',
  method: 'post',
  path: '/api/v1/collections/{name}/reveal',
  summary: 'Reveal an anonymous or unrevealed collection now (its owners and moderators)',
  description:
    'Its works and their creators are shown everywhere from now on, the held-back new-work notices go to subscribers, and the audit log records who revealed it.',
  scope: 'write:collections',
  tag: 'collections',
  ok: { status: '200', schema: 'CollectionRevealed', description: 'Revealed.' },
  also: {
    '403': 'You are not an owner or moderator of this collection, or the app was not allowed “write:collections”.',
    '404': 'No collection of this name.',
    '409': 'The collection is neither anonymous nor unrevealed: there is nothing to reveal.',
  },
};

const NO_COLLECTION = 'No collection of this name.';
const NO_BOOKMARK = 'No such bookmark in a collection.';
const BOOKMARK_SPECS: Spec[] = [
  {
    id: 'listCollectionBookmarks',
    method: 'get',
    path: '/api/v1/collections/{name}/bookmarks',
    summary: 'A collection’s public bookmarks, newest first (its maintainers also get those waiting for approval)',
    scope: 'read',
    guest: true,
    tag: 'collections',
    ok: { status: '200', schema: 'CollectionBookmarks', description: 'The bookmarks (at most 200).' },
    also: { '404': NO_COLLECTION },
  },
  {
    id: 'addCollectionBookmark',
    method: 'post',
    path: '/api/v1/collections/{name}/bookmarks',
    summary: 'Add one of your public bookmarks to a collection (a moderated one’s maintainers approve it first)',
    scope: 'write:collections',
    tag: 'collections',
    body: { schema: 'CollectionBookmarkInput', example: { bookmark_id: 12 } },
    ok: { status: '201', schema: 'CollectionBookmarkAdded', description: 'Added, or waiting for a maintainer.' },
    also: {
      '404': NO_COLLECTION,
      '422': 'Not your bookmark, a private one, already there (or declined), or the collection is closed.',
    },
  },
  {
    id: 'inviteCollectionBookmark',
    method: 'post',
    path: '/api/v1/collections/{name}/bookmark_invitations',
    summary: 'Invite someone’s public bookmark into a collection (its maintainers); it joins once its owner accepts',
    description: 'The owner is told in their inbox and answers through decideCollectionBookmark. The audit log records the invitation.',
    scope: 'write:collections',
    tag: 'collections',
    body: { schema: 'CollectionBookmarkInvitationInput', example: { bookmark_id: 12 } },
    ok: { status: '201', schema: 'CollectionBookmarkInvited', description: 'Invited: waiting for its owner.' },
    also: {
      '403': 'You do not maintain this collection, or the app was not allowed “write:collections”.',
      '404': NO_COLLECTION,
      '422':
        'No public bookmark of that id you can see (a private one, or one of a draft or hidden work, is answered so), your own, its owner blocked you, or it is already there, invited or declined.',
    },
  },
  {
    id: 'listOwnCollectionBookmarks',
    method: 'get',
    path: '/api/v1/me/collection_bookmarks',
    summary: 'Your bookmarks in collections: invitations to accept or decline, and where the others stand',
    scope: 'read',
    tag: 'collections',
    ok: { status: '200', schema: 'OwnCollectionBookmarks', description: 'Your bookmarks in collections, newest first (at most 500).' },
    also: {},
  },
  {
    id: 'decideCollectionBookmark',
    method: 'put',
    path: '/api/v1/collection_bookmarks/{id}/decision',
    summary: 'Approve or reject a bookmark in a collection (its maintainers), or accept or decline an invitation of your bookmark',
    scope: 'write:collections',
    tag: 'collections',
    body: { schema: 'CollectionBookmarkDecisionInput', example: { decision: 'approve' } },
    ok: { status: '200', schema: 'CollectionBookmarkDecision', description: 'Decided.' },
    also: {
      '403':
        'You neither maintain its collection nor were invited to put your bookmark in it, or the app was not allowed “write:collections”.',
      '404': NO_BOOKMARK,
      '409': 'It is already so, or (accepting) the bookmark has become private.',
    },
  },
  {
    id: 'removeCollectionBookmark',
    method: 'delete',
    path: '/api/v1/collection_bookmarks/{id}',
    summary: 'Take a bookmark out of a collection: its maintainers or the bookmark’s owner',
    scope: 'write:collections',
    tag: 'collections',
    ok: { status: '204', description: 'Removed.' },
    also: {
      '403': 'You neither maintain its collection nor own the bookmark, or the app was not allowed “write:collections”.',
      '404': NO_BOOKMARK,
    },
  },
];

export const anonymityPaths: Record<string, PathItemObject> = (() => {
  const paths: Record<string, PathItemObject> = {};
  for (const spec of [SPEC, ...BOOKMARK_SPECS]) (paths[spec.path] ??= {})[spec.method] = toOperation(spec);
  return paths;
})();

export const ANONYMITY_OPERATION_IDS: readonly string[] = [SPEC.id, ...BOOKMARK_SPECS.map((s) => s.id)];
