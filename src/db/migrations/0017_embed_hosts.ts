import { sql, type Kysely } from 'kysely';

// The hosts whose players (podfic, fanvids) works may embed, one host name per element, chosen by
// admins at /admin/settings. Null until an admin saves a list: the built-in list (AO3's hosts,
// src/works/text/embed-hosts.ts) applies, and follows the code when that list changes.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table site_settings add column embed_hosts text[]`.execute(db);
}
