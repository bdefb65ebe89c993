import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import {
  ADULT_CONSENT_COOKIE,
  DEFAULT_PREFERENCES,
  parsePreferences,
  PREFERENCES_COOKIE,
  type ReaderPreferences,
} from './reader-preferences.ts';
import { loadReaderPreferences } from './reader-preferences.service.ts';
import { preferencesFoundWithSession } from '../web/session.ts';

/**
 * Gives every request its reader's preferences (`request.readerPreferences`): an account's from
 * the database, a guest's from the ff_prefs cookie. Register after the session hook, which
 * finds the account. Static files skip it: they look the same for everyone.
 */
export function registerReaderPreferences(app: FastifyInstance, db: Kysely<Database>): void {
  app.decorateRequest('readerPreferences', null as unknown as ReaderPreferences);
  app.decorateRequest('adultConsent', false);
  app.addHook('onRequest', (request, _reply, done) => {
    request.adultConsent = request.cookies[ADULT_CONSENT_COOKIE] === '1';
    if (request.url.startsWith('/static/')) {
      request.readerPreferences = { ...DEFAULT_PREFERENCES };
      return done();
    }
    if (!request.viewer) {
      request.readerPreferences = parsePreferences(request.cookies[PREFERENCES_COOKIE]);
      return done();
    }
    // The session hook found them with the viewer (the viewer cache): no second lookup.
    const found = preferencesFoundWithSession(request);
    if (found) {
      request.readerPreferences = found;
      return done();
    }
    loadReaderPreferences(db, request.viewer.id).then((prefs) => {
      request.readerPreferences = prefs;
      done();
    }, done);
  });
}

declare module 'fastify' {
  interface FastifyRequest {
    /** How this reader wants works shown (src/accounts/reader-preferences.ts). */
    readerPreferences: ReaderPreferences;
    /** The reader chose "Proceed" on an adult-content notice in this browser session. */
    adultConsent: boolean;
  }
}
