import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ExchangeSettingsSchema, readNominationWindow, toExchangeDefinition } from './exchanges.schema.ts';
import { isNominationOpen, nominationClosedMessage, type NominationWindowFacts } from './exchanges.service.ts';

// The nomination window's edges (decision 046): the opening is inclusive and the closing
// exclusive, as for sign-ups; an empty end means "from the making" and "when sign-ups close"; the
// settings refuse a window that ends after sign-ups close or closes before it opens.

const BASE = Date.UTC(2030, 0, 1);
const MINUTE = 60_000;
const at = (minutes: number) => new Date(BASE + minutes * MINUTE);
const field = (d: Date | null) => (d ? d.toISOString().slice(0, 16) : '');
const minutes = fc.integer({ min: 0, max: 60 * 24 * 60 });
const maybe = (arb: fc.Arbitrary<number>) => fc.option(arb, { nil: null });

function exchange(overrides: Partial<NominationWindowFacts> = {}): NominationWindowFacts {
  return {
    signups_close_at: at(10_000),
    nominations_open_at: null,
    nominations_close_at: null,
    status: 'signups',
    nomination_limits: { fandom: 2 },
    ...overrides,
  };
}

describe('the nomination window', () => {
  it('is open from its opening (inclusive) to its closing (exclusive), and the message says which side a refusal is on', () => {
    fc.assert(
      fc.property(minutes, fc.integer({ min: 1, max: 60 * 24 * 30 }), fc.integer({ min: 0, max: 60 * 24 * 30 }), (open, length, slack) => {
        const e = exchange({
          nominations_open_at: at(open),
          nominations_close_at: at(open + length),
          signups_close_at: at(open + length + slack),
        });
        const ms = (m: number, delta = 0) => new Date(BASE + m * MINUTE + delta);
        assert.equal(isNominationOpen(e, ms(open)), true, 'open at its opening');
        assert.equal(isNominationOpen(e, ms(open + length, -1)), true, 'open a moment before its closing');
        assert.equal(isNominationOpen(e, ms(open, -1)), false, 'not open a moment before its opening');
        assert.equal(isNominationOpen(e, ms(open + length)), false, 'closed at its closing');
        assert.match(nominationClosedMessage(e, ms(open, -1)) ?? '', /^Nominations open on .* UTC; come back then\.$/);
        assert.match(nominationClosedMessage(e, ms(open + length)) ?? '', /^Nominations closed on .* UTC/);
        assert.equal(nominationClosedMessage(e, ms(open)), null);
      }),
    );
  });

  it('runs from the making until sign-ups close when its ends are empty', () => {
    fc.assert(
      fc.property(minutes, fc.integer({ min: -5, max: 5 }), (close, offset) => {
        const e = exchange({ signups_close_at: at(close) });
        assert.equal(isNominationOpen(e, new Date(at(close).getTime() + offset)), offset < 0);
      }),
    );
  });

  it('is closed whatever the time once matching began, and when no type takes nominations', () => {
    fc.assert(
      fc.property(minutes, fc.constantFrom('matching', 'matched', 'sent'), (now, status) => {
        assert.equal(isNominationOpen(exchange({ status }), at(now)), false);
        assert.match(nominationClosedMessage(exchange({ status }), at(now)) ?? '', /matching began/);
        assert.equal(nominationClosedMessage(exchange({ nomination_limits: {} }), at(now)), 'This exchange takes no tag nominations.');
      }),
    );
  });
});

describe('the nomination window in the settings', () => {
  it('accepts exactly the windows that open before they close and close by the time sign-ups close', () => {
    fc.assert(
      fc.property(maybe(minutes), maybe(minutes), minutes, fc.boolean(), (open, close, signUpsClose, takes) => {
        const opensAt = open === null ? null : at(open);
        const closesAt = close === null ? null : at(close);
        const { errors } = readNominationWindow(
          { nominations_open_at: field(opensAt), nominations_close_at: field(closesAt) },
          at(signUpsClose),
          takes,
        );
        const effectiveClose = close ?? signUpsClose;
        const valid =
          (close === null || close <= signUpsClose) &&
          (open === null || open < effectiveClose) &&
          (takes || (open === null && close === null));
        assert.equal(Object.keys(errors).length === 0, valid, JSON.stringify({ open, close, signUpsClose, takes, errors }));
      }),
    );
  });

  it('reads the window through the settings form, empty ends as null, and names a broken date at its field', () => {
    const form = {
      opens_at: '2030-01-01T00:00',
      closes_at: '2030-01-08T00:00',
      requests_min: '1',
      requests_max: '1',
      offers_min: '1',
      offers_max: '1',
      required_request_matches: '1',
      tags_fandom: 'A',
      required_fandom: '1',
      min_fandom: '1',
      max_fandom: '1',
      ...Object.fromEntries(
        ['relationship', 'character', 'freeform'].flatMap((type) => ['required', 'min', 'max'].map((f) => [`${f}_${type}`, '0'])),
      ),
      nominations_fandom: '2',
      nominations_open_at: '2029-12-20T00:00',
      nominations_close_at: '2030-01-08T00:00',
    };
    const parsed = toExchangeDefinition(ExchangeSettingsSchema.parse(form));
    assert.equal(parsed.nominationsOpenAt?.toISOString(), '2029-12-20T00:00:00.000Z');
    assert.equal(parsed.nominationsCloseAt?.toISOString(), '2030-01-08T00:00:00.000Z');
    const empty = toExchangeDefinition(ExchangeSettingsSchema.parse({ ...form, nominations_open_at: '', nominations_close_at: ' ' }));
    assert.equal(empty.nominationsOpenAt, null);
    assert.equal(empty.nominationsCloseAt, null);
    const broken = ExchangeSettingsSchema.safeParse({ ...form, nominations_open_at: 'soon', nominations_close_at: '2030-01-08T00:01' });
    assert.deepEqual(Object.fromEntries((broken.error?.issues ?? []).map((i) => [i.path[0], i.message])), {
      nominations_open_at: 'The nomination opening must be a date and time in UTC, such as 2030-01-31T18:00, or empty.',
      nominations_close_at: 'Nominations must close by the time sign-ups close, so sign-ups can still choose the tags approved.',
    });
    const without = ExchangeSettingsSchema.safeParse({ ...form, nominations_fandom: '0' });
    assert.deepEqual(
      without.error?.issues.map((i) => i.path[0]),
      ['nominations_open_at'],
    );
    assert.match(without.error?.issues[0]?.message ?? '', /leave the nomination dates empty/);
  });
});
