import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteDeps } from '../app-deps.ts';
import { HttpError } from '../web/errors.tsx';
import { formList, formValues, parseId, toFieldErrors, type FieldErrors } from '../web/form.ts';
import { pageContext, requireViewer } from '../web/page-context.ts';
import { sendPage } from '../web/render.ts';
import { setFlash } from '../web/session.ts';
import type { Viewer } from '../web/viewer.ts';
import { applyInboxAction, InboxActionSchema, InboxFilterSchema, listInbox, openInboxItem, type InboxFilter } from './inbox.service.ts';
import { toInboxItemView } from './inbox.presenter.ts';
import { InboxPage } from './inbox.views.tsx';

type LoginParams = { Params: { login: string } };

/** Only the owner reads an inbox. */
function requireOwner(request: FastifyRequest<LoginParams>): Viewer {
  const viewer = requireViewer(request);
  if (viewer.login !== request.params.login) throw new HttpError(403, 'You can only read your own inbox.');
  return viewer;
}

export function inboxRoutes(app: FastifyInstance, { db, config }: RouteDeps): void {
  const show = async (
    request: FastifyRequest<LoginParams>,
    reply: FastifyReply,
    viewer: Viewer,
    filter: InboxFilter,
    errors: FieldErrors,
    status = 200,
  ) => {
    const { rows, hasNext, unread } = await listInbox(db, viewer.id, filter);
    const base = `/users/${encodeURIComponent(viewer.login)}/inbox`;
    const items = rows.map((r) => toInboxItemView(r, base));
    return sendPage(
      reply,
      <InboxPage
        ctx={pageContext(request, reply, config.siteName)}
        view={{ login: viewer.login, items, unread, filter: filter.filter, page: filter.page, hasNext, errors }}
      />,
      status,
    );
  };

  app.get<LoginParams>('/users/:login/inbox', async (request, reply) => {
    const viewer = requireOwner(request);
    return show(request, reply, viewer, InboxFilterSchema.parse(request.query ?? {}), {});
  });

  app.post<LoginParams>('/users/:login/inbox', async (request, reply) => {
    const viewer = requireOwner(request);
    const values = formValues(request.body);
    const parsed = InboxActionSchema.safeParse({
      action: values.action,
      ids: formList((request.body as Record<string, unknown> | undefined)?.ids),
    });
    if (!parsed.success) return show(request, reply, viewer, { filter: 'all', page: 1 }, toFieldErrors(parsed.error), 422);
    const n = await applyInboxAction(db, viewer.id, parsed.data);
    const done = { read: 'marked read', unread: 'marked unread', delete: 'deleted' }[parsed.data.action];
    setFlash(request, reply, `${n} ${n === 1 ? 'item' : 'items'} ${done}.`);
    return reply.redirect(`/users/${encodeURIComponent(viewer.login)}/inbox`, 303);
  });

  // Following a notification marks it read on the way (a GET that only touches the owner's own row).
  app.get<{ Params: { login: string; itemId: string } }>('/users/:login/inbox/:itemId', async (request, reply) => {
    const viewer = requireOwner(request);
    const id = parseId(request.params.itemId);
    const url = id === null ? undefined : await openInboxItem(db, viewer.id, id);
    if (!url) throw new HttpError(404, 'There is no such item in your inbox. It may have been deleted.');
    return reply.redirect(url, 303);
  });
}
