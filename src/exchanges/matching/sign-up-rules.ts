// Checks a sign-up against the exchange's rules and tag set before it is matched: a sign-up that
// breaks them is left out of matching and explained, never silently half-used.
import type { ExchangeRules, Prompt, SignUp, TagSet } from './matching.types.ts';

/** Lists what is wrong with one sign-up, in sentences the person can act on (empty when it is fine). */
export function checkSignUp(signUp: SignUp, rules: ExchangeRules, tagSet?: TagSet): string[] {
  const problems: string[] = [];
  const count = (kind: 'requests' | 'offers', have: number) => {
    const { min, max } = rules[kind];
    if (have < min || have > max) problems.push(`has ${have} ${kind}; this exchange takes ${rangeText(min, max)}`);
  };
  count('requests', signUp.requests.length);
  count('offers', signUp.offers.length);
  signUp.requests.forEach((p, i) => checkPrompt(p, `request ${i + 1}`, rules, tagSet, problems));
  signUp.offers.forEach((p, i) => checkPrompt(p, `offer ${i + 1}`, rules, tagSet, problems));
  return problems;
}

function checkPrompt(prompt: Prompt, label: string, rules: ExchangeRules, tagSet: TagSet | undefined, problems: string[]): void {
  for (const type of Object.keys(prompt.tags)) {
    if (!rules.tagTypes[type]) problems.push(`${label} names ${type} tags, which this exchange does not use`);
  }
  for (const type of prompt.any ?? []) {
    const rule = rules.tagTypes[type];
    if (!rule) problems.push(`${label} leaves ${type} open, which this exchange does not use`);
    else if (!rule.allowAny) problems.push(`${label} leaves ${type} open ("any"), which this exchange does not allow`);
  }
  for (const [type, rule] of Object.entries(rules.tagTypes)) {
    const tags = prompt.tags[type] ?? [];
    const open = prompt.any?.includes(type) ?? false;
    if (!open && (tags.length < rule.min || tags.length > rule.max)) {
      problems.push(`${label} has ${tags.length} ${type} tags; this exchange takes ${rangeText(rule.min, rule.max)}`);
    }
    if (new Set(tags).size !== tags.length) problems.push(`${label} names a ${type} tag twice`);
    const allowed = tagSet?.[type];
    if (allowed) {
      const known = new Set(allowed);
      for (const tag of tags) if (!known.has(tag)) problems.push(`${label}: "${tag}" is not in this exchange's ${type} tags`);
    }
  }
}

function rangeText(min: number, max: number): string {
  return min === max ? String(min) : `${min} to ${max}`;
}
