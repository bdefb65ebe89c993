// The search box's query language, parsed to a small AST. A leaf: imports nothing of the app.
//
//   query    := or
//   or       := and ('OR' and)*
//   and      := unary (('AND')? unary)*
//   unary    := '-' unary | primary
//   primary  := '(' or ')' | field ':' value | "phrase" | word
//
// Words and phrases without a field search the full text (title, summary, tags, chapter text).

export type TagField = 'tag' | 'fandom' | 'character' | 'relationship' | 'freeform' | 'rating' | 'warning' | 'category';
export type TextField = 'title' | 'creator' | 'summary';
export type NumberField = 'words' | 'kudos' | 'hits' | 'comments' | 'bookmarks' | 'chapters';
export type Comparison = '>' | '>=' | '<' | '<=' | '=';

export type QueryNode =
  | { kind: 'and'; items: QueryNode[] }
  | { kind: 'or'; items: QueryNode[] }
  | { kind: 'not'; item: QueryNode }
  /** Free text: a word or a quoted phrase, searched in the full text. */
  | { kind: 'text'; text: string; phrase: boolean }
  /** A metadata text field: title, creator name, summary. */
  | { kind: 'field'; field: TextField; text: string; phrase: boolean }
  /** A tag by name; `tag:` (field 'tag') matches a tag of any type. */
  | { kind: 'tag'; field: TagField; name: string }
  | { kind: 'number'; field: NumberField; op: Comparison; value: number }
  | { kind: 'range'; field: NumberField; min: number; max: number }
  | { kind: 'language'; code: string }
  | { kind: 'complete'; value: boolean };

/** A query the parser refused: the message, and where in the query (0-based) the problem is. */
export class QueryParseError extends Error {
  override name = 'QueryParseError';
  constructor(
    message: string,
    readonly position: number,
    readonly length = 1,
  ) {
    super(message);
  }
}

const TAG_FIELDS: ReadonlySet<string> = new Set<TagField>([
  'tag',
  'fandom',
  'character',
  'relationship',
  'freeform',
  'rating',
  'warning',
  'category',
]);
const TEXT_FIELDS: ReadonlySet<string> = new Set<TextField>(['title', 'creator', 'summary']);
const NUMBER_FIELDS: ReadonlySet<string> = new Set<NumberField>(['words', 'kudos', 'hits', 'comments', 'bookmarks', 'chapters']);
const FIELD_ALIASES: Readonly<Record<string, string>> = {
  author: 'creator',
  word_count: 'words',
  wordcount: 'words',
  lang: 'language',
  additional: 'freeform',
};

/** The field names the language knows, for the help page and error messages. */
export const QUERY_FIELDS = [
  'title',
  'creator',
  'summary',
  'tag',
  'fandom',
  'character',
  'relationship',
  'freeform',
  'rating',
  'warning',
  'category',
  'words',
  'kudos',
  'hits',
  'comments',
  'bookmarks',
  'chapters',
  'language',
  'complete',
] as const;

const MAX_QUERY_LENGTH = 1000;
const MAX_DEPTH = 20;
const MAX_NUMBER = 2_000_000_000;

type Token =
  | { type: 'lparen' | 'rparen' | 'minus' | 'or' | 'and'; pos: number; len: number }
  | { type: 'word'; pos: number; len: number; text: string }
  | { type: 'phrase'; pos: number; len: number; text: string }
  /** `field:` immediately followed by its value token. */
  | { type: 'field'; pos: number; len: number; name: string };

function isSpace(ch: string): boolean {
  return /\s/.test(ch);
}

const WORD_END = /[\s()"]/;

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  // A '-' negates only at the start of a term (so "spider-man" stays one word).
  let atTermStart = true;
  while (i < input.length) {
    const ch = input[i]!;
    if (isSpace(ch)) {
      i++;
      atTermStart = true;
      continue;
    }
    if (ch === '(') {
      tokens.push({ type: 'lparen', pos: i, len: 1 });
      i++;
      atTermStart = true;
      continue;
    }
    if (ch === ')') {
      tokens.push({ type: 'rparen', pos: i, len: 1 });
      i++;
      atTermStart = true;
      continue;
    }
    if (ch === '-' && atTermStart) {
      tokens.push({ type: 'minus', pos: i, len: 1 });
      i++;
      continue;
    }
    if (ch === '"') {
      const end = input.indexOf('"', i + 1);
      if (end < 0) throw new QueryParseError('This quotation mark is never closed. Add a closing " after the phrase.', i);
      tokens.push({ type: 'phrase', pos: i, len: end - i + 1, text: input.slice(i + 1, end) });
      i = end + 1;
      atTermStart = false;
      continue;
    }
    let end = i;
    while (end < input.length && !WORD_END.test(input[end]!)) end++;
    const word = input.slice(i, end);
    const colon = word.indexOf(':');
    const rawName = colon > 0 ? word.slice(0, colon).toLowerCase() : '';
    // Own keys only: `constructor:` or `__proto__:` must not find Object's properties.
    const name = Object.hasOwn(FIELD_ALIASES, rawName) ? FIELD_ALIASES[rawName]! : rawName;
    if (
      colon > 0 &&
      (TAG_FIELDS.has(name) || TEXT_FIELDS.has(name) || NUMBER_FIELDS.has(name) || name === 'language' || name === 'complete')
    ) {
      tokens.push({ type: 'field', pos: i, len: colon + 1, name });
      const valueStart = i + colon + 1;
      if (valueStart < end) {
        tokens.push({ type: 'word', pos: valueStart, len: end - valueStart, text: input.slice(valueStart, end) });
      }
      i = end;
      atTermStart = false;
      continue;
    }
    if (word === 'OR') tokens.push({ type: 'or', pos: i, len: 2 });
    else if (word === 'AND') tokens.push({ type: 'and', pos: i, len: 3 });
    else tokens.push({ type: 'word', pos: i, len: word.length, text: word });
    i = end;
    atTermStart = false;
  }
  return tokens;
}

