import { ErrorSummary, TextArea } from '../web/components.tsx';
import type { FieldErrors } from '../web/form.ts';
import { CsrfField, Layout, type PageContext } from '../web/layout.tsx';

export interface EmbedHostsView {
  /** The textarea's text: the list in force, or what the admin typed. */
  hosts: string;
  builtIn: readonly string[];
  usingBuiltIn: boolean;
}

export function EmbedHostsPage(props: { ctx: PageContext; view: EmbedHostsView; errors: FieldErrors }) {
  const { view, errors } = props;
  return (
    <Layout ctx={props.ctx} title="Embedded players">
      <h1>Embedded players</h1>
      <p>
        Works may embed players (podfic, fanvids) from these hosts only: an <code>&lt;iframe&gt;</code>, <code>&lt;embed&gt;</code>,{' '}
        <code>&lt;audio&gt;</code> or <code>&lt;video&gt;</code> from anywhere else is removed when the text is saved. Readers see a
        placeholder and load a player by choice; the pages' Content-Security-Policy admits exactly these hosts.
      </p>
      <p>
        {view.usingBuiltIn ? 'The built-in list is in force.' : 'Your own list is in force.'} Removing a host stops its players from loading
        at once; adding one applies to texts saved from now on.
      </p>
      <ErrorSummary errors={errors} />
      <form method="post" action="/admin/embeds" class="stack" novalidate>
        <CsrfField token={props.ctx.csrfToken} />
        <TextArea
          name="hosts"
          label="Hosts, one per line"
          hint="A host name such as player.vimeo.com; www. is implied. No paths, ports or wildcards."
          value={view.hosts}
          errors={errors}
          rows={16}
        />
        <div class="form-actions">
          <button type="submit" class="button">
            Save hosts
          </button>{' '}
          <button type="submit" name="reset" value="1" class="button button-secondary">
            Use the built-in list
          </button>
        </div>
      </form>
      <details>
        <summary>The built-in list</summary>
        <ul>
          {view.builtIn.map((host) => (
            <li key={host}>{host}</li>
          ))}
        </ul>
      </details>
    </Layout>
  );
}
