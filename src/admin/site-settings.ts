import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { SignupMode } from '../db/tables/moderation.ts';
import { configureEmbedHosts, DEFAULT_EMBED_HOSTS } from '../works/text/embed-hosts.ts';

export interface SiteSettings {
  /** Overrides SITE_NAME when set. */
  name: string | null;
  description: string;
  signupMode: SignupMode;
  guestComments: boolean;
  contentPolicy: string;
  /** New accounts confirm their email before posting; null: on exactly when SMTP_URL is set (src/accounts/email-verification.ts). */
  emailVerification: boolean | null;
  /**
   * Hosts whose players works may embed; null until an admin saves a list (the built-in list
   * applies). Saved on its own page (/admin/embeds, saveEmbedHosts), so other settings leave it out.
   */
  embedHosts?: string[] | null;
}

export const DEFAULT_SETTINGS: SiteSettings = {
  name: null,
  description: '',
  signupMode: 'open',
  guestComments: true,
  contentPolicy: '',
  emailVerification: null,
  embedHosts: null,
};

/** Seconds another process's change may take to show here (cluster workers each hold a copy). */
const REFRESH_SECONDS = 30;

export async function loadSiteSettings(db: Kysely<Database>): Promise<SiteSettings> {
  const row = await db.selectFrom('site_settings').selectAll().where('id', '=', 1).executeTakeFirst();
  if (!row) return { ...DEFAULT_SETTINGS };
  return {
    name: row.name,
    description: row.description,
    signupMode: row.signup_mode,
    guestComments: row.guest_comments,
    contentPolicy: row.content_policy,
    emailVerification: row.email_verification,
    embedHosts: row.embed_hosts,
  };
}

export async function saveSiteSettings(db: Kysely<Database>, s: SiteSettings): Promise<void> {
  await db
    .updateTable('site_settings')
    .set({
      name: s.name,
      description: s.description,
      signup_mode: s.signupMode,
      guest_comments: s.guestComments,
      content_policy: s.contentPolicy,
      email_verification: s.emailVerification,
      updated_at: new Date(),
    })
    .where('id', '=', 1)
    .execute();
}

/** Saves the embed hosts (null: back to the built-in list). */
export async function saveEmbedHosts(db: Kysely<Database>, hosts: string[] | null): Promise<void> {
  await db.updateTable('site_settings').set({ embed_hosts: hosts, updated_at: new Date() }).where('id', '=', 1).execute();
}

/** The embed hosts in force: the admins' list, or the built-in one. */
export function embedHostsOf(s: SiteSettings): readonly string[] {
  return s.embedHosts ?? DEFAULT_EMBED_HOSTS;
}

/** Makes settings the ones in force in this process (the sanitizer and the CSP read the embed hosts). */
export function applySiteSettings(app: FastifyInstance, s: SiteSettings): void {
  Object.assign(app.siteSettings, s);
  configureEmbedHosts(embedHostsOf(app.siteSettings));
}

/**
 * The settings every request may consult (`app.siteSettings`), read once at start and after each
 * change, and refreshed every 30 s so other processes' changes arrive too.
 */
export function registerSiteSettings(app: FastifyInstance, db: Kysely<Database>): void {
  app.decorate('siteSettings', { ...DEFAULT_SETTINGS });
  const refresh = async () => {
    applySiteSettings(app, await loadSiteSettings(db));
  };
  let timer: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    await refresh();
    timer = setInterval(
      () => void refresh().catch((error) => app.log.error({ err: error }, 'site settings refresh failed')),
      REFRESH_SECONDS * 1000,
    );
    timer.unref();
  });
  app.addHook('onClose', async () => clearInterval(timer));
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Site settings an admin changes at /admin/settings (src/admin/site-settings.ts). */
    siteSettings: SiteSettings;
  }
}
