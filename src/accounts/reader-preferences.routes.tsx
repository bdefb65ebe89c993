import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../app-deps.ts';
import { formValues, toFieldErrors } from '../web/form.ts';
import { pageContext } from '../web/page-context.ts';
import { sendPage } from '../web/render.ts';
import { cookieOptions, setFlash } from '../web/session.ts';
import { isDefaultPreferences, PREFERENCES_COOKIE, serializePreferences } from './reader-preferences.ts';
import { ReaderPreferencesSchema, toPreferencesFormValues } from './reader-preferences.schema.ts';
import { saveReaderPreferences } from './reader-preferences.service.ts';
import { ReaderPreferencesPage } from './reader-preferences.views.tsx';

const ONE_YEAR = 365 * 24 * 60 * 60;

/** /preferences: one page for account holders (saved with the account) and guests (a cookie). */
export function readerPreferencesRoutes(app: FastifyInstance, { db, config }: RouteDeps): void {
  app.get('/preferences', (request, reply) =>
    sendPage(
      reply,
      <ReaderPreferencesPage
        ctx={pageContext(request, reply, config.siteName)}
        values={toPreferencesFormValues(request.readerPreferences)}
        errors={{}}
      />,
    ),
  );

  // AO3 keeps preferences under the account's address; one page serves both here.
  app.get<{ Params: { login: string } }>('/users/:login/preferences', (_request, reply) => reply.redirect('/preferences', 303));

  app.post('/preferences', async (request, reply) => {
    const parsed = ReaderPreferencesSchema.safeParse(request.body ?? {});
    if (!parsed.success) {
      return sendPage(
        reply,
        <ReaderPreferencesPage
          ctx={pageContext(request, reply, config.siteName)}
          values={formValues(request.body)}
          errors={toFieldErrors(parsed.error)}
        />,
        422,
      );
    }
    const preferences = parsed.data;
    if (request.viewer) {
      await saveReaderPreferences(db, request.viewer.id, preferences);
    } else if (isDefaultPreferences(preferences)) {
      // Back to the defaults: no cookie, so the guest shares the common cached pages again.
      reply.clearCookie(PREFERENCES_COOKIE, { path: '/' });
    } else {
      reply.setCookie(PREFERENCES_COOKIE, serializePreferences(preferences), cookieOptions(request, ONE_YEAR));
    }
    setFlash(request, reply, 'Your preferences were saved.');
    return reply.redirect('/preferences', 303);
  });
}
