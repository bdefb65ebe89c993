import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ownDir, readOwnGolds } from './own-gold.ts';

const KINDS = new Set(['romantic', 'family', 'friendship', 'conflict', 'acquaintance']);

test('every gold relationship names two gold characters, once, with a known kind', () => {
  const golds = readOwnGolds(ownDir(join(import.meta.dirname, '..', '..')));
  assert.ok(golds.length > 0);
  for (const g of golds) {
    assert.ok(Array.isArray(g.relationships), `${g.text}: relationships missing`);
    const names = new Set(g.characters.map((c) => c.name));
    const seen = new Set<string>();
    for (const r of g.relationships) {
      const [a, b] = r.pair;
      assert.ok(names.has(a) && names.has(b) && a !== b, `${g.text}: ${a} / ${b} are not two gold characters`);
      assert.ok(KINDS.has(r.kind), `${g.text}: unknown kind ${r.kind}`);
      const key = [a, b].sort().join('\u0000');
      assert.ok(!seen.has(key), `${g.text}: ${a} / ${b} listed twice`);
      seen.add(key);
    }
  }
});
