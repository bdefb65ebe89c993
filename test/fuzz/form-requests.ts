// Requests made from the forms the site's pages show: every field filled as the page suggests,
// with a hostile value, left out, or repeated; extra fields; the CSRF token right, wrong or
// missing; files of bytes that are not text; and the whole sent in the encodings of
// request-builders.ts.
import fc from 'fast-check';
import type { FoundForm, FormField } from './form-crawler.ts';
import { patternOf } from './form-crawler.ts';
import { hostileIdString, hostileString, invalidUtf8Bytes, overlongString, SWEEP_HAZARDS } from './fuzz-values.ts';
import {
  brokenQueryTail,
  DESTRUCTIVE_PATH,
  encodeMultipart,
  encodeQuery,
  encodeUrlencoded,
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
    case 'select': {
      if (slot.options.length === 0) return fc.constant(['']);
      // The placeholder option ("Choose…", value "") is what a person does not leave chosen.
      const options = slot.options.some((o) => o !== '') ? slot.options.filter((o) => o !== '') : slot.options;
      return slot.multiple ? fc.subarray(options, { minLength: 1, maxLength: 3 }) : one(fc.constantFrom(...options));
    }
    case 'checkbox':
      return slot.multiple
        ? fc.subarray(
            slot.values.map((v) => v || 'on'),
            { minLength: 1, maxLength: 2 },
          )
        : fc.constantFrom([slot.values[0] || 'on'], []);
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
    default: {
      // Never empty: an empty required field stops the form before the field under test is read.
      const words = fc.constantFrom('Alice', 'Fluff', 'Test Fandom', 'Hello there.', 'fuzz_member');
      const given = slot.values[0] ?? '';
      return one(given === '' ? words : fc.oneof({ arbitrary: fc.constant(given), weight: 4 }, { arbitrary: words, weight: 1 }));
    }
  }
}

/** What the sweeps put in the fields they are not testing: the page's own defaults, or a plain value that passes. */
function baselineValues(slot: Slot, ctx: FuzzContext): string[] {
  const given = slot.values[0] ?? '';
  switch (slot.kind) {
    case 'button': {
      // The button that saves (post, save) rather than one that previews, so the values reach the database.
      const saving = slot.values.find((x) => /^(post|save|submit|create|update)$/i.test(x));
      return [saving ?? given];
    }
    case 'select':
      return [slot.options.find((o) => o !== '') ?? ''];
    case 'checkbox':
      return slot.multiple ? [slot.values[0] || 'on'] : [];
    case 'number':
      return [given || '1'];
    case 'date':
      return ['2024-01-01'];
    case 'datetime-local':
      return [inAnHour()];
    case 'email':
      return ['fuzz@example.org'];
    case 'password':
      return [ctx.password];
    default:
      return [given || 'Test Fandom'];
  }
}

/** A field's hostile values: one hostile string, several values where one is expected, or none. */
function hostileValues(): fc.Arbitrary<string[]> {
  return fc.oneof(
    { arbitrary: hostileString.map((v) => [v]), weight: 6 },
    {
      arbitrary: fc.array(
        hostileString.filter((v) => v.length < 1000),
        { minLength: 2, maxLength: 5 },
      ),
      weight: 1,
    },
    { arbitrary: fc.constant([] as string[]), weight: 2 },
  );
}

/**
 * Every field's values. A hostile value only reaches the code behind the form when the other
 * fields pass their checks, so most requests change one field of an otherwise good form; the
 * rest change any number of fields, or none.
 */
