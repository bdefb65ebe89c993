// Requests made from the forms the site's pages show: every field filled as the page suggests,
// with a hostile value, left out, or repeated; extra fields; the CSRF token right, wrong or
// missing; files of bytes that are not text; and the whole sent in the encodings of
// request-builders.ts.
import fc from 'fast-check';
import type { FoundForm, FormField } from './form-crawler.ts';
import { patternOf } from './form-crawler.ts';
import { hostileIdString, hostileString, invalidUtf8Bytes, overlongString } from './fuzz-values.ts';
import {
  brokenQueryTail,
  DESTRUCTIVE_PATH,
  encodeQuery,
  formBodyEncodings,
  type Field,
  type FilePart,
  type FuzzContext,
  type FuzzRequest,
  type FuzzTarget,
  type Identity,
} from './request-builders.ts';

/** A field name with every control of that name on the form (a radio group, a set of checkboxes). */
interface Slot {
  name: string;
  kind: string;
  values: string[];
  options: string[];
  multiple: boolean;
}

function slotsOf(fields: FormField[]): Slot[] {
  const slots = new Map<string, Slot>();
  for (const f of fields) {
    const slot = slots.get(f.name) ?? { name: f.name, kind: f.kind, values: [], options: [], multiple: f.multiple };
    slot.values.push(f.value);
    slot.options.push(...f.options);
    if (f.kind === 'checkbox' && slot.values.length > 1) slot.multiple = true;
    slots.set(f.name, slot);
  }
  return [...slots.values()];
}

const inAnHour = () => new Date(Date.now() + 3600_000).toISOString().slice(0, 16);

/** What a person filling in the form would put in this field. */
function plausibleValues(slot: Slot, ctx: FuzzContext): fc.Arbitrary<string[]> {
  const one = (arb: fc.Arbitrary<string>) => arb.map((v) => [v]);
  switch (slot.kind) {
    case 'select':
      if (slot.options.length === 0) return fc.constant(['']);
      return slot.multiple ? fc.subarray(slot.options, { minLength: 1 }) : one(fc.constantFrom(...slot.options));
    case 'checkbox':
      return slot.multiple ? fc.subarray(slot.values.map((v) => v || 'on'), { minLength: 1 }) : one(fc.constant(slot.values[0] || 'on'));
    case 'radio':
    case 'button':
    case 'submit':
    case 'hidden':
      return one(fc.constantFrom(...slot.values));
    case 'number':
      return one(fc.integer({ min: 0, max: 10 }).map(String));
    case 'date':
      return one(fc.constantFrom('2024-01-01', '2030-06-15'));
    case 'datetime-local':
      return one(fc.constant(inAnHour()));
    case 'email':
      return one(fc.constant('fuzz@example.org'));
    case 'password':
      return one(fc.constantFrom(ctx.password, 'wrong password'));
    default:
      return one(fc.oneof(fc.constant(slot.values[0] ?? ''), fc.constantFrom('Alice', 'Fluff', 'Test Fandom', 'Hello there.', 'fuzz_member')).filter((v) => v !== '' || slot.values[0] === ''));
  }
}

/** A field's values: as a person would fill it (most of the time), hostile, repeated, or missing. */
function fieldValues(slot: Slot, ctx: FuzzContext): fc.Arbitrary<string[]> {
  return fc.oneof(
    { arbitrary: plausibleValues(slot, ctx), weight: 10 },
    { arbitrary: hostileString.map((v) => [v]), weight: 5 },
    { arbitrary: fc.array(hostileString.filter((v) => v.length < 1000), { minLength: 2, maxLength: 5 }), weight: 1 },
    { arbitrary: fc.constant([] as string[]), weight: 2 },
  );
}

/** The CSRF field: right most of the time (so the handler runs), otherwise wrong in some way. */
function csrfValues(token: string): fc.Arbitrary<{ label: string; values: string[] }> {
  type Csrf = { label: string; values: string[] };
  return fc.oneof<fc.WeightedArbitrary<Csrf>[]>(
    { arbitrary: fc.constant({ label: 'csrf ok', values: [token] }), weight: 20 },
    { arbitrary: fc.constant({ label: 'csrf missing', values: [] as string[] }), weight: 1 },
    { arbitrary: fc.constant({ label: 'csrf twice', values: [token, token] }), weight: 1 },
    { arbitrary: fc.constantFrom('', 'x', token.slice(1), `${token}\u0000`, token.toUpperCase(), 'A'.repeat(43)).map((v) => ({ label: 'csrf wrong', values: [v] })), weight: 1 },
    { arbitrary: hostileString.map((v) => ({ label: 'csrf hostile', values: [v] })), weight: 1 },
  );
}

