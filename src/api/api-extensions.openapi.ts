// The OpenAPI description of api-extensions.routes.ts, merged into openapi.ts's document.
import { TAG_TYPES } from '../db/schema.ts';
import { FORMATS } from '../downloads/downloads.formats.ts';
import type { JsonSchema, MediaTypeObject, PathItemObject, ResponseObject } from './openapi.ts';
import { MAX_PAGE, PAGE_SIZE, READS_PER_MINUTE } from './api.schema.ts';

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: JsonSchema): Record<string, MediaTypeObject> => ({ 'application/json': { schema } });
/** Errors are RFC 9457 problem details (api-conventions.ts). */
const problem = (schema: JsonSchema): Record<string, MediaTypeObject> => ({ 'application/problem+json': { schema } });
const failure = (description: string): ResponseObject => ({ description, content: problem(ref('Error')) });
const tooMany = failure(
  'Too many requests a minute from this token (or this address, without one). The Retry-After header says when to try again.',
);
const badToken = failure('The Authorization header names no live token (unknown, revoked or malformed).');
const tagParam = {
  name: 'name',
  in: 'path' as const,
  required: true,
  description: "The tag name, escaped as in the archive's tag URLs (/ as *s*, & as *a*, . as *d*, ? as *q*, # as *h*).",
  schema: { type: 'string' as const, minLength: 1 },
};
const uri = (description: string): JsonSchema => ({ type: 'string', format: 'uri', description });

export const extensionPaths: Record<string, PathItemObject> = {
  '/api/v1/works/{id}/downloads': {
    get: {
      operationId: 'listWorkDownloads',
      summary: "A work's download links, one per format",
      description: `The formats this archive can build (AZW3 and MOBI only where Calibre is installed), with URLs that change with every new version of the work. Same visibility as getWork. At most ${READS_PER_MINUTE} requests a minute.`,
      tags: ['downloads'],
      security: [{}, { bearerAuth: [] }],
      parameters: [{ name: 'id', in: 'path', required: true, description: 'The work id.', schema: { type: 'integer', minimum: 1 } }],
      responses: {
        '200': { description: 'The download links.', content: json(ref('WorkDownloads')) },
        '401': failure('The work is restricted to registered users and no token was sent, or the token is unknown or revoked.'),
        '404': failure(
          'No such work, a draft of someone else, a work unrevealed until its collection’s reveal (to all but its creators), or an id that is not a number.',
        ),
        '429': tooMany,
      },
    },
  },
  '/api/v1/tags/{name}': {
    get: {
      operationId: 'getTag',
      summary: 'A tag, its type and how many works the caller may see in it',
      tags: ['tags'],
      security: [{}, { bearerAuth: [] }],
      parameters: [tagParam],
      responses: {
        '200': { description: 'The tag.', content: json(ref('TagResponse')) },
        '401': badToken,
        '404': failure('No tag has this name.'),
        '429': tooMany,
      },
    },
  },
  '/api/v1/tags/{name}/works': {
    get: {
      operationId: 'listTagWorks',
      summary: 'Works in a tag, most recently updated first',
      description: `As listWorks, for one tag. ${PAGE_SIZE} a page.`,
      tags: ['tags'],
      security: [{}, { bearerAuth: [] }],
      parameters: [
        tagParam,
        {
          name: 'page',
          in: 'query',
          required: false,
          description: 'The page, from 1.',
          schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 1 },
        },
      ],
      responses: {
        '200': { description: 'One page of works.', content: json(ref('WorkList')) },
        '400': failure('The page is not a whole number from 1 up.'),
        '401': badToken,
        '404': failure('No tag has this name.'),
        '429': tooMany,
      },
    },
  },
};

export const extensionSchemas: Record<string, JsonSchema> = {
  WorkDownloads: {
    type: 'object',
    required: ['work', 'downloads'],
    additionalProperties: false,
    properties: {
      work: {
        type: 'object',
        required: ['id', 'title', 'version', 'url'],
        additionalProperties: false,
        properties: {
          id: { type: 'integer' },
          title: { type: 'string' },
          version: { type: 'integer', description: 'Changes with every edit; download URLs carry it.' },
          url: uri('The work page.'),
        },
      },
      downloads: {
        type: 'array',
        items: {
          type: 'object',
          required: ['format', 'label', 'mediaType', 'url'],
          additionalProperties: false,
          properties: {
            format: { type: 'string', enum: [...FORMATS] },
            label: { type: 'string' },
            mediaType: { type: 'string' },
            url: uri('The file, built on first request and cached per version.'),
          },
        },
      },
    },
  },
  TagResponse: {
    type: 'object',
    required: ['tag'],
    additionalProperties: false,
    properties: {
      tag: {
        type: 'object',
        required: ['name', 'type', 'works', 'url', 'feedUrl', 'apiWorksUrl'],
        additionalProperties: false,
        properties: {
          name: { type: 'string' },
          type: { type: 'string', enum: [...TAG_TYPES] },
          works: { type: 'integer', minimum: 0, description: 'Works in the tag the caller may see.' },
          url: uri("The tag's works page."),
          feedUrl: uri("The tag's Atom feed."),
          apiWorksUrl: uri('listTagWorks for this tag.'),
        },
      },
    },
  },
};
