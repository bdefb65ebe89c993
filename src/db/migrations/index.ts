import type { Migration } from 'kysely';
import * as m0001 from './0001_core.ts';
import * as m0002 from './0002_jobs.ts';
import * as m0003 from './0003_tag_model.ts';
import * as m0004 from './0004_search.ts';
import * as m0007 from './0007_moderation.ts';
import * as m0005 from './0005_interactions.ts';
import * as m0009 from './0009_series_subscriptions.ts';
import * as m0008 from './0008_analysis.ts';
import * as m0010 from './0010_series_bookmarks.ts';
import * as m0011 from './0011_chapter_drafts.ts';
import * as m0012 from './0012_analysis_failures.ts';
import * as m0013 from './0013_search_changes.ts';
import * as m0014 from './0014_pseud_name_index.ts';
import * as m0018 from './0018_oauth.ts';
import * as m0015 from './0015_reader_preferences.ts';
import * as m0016 from './0016_work_skins_and_notification_mail.ts';
import * as m0017 from './0017_embed_hosts.ts';
import * as m0019 from './0019_collections.ts';
import * as m0020 from './0020_inbox_unread_index.ts';
import * as m0021 from './0021_api_idempotency_keys.ts';
import * as m0022 from './0022_gifts_and_related_works.ts';
import * as m0023 from './0023_co_creators.ts';
import * as m0024 from './0024_collection_reveals.ts';
import * as m0025 from './0025_search_index_snapshots.ts';
import * as m0026 from './0026_viewer_change_notices.ts';
import * as m0027 from './0027_gift_exchanges.ts';
import * as m0028 from './0028_prompt_memes.ts';
import * as m0029 from './0029_exchange_tag_nominations.ts';
import * as m0030 from './0030_gift_notification_mail.ts';
import * as m0031 from './0031_related_work_mail_and_bookmark_invitations.ts';
import * as m0032 from './0032_exchange_nomination_window.ts';

/** Every migration, in order. Add a file, then list it here; never edit a merged one. */
export const migrations: Record<string, Migration> = {
  '0001_core': m0001,
  '0002_jobs': m0002,
  '0003_tag_model': m0003,
  '0004_search': m0004,
  '0007_moderation': m0007,
  '0005_interactions': m0005,
  '0009_series_subscriptions': m0009,
  '0008_analysis': m0008,
  '0010_series_bookmarks': m0010,
  '0011_chapter_drafts': m0011,
  '0012_analysis_failures': m0012,
  '0013_search_changes': m0013,
  '0014_pseud_name_index': m0014,
  '0018_oauth': m0018,
  '0015_reader_preferences': m0015,
  '0016_work_skins_and_notification_mail': m0016,
  '0017_embed_hosts': m0017,
  '0019_collections': m0019,
  '0020_inbox_unread_index': m0020,
  '0021_api_idempotency_keys': m0021,
  '0022_gifts_and_related_works': m0022,
  '0023_co_creators': m0023,
  '0024_collection_reveals': m0024,
  '0025_search_index_snapshots': m0025,
  '0026_viewer_change_notices': m0026,
  '0027_gift_exchanges': m0027,
  '0028_prompt_memes': m0028,
  '0029_exchange_tag_nominations': m0029,
  '0030_gift_notification_mail': m0030,
  '0031_related_work_mail_and_bookmark_invitations': m0031,
  '0032_exchange_nomination_window': m0032,
};
