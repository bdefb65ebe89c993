// The OpenAPI description of api-prompt-memes.routes.ts: a collection's prompt meme, its prompts,
// claims and fills. Merged into openapi.ts's document and checked against the app by
// api-prompt-memes.routes.test.ts, which produces every status listed here.
import { MAX_PROMPT_DESCRIPTION, MAX_PROMPT_TITLE, PROMPT_STATES } from '../prompt-memes/prompt-memes.schema.ts';
import type { JsonSchema, ParameterObject, PathItemObject } from './openapi.ts';
import { pathsOfSpecs, type OperationSpec } from './operation-specs.openapi.ts';

const str = (description: string, extra: JsonSchema = {}): JsonSchema => ({ type: 'string', description, ...extra });
const int = (description: string): JsonSchema => ({ type: 'integer', description });
const bool = (description: string): JsonSchema => ({ type: 'boolean', description });
const obj = (properties: Record<string, JsonSchema>, optional: string[] = []): JsonSchema => ({
  type: 'object',
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
  properties,
});
const tags = (description: string): JsonSchema => ({ type: 'array', description, items: { type: 'string', maxLength: 100 }, maxItems: 75 });

const prompt = obj({
  id: int('The prompt.'),
  collection: str('The collection’s name.'),
  title: str('Its title.'),
  description_html: str('What the prompter asks for (sanitized HTML).'),
  prompter: { type: ['string', 'null'], description: 'The prompter’s login; null when anonymous (unless you are the prompter).' },
  prompter_name: str('As the pages show the prompter: their login, or “Anonymous”.'),
  anonymous: bool('Posted anonymously.'),
  state: str('unclaimed, claimed (not filled) or filled.', { enum: [...PROMPT_STATES] }),
  tags: { type: 'array', items: obj({ name: str('The tag.'), type: str('fandom, character, relationship or freeform.') }) },
  claimants: { type: 'array', description: 'Logins of those who claimed it.', items: { type: 'string' } },
  fills: {
    type: 'array',
    description: 'The works filling it that you may read (posted, not hidden; unrevealed ones wait for the reveal).',
    items: obj({
      work_id: int('The work.'),
      title: str('Its title.'),
      by: str('Who filled it, or “Anonymous creator”.'),
      url: str('Its page.', { format: 'uri' }),
    }),
  },
  created_at: str('When it was posted.', { format: 'date-time' }),
  url: str('Its page.', { format: 'uri' }),
});

export const promptMemeSchemas: Record<string, JsonSchema> = {
  Prompt: obj({ prompt }),
  PromptList: obj({
    prompts_open: bool('Whether new prompts are taken.'),
    prompts: { type: 'array', items: prompt },
    page: int('This page.'),
    hasNext: bool('Whether there is a next page.'),
  }),
  PromptFill: obj({ outcome: str('approved, awaiting-collection (a maintainer approves the work), or already-in.'), prompt }),
  PromptMemeSettings: obj({
    prompt_meme: obj({ collection: str('The collection.'), prompts_open: bool('Whether new prompts are taken.') }),
  }),
  PromptMemeSettingsInput: {
    type: 'object',
    additionalProperties: false,
    required: ['prompts_open'],
    properties: { prompts_open: bool('Open to new prompts; the first call starts the meme.') },
  },
  PromptInput: {
    type: 'object',
    additionalProperties: false,
    required: ['title', 'fandoms'],
    properties: {
      title: str('The title.', { minLength: 1, maxLength: MAX_PROMPT_TITLE }),
      fandoms: tags('At least one fandom: archive tags, created if new, as the work form does.'),
      characters: tags('Character tags.'),
      relationships: tags('Relationship tags.'),
      freeforms: tags('Additional tags.'),
      description: str('What you ask for; limited HTML, sanitized.', { maxLength: MAX_PROMPT_DESCRIPTION }),
      anonymous: bool('Everyone but you sees “Anonymous” as the prompter.'),
    },
  },
  PromptFillInput: {
    type: 'object',
    additionalProperties: false,
    required: ['work_id'],
    properties: { work_id: int('A posted work of yours.') },
  },
};

type Spec = OperationSpec;

const PROMPT_404 = 'No such prompt (or it was deleted).';
const q = (name: string, description: string, schema: JsonSchema = { type: 'string' }): ParameterObject => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});

