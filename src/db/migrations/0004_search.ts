import { sql, type Kysely } from 'kysely';

// Search: stored full-text vectors on works (title, tag names, summary; weighted) and chapters
// (their text), kept by triggers so every writer keeps them right; a fandom count for the
// crossover filter; saved searches; personal global filters.
export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    sql`alter table works add column search_vector tsvector not null default ''::tsvector`,
    // Distinct canonical fandoms the work is tagged with: 2 or more makes a crossover.
    sql`alter table works add column fandom_count smallint not null default 0`,
    sql`alter table chapters add column body_vector tsvector not null default ''::tsvector`,
    // Title A, tag names (canonical and meta, from filter_tag_ids) B, summary C. Tags change through
    // refreshFilterTags, which rewrites filter_tag_ids, which fires this.
    sql`create function fanfold_works_search_update() returns trigger language plpgsql as $fn$
    begin
      new.search_vector :=
        setweight(to_tsvector('english', coalesce(new.title, '')), 'A') ||
        setweight(to_tsvector('english', coalesce((select string_agg(t.name, ' ') from tags t where t.id = any(new.filter_tag_ids)), '')), 'B') ||
        setweight(to_tsvector('english', left(regexp_replace(coalesce(new.summary_html, ''), '<[^>]*>', ' ', 'g'), 100000)), 'C');
      if tg_op = 'UPDATE' then
        new.fandom_count := (
          select count(distinct coalesce(t.merger_id, t.id))
          from work_tags wt join tags t on t.id = wt.tag_id
          where wt.work_id = new.id and t.type = 'fandom'
        );
      end if;
      return new;
    end
    $fn$`,
    sql`create trigger works_search_update before insert or update of title, summary_html, filter_tag_ids on works
    for each row execute function fanfold_works_search_update()`,
    // Chapter text, tags stripped. Capped so a huge chapter cannot exceed tsvector's 1 MB limit.
    sql`create function fanfold_chapters_search_update() returns trigger language plpgsql as $fn$
    begin
      new.body_vector := to_tsvector('english', left(coalesce(new.title, '') || ' ' || regexp_replace(new.body_html, '<[^>]*>', ' ', 'g'), 400000));
      return new;
    end
    $fn$`,
    sql`create trigger chapters_search_update before insert or update of title, body_html on chapters
    for each row execute function fanfold_chapters_search_update()`,
    sql`update works set title = title`,
    sql`update chapters set body_html = body_html`,
    sql`create index works_search_vector_idx on works using gin (search_vector)`,
    sql`create index chapters_body_vector_idx on chapters using gin (body_vector)`,
    sql`create index chapters_work_idx on chapters (work_id, position)`,
    // Sorts of the search page over posted works.
    sql`create index works_published_idx on works (published_at desc, id desc) where not is_draft`,
    sql`create index works_kudos_idx on works (kudos_count desc, id desc) where not is_draft`,
    sql`create index works_hits_idx on works (hits desc, id desc) where not is_draft`,
    sql`create index works_words_idx on works (word_count desc, id desc) where not is_draft`,
    // A counter that moves whenever a write could change a search's counts: services cache counts
    // by query and generation, so a cached count is never stale (see docs/decisions).
    sql`create table search_generation (id integer primary key check (id = 1), value bigint not null)`,
    sql`insert into search_generation (id, value) values (1, 0)`,
    sql`create function fanfold_search_generation_bump() returns trigger language plpgsql as $fn$
    begin
      update search_generation set value = value + 1 where id = 1;
      return null;
    end
    $fn$`,
    sql`create trigger works_search_generation after insert or delete or update of title, summary_html, filter_tag_ids, is_draft, is_restricted, word_count, chapter_count, is_complete, language, published_at, updated_at on works
    for each statement execute function fanfold_search_generation_bump()`,
    sql`create trigger work_creators_search_generation after insert or delete or update on work_creators
    for each statement execute function fanfold_search_generation_bump()`,
    sql`create trigger chapters_search_generation after insert or delete or update of body_html on chapters
    for each statement execute function fanfold_search_generation_bump()`,
    sql`create trigger tags_search_generation after update of name, merger_id on tags
    for each statement execute function fanfold_search_generation_bump()`,
    sql`create table saved_searches (
    id integer generated always as identity primary key,
    user_id integer not null references users (id) on delete cascade,
    name text not null,
    query text not null,
    -- The feed URL's secret: feed readers carry no session, and ids are guessable.
    feed_token text not null,
    last_viewed_at timestamptz not null default now(),
    created_at timestamptz not null default now()
  )`,
    sql`create index saved_searches_user_idx on saved_searches (user_id, id)`,
    // kind 'tag': target is a tag id (a fandom excludes the whole fandom); 'creator': a user id.
    sql`create table user_search_filters (
    user_id integer not null references users (id) on delete cascade,
    kind text not null check (kind in ('tag', 'creator')),
    target_id integer not null,
    created_at timestamptz not null default now(),
    primary key (user_id, kind, target_id)
  )`,
  ];
  for (const statement of statements) await statement.execute(db);
}
