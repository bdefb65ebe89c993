import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { HiddenForViewer } from './search.service.ts';
import { concealedWorkIdsSql } from '../collections/anonymity.ts';

export { findHiddenForViewer, type HiddenForViewer } from './search.service.ts';

/** A condition on `works` leaving out what the reader has hidden (true when nothing is). */
export function notHiddenCondition(hidden: HiddenForViewer | undefined): RawBuilder<SqlBool> {
  if (!hidden || (hidden.tagIds.length === 0 && hidden.userIds.length === 0)) return sql<SqlBool>`true`;
  const parts: RawBuilder<SqlBool>[] = [];
  if (hidden.tagIds.length > 0) parts.push(sql<SqlBool>`not (works.filter_tag_ids && ${[...hidden.tagIds]}::int[])`);
  if (hidden.userIds.length > 0) {
    parts.push(sql<SqlBool>`not exists (
      select 1 from work_creators wc join pseuds p on p.id = wc.pseud_id
      where wc.work_id = works.id and p.user_id = any(${[...hidden.userIds]}::int[]) and wc.work_id not in (${concealedWorkIdsSql()})
    )`);
  }
  return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
}
