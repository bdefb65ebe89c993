import { sql, type Kysely } from 'kysely';

// Reader preferences (issue 13): one row per account that changed anything from the defaults;
// a missing row means the defaults (src/accounts/reader-preferences.ts). Guests keep the same
// choices in a cookie. And the creator's choice to show readers when the next scheduled
// chapter is due (off by default: a schedule is the creator's own business until they share it).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table reader_preferences (
    user_id integer primary key references users (id) on delete cascade,
    show_adult boolean not null default false,
    hide_warnings boolean not null default false,
    hide_freeforms boolean not null default false,
    text_size text not null default 'medium' check (text_size in ('small', 'medium', 'large', 'x-large')),
    line_width text not null default 'medium' check (line_width in ('narrow', 'medium', 'wide')),
    font text not null default 'serif' check (font in ('serif', 'sans')),
    theme text not null default 'system' check (theme in ('system', 'light', 'dark')),
    updated_at timestamptz not null default now()
  )`.execute(db);
  await sql`alter table works add column show_next_chapter_date boolean not null default false`.execute(db);
}
