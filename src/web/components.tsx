import type { ComponentChildren } from 'preact';
import type { SafeHtml } from '../lib/safe-html.ts';
import { toReaderHtml } from '../works/text/reader-embeds.ts';
import type { FieldErrors } from './form.ts';

/** The click-to-load players' script; it binds each placeholder once, so several blocks may each bring it. */
const EMBEDS_SCRIPT = '<script src="/static/embeds.js?v=1" defer></script>';

/**
 * Writes sanitized HTML into the page; the SafeHtml type makes raw strings a compile error. Players
 * become click-to-load placeholders here, on every page, so none loads before a reader chooses it.
 */
export function RawHtml(props: { html: SafeHtml; class?: string; as?: 'div' | 'blockquote' }) {
  const Tag = props.as ?? 'div';
  const html = toReaderHtml(props.html);
  return <Tag class={props.class} dangerouslySetInnerHTML={{ __html: html === props.html ? html : html + EMBEDS_SCRIPT }} />;
}

/** A list of every error on the form, linked to its field, shown above the form. */
export function ErrorSummary(props: { errors: FieldErrors; labels?: Record<string, string> }) {
  const entries = Object.entries(props.errors);
  if (entries.length === 0) return null;
  return (
    <div class="error-summary" role="alert" tabIndex={-1}>
      <h2>{entries.length === 1 ? 'There is a problem' : `There are ${entries.length} problems`} with this form</h2>
      <ul>
        {entries.map(([field, message]) => (
          <li key={field}>{field === '_form' ? message : <a href={`#field-${field}`}>{message}</a>}</li>
        ))}
      </ul>
    </div>
  );
}

interface FieldProps {
  name: string;
  label: string;
  errors: FieldErrors;
  hint?: string;
  children?: ComponentChildren;
}

function FieldFrame(props: FieldProps & { control: ComponentChildren }) {
  const error = props.errors[props.name];
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={`field-${props.name}`}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`hint-${props.name}`}>
          {props.hint}
        </p>
      ) : null}
      {error ? (
        <p class="error-message" id={`error-${props.name}`}>
          {error}
        </p>
      ) : null}
      {props.control}
    </div>
  );
}

function describedBy(props: FieldProps): string | undefined {
  const ids = [props.hint ? `hint-${props.name}` : '', props.errors[props.name] ? `error-${props.name}` : ''].filter(Boolean).join(' ');
  return ids || undefined;
}

/** A labelled text input with its hint and error. */
export function TextField(
  props: FieldProps & {
    value?: string | undefined;
    type?: 'text' | 'email' | 'password' | 'url' | 'number' | 'search';
    required?: boolean;
    autocomplete?: string;
    maxLength?: number;
  },
) {
  return (
    <FieldFrame
      {...props}
      control={
        <input
          id={`field-${props.name}`}
          name={props.name}
          // Preact types inputs as a union keyed by `type`; every type allowed here takes these attributes.
          type={(props.type ?? 'text') as 'text'}
          value={props.value ?? ''}
          required={props.required}
          autocomplete={props.autocomplete}
          maxLength={props.maxLength}
          aria-invalid={props.errors[props.name] ? 'true' : undefined}
          aria-describedby={describedBy(props)}
        />
      }
    />
  );
}

/** A labelled textarea with its hint and error. */
export function TextArea(props: FieldProps & { value?: string | undefined; rows?: number; required?: boolean }) {
  return (
    <FieldFrame
      {...props}
      control={
        <textarea
          id={`field-${props.name}`}
          name={props.name}
          rows={props.rows ?? 6}
          required={props.required}
          aria-invalid={props.errors[props.name] ? 'true' : undefined}
          aria-describedby={describedBy(props)}
        >
          {props.value ?? ''}
        </textarea>
      }
    />
  );
}

/** A labelled select with its hint and error. */
export function SelectField(props: FieldProps & { value?: string | undefined; options: ReadonlyArray<{ value: string; label: string }> }) {
  return (
    <FieldFrame
      {...props}
      control={
        <select
          id={`field-${props.name}`}
          name={props.name}
          aria-invalid={props.errors[props.name] ? 'true' : undefined}
          aria-describedby={describedBy(props)}
        >
          {props.options.map((o) => (
            <option key={o.value} value={o.value} selected={o.value === props.value}>
              {o.label}
            </option>
          ))}
        </select>
      }
    />
  );
}

/** A fieldset of checkboxes (several values for one name) with its legend, hint and error. */
export function CheckboxGroup(props: FieldProps & { values: readonly string[]; options: ReadonlyArray<{ value: string; label: string }> }) {
  const error = props.errors[props.name];
  return (
    <fieldset class={error ? 'field checkbox-group field-error' : 'field checkbox-group'} id={`field-${props.name}`}>
      <legend>{props.label}</legend>
      {props.hint ? <p class="hint">{props.hint}</p> : null}
      {error ? <p class="error-message">{error}</p> : null}
      {props.options.map((o, i) => (
        <label key={o.value} class="checkbox">
          <input
            type="checkbox"
            name={props.name}
            value={o.value}
            checked={props.values.includes(o.value)}
            id={i === 0 ? undefined : `field-${props.name}-${i}`}
          />{' '}
          {o.label}
        </label>
      ))}
    </fieldset>
  );
}

/** Previous/next page links for a paginated listing. */
export function Pagination(props: { page: number; hasNext: boolean; href: (page: number) => string }) {
  if (props.page <= 1 && !props.hasNext) return null;
  return (
    <nav class="pagination" aria-label="Pages">
      {props.page > 1 ? (
        <a href={props.href(props.page - 1)} rel="prev">
          ← Previous
        </a>
      ) : null}
      <span class="page-number">Page {props.page}</span>
      {props.hasNext ? (
        <a href={props.href(props.page + 1)} rel="next">
          Next →
        </a>
      ) : null}
    </nav>
  );
}
