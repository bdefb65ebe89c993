import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../app-deps.ts';
import { HttpError } from '../web/errors.tsx';
import { pageContext } from '../web/page-context.ts';
import { sendPage } from '../web/render.ts';
import { decodeTagName } from '../works/works.presenter.ts';
import { listFandomsOfMedia, listMedia, type Audience } from './directory.service.ts';
import { MediaFandomsPage, MediaIndexPage } from './directory.views.tsx';

/** The fandom directories: /media, /media/NAME/fandoms, and /fandoms (AO3 sends it to /media too). */
export function directoryRoutes(app: FastifyInstance, { db, config }: RouteDeps): void {
  const audienceOf = (viewer: { id: number } | null): Audience => (viewer ? 'members' : 'guests');

  app.get('/media', async (request, reply) => {
    const media = await listMedia(db, audienceOf(request.viewer));
    return sendPage(reply, <MediaIndexPage ctx={pageContext(request, reply, config.siteName)} media={media} />);
  });

  app.get<{ Params: { name: string } }>('/media/:name/fandoms', async (request, reply) => {
    const name = decodeTagName(request.params.name);
    const listed = await listFandomsOfMedia(db, name, audienceOf(request.viewer));
    if (!listed) throw new HttpError(404, `There is no media called “${name.slice(0, 60)}”. See every media on the Fandoms page, /media.`);
    return sendPage(reply, <MediaFandomsPage ctx={pageContext(request, reply, config.siteName)} {...listed} />);
  });

  app.get('/fandoms', (_request, reply) => reply.redirect('/media', 302));
}
