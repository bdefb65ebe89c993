import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Characters no text column can keep: C0 controls other than tab, LF and CR (PostgreSQL refuses
 * NUL outright; the rest are invisible and break XML feeds and EPUBs) and DEL.
 */
const CONTROLS = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]+/g;

/**
 * UTF-16 surrogates without their other half: they have no UTF-8 form, and drivers would
 * silently store U+FFFD instead. Matched per code unit, so a well-formed pair is never split.
 */
const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Object keys that, made by removing characters, would reach an object's prototype. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** ES2024's String#isWellFormed (Node 20 has it; the project's TypeScript lib is ES2022). */
type WellFormedCheck = { isWellFormed(): boolean };

/**
 * Removes the characters no text column can store: C0 controls but tab, LF and CR, DEL, then
 * surrogate halves left without a partner. Other text comes back unchanged.
 */
export function stripUnstorableCharacters(text: string): string {
  const withoutControls = text.replace(CONTROLS, '');
  // The native check is several times faster than the lookbehind pattern on a long chapter.
  if ((withoutControls as unknown as WellFormedCheck).isWellFormed()) return withoutControls;
  return withoutControls.replace(LONE_SURROGATES, '');
}

type Container = Record<string, unknown> | unknown[];

function isWalkable(value: unknown): value is Container {
  if (Array.isArray(value)) return true;
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  // Plain objects only: parsed JSON, multipart parts, and the query and form parsers' objects
  // (whose prototype is an empty object without one). Buffers and streams of uploaded files
  // are bytes, not text, and are left alone.
  return proto === null || proto === Object.prototype || Object.getPrototypeOf(proto) === null;
}

/**
 * Cleans every string in a parsed request value (strings, arrays and plain objects, keys
 * included) with stripUnstorableCharacters, in place, and returns the cleaned value. Iterative
 * and cycle-safe: a deeply nested JSON body cannot overflow the stack, and multipart parts
 * (which point back at the whole body) are visited once.
 */
export function cleanRequestValue<T>(value: T): T {
  if (typeof value === 'string') return stripUnstorableCharacters(value) as T;
  if (!isWalkable(value)) return value;
  const seen = new Set<object>([value]);
  const pending: Container[] = [value];
  for (let container = pending.pop(); container !== undefined; container = pending.pop()) {
    if (Array.isArray(container)) {
      for (let i = 0; i < container.length; i += 1) {
        const item = container[i];
        if (typeof item === 'string') container[i] = stripUnstorableCharacters(item);
        else if (isWalkable(item) && !seen.has(item)) {
          seen.add(item);
          pending.push(item);
        }
      }
      continue;
    }
    for (const key of Object.keys(container)) {
      const item = container[key];
      const cleanKey = stripUnstorableCharacters(key);
      if (cleanKey !== key) {
        delete container[key];
        // A key that was clean as sent keeps its value over one that only became equal to it.
        if (PROTOTYPE_KEYS.has(cleanKey) || Object.hasOwn(container, cleanKey)) continue;
      }
      container[cleanKey] = typeof item === 'string' ? stripUnstorableCharacters(item) : item;
      if (isWalkable(item) && !seen.has(item)) {
        seen.add(item);
        pending.push(item);
      }
    }
  }
  return value;
}

/** Cleans the request's path parameters, query and parsed body (see cleanRequestValue). */
export function cleanRequest(request: FastifyRequest): void {
  request.params = cleanRequestValue(request.params);
  request.query = cleanRequestValue(request.query);
  if (request.body !== undefined) request.body = cleanRequestValue(request.body);
}

/**
 * One rule for everything a request brings in as text: path parameters (which Fastify has
 * already percent-decoded, so `%00` arrives as NUL), the query string, and url-encoded,
 * multipart and JSON bodies lose the characters no text column can store, before validation,
 * CSRF checks and handlers see them. Removal rather than a 422: these characters come in with
 * pasted text, where the visitor cannot see them to take them out.
 */
export function registerInputHygiene(app: FastifyInstance): void {
  app.addHook('preValidation', (request, _reply, done) => {
    cleanRequest(request);
    done();
  });
}
