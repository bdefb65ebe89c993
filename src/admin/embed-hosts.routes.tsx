// /admin/embeds: the hosts whose players (podfic, fanvids) works may embed. Its own page, so the
// list saves apart from the other site settings.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { AppDeps } from '../app-deps.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Database } from '../db/schema.ts';
import { requireAdmin } from '../moderation/moderation.policy.ts';
import { DEFAULT_EMBED_HOSTS } from '../works/text/embed-hosts.ts';
import { formValues, toFieldErrors } from '../web/form.ts';
import { registerEmbedPolicy } from '../web/security-headers.ts';
import { pageContext } from '../web/page-context.ts';
import { sendPage } from '../web/render.ts';
import { setFlash } from '../web/session.ts';
import type { Viewer } from '../web/viewer.ts';
import { EmbedHostsSchema } from './embed-hosts.schema.ts';
import { EmbedHostsPage } from './embed-hosts.views.tsx';
import { applySiteSettings, embedHostsOf, saveEmbedHosts } from './site-settings.ts';

/** Saves the list (null: the built-in one) and records who changed it, in one transaction. */
export async function updateEmbedHosts(db: Kysely<Database>, actor: Viewer, hosts: string[] | null): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await saveEmbedHosts(trx, hosts);
    await recordAudit(trx, {
      actor: { id: actor.id, login: actor.login },
      action: 'update_embed_hosts',
      targetType: 'site',
      targetId: 1,
      details: { hosts },
    });
  });
}

/** The admin page, and the CSP's frame-src and media-src that follow its list. */
export function embedHostsRoutes(app: FastifyInstance, { db, config }: AppDeps): void {
  registerEmbedPolicy(app);
  const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, config.siteName);
  const view = (hosts?: string) => ({
    hosts: hosts ?? embedHostsOf(app.siteSettings).join('\n'),
    builtIn: DEFAULT_EMBED_HOSTS,
    usingBuiltIn: (app.siteSettings.embedHosts ?? null) === null,
  });

  app.get('/admin/embeds', async (request, reply) => {
    requireAdmin(request.viewer);
    return sendPage(reply, <EmbedHostsPage ctx={ctx(request, reply)} view={view()} errors={{}} />);
  });

  app.post('/admin/embeds', async (request, reply) => {
    const admin = requireAdmin(request.viewer);
    const parsed = EmbedHostsSchema.safeParse(request.body ?? {});
    if (!parsed.success) {
      const typed = formValues(request.body).hosts ?? '';
      return sendPage(reply, <EmbedHostsPage ctx={ctx(request, reply)} view={view(typed)} errors={toFieldErrors(parsed.error)} />, 422);
    }
    await updateEmbedHosts(db, admin, parsed.data.hosts);
    applySiteSettings(app, { ...app.siteSettings, embedHosts: parsed.data.hosts });
    setFlash(request, reply, parsed.data.hosts === null ? 'The built-in list of hosts is in force.' : 'Embed hosts saved.');
    return reply.redirect('/admin/embeds', 303);
  });
}
