// The OpenAPI description of api-collections.routes.ts: collections and their items, and comments
// on news posts. Rows in the form of api-operations.openapi.ts (the shared statuses follow from
// what each operation is); checked against the app by api-collections.routes.test.ts.
import { WRITES_PER_MINUTE } from './api.schema.ts';
import { bool, input, int, list, nullable, obj, type Spec, str, toOperation, UNVERIFIED_403, uri, wrap } from './api-operations.openapi.ts';
import type { JsonSchema, ParameterObject, PathItemObject } from './openapi.ts';

const APPROVALS = ['pending', 'approved', 'rejected'];
const family = obj({ name: str('Its name (its address).'), title: str('Its title.'), url: uri('Its page.') });
const settings = {
  title: str('The title, at most 255 characters.', { maxLength: 255 }),
  description: str('The description (limited HTML, sanitized); empty when left out.', { maxLength: 5000 }),
  rules: str('The rules (limited HTML, sanitized); empty when left out.', { maxLength: 20000 }),
  faq: str('The FAQ (limited HTML, sanitized); empty when left out.', { maxLength: 20000 }),
  parent: nullable('string', 'A top-level collection you own to make this a sub-collection of; null or left out for none.'),
  closed: bool('Takes no new works except from its maintainers; false when left out.'),
  moderated: bool('Works added by others wait for a maintainer; false when left out.'),
  anonymous: bool('Its works’ creators are shown as Anonymous until the reveal; false when left out.'),
  unrevealed: bool('Its works are shown as Mystery work until the reveal; false when left out.'),
  reveal_at: nullable(
    'string',
    'When to reveal an anonymous or unrevealed collection, in UTC ("2030-01-31T18:00Z"), in the future; null or left out for the maintainers’ button only.',
  ),
};
const itemFields = {
  id: int('The item.'),
  work_id: int('The work.'),
  collection_approval: str('The collection’s side.', { enum: APPROVALS }),
  creator_approval: str('The work’s creators’ side.', { enum: APPROVALS }),
};

export const collectionSchemas: Record<string, JsonSchema> = {
  Collection: wrap(
    'collection',
    obj({
      name: str('Its name: its address, which never changes.'),
      title: str('Its title.'),
      url: uri('Its page.'),
      description_html: str('The description, sanitized HTML.'),
      rules_html: str('The rules, sanitized HTML.'),
      faq_html: str('The FAQ, sanitized HTML.'),
      closed: bool('Takes no new works except from its maintainers.'),
      moderated: bool('Works added by others wait for a maintainer.'),
      anonymous: bool('Its works’ creators are shown as Anonymous until the reveal.'),
      unrevealed: bool('Its works are shown as Mystery work until the reveal.'),
      reveal_at: nullable('string', 'The scheduled reveal, or null.', { format: 'date-time' }),
      parent: { ...family, type: ['object', 'null'], description: 'The collection it is part of, or null.' },
      children: { type: 'array', items: family, description: 'Its sub-collections.' },
      owners: { type: 'array', items: { type: 'string' }, description: 'The logins of its owners.' },
      moderators: { type: 'array', items: { type: 'string' }, description: 'The logins of its moderators.' },
      created_at: str('When it was made.', { format: 'date-time' }),
      you: obj({
        owner: bool('You own it: you change its settings and maintainers, and may delete it.'),
        maintainer: bool('You own or moderate it: you approve, reject, invite and remove works.'),
        can_add: bool('You may add works to it.'),
      }),
    }),
  ),
  CreateCollection: input(
    {
      name: str('Its address: 3 to 64 letters, digits or underscores. It never changes.', { minLength: 3, maxLength: 64 }),
      ...settings,
    },
    ['name', 'title'],
  ),
  CollectionSettings: input(settings, ['title']),
  MaintainerInput: input(
    {
      login: str('The login of the person.'),
      role: str('owner or moderator (the default).', { enum: ['owner', 'moderator'] }),
    },
    ['login'],
  ),
  CollectionWorkList: obj({
    works: {
      type: 'array',
      items: obj({
        id: int('The work.'),
        title: str('Its title, as the listing shows it.'),
        url: uri('Its page.'),
        api_url: uri('GET it for the whole work.'),
      }),
    },
    total: int('How many works the collection lists for you.'),
  }),
  CollectionQueue: list(
    'items',
    obj({ ...itemFields, work_title: str('The work’s title.'), created_at: str('When it was added.', { format: 'date-time' }) }),
  ),
  CreatorCollectionItems: list(
    'items',
    obj({
      ...itemFields,
      work_title: str('The work’s title.'),
      collection: str('The collection’s name.'),
      collection_title: str('The collection’s title.'),
    }),
  ),
  CollectionItemInput: input({ work_id: int('Your work, or (as a maintainer) anyone’s work to invite.', { minimum: 1 }) }, ['work_id']),
  CollectionItemAdded: wrap(
    'item',
    obj({
      id: int('The item.'),
      collection: str('The collection’s name.'),
      work_id: int('The work.'),
      outcome: str(
        'approved: it is in the collection; awaiting-collection: a maintainer decides; awaiting-creator: invited, its creators decide.',
        { enum: ['approved', 'awaiting-collection', 'awaiting-creator'] },
      ),
    }),
  ),
  ItemDecisionInput: input({ decision: str('Approve or reject your side.', { enum: ['approve', 'reject'] }) }, ['decision']),
  ItemDecision: wrap(
    'item',
    obj({
      id: int('The item.'),
      collection: str('The collection’s name.'),
      work_id: int('The work.'),
      decision: str('What you decided.', { enum: ['approve', 'reject'] }),
    }),
  ),
  NewsCommentList: list(
    'comments',
    obj({
      id: int('The comment.'),
      login: nullable('string', 'Who wrote it; null for a deleted account.'),
      body: str('The comment as typed (plain text: escape it to show it).'),
      created_at: str('When it was posted.', { format: 'date-time' }),
      url: uri('Where it is on the news post’s page.'),
    }),
  ),
  NewsCommentInput: input({ comment: str('The comment, plain text, 1 to 10,000 characters.', { maxLength: 10000 }) }, ['comment']),
  NewsCommentPosted: wrap('comment', obj({ id: int('The comment.'), url: uri('Where it is on the news post’s page.') })),
};

