import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { manualChangeOf } from './exchanges.service.ts';

// The page and the API read a hand change through this one function; each words its own refusal.
describe('manualChangeOf: the hand change a form or request names', () => {
  it('reads remove with the giver alone, swap and reassign with the other login', () => {
    assert.deepEqual(manualChangeOf('remove', 'ann', ''), { kind: 'remove', giverId: 'ann' });
    assert.deepEqual(manualChangeOf('remove', 'ann', 'ben'), { kind: 'remove', giverId: 'ann' });
    assert.deepEqual(manualChangeOf('swap', 'ann', 'ben'), { kind: 'swap', giverA: 'ann', giverB: 'ben' });
    assert.deepEqual(manualChangeOf('reassign', 'ann', 'cat'), { kind: 'reassign', giverId: 'ann', recipientId: 'cat' });
  });

  it('answers null when swap or reassign lacks the other login, or the kind is unknown', () => {
    assert.equal(manualChangeOf('swap', 'ann', ''), null);
    assert.equal(manualChangeOf('reassign', 'ann', ''), null);
    assert.equal(manualChangeOf('shuffle', 'ann', 'ben'), null);
    assert.equal(manualChangeOf(undefined, 'ann', 'ben'), null);
  });
});
