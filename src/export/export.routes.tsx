import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { HttpError } from '../web/errors.tsx';
import { Layout } from '../web/layout.tsx';
import { pageContext, requireViewer } from '../web/page-context.ts';
import { sendPage } from '../web/render.ts';
import { exportUserArchive, exportUserData, workIdsOfUser } from './export.service.ts';

type LoginParams = { Params: { login: string } };

/** Each user can take everything they made and everything the archive knows about them. */
export function exportRoutes(app: FastifyInstance, { db, config }: AppDeps): void {
  const requireSelf = (request: FastifyRequest<LoginParams>) => {
    const viewer = requireViewer(request);
    if (viewer.login.toLowerCase() !== request.params.login.toLowerCase()) throw new HttpError(403, 'You can only download your own data.');
    return viewer;
  };

  app.get<LoginParams>('/users/:login/export', async (request, reply) => {
    const viewer = requireSelf(request);
    const count = (await workIdsOfUser(db, viewer.id)).length;
    const base = `/users/${encodeURIComponent(viewer.login)}/export`;
    return sendPage(
      reply,
      <Layout ctx={pageContext(request, reply, config.siteName)} title="Download your works and data">
        <h1>Download your works and data</h1>
        <ul>
          <li>
            <a href={`${base}/works.zip`}>All your works</a> ({count}), each as HTML and EPUB, with your data as JSON, in one zip file
          </li>
          <li>
            <a href={`${base}/data.json`}>Your data only</a> (JSON: account, pseuds, works, and everything else stored about you)
          </li>
        </ul>
      </Layout>,
    );
  });

  app.get<LoginParams>('/users/:login/export/data.json', async (request, reply) => {
    const viewer = requireSelf(request);
    const data = await exportUserData(db, viewer.id);
    return reply
      .header('content-disposition', `attachment; filename="${viewer.login}-data.json"`)
      .header('cache-control', 'no-store')
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(data, null, 2));
  });

  app.get<LoginParams>(
    '/users/:login/export/works.zip',
    { config: { rateLimit: { max: 10, timeWindow: '1 hour' } } },
    async (request, reply) => {
      const viewer = requireSelf(request);
      const zip = await exportUserArchive(db, viewer.id, config);
      return reply
        .header('content-disposition', `attachment; filename="${viewer.login}-works.zip"`)
        .header('cache-control', 'no-store')
        .type('application/zip')
        .send(Buffer.from(zip));
    },
  );
}
