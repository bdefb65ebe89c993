// The shapes the matcher takes and returns. Plain data, so an exchange's sign-ups can come from the
// database, a test or the benchmark alike.

/** A tag type of the exchange's tag set: 'fandom', 'character', 'relationship', 'rating', … */
export type TagType = string;

/** One request or offer: tags per type, and the types it leaves open ("any"). */
export interface Prompt {
  tags: Readonly<Record<TagType, readonly string[]>>;
  /** Types the person accepts anything of (a request) or will write anything of (an offer). */
  any?: readonly TagType[];
}

/** One person's sign-up. Ids are compared as strings and decide every tie. */
export interface SignUp {
  id: string;
  requests: readonly Prompt[];
  offers: readonly Prompt[];
}

/** The rules of one tag type. */
export interface TagTypeRule {
  /** Tags a request and an offer must share in this type for them to match (0: not checked). */
  required: number;
  /** Whether a prompt may leave this type open ("any"); an open type matches every tag. */
  allowAny: boolean;
  /** Tags a prompt must and may name in this type (inclusive). */
  min: number;
  max: number;
}

/** An exchange's rules. */
export interface ExchangeRules {
  tagTypes: Readonly<Record<TagType, TagTypeRule>>;
  /** How many requests and offers a sign-up must and may have (inclusive). */
  requests: { min: number; max: number };
  offers: { min: number; max: number };
  /** How many of a recipient's requests a giver's offers must match for the pair to be possible. */
  requiredRequestMatches: number;
  /** Forbid A gives to B while B gives to A. */
  forbidMutual: boolean;
}

/** The exchange's allowed tags per type; a sign-up naming a tag outside it is refused. */
export type TagSet = Readonly<Record<TagType, readonly string[]>>;

/** Which offer matched which request in a pair, with that prompt pair's score. */
export interface PromptMatch {
  requestIndex: number;
  offerIndex: number;
  score: number;
}

/** One giver → recipient assignment. */
export interface Assignment {
  giverId: string;
  recipientId: string;
  /** The pair's match weight: higher means more tags in common (see compatibility.ts). */
  weight: number;
}

/** Why a sign-up has no giver (role 'recipient') or no recipient (role 'giver'). */
export type UnmatchedReason =
  | 'invalid-sign-up'
  | 'no-offer-for-tag-type'
  | 'no-offer-matching-all-types'
  | 'no-request-for-tag-type'
  | 'no-request-matching-all-types'
  | 'too-few-requests-matched'
  | 'all-candidates-taken'
  | 'only-mutual-candidates';

/** The explanation for one unmatched side of one sign-up. */
export interface UnmatchedExplanation {
  signUpId: string;
  role: 'recipient' | 'giver';
  reason: UnmatchedReason;
  /** Tag types that no other sign-up offers (or requests) for this person's prompts. */
  tagTypes?: TagType[];
  /** Compatible sign-ups that were assigned elsewhere, best first (at most 5). */
  candidates?: string[];
  /** One sentence a maintainer can read. */
  message: string;
}

/** The matcher's answer. */
export interface MatchResult {
  assignments: Assignment[];
  unmatched: UnmatchedExplanation[];
  /** Sign-ups that receive a gift, and the sum of the assignments' weights. */
  matchedRecipients: number;
  totalWeight: number;
  /** Size of the compatible-pair graph, for the benchmark and maintainers' curiosity. */
  compatiblePairs: number;
}
