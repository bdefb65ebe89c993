// The OpenAPI description of api-collections-anonymity.routes.ts, merged into openapi.ts's document.
import { bool, int, obj, type Spec, str, toOperation, uri } from './api-operations.openapi.ts';
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

export const anonymityPaths: Record<string, PathItemObject> = { [SPEC.path]: { [SPEC.method]: toOperation(SPEC) } };

export const ANONYMITY_OPERATION_IDS: readonly string[] = [SPEC.id];