function formValues(slots: Slot[], ctx: FuzzContext): fc.Arbitrary<{ mode: string; values: string[][] }> {
  const n = slots.length;
  return fc
    .record({
      plausible: fc.tuple(...slots.map((s) => plausibleValues(s, ctx))),
      hostile: fc.tuple(...slots.map(() => hostileValues())),
      mode: fc.constantFrom('one field', 'one field', 'one field', 'one field', 'two fields', 'any fields', 'any fields', 'good form'),
      picks: fc.tuple(fc.nat(), fc.nat()),
      mask: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: n, maxLength: n }),
    })
    .map(({ plausible, hostile, mode, picks, mask }) => {
      const chosen = new Set<number>();
      if (n > 0 && mode === 'one field') chosen.add(picks[0] % n);
      if (n > 0 && mode === 'two fields') chosen.add(picks[0] % n).add(picks[1] % n);
      if (mode === 'any fields') for (const [i, m] of mask.entries()) if (m === 0) chosen.add(i);
      const label = mode === 'one field' || mode === 'two fields' ? `${mode}: ${[...chosen].map((i) => slots[i]!.name).join(', ')}` : mode;
      return { mode: label, values: slots.map((_, i) => (chosen.has(i) ? hostile[i]! : plausible[i]!)) };
    });
}

/** The CSRF field: right most of the time (so the handler runs), otherwise wrong in some way. */
function csrfValues(token: string): fc.Arbitrary<{ label: string; values: string[] }> {
  type Csrf = { label: string; values: string[] };
  return fc.oneof<fc.WeightedArbitrary<Csrf>[]>(
    { arbitrary: fc.constant({ label: 'csrf ok', values: [token] }), weight: 20 },
    { arbitrary: fc.constant({ label: 'csrf missing', values: [] as string[] }), weight: 1 },
    { arbitrary: fc.constant({ label: 'csrf twice', values: [token, token] }), weight: 1 },
    {
      arbitrary: fc
        .constantFrom('', 'x', token.slice(1), `${token}\u0000`, token.toUpperCase(), 'A'.repeat(43))
        .map((v) => ({ label: 'csrf wrong', values: [v] })),
      weight: 1,
    },
    { arbitrary: hostileString.map((v) => ({ label: 'csrf hostile', values: [v] })), weight: 1 },
  );
}