const SPECS: Spec[] = [
  {
    id: 'listPrompts',
    method: 'get',
    path: '/collections/{name}/prompts',
    summary: 'A prompt meme’s prompts, newest first, with the page’s filters',
    description: 'As the prompts page.',
    scope: 'read',
    query: [
      q('tag', 'Comma-separated tags a prompt must all have (synonyms count).'),
      q('exclude_tag', 'Comma-separated tags a prompt must not have.'),
      q('state', 'unclaimed, claimed or filled.', { type: 'string', enum: [...PROMPT_STATES] }),
      q('mine', 'prompts (yours) or claims (those you claimed).', { type: 'string', enum: ['prompts', 'claims'] }),
      q('page', 'The page, from 1.', { type: 'integer', minimum: 1 }),
    ],
    ok: { status: '200', schema: 'PromptList', description: 'The prompts.' },
    also: { '404': 'No such collection, or it has no prompt meme.', '422': 'A filter cannot be read (the message says how to write it).' },
  },
  {
    id: 'updatePromptMeme',
    method: 'put',
    path: '/collections/{name}/prompt_meme',
    summary: 'Start a collection’s prompt meme, or open or close it to new prompts (maintainers)',
    description: 'As the settings form on the prompts page; audited.',
    scope: 'write:collections',
    body: { schema: 'PromptMemeSettingsInput', example: { prompts_open: true } },
    ok: { status: '200', schema: 'PromptMemeSettings', description: 'Saved.' },
    also: { '403': 'You do not maintain this collection, or the app was not allowed the scope.', '404': 'No such collection.' },
  },
  {
    id: 'createPrompt',
    method: 'post',
    path: '/collections/{name}/prompts',
    summary: 'Post a prompt, optionally anonymously',
    description: 'As the prompt form.',
    scope: 'write:collections',
    body: { schema: 'PromptInput', example: { title: 'Coffee shop AU', fandoms: ['Star Trek'], anonymous: true } },
    ok: { status: '201', schema: 'Prompt', description: 'Posted.' },
    also: { '404': 'No such collection, or it has no prompt meme.', '422': 'A field needs fixing, or the meme is closed to new prompts.' },
  },
  {
    id: 'getPrompt',
    method: 'get',
    path: '/prompts/{id}',
    summary: 'A prompt with its claims and fills',
    description: 'As the prompt’s page.',
    scope: 'read',
    ok: { status: '200', schema: 'Prompt', description: 'The prompt.' },
    also: { '404': PROMPT_404 },
  },
  {
    id: 'updatePrompt',
    method: 'put',
    path: '/prompts/{id}',
    summary: 'Edit your prompt (the body replaces its fields)',
    description: 'As the edit form. Only its prompter.',
    scope: 'write:collections',
    body: { schema: 'PromptInput', example: { title: 'Coffee shop AU', fandoms: ['Star Trek'] } },
    ok: { status: '200', schema: 'Prompt', description: 'Saved.' },
    also: { '403': 'Not your prompt, or the app was not allowed the scope.', '404': PROMPT_404, '422': 'A field needs fixing.' },
  },
  {
    id: 'deletePrompt',
    method: 'delete',
    path: '/prompts/{id}',
    summary: 'Delete your prompt, or any prompt of a collection you maintain (audited)',
    description: 'As the Delete button.',
    scope: 'write:collections',
    ok: { status: '204', description: 'Deleted.' },
    also: { '403': 'Neither your prompt nor your collection, or the app was not allowed the scope.', '404': PROMPT_404 },
  },
  {
    id: 'claimPrompt',
    method: 'post',
    path: '/prompts/{id}/claim',
    summary: 'Claim a prompt (several people may); claiming again changes nothing',
    description: 'As the Claim button.',
    scope: 'write:collections',
    ok: { status: '200', schema: 'Prompt', description: 'Claimed.' },
    also: {
      '403': 'You may not claim this prompt (one message whatever the reason), or the app was not allowed the scope.',
      '404': PROMPT_404,
    },
  },
  {
    id: 'unclaimPrompt',
    method: 'delete',
    path: '/prompts/{id}/claim',
    summary: 'Drop your claim',
    description: 'As the Drop my claim button.',
    scope: 'write:collections',
    ok: { status: '200', schema: 'Prompt', description: 'Dropped.' },
    also: { '404': PROMPT_404, '422': 'You had not claimed it.' },
  },
  {
    id: 'fillPrompt',
    method: 'post',
    path: '/prompts/{id}/fills',
    summary: 'Fill a prompt you claimed with a posted work of yours; it joins the collection under its approval rules',
    description: 'As the fill form. The prompter is told in their inbox.',
    scope: 'write:collections',
    body: { schema: 'PromptFillInput', example: { work_id: 12 } },
    ok: { status: '201', schema: 'PromptFill', description: 'Filled.' },
    also: {
      '403': 'You may not fill this prompt (one message whatever the reason), or the app was not allowed the scope.',
      '404': PROMPT_404,
      '422': 'Not claimed, not your posted work, already filling it, or the collection refuses the work.',
    },
  },
];

/** Every operation documented here, for api-prompt-memes.routes.test.ts. */
export const PROMPT_OPERATION_IDS: readonly string[] = SPECS.map((s) => s.id);

const paramOf = (name: string): ParameterObject =>
  name === 'name'
    ? { name, in: 'path', required: true, description: 'The collection’s name.', schema: { type: 'string' } }
    : { name, in: 'path', required: true, description: 'The prompt.', schema: { type: 'integer', minimum: 1 } };

export const promptMemePaths: Record<string, PathItemObject> = pathsOfSpecs(SPECS, 'prompt memes', paramOf);
