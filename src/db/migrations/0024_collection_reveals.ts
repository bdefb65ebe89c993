import { sql, type Kysely } from 'kysely';

// Anonymous and unrevealed collections (issue 14, points 1 and 8; decision 043). The flags of
// migration 0019 start to mean something: a scheduled reveal date, search's change log told when
// an item or a collection's flags change (creator filters and pages of works must stop or start
// matching at once), and bookmarks in collections.
export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    // When the collection reveals itself (a job runs then); null: only the maintainers' button.
    sql`alter table collections add column reveal_at timestamptz`,
    // A work's creators appearing or disappearing changes what creator searches match: the search
    // generation moves (search caches key on it) and the works are logged for the facet index.
    sql`create function fanfold_search_log_collection_flags() returns trigger language plpgsql as $fn$
      declare
        g bigint;
      begin
        if exists (
          select 1 from new_rows n join old_rows o on o.id = n.id
          where (n.is_anonymous, n.is_unrevealed) is distinct from (o.is_anonymous, o.is_unrevealed)
        ) then
          update search_generation set value = value + 1 where id = 1 returning value into g;
          insert into search_changes (generation, work_id)
            select distinct g, ci.work_id from new_rows n join old_rows o on o.id = n.id
            join collection_items ci on ci.collection_id = n.id
            where (n.is_anonymous, n.is_unrevealed) is distinct from (o.is_anonymous, o.is_unrevealed);
        end if;
        return null;
      end
      $fn$`,
    sql`create trigger collections_search_log_update after update on collections
      referencing new table as new_rows old table as old_rows for each statement execute function fanfold_search_log_collection_flags()`,
    sql`create trigger collection_items_search_log_insert after insert on collection_items
      referencing new table as new_rows for each statement execute function fanfold_search_log_work_id_new()`,
    sql`create trigger collection_items_search_log_delete after delete on collection_items
      referencing old table as old_rows for each statement execute function fanfold_search_log_work_id_old()`,
    sql`create trigger collection_items_search_log_update after update on collection_items
      referencing new table as new_rows old table as old_rows for each statement execute function fanfold_search_log_hidden_update()`,
    // Bookmarks in collections: one approval (the collection's); the bookmark's owner adds it.
    sql`create table collection_bookmarks (
      id integer generated always as identity primary key,
      collection_id integer not null references collections (id) on delete cascade,
      bookmark_id integer not null references bookmarks (id) on delete cascade,
      collection_approval text not null check (collection_approval in ('pending', 'approved', 'rejected')),
      added_by integer references users (id) on delete set null,
      created_at timestamptz not null default now(),
      constraint collection_bookmarks_once unique (collection_id, bookmark_id)
    )`,
    sql`create index collection_bookmarks_bookmark_idx on collection_bookmarks (bookmark_id)`,
  ];
  for (const statement of statements) await statement.execute(db);
}
