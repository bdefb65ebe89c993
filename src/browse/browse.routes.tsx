import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { findUserByLogin } from '../accounts/accounts.service.ts';
import { HttpError } from '../web/errors.tsx';
import { pageContext } from '../web/page-context.ts';
import { sendPage } from '../web/render.ts';
import { decodeTagName, encodeTagName } from '../works/works.presenter.ts';
import { countVisibleWorks, findDraftsOfUser, findPseud, findVisibleWorks, type ListingFilter } from './browse.repo.ts';
import { TAG_TYPE_LABELS } from '../tags/tag-labels.ts';
import { toBlurbs } from './blurbs.ts';
import { findHiddenForViewer } from '../search/global-filters.ts';
import { withMutedCreators } from '../blocking/blocking.service.ts';
import { resolveVisibleTag, TagNotFoundError } from '../tags/tags.service.ts';
import { WorkListingPage, type ListingView } from './browse.views.tsx';

export const PER_PAGE = 20;
const MAX_PAGE = 5000;

type PageQuery = { Querystring: { page?: string } };

function pageOf(request: FastifyRequest<PageQuery>): number {
  const raw = request.query.page;
  if (raw === undefined || raw === '') return 1;
  if (!/^\d{1,6}$/.test(raw) || Number(raw) < 1) throw new HttpError(400, 'The page number must be a whole number from 1 up.');
  return Math.min(Number(raw), MAX_PAGE);
}

export function browseRoutes(app: FastifyInstance, { db, config }: AppDeps): void {
  const listing = async (
    request: FastifyRequest<PageQuery>,
    reply: FastifyReply,
    filter: Omit<ListingFilter, 'signedIn'>,
    text: Pick<ListingView, 'title' | 'heading' | 'empty'> & {
      subheading?: string;
      headingLink?: ListingView['headingLink'];
      base: string;
      includeDraftsOf?: number;
    },
  ) => {
    const page = pageOf(request);
    const full: ListingFilter = {
      ...filter,
      signedIn: request.viewer !== null,
      hidden: await withMutedCreators(db, request.viewer?.id ?? null, await findHiddenForViewer(db, request.viewer?.id ?? null)),
    };
    const [{ rows, hasNext }, total, drafts] = await Promise.all([
      findVisibleWorks(db, full, page, PER_PAGE),
      countVisibleWorks(db, full),
      text.includeDraftsOf !== undefined && page === 1 ? findDraftsOfUser(db, text.includeDraftsOf) : Promise.resolve([]),
    ]);
    // Past the end of the list (an old link, a hand-edited address): the last page, not an empty one.
    const lastPage = Math.max(1, Math.ceil(total / PER_PAGE));
    if (page > lastPage) return reply.redirect(`${text.base}?page=${lastPage}`, 303);
    const view: ListingView = {
      title: text.title,
      heading: text.heading,
      ...(text.subheading ? { subheading: text.subheading } : {}),
      ...(text.headingLink ? { headingLink: text.headingLink } : {}),
      empty: text.empty,
      total,
      page,
      perPage: PER_PAGE,
      hasNext,
      works: await toBlurbs(db, rows),
      drafts: await toBlurbs(db, drafts),
      pageHref: (p) => `${text.base}?page=${p}`,
    };
    return sendPage(reply, <WorkListingPage ctx={pageContext(request, reply, config.siteName)} view={view} />);
  };

  app.get<PageQuery>('/', (request, reply) =>
    listing(
      request,
      reply,
      {},
      {
        title: 'Home',
        heading: `Welcome to ${config.siteName}`,
        subheading: 'The newest and latest-updated works on the archive.',
        empty: 'No works have been posted yet.',
        base: '/works',
      },
    ),
  );

  app.get<PageQuery>('/works', (request, reply) =>
    listing(request, reply, {}, { title: 'Works', heading: 'Works', empty: 'No works have been posted yet.', base: '/works' }),
  );

  app.get<PageQuery & { Params: { name: string } }>('/tags/:name/works', async (request, reply) => {
    const name = decodeTagName(request.params.name);
    // A synonym lists its canonical's works; filter_tag_ids holds synonyms and sub tags resolved.
    const { tag, canonical } = await resolveVisibleTag(db, name, request.viewer).catch((error: unknown) => {
      throw error instanceof TagNotFoundError ? new HttpError(404, error.message) : error;
    });
    return listing(
      request,
      reply,
      { tagId: canonical.id },
      {
        title: `${canonical.name} works`,
        heading: `Works in ${canonical.name}`,
        subheading:
          canonical.id === tag.id
            ? TAG_TYPE_LABELS[tag.type]
            : `${TAG_TYPE_LABELS[tag.type]}: “${tag.name}” is a synonym of “${canonical.name}”.`,
        empty: 'No works are tagged with this yet.',
        base: `/tags/${encodeTagName(tag.name)}/works`,
      },
    );
  });

  app.get<PageQuery & { Params: { login: string } }>('/users/:login/works', async (request, reply) => {
    const user = await findUserByLogin(db, request.params.login);
    if (!user) throw new HttpError(404, `There is no user called ${request.params.login.slice(0, 40)}.`);
    const isSelf = request.viewer?.id === user.id;
    return listing(
      request,
      reply,
      { userId: user.id },
      {
        title: `Works by ${user.login}`,
        heading: `Works by ${user.login}`,
        empty: isSelf ? 'You have not posted any works yet.' : `${user.login} has not posted any works yet.`,
        base: `/users/${encodeURIComponent(user.login)}/works`,
        ...(isSelf ? { includeDraftsOf: user.id } : {}),
        ...(isSelf
          ? {}
          : { headingLink: { href: `/users/${encodeURIComponent(user.login)}/subscription`, text: `Subscribe to ${user.login}` } }),
      },
    );
  });

  app.get<{ Params: { login: string; pseud: string } }>('/users/:login/pseuds/:pseud', async (request, reply) =>
    reply.redirect(`/users/${encodeURIComponent(request.params.login)}/pseuds/${encodeURIComponent(request.params.pseud)}/works`, 302),
  );

  app.get<PageQuery & { Params: { login: string; pseud: string } }>('/users/:login/pseuds/:pseud/works', async (request, reply) => {
    const user = await findUserByLogin(db, request.params.login);
    const pseud = user ? await findPseud(db, user.id, request.params.pseud) : undefined;
    if (!user || !pseud)
      throw new HttpError(404, `There is no pseud ${request.params.pseud.slice(0, 40)} of ${request.params.login.slice(0, 40)}.`);
    const label = pseud.name === user.login ? user.login : `${pseud.name} (${user.login})`;
    return listing(
      request,
      reply,
      { pseudId: pseud.id },
      {
        title: `Works by ${label}`,
        heading: `Works by ${label}`,
        empty: `${label} has not posted any works yet.`,
        base: `/users/${encodeURIComponent(user.login)}/pseuds/${encodeURIComponent(pseud.name)}/works`,
      },
    );
  });
}
