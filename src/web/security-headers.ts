import type { FastifyInstance } from 'fastify';
import { configuredEmbedHosts, toEmbedSources } from '../works/text/embed-hosts.ts';

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

/**
 * The page's Content-Security-Policy with frame-src and media-src listing exactly the embed hosts
 * (`'none'` when there are none): players load only from them, and only after a reader's click
 * builds them (src/web/static/embeds.js).
 */
export function withEmbedSources(csp: string, hosts: readonly string[]): string {
  const sources = toEmbedSources(hosts);
  const list = sources.length > 0 ? sources.join(' ') : "'none'";
  return `${csp}; frame-src ${list}; media-src ${list}`;
}

/**
 * Adds the embed hosts in force in this process (site settings) to every response's CSP. On the
 * request, right after helmet set the policy, so the page and download caches store (and replay)
 * the header with them.
 */
export function registerEmbedPolicy(app: FastifyInstance): void {
  app.addHook('onRequest', async (_request, reply) => {
    const csp = reply.getHeader('content-security-policy') ?? reply.raw.getHeader('content-security-policy');
    if (typeof csp === 'string' && !csp.includes('frame-src'))
      reply.header('content-security-policy', withEmbedSources(csp, configuredEmbedHosts()));
  });
}
