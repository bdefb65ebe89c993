import { ErrorSummary, SelectField, TextArea, TextField } from '../web/components.tsx';
import type { FieldErrors } from '../web/form.ts';
import { CsrfField, Layout, type PageContext } from '../web/layout.tsx';
import { EXAMPLE_SKINS, type ExampleSkin } from './example-skins.ts';
import type { SkinProblem } from './skin-contract.ts';

export interface SkinListItem {
  id: number;
  title: string;
  uses: number;
}

export function SkinsPage(props: { ctx: PageContext; skins: SkinListItem[] }) {
  return (
    <Layout ctx={props.ctx} title="My work skins">
      <h1>My work skins</h1>
      <p>
        A work skin is a stylesheet for your work's text: text messages as phone bubbles, letters on paper, chat logs. Write one, or start
        from an example, then choose it for a work from the work's page ("Work skin").
      </p>
      <p>
        <a class="button" href="/skins/new">
          New skin
        </a>
      </p>
      {props.skins.length === 0 ? (
        <p>You have no skins yet.</p>
      ) : (
        <ul class="skin-list">
          {props.skins.map((s) => (
            <li>
              <a href={`/skins/${s.id}/edit`}>{s.title}</a> ({s.uses === 1 ? 'used by 1 work' : `used by ${s.uses} works`})
            </li>
          ))}
        </ul>
      )}
      <h2>Start from an example</h2>
      <ul class="skin-list">
        {EXAMPLE_SKINS.map((e) => (
          <li>
            <a href={`/skins/new?from=${e.key}`}>{e.title}</a>: {e.description}
          </li>
        ))}
      </ul>
    </Layout>
  );
}

export interface SkinFormValues {
  title: string;
  css: string;
}

/** What was left out of the creator's CSS, line by line, and why. */
function DroppedList(props: { problems: SkinProblem[] }) {
  if (props.problems.length === 0) return null;
  return (
    <div class="notice skin-problems" role="status">
      <h2>
        {props.problems.length === 1
          ? 'One part of this CSS cannot be used in a work skin'
          : `${props.problems.length} parts of this CSS cannot be used in a work skin`}
      </h2>
      <ul>
        {props.problems.slice(0, 100).map((p) => (
          <li>
            {p.line !== null ? `Line ${p.line}: ` : ''}
            <code>{p.text}</code> — {p.reason}
          </li>
        ))}
      </ul>
      {props.problems.length > 100 ? <p>…and {props.problems.length - 100} more.</p> : null}
    </div>
  );
}

function ExampleHtml(props: { example: ExampleSkin }) {
  return (
    <section class="skin-example" aria-labelledby="skin-example-heading">
      <h2 id="skin-example-heading">Using the {props.example.title.toLowerCase()} skin in your chapters</h2>
      <p>Write the chapter in HTML and give paragraphs these classes:</p>
      <pre class="code-sample">
        <code>{props.example.html}</code>
      </pre>
    </section>
  );
}

export function SkinFormPage(props: {
  ctx: PageContext;
  skinId?: number;
  values: SkinFormValues;
  errors: FieldErrors;
  problems: SkinProblem[];
  example?: ExampleSkin | undefined;
}) {
  const editing = props.skinId !== undefined;
  const action = editing ? `/skins/${props.skinId}` : '/skins';
  const title = editing ? `Edit skin ${props.values.title}` : 'New work skin';
  return (
    <Layout ctx={props.ctx} title={title}>
      <h1>{title}</h1>
      <ErrorSummary errors={props.errors} labels={{ title: 'Title', css: 'CSS' }} />
      <DroppedList problems={props.problems} />
      <form method="post" action={action} class="stack" novalidate>
        <CsrfField token={props.ctx.csrfToken} />
        <TextField name="title" label="Title" value={props.values.title} errors={props.errors} />
        <TextArea
          name="css"
          label="CSS"
          value={props.values.css}
          rows={18}
          errors={props.errors}
          hint="Selectors apply inside your work's text only (#workskin is added for you). Allowed: colours, fonts, borders, backgrounds without images, margins, padding, sizes, float and @media. Not allowed: url(), @import, @font-face, position: fixed, custom properties. At most 50 KB."
        />
        {props.problems.length > 0 ? (
          <div class="field checkbox">
            <input type="checkbox" name="accept_dropped" value="1" id="field-accept_dropped" />{' '}
            <label for="field-accept_dropped">Save without the parts listed above</label>
          </div>
        ) : null}
        <div class="form-actions">
          <button type="submit" class="button">
            Save skin
          </button>
          <a class="button button-secondary" href="/skins">
            Cancel
          </a>
        </div>
      </form>
      {props.example ? <ExampleHtml example={props.example} /> : null}
      {editing ? (
        <form method="post" action={`/skins/${props.skinId}/delete`} class="danger-zone">
          <CsrfField token={props.ctx.csrfToken} />
          <button type="submit" class="button button-danger">
            Delete this skin
          </button>
        </form>
      ) : null}
    </Layout>
  );
}

export function SkinChoicePage(props: {
  ctx: PageContext;
  work: { id: number; title: string };
  skins: { id: number; title: string }[];
  value: string;
  errors: FieldErrors;
}) {
  const options = [
    { value: '', label: 'None' },
    ...props.skins.map((s) => ({ value: String(s.id), label: s.title })),
    ...EXAMPLE_SKINS.map((e) => ({ value: `example:${e.key}`, label: `${e.title} (example, copied to your skins)` })),
  ];
  return (
    <Layout ctx={props.ctx} title={`Work skin for ${props.work.title}`}>
      <h1>Work skin for {props.work.title}</h1>
      <ErrorSummary errors={props.errors} />
      <form method="post" action={`/works/${props.work.id}/skin`} class="stack" novalidate>
        <CsrfField token={props.ctx.csrfToken} />
        <SelectField
          name="skin"
          label="Skin"
          value={props.value}
          options={options}
          errors={props.errors}
          hint="The skin styles this work's text for every reader. Readers can still read it without: the text stays in order."
        />
        <div class="form-actions">
          <button type="submit" class="button">
            Save
          </button>
          <a class="button button-secondary" href={`/works/${props.work.id}`}>
            Back to the work
          </a>
        </div>
      </form>
      <p>
        <a href="/skins">Manage my skins</a>
      </p>
    </Layout>
  );
}