const NUMBER_VALUE = /^(>=|<=|>|<|=)?(\d[\d,]*)$/;
const RANGE_VALUE = /^(\d[\d,]*)-(\d[\d,]*)$/;

function toNumber(text: string, pos: number, len: number): number {
  const n = Number(text.replace(/,/g, ''));
  if (!Number.isSafeInteger(n) || n > MAX_NUMBER) {
    const shown = text.length > 24 ? `${text.slice(0, 24)}…` : text;
    throw new QueryParseError(`${shown} is too large a number (at most ${MAX_NUMBER.toLocaleString('en')}).`, pos, len);
  }
  return n;
}

class Parser {
  private index = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly input: string,
  ) {}

  private peek(): Token | undefined {
    return this.tokens[this.index];
  }

  parseQuery(): QueryNode | null {
    if (this.tokens.length === 0) return null;
    const node = this.parseOr(0);
    const extra = this.peek();
    if (extra) {
      if (extra.type === 'rparen')
        throw new QueryParseError('This closing parenthesis has no opening one. Remove it or add a "(" before it.', extra.pos);
      throw new QueryParseError('Unexpected text here.', extra.pos, extra.len);
    }
    return node;
  }

  private parseOr(depth: number): QueryNode {
    const items = [this.parseAnd(depth)];
    while (this.peek()?.type === 'or') {
      const or = this.peek()!;
      this.index++;
      const next = this.peek();
      if (!next || next.type === 'rparen' || next.type === 'or')
        throw new QueryParseError('OR needs a term on both sides.', or.pos, or.len);
      items.push(this.parseAnd(depth));
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  }

  private parseAnd(depth: number): QueryNode {
    const items: QueryNode[] = [];
    for (;;) {
      const token = this.peek();
      if (!token || token.type === 'rparen' || token.type === 'or') break;
      if (token.type === 'and') {
        this.index++;
        const next = this.peek();
        if (items.length === 0 || !next || next.type === 'rparen' || next.type === 'or' || next.type === 'and') {
          throw new QueryParseError('AND needs a term on both sides.', token.pos, token.len);
        }
        continue;
      }
      items.push(this.parseUnary(depth));
    }
    if (items.length === 0) {
      const token = this.peek();
      if (token?.type === 'or') throw new QueryParseError('OR needs a term on both sides.', token.pos, token.len);
      if (token?.type === 'rparen') throw new QueryParseError('Empty parentheses: put a term inside them, or remove them.', token.pos);
      throw new QueryParseError('The query ends too early: a term is missing here.', this.input.length, 1);
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  }

  private parseUnary(depth: number): QueryNode {
    const token = this.peek()!;
    if (token.type === 'minus') {
      this.index++;
      const next = this.peek();
      if (
        !next ||
        next.pos !== token.pos + 1 ||
        next.type === 'rparen' ||
        next.type === 'or' ||
        next.type === 'and' ||
        next.type === 'minus'
      ) {
        throw new QueryParseError('A "-" must be followed by the term to exclude, with no space between.', token.pos);
      }
      return { kind: 'not', item: this.parseUnary(depth) };
    }
    return this.parsePrimary(depth);
  }

  private parsePrimary(depth: number): QueryNode {
    const token = this.peek()!;
    this.index++;
    switch (token.type) {
      case 'lparen': {
        if (depth >= MAX_DEPTH) throw new QueryParseError(`Parentheses nest too deeply (at most ${MAX_DEPTH}).`, token.pos);
        if (this.peek()?.type === 'rparen')
          throw new QueryParseError('Empty parentheses: put a term inside them, or remove them.', token.pos, 2);
        if (!this.peek()) throw new QueryParseError('This parenthesis is never closed. Add a ")" at the end of the group.', token.pos);
        const inner = this.parseOr(depth + 1);
        const close = this.peek();
        if (close?.type !== 'rparen')
          throw new QueryParseError('This parenthesis is never closed. Add a ")" at the end of the group.', token.pos);
        this.index++;
        return inner;
      }
      case 'word':
        return { kind: 'text', text: token.text, phrase: false };
      case 'phrase':
        if (token.text.trim() === '') throw new QueryParseError('This quoted phrase is empty.', token.pos, token.len);
        return { kind: 'text', text: token.text, phrase: true };
      case 'field':
        return this.parseFieldValue(token);
      case 'rparen':
        throw new QueryParseError('This closing parenthesis has no opening one. Remove it or add a "(" before it.', token.pos);
      default:
        throw new QueryParseError('Unexpected text here.', token.pos, token.len);
    }
  }

  private parseFieldValue(field: Extract<Token, { type: 'field' }>): QueryNode {
    const value = this.peek();
    const adjacent = value !== undefined && value.pos === field.pos + field.len && (value.type === 'word' || value.type === 'phrase');
    if (!adjacent) {
      throw new QueryParseError(`${field.name}: needs a value right after the colon, e.g. ${example(field.name)}.`, field.pos, field.len);
    }
    this.index++;
    const text = (value as { text: string }).text;
    const phrase = value.type === 'phrase';
    const name = field.name;
    if (TEXT_FIELDS.has(name)) {
      if (text.trim() === '') throw new QueryParseError(`${name}: needs a value.`, value.pos, value.len);
      return { kind: 'field', field: name as TextField, text, phrase };
    }
    if (TAG_FIELDS.has(name)) {
      if (text.trim() === '') throw new QueryParseError(`${name}: needs a tag name.`, value.pos, value.len);
      return { kind: 'tag', field: name as TagField, name: text.trim() };
    }
    if (name === 'language') {
      if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(text))
        throw new QueryParseError('language: takes a language code such as en, fr or pt-BR.', value.pos, value.len);
      return { kind: 'language', code: text };
    }
    if (name === 'complete') {
      const v = text.toLowerCase();
      if (v === 'true' || v === 'yes') return { kind: 'complete', value: true };
      if (v === 'false' || v === 'no') return { kind: 'complete', value: false };
      throw new QueryParseError('complete: takes true or false.', value.pos, value.len);
    }
    // A number field.
    const numberField = name as NumberField;
    const range = phrase ? null : RANGE_VALUE.exec(text);
    if (range) {
      const min = toNumber(range[1]!, value.pos, value.len);
      const max = toNumber(range[2]!, value.pos, value.len);
      if (min > max) throw new QueryParseError(`The range ${text} is backwards: put the smaller number first.`, value.pos, value.len);
      return { kind: 'range', field: numberField, min, max };
    }
    const match = phrase ? null : NUMBER_VALUE.exec(text);
    if (!match) {
      throw new QueryParseError(`${name}: takes a number, a comparison or a range, e.g. ${example(name)}.`, value.pos, value.len);
    }
    return { kind: 'number', field: numberField, op: (match[1] ?? '=') as Comparison, value: toNumber(match[2]!, value.pos, value.len) };
  }
}

