import { sql, type Kysely } from 'kysely';

// Gifts and related works (issue 14, parts 5 and 6). A gift names an archive user (and the pseud
// it was addressed to) or only a free-text name; the recipient may refuse it, which keeps the row
// (so the same work cannot be given to them again) but takes it off their page and the work's
// "for" line. A related work links a work (the child) to its parent: a work on the archive, whose
// creators approve the link before the parent shows it, or a work elsewhere (URL, title, creator).
export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    sql`create table work_gifts (
      id integer generated always as identity primary key,
      work_id integer not null references works (id) on delete cascade,
      recipient_user_id integer references users (id) on delete cascade,
      recipient_pseud_id integer references pseuds (id) on delete set null,
      recipient_name text not null,
      refused_at timestamptz,
      announced_at timestamptz,
      created_at timestamptz not null default now(),
      constraint work_gifts_name_length check (char_length(recipient_name) between 1 and 100)
    )`,
    sql`create unique index work_gifts_user_once on work_gifts (work_id, recipient_user_id) where recipient_user_id is not null`,
    sql`create unique index work_gifts_name_once on work_gifts (work_id, lower(recipient_name)) where recipient_user_id is null`,
    sql`create index work_gifts_recipient_idx on work_gifts (recipient_user_id, work_id) where refused_at is null`,
    sql`create table related_works (
      id integer generated always as identity primary key,
      work_id integer not null references works (id) on delete cascade,
      relation text not null check (relation in ('inspired_by', 'translation_of', 'remix_of', 'podfic_of')),
      parent_work_id integer references works (id) on delete cascade,
      external_url text,
      external_title text,
      external_creator text,
      status text not null default 'pending' check (status in ('pending', 'approved', 'removed')),
      announced_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint related_works_one_parent check ((parent_work_id is null) <> (external_url is null)),
      constraint related_works_not_self check (parent_work_id is null or parent_work_id <> work_id),
      constraint related_works_external_http check (external_url is null or external_url ~ '^https?://'),
      constraint related_works_external_fields check (
        external_url is null or (char_length(external_url) <= 2000 and char_length(coalesce(external_title, '')) <= 255
          and char_length(coalesce(external_creator, '')) <= 100)
      )
    )`,
    sql`create unique index related_works_parent_once on related_works (work_id, parent_work_id) where parent_work_id is not null`,
    sql`create index related_works_work_idx on related_works (work_id)`,
    sql`create index related_works_parent_idx on related_works (parent_work_id) where parent_work_id is not null`,
  ];
  for (const statement of statements) await statement.execute(db);
}