/** Bytes for a file field: text, not text, empty, past the upload limit, an archive's magic number. */
const fileBytes: fc.Arbitrary<{ label: string; type: string; bytes: Buffer }> = fc.oneof(
  fc.constant({ label: 'text file', type: 'text/plain', bytes: Buffer.from('A chapter.\n\n"Hello," she said.') }),
  invalidUtf8Bytes.map((b) => ({ label: 'file not UTF-8', type: 'text/plain', bytes: Buffer.concat([Buffer.from('Text '), b, Buffer.from(' more')]) })),
  fc.constant({ label: 'empty file', type: 'text/plain', bytes: Buffer.alloc(0) }),
  fc.constant({ label: 'file past the limit', type: 'text/plain', bytes: Buffer.alloc(5 * 1024 * 1024 + 1, 0x61) }),
  fc.constant({ label: 'broken epub', type: 'application/epub+zip', bytes: Buffer.from('PK\u0003\u0004 this is not a zip', 'latin1') }),
  fc.constant({ label: 'deep html file', type: 'text/html', bytes: Buffer.from('<div>'.repeat(10_000)) }),
  overlongString.map((s) => ({ label: 'overlong file', type: 'text/html', bytes: Buffer.from(s) })),
  fc.uint8Array({ maxLength: 200 }).map((a) => ({ label: 'random bytes', type: 'application/octet-stream', bytes: Buffer.from(a) })),
);

const fileName = fc.oneof(
  fc.constantFrom('chapter.txt', 'story.html', 'book.epub', 'chapter.md'),
  fc.constantFrom('', '../../etc/passwd', 'a\u0000b.txt', 'x'.repeat(1000) + '.txt', 'ﬁlé 😀.txt', 'no-extension', '.epub'),
);

/** Visitors must keep their accounts: these forms could delete them or change their passwords. */
export function endsTheAccount(path: string, ctx: FuzzContext): boolean {
  const own = `(${ctx.ids.logins.member}|${ctx.ids.logins.admin})`;
  return new RegExp(`^/users/[^/]+/(delete|password)$|^/moderation/users/${own}/`).test(path);
}

/** One target a form: its fields fuzzed as its page's visitor would send them. */
export function formTarget(form: FoundForm, as: Identity): FuzzTarget {
  const slots = slotsOf(form.fields).filter((s) => s.kind !== 'file' && s.name !== '_csrf');
  const fileSlots = slotsOf(form.fields).filter((s) => s.kind === 'file');
  const [actionPath] = form.action.split('?', 1) as [string];
  const id = `form ${form.method} ${patternOf(form.action)} (${as})`;
  return {
    id,
    weight: 2,
    destructive: DESTRUCTIVE_PATH.test(actionPath),
    requests: (ctx) =>
      fc
        .record({
          values: fc.tuple(...slots.map((s) => fieldValues(s, ctx))),
          csrf: csrfValues(ctx.csrf[as]),
          extra: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...ctx.fieldNames, '__proto__', 'a[b]', ''), hostileString.filter((k) => k.length < 300)), hostileString), { maxLength: 2 }),
          order: fc.boolean(),
          files: fc.tuple(...fileSlots.map(() => fc.option(fc.tuple(fileBytes, fileName), { freq: 5 }))),
          // Now and then the form is sent to a thing that does not exist, or is not a thing.
          retarget: fc.oneof({ arbitrary: fc.constant(null), weight: 9 }, { arbitrary: hostileIdString, weight: 1 }),
          tail: brokenQueryTail,
        })
        .chain(({ values, csrf, extra, order, files, retarget, tail }) => {
          const fields: Field[] = [];
          slots.forEach((slot, i) => values[i]!.forEach((v) => fields.push([slot.name, v])));
          for (const v of csrf.values) (order ? fields.unshift.bind(fields) : fields.push.bind(fields))(['_csrf', v]);
          fields.push(...(extra as Field[]));
          const parts: FilePart[] = [];
          let fileLabel = '';
          fileSlots.forEach((slot, i) => {
            const chosen = files[i];
            if (!chosen) return;
            const [file, filename] = chosen;
            parts.push({ name: slot.name, filename, type: file.type, bytes: file.bytes });
            fileLabel = `, ${file.label}`;
          });
          const action = retarget ? form.action.replace(/\/\d+(?=\/|$|\?)/, `/${retarget}`) : form.action;
          const label = `${csrf.label}${retarget ? ', retargeted' : ''}${fileLabel}`;
          if (form.method === 'GET') {
            const url = action.includes('?') ? `${action}&${encodeQuery(fields, tail).slice(1)}` : action + encodeQuery(fields, tail);
            return fc.constant<FuzzRequest>({ target: id, generator: `query, ${label}`, as, method: 'GET', url, headers: {} });
          }
          return formBodyEncodings(fields, parts, form.multipart).map(
            (body): FuzzRequest => ({
              target: id,
              generator: `${body.encoding}, ${label}`,
              as,
              method: 'POST',
              url: action,
              headers: body.contentType !== undefined ? { 'content-type': body.contentType } : {},
              ...(body.payload !== undefined ? { payload: body.payload } : {}),
            }),
          );
        }),
  };
}