function example(field: string): string {
  if (NUMBER_FIELDS.has(field)) return `${field}:>1000, ${field}:<=500 or ${field}:1000-5000`;
  if (field === 'complete') return 'complete:true';
  if (field === 'language') return 'language:en';
  return `${field}:"Some Name"`;
}

/**
 * Parses a search-box query to its AST (null for an empty query); throws QueryParseError
 * with the position of the first problem.
 */
export function parseQuery(input: string): QueryNode | null {
  if (input.length > MAX_QUERY_LENGTH)
    throw new QueryParseError(`The query is too long (at most ${MAX_QUERY_LENGTH} characters).`, MAX_QUERY_LENGTH);
  return new Parser(tokenize(input), input).parseQuery();
}

/** The query and a line with a caret under the problem, for error pages (monospace). */
export function pointAt(input: string, error: QueryParseError): string {
  const line = input.replace(/[\r\n\t]/g, ' ');
  const start = Math.min(error.position, line.length);
  const width = Math.max(1, Math.min(error.length, line.length - start || 1));
  return `${line}\n${' '.repeat(start)}${'^'.repeat(width)}`;
}

/** Every node of the tree, depth first. */
export function walkQuery(node: QueryNode | null, visit: (node: QueryNode, negated: boolean) => void, negated = false): void {
  if (!node) return;
  visit(node, negated);
  if (node.kind === 'and' || node.kind === 'or') for (const item of node.items) walkQuery(item, visit, negated);
  else if (node.kind === 'not') walkQuery(node.item, visit, !negated);
}
