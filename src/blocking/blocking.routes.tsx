import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { RouteDeps } from '../app-deps.ts';
import { formatDate } from '../lib/dates.ts';
import { HttpError } from '../web/errors.tsx';
import { formValues, toFieldErrors, type FieldErrors } from '../web/form.ts';
import { pageContext, requireViewer } from '../web/page-context.ts';
import { sendPage } from '../web/render.ts';
import { setFlash } from '../web/session.ts';
import type { Viewer } from '../web/viewer.ts';
import { listBlocked, listMuted } from './blocking.repo.ts';
import { addRelation, BlockingError, removeRelation, type Relation } from './blocking.service.ts';
import { RelationPage } from './blocking.views.tsx';

const RelationFormSchema = z.object({
  action: z.enum(['add', 'remove'], { error: 'Use the Mute/Block or Unmute/Unblock buttons.' }),
  user: z.string({ error: 'Enter a user name.' }).trim().min(1, 'Enter a user name.').max(100, 'User names are shorter than that.'),
});

type LoginParams = { Params: { login: string } };

function requireOwner(request: FastifyRequest<LoginParams>): Viewer {
  const viewer = requireViewer(request);
  if (viewer.login !== request.params.login) throw new HttpError(403, 'You can only manage your own muted and blocked users.');
  return viewer;
}

export function blockingRoutes(app: FastifyInstance, { db, config }: RouteDeps): void {
  const show = async (
    request: FastifyRequest<LoginParams>,
    reply: FastifyReply,
    viewer: Viewer,
    relation: Relation,
    values: Record<string, string>,
    errors: FieldErrors,
    status = 200,
  ) => {
    const rows = relation === 'mute' ? await listMuted(db, viewer.id) : await listBlocked(db, viewer.id);
    const users = rows.map((r) => ({ login: r.login, since: formatDate(r.created_at) }));
    return sendPage(
      reply,
      <RelationPage ctx={pageContext(request, reply, config.siteName)} view={{ login: viewer.login, relation, users, values, errors }} />,
      status,
    );
  };

  for (const [path, relation] of [
    ['muted', 'mute'],
    ['blocked', 'block'],
  ] as const) {
    app.get<LoginParams>(`/users/:login/${path}`, async (request, reply) => show(request, reply, requireOwner(request), relation, {}, {}));

    app.post<LoginParams>(`/users/:login/${path}`, async (request, reply) => {
      const viewer = requireOwner(request);
      const values = formValues(request.body);
      const parsed = RelationFormSchema.safeParse(values);
      if (!parsed.success) return show(request, reply, viewer, relation, values, toFieldErrors(parsed.error), 422);
      if (parsed.data.action === 'remove') {
        await removeRelation(db, viewer.id, relation, parsed.data.user);
        setFlash(request, reply, `${relation === 'mute' ? 'Unmuted' : 'Unblocked'} ${parsed.data.user}.`);
      } else {
        try {
          const login = await addRelation(db, viewer.id, relation, parsed.data.user);
          setFlash(request, reply, `${relation === 'mute' ? 'Muted' : 'Blocked'} ${login}.`);
        } catch (error) {
          if (error instanceof BlockingError) return show(request, reply, viewer, relation, values, { user: error.message }, 422);
          throw error;
        }
      }
      // Muting changes what this viewer sees; blocking changes no guest page.
      return reply.redirect(`/users/${encodeURIComponent(viewer.login)}/${path}`, 303);
    });
  }
}
