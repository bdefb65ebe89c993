import { sql, type Kysely } from 'kysely';

// A gift exchange's tag nominations get a window of their own (decision 046), apart from the sign-up
// window: null opening means from the exchange's making, null closing means when sign-ups close, so
// exchanges made before this migration keep the nominations they had.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table gift_exchanges
    add column nominations_open_at timestamptz,
    add column nominations_close_at timestamptz,
    add constraint gift_exchanges_nomination_window check (
      nominations_open_at is null or nominations_close_at is null or nominations_open_at < nominations_close_at
    )`.execute(db);
}