/** Bytes for a file field: text, not text, empty, past the upload limit, an archive's magic number. */
const fileBytes: fc.Arbitrary<{ label: string; type: string; bytes: Buffer }> = fc.oneof(
  fc.constant({ label: 'text file', type: 'text/plain', bytes: Buffer.from('A chapter.\n\n"Hello," she said.') }),
  invalidUtf8Bytes.map((b) => ({
    label: 'file not UTF-8',
    type: 'text/plain',
    bytes: Buffer.concat([Buffer.from('Text '), b, Buffer.from(' more')]),
  })),
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

/** What one form request is made of, before it is encoded. */
interface FormDraft {
  label: string;
  fields: Field[];
  files: FilePart[];
  retarget: string | null;
  tail: string;
}

/** The form's action, fields and files as a request: a query for GET forms, a body for POST ones. */
function formRequest(form: FoundForm, as: Identity, id: string, draft: FormDraft): fc.Arbitrary<FuzzRequest> {
  const action = draft.retarget ? form.action.replace(/\/\d+(?=\/|$|\?)/, `/${draft.retarget}`) : form.action;
  if (form.method === 'GET') {
    const query = encodeQuery(draft.fields, draft.tail);
    const url = action.includes('?') ? `${action}&${query.slice(1)}` : action + query;
    return fc.constant<FuzzRequest>({ target: id, generator: `query, ${draft.label}`, as, method: 'GET', url, headers: {} });
  }
  return formBodyEncodings(draft.fields, draft.files, form.multipart).map(
    (body): FuzzRequest => ({
      target: id,
      generator: `${body.encoding}, ${draft.label}`,
      as,
      method: 'POST',
      url: action,
      headers: body.contentType !== undefined ? { 'content-type': body.contentType } : {},
      ...(body.payload !== undefined ? { payload: body.payload } : {}),
    }),
  );
}

/** The same, encoded as the page's own form would send it (url-encoded, or multipart). */
function nativeFormRequest(form: FoundForm, as: Identity, id: string, draft: FormDraft): FuzzRequest {
  if (form.method === 'GET') return fc.sample(formRequest(form, as, id, draft), { seed: 1, numRuns: 1 })[0]!;
  const body =
    form.multipart || draft.files.length > 0
      ? encodeMultipart(draft.fields, draft.files)
      : { contentType: 'application/x-www-form-urlencoded', payload: encodeUrlencoded(draft.fields) };
  return {
    target: id,
    generator: `sweep, ${draft.label}`,
    as,
    method: 'POST',
    url: form.action,
    headers: { 'content-type': body.contentType },
    payload: body.payload,
  };
}

/** One target a form: its fields fuzzed as its page's visitor would send them. */
export function formTarget(form: FoundForm, as: Identity): FuzzTarget {
  const slots = slotsOf(form.fields).filter((s) => s.kind !== 'file' && s.name !== '_csrf');
  const fileSlots = slotsOf(form.fields).filter((s) => s.kind === 'file');
  const [actionPath] = form.action.split('?', 1) as [string];
  const id = `form ${form.method} ${patternOf(form.action)} (${as})`;
  const fieldsOf = (values: string[][], csrf: string[]): Field[] => [
    ...csrf.map((v): Field => ['_csrf', v]),
    ...slots.flatMap((slot, i) => values[i]!.map((v): Field => [slot.name, v])),
  ];
  return {
    id,
    // A form of many fields needs more requests for each field to get its turn.
    weight: 2 + slots.length / 4,
    destructive: DESTRUCTIVE_PATH.test(actionPath),
    // Every field once with each sweep hazard, the rest of the form filled in as a person would.
    sweep: (ctx) => {
      const plausible = slots.map((slot) => baselineValues(slot, ctx));
      // A text format select (plain, Markdown, HTML): deep text is tried under each, so each parser meets it.
      const format = slots.findIndex((s) => s.kind === 'select' && s.options.includes('html') && s.options.includes('plain'));
      const requests: FuzzRequest[] = [];
      const add = (label: string, values: string[][]) =>
        requests.push(
          nativeFormRequest(form, as, id, { label, fields: fieldsOf(values, [ctx.csrf[as]]), files: [], retarget: null, tail: '' }),
        );
      slots.forEach((slot, i) => {
        if (slot.kind === 'hidden' && slot.values.every((v) => /^\d*$/.test(v))) return; // ids: the route sweeps try those
        for (const [hazard, value] of SWEEP_HAZARDS) {
          const values = plausible.map((v, j) => (j === i ? [value] : v));
          if (hazard.startsWith('deep') && format >= 0 && slot.kind === 'textarea') {
            for (const option of slots[format]!.options)
              add(
                `${hazard} in ${slot.name} as ${option}`,
                values.map((v, j) => (j === format ? [option] : v)),
              );
          } else add(`${hazard} in ${slot.name}`, values);
        }
      });
      return requests;
    },
    requests: (ctx) =>
      fc
        .record({
          form: formValues(slots, ctx),
          csrf: csrfValues(ctx.csrf[as]),
          extra: fc.array(
            fc.tuple(
              fc.oneof(
                fc.constantFrom(...ctx.fieldNames, '__proto__', 'a[b]', ''),
                hostileString.filter((k) => k.length < 300),
              ),
              hostileString,
            ),
            { maxLength: 1 },
          ),
          csrfLast: fc.boolean(),
          files: fc.tuple(
            ...fileSlots.map(() =>
              fc.oneof({ arbitrary: fc.constant(null), weight: 2 }, { arbitrary: fc.tuple(fileBytes, fileName), weight: 1 }),
            ),
          ),
          // Now and then the form is sent to a thing that does not exist, or is not a thing.
          retarget: fc.oneof({ arbitrary: fc.constant(null), weight: 9 }, { arbitrary: hostileIdString, weight: 1 }),
          tail: brokenQueryTail,
        })
        .chain(({ form: { mode, values }, csrf, extra, csrfLast, files, retarget, tail }) => {
          const fields = fieldsOf(values, []);
          for (const v of csrf.values) {
            if (csrfLast) fields.push(['_csrf', v]);
            else fields.unshift(['_csrf', v]);
          }
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
          const label = `${mode}, ${csrf.label}${retarget ? ', retargeted' : ''}${fileLabel}`;
          return formRequest(form, as, id, { label, fields, files: parts, retarget, tail });
        }),
  };
}
