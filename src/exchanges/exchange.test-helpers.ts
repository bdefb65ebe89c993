// The exchange settings form the route tests post: sign-ups open an hour ago and close in a week,
// one request and one offer each, matched on one fandom from `tags_fandom`; the other tag types
// are off unless the overrides turn them on.

const isoMinute = (d: Date) => d.toISOString().slice(0, 16);

export function exchangeSettingsForm(overrides: Record<string, string> = {}): Record<string, string> {
  const now = Date.now();
  const form: Record<string, string> = {
    opens_at: isoMinute(new Date(now - 3_600_000)),
    closes_at: isoMinute(new Date(now + 7 * 86_400_000)),
    due_at: '',
    requests_min: '1',
    requests_max: '1',
    offers_min: '1',
    offers_max: '1',
    required_request_matches: '1',
    tags_fandom: '',
    required_fandom: '1',
    min_fandom: '1',
    max_fandom: '1',
  };
  for (const type of ['relationship', 'character', 'freeform'])
    Object.assign(form, { [`tags_${type}`]: '', [`required_${type}`]: '0', [`min_${type}`]: '0', [`max_${type}`]: '0' });
  return { ...form, ...overrides };
}
