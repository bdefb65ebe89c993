import { ErrorSummary, SelectField } from '../web/components.tsx';
import type { FieldErrors } from '../web/form.ts';
import { CsrfField, Layout, type PageContext } from '../web/layout.tsx';

const SIZE_OPTIONS = [
  { value: 'small', label: 'Small' },
  { value: 'medium', label: 'Medium (default)' },
  { value: 'large', label: 'Large' },
  { value: 'x-large', label: 'Extra large' },
];
const WIDTH_OPTIONS = [
  { value: 'narrow', label: 'Narrow (about 55 characters a line)' },
  { value: 'medium', label: 'Medium (about 70, default)' },
  { value: 'wide', label: 'Wide (about 90)' },
];
const FONT_OPTIONS = [
  { value: 'serif', label: 'Serif (default)' },
  { value: 'sans', label: 'Sans serif' },
];
const THEME_OPTIONS = [
  { value: 'system', label: 'Same as my device (default)' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

function Checkbox(props: { name: string; label: string; values: Record<string, string>; hint?: string }) {
  const id = `field-${props.name}`;
  return (
    <div class="field">
      <label class="checkbox" for={id}>
        <input
          id={id}
          type="checkbox"
          name={props.name}
          value="1"
          checked={props.values[props.name] === '1'}
          aria-describedby={props.hint ? `hint-${props.name}` : undefined}
        />{' '}
        {props.label}
      </label>
      {props.hint ? (
        <p class="hint" id={`hint-${props.name}`}>
          {props.hint}
        </p>
      ) : null}
    </div>
  );
}

/** Reading preferences: adult content, spoilers, display. Guests' are kept in this browser. */
export function ReaderPreferencesPage(props: { ctx: PageContext; values: Record<string, string>; errors: FieldErrors }) {
  const { values, errors } = props;
  const signedIn = props.ctx.viewer !== null;
  return (
    <Layout ctx={props.ctx} title="Reading preferences">
      <h1>Reading preferences</h1>
      <p class="lede">
        {signedIn
          ? 'These are saved with your account and apply wherever you are logged in.'
          : 'You are not logged in: these are kept in a cookie in this browser only. Log in to keep them with your account.'}
      </p>
      <ErrorSummary errors={errors} />
      <form method="post" action="/preferences" class="preferences-form stack" novalidate>
        <CsrfField token={props.ctx.csrfToken} />
        <fieldset>
          <legend>Adult content</legend>
          <Checkbox
            name="show_adult"
            label="Show me adult content without checking"
            values={values}
            hint="Otherwise works rated Mature, Explicit or Not Rated open with a notice and a Proceed link."
          />
        </fieldset>
        <fieldset>
          <legend>Spoilers</legend>
          <Checkbox
            name="hide_warnings"
            label="Hide archive warnings"
            values={values}
            hint="They stay one click away: “Show warnings” on blurbs and work pages."
          />
          <Checkbox name="hide_freeforms" label="Hide additional tags" values={values} hint="Shown again with “Show additional tags”." />
        </fieldset>
        <fieldset>
          <legend>Display</legend>
          <SelectField name="theme" label="Theme" value={values.theme} errors={errors} options={THEME_OPTIONS} />
          <SelectField name="text_size" label="Text size" value={values.text_size} errors={errors} options={SIZE_OPTIONS} />
          <SelectField
            name="line_width"
            label="Line width of work text"
            value={values.line_width}
            errors={errors}
            options={WIDTH_OPTIONS}
          />
          <SelectField name="font" label="Font of work text" value={values.font} errors={errors} options={FONT_OPTIONS} />
        </fieldset>
        <div class="form-actions">
          <button type="submit" class="button">
            Save preferences
          </button>
        </div>
      </form>
    </Layout>
  );
}
