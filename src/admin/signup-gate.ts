import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { HttpError } from '../web/errors.tsx';
import type { FieldErrors } from '../web/form.ts';
import { consumeInvitation, recordInvitationUser, returnInvitation } from './admin.service.ts';

export const SIGNUP_CLOSED = 'Sign-up is closed on this archive at the moment. You can request an invitation at /invite_requests.';

/** What the sign-up form must show: an invitation field when invitations are required. */
export function signupNeedsInvitation(app: FastifyInstance): boolean {
  if (app.siteSettings?.signupMode === 'closed') throw new HttpError(403, SIGNUP_CLOSED);
  return app.siteSettings?.signupMode === 'invitations';
}

/**
 * Applies the site's sign-up mode to one sign-up: closed → 403; invitations → the code is used
 * up now and given back if the account cannot be made. Open archives pass straight through.
 */
export async function admitSignup(
  app: FastifyInstance,
  db: Kysely<Database>,
  body: unknown,
): Promise<{ ok: true; accepted(userId: number): Promise<void>; refused(): Promise<void> } | { ok: false; errors: FieldErrors }> {
  const pass = { ok: true as const, accepted: async () => {}, refused: async () => {} };
  if (!signupNeedsInvitation(app)) return pass;
  const raw = body && typeof body === 'object' ? (body as Record<string, unknown>).invitation : undefined;
  const code = typeof raw === 'string' ? raw.trim() : '';
  if (!code)
    return {
      ok: false,
      errors: {
        invitation: 'This archive is invitation-only: enter the code from your invitation email, or request one at /invite_requests.',
      },
    };
  if (code.length > 100 || !(await consumeInvitation(db, code))) {
    return {
      ok: false,
      errors: { invitation: 'That invitation code is not valid or was already used. Check the email, or request a new invitation.' },
    };
  }
  return { ok: true, accepted: (userId) => recordInvitationUser(db, code, userId), refused: () => returnInvitation(db, code) };
}