const cursorParam: ParameterObject = {
  name: 'cursor',
  in: 'query',
  required: false,
  description: 'Where to continue: take it from the Link header of the previous answer (rel="next").',
  schema: { type: 'string' },
};

const NOT_OWNER = 'You do not own this collection, or the app was not allowed “write:collections”.';
const NO_COLLECTION = 'No collection of this name.';
const SETTINGS_422 =
  'A field is not valid: the name is taken or malformed, the title is empty, the parent is not a top-level collection you own, or the reveal date is not ahead or reveals nothing.';

const SPECS: Spec[] = [
  {
    id: 'createCollection',
    method: 'post',
    path: '/api/v1/collections',
    summary: 'Create a collection; you are its owner',
    scope: 'write:collections',
    tag: 'collections',
    body: { schema: 'CreateCollection', example: { name: 'summer_fest_2026', title: 'Summer Fest 2026', moderated: true } },
    ok: { status: '201', schema: 'Collection', description: 'Created.', location: true },
    also: { '422': SETTINGS_422 },
  },
  {
    id: 'getCollection',
    method: 'get',
    path: '/api/v1/collections/{name}',
    summary: 'A collection: its settings, maintainers, parent and sub-collections, and what you may do there',
    scope: 'read',
    guest: true,
    tag: 'collections',
    ok: { status: '200', schema: 'Collection', description: 'The collection.' },
    also: { '404': NO_COLLECTION },
  },
  {
    id: 'updateCollection',
    method: 'put',
    path: '/api/v1/collections/{name}',
    summary: 'Change a collection’s settings (its owners); every setting is sent, as the edit form does',
    scope: 'write:collections',
    tag: 'collections',
    body: { schema: 'CollectionSettings', example: { title: 'Summer Fest 2026', closed: true, moderated: true } },
    ok: { status: '200', schema: 'Collection', description: 'Saved.' },
    also: { '403': NOT_OWNER, '404': NO_COLLECTION, '422': SETTINGS_422 },
  },
  {
    id: 'deleteCollection',
    method: 'delete',
    path: '/api/v1/collections/{name}',
    summary: 'Delete a collection (its owners); its works stay posted, its sub-collections become top-level',
    scope: 'write:collections',
    tag: 'collections',
    ok: { status: '204', description: 'Deleted.' },
    also: { '403': NOT_OWNER, '404': NO_COLLECTION },
  },
  {
    id: 'addCollectionMaintainer',
    method: 'post',
    path: '/api/v1/collections/{name}/maintainers',
    summary: 'Make someone an owner or a moderator, or change their role (its owners)',
    scope: 'write:collections',
    tag: 'collections',
    body: { schema: 'MaintainerInput', example: { login: 'night_owl', role: 'moderator' } },
    ok: { status: '200', schema: 'Collection', description: 'The collection with its maintainers now.' },
    also: { '403': NOT_OWNER, '404': NO_COLLECTION, '422': 'No user of that login, or you are its only owner and would stop being one.' },
  },
  {
    id: 'removeCollectionMaintainer',
    method: 'delete',
    path: '/api/v1/collections/{name}/maintainers/{login}',
    summary: 'Remove a maintainer (its owners), or step down yourself',
    scope: 'write:collections',
    tag: 'collections',
    ok: { status: '204', description: 'Removed.' },
    also: {
      '403': 'You do not own this collection (anyone may remove themselves), or the app was not allowed “write:collections”.',
      '404': NO_COLLECTION,
      '422': 'They are not a maintainer, or they are its last owner.',
    },
  },
  {
    id: 'listCollectionWorks',
    method: 'get',
    path: '/api/v1/collections/{name}/works',
    summary: 'The works in a collection and its sub-collections that you may read, as its listing shows them',
    scope: 'read',
    guest: true,
    tag: 'collections',
    query: [cursorParam],
    ok: { status: '200', schema: 'CollectionWorkList', description: 'A page of works, most recently updated first.', paged: true },
    also: { '404': NO_COLLECTION, '422': 'The cursor is not one this API gave out.' },
  },
  {
    id: 'listCollectionQueue',
    method: 'get',
    path: '/api/v1/collections/{name}/queue',
    summary: 'The maintainers’ queue: items not yet approved by both sides, oldest first',
    scope: 'read',
    tag: 'collections',
    ok: { status: '200', schema: 'CollectionQueue', description: 'The items waiting (works you may not read are left out).' },
    also: { '403': 'You do not own or moderate this collection.', '404': NO_COLLECTION },
  },
  {
    id: 'addCollectionItem',
    method: 'post',
    path: '/api/v1/collections/{name}/items',
    summary: 'Add your work to a collection, or (as a maintainer) invite someone’s work',
    description:
      'Your own work: your side is approved, the collection’s too unless it is moderated and you do not maintain it. Someone else’s work (maintainers only): an invitation its creators accept or decline.',
    scope: 'write:collections',
    tag: 'collections',
    body: { schema: 'CollectionItemInput', example: { work_id: 1 } },
    ok: { status: '201', schema: 'CollectionItemAdded', description: 'Added, or waiting for the other side.' },
    also: {
      '404': NO_COLLECTION,
      '422': 'No such work that you can see, not yours to add, already there (or declined), or the collection is closed.',
    },
  },
  {
    id: 'decideCollectionItem',
    method: 'put',
    path: '/api/v1/collection_items/{id}/decision',
    summary: 'Approve or reject an item: its collection’s maintainers decide the collection’s side, its work’s creators theirs',
    scope: 'write:collections',
    tag: 'collections',
    body: { schema: 'ItemDecisionInput', example: { decision: 'approve' } },
    ok: { status: '200', schema: 'ItemDecision', description: 'Decided.' },
    also: {
      '403': 'You neither maintain its collection nor created its work, or the app was not allowed “write:collections”.',
      '404': 'No such item.',
      '409': 'Your side is already so.',
    },
  },
  {
    id: 'removeCollectionItem',
    method: 'delete',
    path: '/api/v1/collection_items/{id}',
    summary: 'Take a work out of a collection: its collection’s maintainers or its work’s creators',
    scope: 'write:collections',
    tag: 'collections',
    ok: { status: '204', description: 'Removed.' },
    also: {
      '403': 'You neither maintain its collection nor created its work, or the app was not allowed “write:collections”.',
      '404': 'No such item.',
    },
  },
  {
    id: 'listMyCollectionItems',
    method: 'get',
    path: '/api/v1/me/collection_items',
    summary: 'Your works’ items in collections: invitations to answer, and where your works wait or stand',
    scope: 'read',
    tag: 'collections',
    ok: { status: '200', schema: 'CreatorCollectionItems', description: 'Newest first.' },
  },
  {
    id: 'listNewsComments',
    method: 'get',
    path: '/api/v1/news/{id}/comments',
    summary: 'The comments on a news post, oldest first',
    scope: 'read',
    guest: true,
    tag: 'news',
    ok: { status: '200', schema: 'NewsCommentList', description: 'The comments.' },
    also: { '404': 'No such news post.' },
  },
  {
    id: 'createNewsComment',
    method: 'post',
    path: '/api/v1/news/{id}/comments',
    summary: 'Comment on a news post',
    scope: 'write:interactions',
    tag: 'news',
    body: { schema: 'NewsCommentInput', example: { comment: 'Thank you for the update!' } },
    ok: { status: '201', schema: 'NewsCommentPosted', description: 'Posted.', location: false },
    also: {
      '403': `The app was not allowed “write:interactions”, or ${UNVERIFIED_403}.`,
      '404': 'No such news post.',
      '422': 'The comment is empty or longer than 10,000 characters.',
    },
    limit: `More than ${WRITES_PER_MINUTE} comments in 10 minutes from this token (the news page’s limit).`,
  },
];

/** The operation ids documented here, for api-collections.routes.test.ts. */
export const COLLECTION_OPERATION_IDS: readonly string[] = SPECS.map((s) => s.id);

export const collectionPaths: Record<string, PathItemObject> = (() => {
  const paths: Record<string, PathItemObject> = {};
  for (const spec of SPECS) (paths[spec.path] ??= {})[spec.method] = toOperation(spec);
  return paths;
})();
