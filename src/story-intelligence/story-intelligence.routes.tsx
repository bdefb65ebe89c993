import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { RouteDeps } from '../app-deps.ts';
import { HttpError } from '../web/errors.tsx';
import { parseId, toFieldErrors } from '../web/form.ts';
import { sendReadablePage } from '../web/page-cache.ts';
import { pageContext, requireViewer, safeReturnPath } from '../web/page-context.ts';
import { renderPage, sendPage } from '../web/render.ts';
import { cookieOptions, setFlash } from '../web/session.ts';
import { ADULT_CONSENT_COOKIE, needsAdultNotice } from '../accounts/reader-preferences.ts';
import { toBlurbs } from '../browse/blurbs.ts';
import { AdultNoticePage } from '../works/adult-notice.views.tsx';
import { isCreator } from '../works/works.policy.ts';
import { authorizeRead, WorkForbiddenError, WorkNotFoundError } from '../works/works.service.ts';
import { registerAnalysisJob } from './analysis-job.ts';
import { splitProposalGroups, toStoryMapView } from './story-intelligence.presenter.ts';
import { ProposalActionSchema } from './story-intelligence.schema.ts';
import * as service from './story-intelligence.service.ts';
import { ProposalsPanel, StoryMapLink, StoryMapPage } from './story-intelligence.views.tsx';

type WorkParams = { Params: { id: string } };

function workIdOf(raw: string): number {
  const id = parseId(raw);
  if (id === null) throw new HttpError(404, `There is no work with the id “${raw.slice(0, 40)}”. Work ids are numbers.`);
  return id;
}

function toHttp(error: unknown): never {
  if (error instanceof WorkNotFoundError) throw new HttpError(404, error.message);
  if (error instanceof WorkForbiddenError) throw new HttpError(403, error.message);
  throw error;
}

