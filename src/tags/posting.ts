import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { refreshFilterTags } from './filter-tags.ts';
import { parseRelationshipName, toSortableName } from './relationship-names.ts';

type Trx = Transaction<Database>;

/**
 * Links each not-yet-wrangled relationship tag to the characters it names (`A/B`, `A & B`), creating missing
 * character tags (unwrangled). A character that is a synonym links through its canonical. Tags a wrangler has
 * already reviewed keep the links the wrangler left.
 */
export async function linkRelationshipCharacters(trx: Trx, relationshipNames: readonly string[]): Promise<void> {
  if (relationshipNames.length === 0) return;
  const relationships = await trx
    .selectFrom('tags')
    .select(['id', 'name'])
    .where('type', '=', 'relationship')
    .where('unwrangled', '=', true)
    .where(
      sql`lower(name)`,
      'in',
      relationshipNames.map((n) => n.toLowerCase()),
    )
    .execute();
  const pairs: Array<{ relationshipId: number; character: string }> = [];
  for (const rel of relationships) {
    for (const character of parseRelationshipName(rel.name)) pairs.push({ relationshipId: rel.id, character });
  }
  if (pairs.length === 0) return;
  const names = [...new Map(pairs.map((p) => [p.character.toLowerCase(), p.character])).values()];
  await trx
    .insertInto('tags')
    .values(names.map((name) => ({ type: 'character' as const, name, sortable_name: toSortableName(name) })))
    .onConflict((oc) => oc.expression(sql`type, lower(name)`).doNothing())
    .execute();
  const characters = await trx
    .selectFrom('tags')
    .select(['id', 'merger_id', sql<string>`lower(name)`.as('lname')])
    .where('type', '=', 'character')
    .where(
      sql`lower(name)`,
      'in',
      names.map((n) => n.toLowerCase()),
    )
    .execute();
  const idOf = new Map(characters.map((c) => [c.lname, c.merger_id ?? c.id]));
  const links = pairs.flatMap((p) => {
    const parent = idOf.get(p.character.toLowerCase());
    return parent === undefined ? [] : [{ parent_id: parent, child_id: p.relationshipId, kind: 'character' as const }];
  });
  if (links.length === 0) return;
  await trx
    .insertInto('tag_parents')
    .values(links)
    .onConflict((oc) => oc.columns(['parent_id', 'child_id']).doNothing())
    .execute();
}

/** What posting or editing a work does in the tag model, inside its transaction, after its tags are saved. */
export async function applyTagModelToWork(trx: Trx, workId: number, relationshipNames: readonly string[]): Promise<void> {
  await linkRelationshipCharacters(trx, relationshipNames);
  await refreshFilterTags(trx, [workId]);
}
