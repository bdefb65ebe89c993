import type { FastifyInstance } from 'fastify';

/** One year, with subdomains: what HSTS preload lists ask for. */
export const HSTS_VALUE = 'max-age=31536000; includeSubDomains';

/**
 * Strict-Transport-Security only on responses that travelled over TLS. Behind a TLS proxy the
 * operator sets TRUST_PROXY so X-Forwarded-Proto says https; on plain http the header would be
 * ignored by browsers anyway, and sending it from a development server misleads.
 */
export function registerHsts(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.protocol === 'https') reply.header('strict-transport-security', HSTS_VALUE);
    return payload;
  });
}