export function storyIntelligenceRoutes(app: FastifyInstance, { db, config, jobs, workPanels }: RouteDeps): void {
  // The story map page of guests is cached with the work's pages.
  registerAnalysisJob(jobs, { onChanged: (workId) => app.pageCache.invalidateWork(workId) });

  // Creators only: the proposals, above the text.
  workPanels.register({
    id: 'analysis-proposals',
    slot: 'beforeText',
    order: 5,
    // The same for every signed-in reader who is not a creator (the only readers of the shared page, docs/decisions/033).
    personalWhen: () => sql<boolean>`false`,
    async render(ctx) {
      if (!ctx.viewer) return null;
      const state = await service.proposalsForWork(ctx.db, ctx.viewer, ctx.work.id);
      if (state.state === 'forbidden') return null;
      const returnTo = ctx.chapterId === undefined ? ctx.work.href : `${ctx.work.href}/chapters/${ctx.chapterId}`;
      return (
        <ProposalsPanel
          workId={ctx.work.id}
          csrfToken={ctx.csrfToken()}
          returnTo={returnTo}
          state={
            state.state === 'pending'
              ? { kind: 'pending', analysed: state.analysedChapters, total: state.totalChapters }
              : state.state === 'failed'
                ? {
                    kind: 'failed',
                    failedPositions: state.failedPositions,
                    reasons: state.reasons,
                    total: state.totalChapters,
                    groups: state.proposals === null ? null : splitProposalGroups(state.proposals, ctx.work.id, state.totalChapters > 1),
                  }
                : { kind: 'ready', ...splitProposalGroups(state.proposals, ctx.work.id, state.totalChapters > 1) }
          }
        />
      );
    },
  });

  // Everyone who can read the work: a link, the same for all, so guest pages stay cacheable.
  workPanels.register({
    id: 'story-map-link',
    slot: 'afterText',
    order: 90,
    personalWhen: () => sql<boolean>`false`,
    render: async (ctx) => <StoryMapLink href={`${ctx.work.href}/story_map`} />,
  });

  const proposalAction = (action: 'accept' | 'dismiss') => async (request: FastifyRequest<WorkParams>, reply: FastifyReply) => {
    const viewer = requireViewer(request);
    const workId = workIdOf(request.params.id);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const parsed = ProposalActionSchema.safeParse(body);
    if (!parsed.success)
      throw new HttpError(
        422,
        Object.values(toFieldErrors(parsed.error))[0] ?? 'This proposal is not valid. Reload the page and try again.',
      );
    const returnTo = safeReturnPath(body.return_to, `/works/${workId}`);
    if (action === 'accept') {
      await service.acceptProposal(db, viewer, workId, parsed.data).catch(toHttp);
      app.pageCache.invalidateWork(workId);
      setFlash(request, reply, `Added the ${parsed.data.kind} “${parsed.data.value}” to your work.`);
    } else {
      await service.dismissProposal(db, viewer, workId, parsed.data).catch(toHttp);
      setFlash(request, reply, `Dismissed the proposal “${parsed.data.value}”.`);
    }
    return reply.redirect(`${returnTo}#proposals`, 303);
  };
  app.post<WorkParams>('/works/:id/proposals/accept', proposalAction('accept'));
  app.post<WorkParams>('/works/:id/proposals/dismiss', proposalAction('dismiss'));

  // "Try again" on the panel after an analysis failed for good: read those chapters anew.
  app.post<WorkParams>('/works/:id/analysis/retry', async (request, reply) => {
    const viewer = requireViewer(request);
    const workId = workIdOf(request.params.id);
    const returnTo = safeReturnPath(((request.body ?? {}) as Record<string, unknown>).return_to, `/works/${workId}`);
    const count = await service.retryFailedAnalyses(db, viewer, workId).catch(toHttp);
    if (count > 0) {
      app.pageCache.invalidateWork(workId); // the story map says "reading" again
      jobs.wake();
    }
    setFlash(
      request,
      reply,
      count > 0
        ? 'Fanfold is reading your story again.'
        : 'There was nothing to try again: Fanfold has read, or is still reading, every chapter.',
    );
    return reply.redirect(`${returnTo}#proposals`, 303);
  });

  // For the panel's reload script: has every chapter been read, or has one failed?
  app.get<WorkParams>('/works/:id/analysis_status', async (request, reply) => {
    const viewer = requireViewer(request);
    const status = await service.analysisStatus(db, viewer, workIdOf(request.params.id)).catch(toHttp);
    return reply.header('cache-control', 'no-store').send(status);
  });

  app.get<WorkParams & { Querystring: { view_adult?: string } }>('/works/:id/story_map', async (request, reply) => {
    const workId = workIdOf(request.params.id);
    const ticket = app.pageCache.ticket();
    const decision = await authorizeRead(db, request.viewer, workId).catch(toHttp);
    if (!decision.allowed) throw new HttpError(decision.status, decision.reason);
    const work = decision.loaded!.work;
    // The map quotes the story's passages: the same adult-content notice as the work page.
    if (!isCreator(request.viewer, decision.loaded!.facts)) {
      const [summary] = await toBlurbs(db, [work]);
      if (summary && needsAdultNotice(summary.required.rating, request.readerPreferences, request.adultConsent)) {
        if (request.query.view_adult !== 'true') {
          const proceedHref = `/works/${work.id}/story_map?view_adult=true`;
          return sendPage(
            reply,
            <AdultNoticePage ctx={pageContext(request, reply, config.siteName)} work={summary} proceedHref={proceedHref} />,
          );
        }
        reply.setCookie(ADULT_CONSENT_COOKIE, '1', cookieOptions(request));
      }
    }
    const { analysis, failedChapters } = await service.loadStoryMapAnalysis(db, workId);
    const view = toStoryMapView({ id: work.id, title: work.title, href: `/works/${work.id}` }, analysis, failedChapters);
    const page = <StoryMapPage ctx={pageContext(request, reply, config.siteName)} view={view} />;
    return sendReadablePage(request, reply, { workId, ticket, html: renderPage(page) });
  });
}
