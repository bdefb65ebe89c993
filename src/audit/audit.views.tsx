import { Layout, type PageContext } from '../web/layout.tsx';

export interface AuditEntryView {
  id: number;
  when: string;
  actor: string;
  action: string;
  target: string;
  reason: string;
  details: string;
}

/** The audit log, newest first: read-only, there is nothing to edit. */
export function AuditLogPage(props: { ctx: PageContext; entries: AuditEntryView[]; olderHref: string | null }) {
  return (
    <Layout ctx={props.ctx} title="Audit log">
      <h1>Audit log</h1>
      <p>Every moderation and admin action, newest first. Entries cannot be changed or removed.</p>
      {props.entries.length === 0 ? (
        <p>Nothing has been done yet.</p>
      ) : (
        <table class="data-table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Target</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {props.entries.map((e) => (
              <tr key={e.id}>
                <td>{e.when}</td>
                <td>{e.actor}</td>
                <td>{e.action}</td>
                <td>{e.target}</td>
                <td>
                  {e.reason}
                  {e.details ? <small class="hint"> {e.details}</small> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.olderHref ? (
        <p>
          <a href={props.olderHref}>Older entries</a>
        </p>
      ) : null}
    </Layout>
  );
}
