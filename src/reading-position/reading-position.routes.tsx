import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { RouteDeps } from '../app-deps.ts';
import { HttpError } from '../web/errors.tsx';
import { parseId, toFieldErrors } from '../web/form.ts';
import { requireViewer, safeReturnPath } from '../web/page-context.ts';
import { setFlash } from '../web/session.ts';
import { chapterHeading } from '../works/reading.ts';
import { PositionSchema } from './reading-position.schema.ts';
import { findSavedPosition, PositionRefusedError, savedPositionPersonalSql, savePosition } from './reading-position.service.ts';
import { ReadingPositionHead, RememberPlaceForm } from './reading-position.views.tsx';

export function readingPositionRoutes(app: FastifyInstance, { db, workPanels }: RouteDeps): void {
  workPanels.register({
    id: 'reading-position',
    slot: 'beforeText',
    order: 5,
    personalWhen: savedPositionPersonalSql,
    async render({ db: panelDb, viewer, work, chapterId, csrfToken, postedChapters: chapters }) {
      if (!viewer || work.isDraft) return null;
      const saved = await findSavedPosition(panelDb, viewer.id, work.id);
      const currentChapterId = chapterId ?? chapters[0]?.id;
      // A returning reader gets a link to the chapter and paragraph they stopped at (unless that is the top of this page).
      const showContinue = saved !== undefined && (saved.chapterId !== currentChapterId || (saved.paragraph ?? 1) > 1);
      return (
        <ReadingPositionHead
          workId={work.id}
          csrfToken={csrfToken()}
          chapterIds={chapters.map((c) => c.id)}
          saved={saved}
          showContinue={showContinue}
        />
      );
    },
  });

  workPanels.register({
    id: 'reading-position-remember',
    slot: 'afterText',
    order: 5,
    // The same form for every reader of the page: only the token differs, and the splice fills it in.
    personalWhen: () => sql<boolean>`false`,
    async render({ viewer, work, chapterId, csrfToken, postedChapters: chapters }) {
      if (!viewer || work.isDraft) return null;
      if (chapters.length < 2) return null;
      const returnTo = chapterId === undefined ? work.href : `${work.href}/chapters/${chapterId}`;
      return (
        <RememberPlaceForm
          workId={work.id}
          csrfToken={csrfToken()}
          chapters={chapters.map((c) => ({ id: c.id, heading: chapterHeading(c.position, c.title) }))}
          currentChapterId={chapterId}
          returnTo={returnTo}
        />
      );
    },
  });

  // The script saves at most every 1.5 s; this bounds a misbehaving client.
  app.post<{ Params: { id: string } }>(
    '/works/:id/position',
    { config: { rateLimit: { max: 300, timeWindow: '10 minutes' } } },
    async (request, reply) => {
      const viewer = requireViewer(request);
      const workId = parseId(request.params.id);
      if (workId === null) throw new HttpError(404, 'There is no work with this id. Work ids are numbers.');
      const parsed = PositionSchema.safeParse(request.body ?? {});
      if (!parsed.success) throw new HttpError(422, Object.values(toFieldErrors(parsed.error))[0] ?? 'Say which chapter you are reading.');
      const chapterUrl = await savePosition(db, viewer, workId, parsed.data).catch((error: unknown) => {
        if (error instanceof PositionRefusedError) throw new HttpError(error.status, error.message);
        throw error;
      });
      // The script posts JSON and wants no page back; the form gets a redirect and a notice.
      if (request.headers['content-type']?.startsWith('application/json')) return reply.status(204).send();
      setFlash(request, reply, 'Your place is saved: come back on any device to continue from here.');
      return reply.redirect(safeReturnPath(parsed.data.return_to, chapterUrl), 303);
    },
  );
}
