import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { SignupMode } from '../db/tables/moderation.ts';

export interface SiteSettings {
  /** Overrides SITE_NAME when set. */
  name: string | null;
  description: string;
  signupMode: SignupMode;
  guestComments: boolean;
  contentPolicy: string;
}

export const DEFAULT_SETTINGS: SiteSettings = { name: null, description: '', signupMode: 'open', guestComments: true, contentPolicy: '' };

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
      updated_at: new Date(),
    })
    .where('id', '=', 1)
    .execute();
}

/**
 * The settings every request may consult (`app.siteSettings`), read once at start and after each
 * change, and refreshed every 30 s so other processes' changes arrive too.
 */
export function registerSiteSettings(app: FastifyInstance, db: Kysely<Database>): void {
  app.decorate('siteSettings', { ...DEFAULT_SETTINGS });
  const refresh = async () => {
    Object.assign(app.siteSettings, await loadSiteSettings(db));
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
