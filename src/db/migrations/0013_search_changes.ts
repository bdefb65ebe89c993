import { sql, type Kysely } from 'kysely';

// The search change log (decision 021): which works changed, stamped with the search generation
// their transaction moved to, so each process's facet index catches up by re-reading only those
// works. Statement triggers with transition tables log whole statements at once (a bulk seed is
// one insert), and only rows whose searchable columns changed (not hit or kudos counters).
//
// Stamping with the generation, not a sequence, makes the log follow commit order: the bump locks
// the generation row until commit, so every entry of a committed transaction is at or below the
// generation a reader sees, and no later commit can add an entry below it.
export async function up(db: Kysely<any>): Promise<void> {
  const log = (name: string, ids: string) => sql`create function ${sql.raw(name)}() returns trigger language plpgsql as $fn$
    declare
      g bigint;
    begin
      if exists (${sql.raw(ids)}) then
        update search_generation set value = value + 1 where id = 1 returning value into g;
        insert into search_changes (generation, work_id) select distinct g, x.work_id from (${sql.raw(ids)}) as x;
      end if;
      return null;
    end
    $fn$`;
  // One statement trigger per table and event, with the transition tables that event has.
  const transition = { insert: 'new table as new_rows', delete: 'old table as old_rows', update: 'new table as new_rows old table as old_rows' };
  const trigger = (table: string, event: keyof typeof transition, fn: string) =>
    sql.raw(`create trigger ${table}_search_log_${event} after ${event} on ${table} referencing ${transition[event]} for each statement execute function ${fn}()`);
  const statements = [
    sql`create table search_changes (
      generation bigint not null,
      -- null: tags were renamed or merged (reload their names).
      work_id integer,
      logged_at timestamptz not null default now()
    )`,
    sql`create index search_changes_generation_idx on search_changes (generation)`,
    sql`create index search_changes_logged_at_idx on search_changes (logged_at)`,
    // Entries at or below this were pruned: an index older than it must rebuild.
    sql`alter table search_generation add column pruned_through bigint not null default 0`,
    log('fanfold_search_log_works_new', 'select id as work_id from new_rows'),
    log('fanfold_search_log_works_old', 'select id as work_id from old_rows'),
    log(
      'fanfold_search_log_works_update',
      `select n.id as work_id from new_rows n join old_rows o on o.id = n.id
       where (n.title, n.summary_html, n.filter_tag_ids, n.is_draft, n.is_restricted, n.word_count, n.chapter_count,
              n.is_complete, n.language, n.published_at, n.updated_at, n.fandom_count, n.search_vector)
         is distinct from
             (o.title, o.summary_html, o.filter_tag_ids, o.is_draft, o.is_restricted, o.word_count, o.chapter_count,
              o.is_complete, o.language, o.published_at, o.updated_at, o.fandom_count, o.search_vector)`,
    ),
    log('fanfold_search_log_work_id_new', 'select work_id from new_rows'),
    log('fanfold_search_log_work_id_old', 'select work_id from old_rows'),
    log(
      'fanfold_search_log_chapters_update',
      `select n.work_id from new_rows n join old_rows o on o.id = n.id
       where (n.work_id, n.posted, n.body_vector) is distinct from (o.work_id, o.posted, o.body_vector)
       union select o.work_id from new_rows n join old_rows o on o.id = n.id where n.work_id <> o.work_id`,
    ),
    log('fanfold_search_log_hidden_update', 'select work_id from new_rows union select work_id from old_rows'),
    log('fanfold_search_log_tags_update', `select null::int as work_id from new_rows n join old_rows o on o.id = n.id
       where (n.name, n.merger_id) is distinct from (o.name, o.merger_id)`),
    trigger('works', 'insert', 'fanfold_search_log_works_new'),
    trigger('works', 'delete', 'fanfold_search_log_works_old'),
    trigger('works', 'update', 'fanfold_search_log_works_update'),
    trigger('chapters', 'insert', 'fanfold_search_log_work_id_new'),
    trigger('chapters', 'delete', 'fanfold_search_log_work_id_old'),
    trigger('chapters', 'update', 'fanfold_search_log_chapters_update'),
    trigger('hidden_works', 'insert', 'fanfold_search_log_work_id_new'),
    trigger('hidden_works', 'delete', 'fanfold_search_log_work_id_old'),
    trigger('hidden_works', 'update', 'fanfold_search_log_hidden_update'),
    trigger('tags', 'update', 'fanfold_search_log_tags_update'),
  ];
  for (const statement of statements) await statement.execute(db);
}
