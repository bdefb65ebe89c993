import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { RouteDeps } from '../app-deps.ts';
import { WorkListingPage, type ListingView } from '../browse/browse.views.tsx';
import { listingHref, toListingControls, toPaginationView } from '../browse/listing.presenter.ts';
import { loadListing, type SelectedTag } from '../browse/listing.service.ts';
import { countText, PastTheEndPage } from '../browse/listing.views.tsx';
import { ATOM_TYPE, renderAtom } from '../feeds/atom.ts';
import { QueryParseError } from '../search/query-parser.ts';
import { emptyFilters, SearchQuerySchema, toQueryString, type SearchFilters } from '../search/search.schema.ts';
import { PER_PAGE, type FacetRow } from '../search/search.service.ts';
import { sendConditional } from '../web/conditional-get.ts';
import { HttpError } from '../web/errors.tsx';
import { formValues, parseId, toFieldErrors, type FieldErrors } from '../web/form.ts';
import { pageContext, requireViewer, safeReturnPath } from '../web/page-context.ts';
import { sendPage } from '../web/render.ts';
import { setFlash } from '../web/session.ts';
import type { Viewer } from '../web/viewer.ts';
import { authorizeRead } from '../works/works.service.ts';
import { isCreator } from '../works/works.policy.ts';
import { buildCollectionCatalog, buildCollectionFeed } from './collections.feed.ts';
import { ACQUISITION } from '../opds/opds.service.ts';
import { collectionHref, toCollectionView } from './collections.presenter.ts';
import {
  AddBookmarkSchema,
  AddItemSchema,
  COLLECTION_NAME,
  CreateCollectionSchema,
  InviteBookmarkSchema,
  ParticipantSchema,
  UpdateCollectionSchema,
} from './collections.schema.ts';
import * as service from './collections.service.ts';
import {
  addBookmarkToCollection,
  authorizeBookmarkInvitation,
  decideCollectionBookmark,
  inviteBookmarkToCollection,
  listCollectionBookmarks,
  listOwnCollectionBookmarks,
  listOwnPublicBookmarks,
} from './collection-bookmarks.service.ts';
import { CollectionBookmarksSection, OwnCollectionBookmarksPage } from './collection-bookmarks.views.tsx';
import { findConcealments } from './anonymity.ts';
import { ConcealedNotice } from './anonymity.views.tsx';
import { REVEAL_JOB, RevealRefusedError, revealCollection, runScheduledReveal } from './reveal.service.ts';
import {
  AddToCollectionPage,
  CollectionFormPage,
  CollectionProfilePage,
  CollectionQueuePage,
  CollectionsIndexPage,
  CreatorItemsPage,
  WorkCollectionsPanel,
  type CollectionFormValues,
} from './collections.views.tsx';

type NameParams = { Params: { name: string } };
type ItemParams = { Params: { id: string } };
type ListingQuery = { Querystring: Record<string, string | string[]> };

const COLLECTIONS_PER_PAGE = 50;

function toHttp(error: unknown): never {
  if (error instanceof service.CollectionNotFoundError) throw new HttpError(404, error.message);
  if (error instanceof service.CollectionForbiddenError) throw new HttpError(403, error.message);
  throw error;
}

function queryValues(query: Record<string, string | string[]> | undefined): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(query ?? {})) if (typeof v === 'string' || Array.isArray(v)) out[k] = v;
  return out;
}

const flashFor: Record<service.AddOutcome, string> = {
  approved: 'The work was added to the collection.',
  'awaiting-collection': 'The work was submitted: it joins the collection once a maintainer approves it.',
  'awaiting-creator': 'The work was invited: it joins the collection once its creator accepts.',
};

export function collectionsRoutes(app: FastifyInstance, { db, config, workPanels, jobs }: RouteDeps): void {
  const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, config.siteName);
  // The work page shows its collections; guests' copies of it are cached, so changes drop them.
  const changed = (workId: number) => app.pageCache.invalidateWork(workId);

  // The scheduled reveal; the page caches of this process drop the works it revealed.
  jobs.register(REVEAL_JOB, async (jobDb, payload) => {
    for (const workId of await runScheduledReveal(jobDb, payload)) changed(workId);
  });

  workPanels.register({
    id: 'collections-of-work',
    slot: 'beforeText',
    order: 20,
    // The same for every reader but the work's creators, who never get the shared page (docs/decisions/033).
    personalWhen: () => sql<boolean>`false`,
    async render({ db: panelDb, work, viewer, creatorUserIds }) {
      const [collections, concealed] = await Promise.all([
        service.findCollectionsOfWork(panelDb, work.id),
        findConcealments(panelDb, [work.id]),
      ]);
      // Only a concealed work's own creators read its page with names on it: tell them what readers see instead.
      const concealment = viewer && creatorUserIds.includes(viewer.id) ? concealed.get(work.id) : undefined;
      if (collections.length === 0 && !concealment) return null;
      return (
        <>
          {concealment ? <ConcealedNotice concealment={concealment} /> : null}
          {collections.length > 0 ? <WorkCollectionsPanel collections={collections} /> : null}
        </>
      );
    },
  });

  workPanels.register({
    id: 'collections-add',
    slot: 'actions',
    order: 65,
    // The same for every signed-in reader who is not a creator (the only readers of the shared page, docs/decisions/033).
    personalWhen: () => sql<boolean>`false`,
    async render({ viewer, work }) {
      if (!viewer || !work.creators.some((c) => c.login === viewer.login)) return null;
      return (
        <a class="button button-secondary" href={`/collection_items/new?work_id=${work.id}`}>
          Add to collection
        </a>
      );
    },
  });

  app.get<{ Querystring: { page?: string } }>('/collections', async (request, reply) => {
    const page = request.query.page === undefined ? 1 : parseId(request.query.page);
    if (page === null) throw new HttpError(422, 'The page must be a whole number from 1, as in /collections?page=2.');
    const rows = await service.listCollections(db, page, COLLECTIONS_PER_PAGE);
    const shown = rows.slice(0, COLLECTIONS_PER_PAGE);
    if (page > 1 && shown.length === 0) throw new HttpError(404, `There is no page ${page} of collections. Go back to /collections.`);
    return sendPage(
      reply,
      <CollectionsIndexPage
        ctx={ctx(request, reply)}
        collections={shown.map((c) => ({ name: c.name, title: c.title, isClosed: c.is_closed, isModerated: c.is_moderated }))}
        page={page}
        hasNext={rows.length > COLLECTIONS_PER_PAGE}
      />,
    );
  });

  const renderForm = (
    request: FastifyRequest,
    reply: FastifyReply,
    mode: { kind: 'new' } | { kind: 'edit'; name: string; title: string },
    values: CollectionFormValues,
    errors: FieldErrors,
    status: number,
    extra: {
      participants?: Array<{ login: string; role: string }>;
      participantErrors?: FieldErrors;
      participantValues?: Record<string, string>;
    } = {},
  ) => sendPage(reply, <CollectionFormPage ctx={ctx(request, reply)} mode={mode} values={values} errors={errors} {...extra} />, status);

  app.get('/collections/new', async (request, reply) => {
    requireViewer(request);
    return renderForm(request, reply, { kind: 'new' }, {}, {}, 200);
  });

  app.post('/collections', async (request, reply) => {
    const viewer = requireViewer(request);
    const values = formValues(request.body);
    const parsed = CreateCollectionSchema.safeParse(request.body ?? {});
    if (!parsed.success) return renderForm(request, reply, { kind: 'new' }, values, toFieldErrors(parsed.error), 422);
    try {
      const name = await service.createCollection(db, viewer, parsed.data);
      setFlash(request, reply, 'Collection was successfully created.');
      return reply.redirect(collectionHref(name), 303);
    } catch (error) {
      if (error instanceof service.CollectionFieldError)
        return renderForm(request, reply, { kind: 'new' }, values, { [error.field]: error.message }, 422);
      return toHttp(error);
    }
  });

  const renderProfile = async (
    request: FastifyRequest,
    reply: FastifyReply,
    name: string,
    errors: FieldErrors,
    values: { work_id?: string; bookmark_id?: string; bookmark?: string },
    status: number,
    bookmarkErrors: FieldErrors = {},
  ) => {
    const loaded = await service.loadCollectionProfile(db, request.viewer, name).catch(toHttp);
    const viewer = request.viewer;
    const [bookmarks, ownBookmarks] = await Promise.all([
      listCollectionBookmarks(db, viewer, loaded.collection.name),
      viewer && loaded.canAdd ? listOwnPublicBookmarks(db, viewer) : [],
    ]);
    return sendPage(
      reply,
      <CollectionProfilePage
        ctx={ctx(request, reply)}
        collection={toCollectionView(loaded.collection, loaded.participants, { parent: loaded.parent, children: loaded.children })}
        isOwner={loaded.isOwner}
        isMaintainer={loaded.isMaintainer}
        canAdd={loaded.canAdd}
        ownWorks={loaded.ownWorks}
        challenges={loaded.challenges}
        errors={errors}
        values={values}
        bookmarks={
          <CollectionBookmarksSection
            ctx={ctx(request, reply)}
            collectionName={loaded.collection.name}
            collectionHref={collectionHref(loaded.collection.name)}
            bookmarks={bookmarks}
            ownBookmarks={ownBookmarks}
            canAdd={loaded.canAdd}
            maintainer={loaded.isMaintainer}
            errors={bookmarkErrors}
            values={values}
          />
        }
      />,
      status,
    );
  };

  app.get<NameParams>('/collections/:name', async (request, reply) => renderProfile(request, reply, request.params.name, {}, {}, 200));

  const renderEdit = async (
    request: FastifyRequest,
    reply: FastifyReply,
    viewer: Viewer,
    name: string,
    override: {
      values?: CollectionFormValues;
      errors?: FieldErrors;
      participantErrors?: FieldErrors;
      participantValues?: Record<string, string>;
    },
    status: number,
  ) => {
    const { collection, participants, parentName } = await service.authorizeCollectionEdit(db, viewer, name).catch(toHttp);
    const stored: CollectionFormValues = {
      title: collection.title,
      description: collection.description_html,
      rules: collection.rules_html,
      faq: collection.faq_html,
      parent: parentName,
      closed: collection.is_closed ? '1' : '',
      moderated: collection.is_moderated ? '1' : '',
      anonymous: collection.is_anonymous ? '1' : '',
      unrevealed: collection.is_unrevealed ? '1' : '',
      reveal_at: collection.reveal_at ? collection.reveal_at.toISOString().slice(0, 16) : '',
    };
    return renderForm(
      request,
      reply,
      { kind: 'edit', name: collection.name, title: collection.title },
      override.values ?? stored,
      override.errors ?? {},
      status,
      {
        participants: participants.map((p) => ({ login: p.login, role: p.role })),
        ...(override.participantErrors ? { participantErrors: override.participantErrors } : {}),
        ...(override.participantValues ? { participantValues: override.participantValues } : {}),
      },
    );
  };

  app.get<NameParams>('/collections/:name/edit', async (request, reply) => {
    const viewer = requireViewer(request);
    return renderEdit(request, reply, viewer, request.params.name, {}, 200);
  });

  app.post<NameParams>('/collections/:name', async (request, reply) => {
    const viewer = requireViewer(request);
    const { name } = request.params;
    await service.authorizeCollectionEdit(db, viewer, name).catch(toHttp);
    const values = formValues(request.body);
    const parsed = UpdateCollectionSchema.safeParse(request.body ?? {});
    if (!parsed.success) return renderEdit(request, reply, viewer, name, { values, errors: toFieldErrors(parsed.error) }, 422);
    try {
      for (const workId of await service.updateCollection(db, viewer, name, parsed.data)) changed(workId);
    } catch (error) {
      if (error instanceof service.CollectionFieldError)
        return renderEdit(request, reply, viewer, name, { values, errors: { [error.field]: error.message } }, 422);
      return toHttp(error);
    }
    setFlash(request, reply, 'Collection was successfully updated.');
    return reply.redirect(collectionHref(name), 303);
  });

  /** The maintainers' reveal (decision 043): audited, in one transaction with the held-back notices. */
  app.post<NameParams>('/collections/:name/reveal', async (request, reply) => {
    const viewer = requireViewer(request);
    const collection = await service.findCollectionForListing(db, request.params.name).catch(toHttp);
    let revealed: { name: string; workIds: number[] };
    try {
      revealed = await revealCollection(db, viewer, collection.name);
    } catch (error) {
      if (error instanceof RevealRefusedError) {
        const maintainer = (await service.loadCollectionProfile(db, viewer, collection.name)).isMaintainer;
        throw new HttpError(maintainer ? 409 : 403, error.message);
      }
      throw error;
    }
    for (const workId of revealed.workIds) changed(workId);
    setFlash(request, reply, 'Revealed: readers now see the works of this collection and their creators.');
    return reply.redirect(collectionHref(revealed.name), 303);
  });

  app.post<NameParams>('/collections/:name/delete', async (request, reply) => {
    const viewer = requireViewer(request);
    const { title, workIds } = await service.deleteCollection(db, viewer, request.params.name).catch(toHttp);
    for (const workId of workIds) changed(workId);
    setFlash(request, reply, `The collection ${title} was deleted; its works are still posted.`);
    return reply.redirect('/collections', 303);
  });

  const participantFailure = (request: FastifyRequest, reply: FastifyReply, viewer: Viewer, name: string, error: unknown) => {
    if (error instanceof service.CollectionFieldError)
      return renderEdit(
        request,
        reply,
        viewer,
        name,
        { participantErrors: { [error.field]: error.message }, participantValues: formValues(request.body) },
        422,
      );
    return toHttp(error);
  };

  app.post<NameParams>('/collections/:name/participants', async (request, reply) => {
    const viewer = requireViewer(request);
    const { name } = request.params;
    await service.authorizeCollectionEdit(db, viewer, name).catch(toHttp);
    const parsed = ParticipantSchema.safeParse(request.body ?? {});
    try {
      if (!parsed.success) {
        const errors = toFieldErrors(parsed.error);
        const [field, message] = Object.entries(errors)[0] ?? ['login', 'Give the user name of the person to add.'];
        throw new service.CollectionFieldError(field, message);
      }
      await service.addParticipant(db, viewer, name, parsed.data);
    } catch (error) {
      return participantFailure(request, reply, viewer, name, error);
    }
    setFlash(request, reply, `${parsed.data.login} is now a ${parsed.data.role} of the collection.`);
    return reply.redirect(`${collectionHref(name)}/edit`, 303);
  });

  app.post<NameParams>('/collections/:name/participants/remove', async (request, reply) => {
    const viewer = requireViewer(request);
    const { name } = request.params;
    const login = formValues(request.body).login ?? '';
    try {
      await service.removeParticipant(db, viewer, name, login);
    } catch (error) {
      return participantFailure(request, reply, viewer, name, error);
    }
    setFlash(request, reply, `${login} is no longer a maintainer of the collection.`);
    return reply.redirect(login === viewer.login ? collectionHref(name) : `${collectionHref(name)}/edit`, 303);
  });

  /** The collection's works: the shared listing (a search scoped to its approved works), same sidebar and filters. */
  app.get<ListingQuery & NameParams>('/collections/:name/works', async (request, reply) => {
    const collection = await service.findCollectionForListing(db, request.params.name).catch(toHttp);
    const base = `${collectionHref(collection.name)}/works`;
    const context = ctx(request, reply);
    const values = queryValues(request.query);
    const render = (
      filters: SearchFilters,
      parts: { works: ListingView['works']; facets: FacetRow[]; tags: Map<number, SelectedTag>; total: number; lastPage: number },
      errors: FieldErrors,
      notices: string[],
      status: number,
    ) => {
      const view: ListingView = {
        title: `Works in ${collection.title}`,
        heading: `Works in ${collection.title}`,
        headingLink: { href: collectionHref(collection.name), text: `About ${collection.title}` },
        count:
          Object.keys(errors).length > 0
            ? 'Correct the filters to see the works.'
            : parts.total === 0
              ? 'No works are in this collection yet.'
              : countText(parts.total, filters.page, PER_PAGE, parts.works.length),
        works: parts.works,
        controls: toListingControls({ base, filters, values, facets: parts.facets, tags: parts.tags, scopeTagIds: [] }),
        sort: typeof values.sort === 'string' && values.sort !== '' ? values.sort : filters.sort,
        pagination: toPaginationView(base, filters, parts.lastPage),
        errors,
        notices,
      };
      return sendPage(reply, <WorkListingPage ctx={context} view={view} />, status);
    };
    const nothing = { works: [], facets: [], tags: new Map<number, SelectedTag>(), total: 0, lastPage: 1 };
    const parsed = SearchQuerySchema.safeParse(request.query ?? {});
    if (!parsed.success) return render(emptyFilters(), nothing, toFieldErrors(parsed.error), [], 422);
    const filters = parsed.data;
    const workIds = await service.findListedWorkIds(db, collection);
    let outcome;
    try {
      outcome = await loadListing(db, request.viewer, { workIds }, filters, { index: config.searchIndex });
    } catch (error) {
      if (!(error instanceof QueryParseError)) throw error;
      return render(filters, nothing, { q: `${error.message} (at character ${error.position + 1})` }, [], 422);
    }
    if (outcome.kind === 'past-end') {
      const lastHref = listingHref(base, toQueryString(filters, { page: outcome.lastPage }));
      return sendPage(
        reply,
        <PastTheEndPage
          ctx={context}
          title={`Works in ${collection.title}`}
          page={filters.page}
          lastPage={outcome.lastPage}
          lastHref={lastHref}
        />,
        404,
      );
    }
    const { result } = outcome;
    return render(
      filters,
      { works: outcome.works, facets: result.facets, tags: outcome.selectedTags, total: result.total, lastPage: outcome.lastPage },
      {},
      result.notices,
      200,
    );
  });

  app.get<NameParams>('/collections/:name/feed.atom', async (request, reply) => {
    const feed = await buildCollectionFeed(db, config, request.params.name).catch(toHttp);
    return sendConditional(reply.type(ATOM_TYPE).header('cache-control', 'public, max-age=300'), renderAtom(feed));
  });

  app.get<NameParams & { Querystring: { page?: string } }>('/opds/collections/:name', async (request, reply) => {
    const page = request.query.page === undefined || request.query.page === '' ? 1 : parseId(request.query.page);
    if (page === null || page > 99_999) throw new HttpError(400, 'The page number must be a whole number from 1 up.');
    const feed = await buildCollectionCatalog(db, config, request.params.name, page).catch(toHttp);
    return sendConditional(reply.type(`${ACQUISITION};charset=utf-8`).header('cache-control', 'public, max-age=120'), renderAtom(feed));
  });

  app.get<NameParams>('/collections/:name/items', async (request, reply) => {
    const viewer = requireViewer(request);
    const { collection, items, concealed } = await service.loadQueue(db, viewer, request.params.name).catch(toHttp);
    return sendPage(
      reply,
      <CollectionQueuePage ctx={ctx(request, reply)} collection={toCollectionView(collection)} items={items} concealed={concealed} />,
    );
  });

  /** The viewer's own work, for the "Add to collection" page (404 for anything else). */
  const ownWork = async (viewer: Viewer, raw: unknown) => {
    const workId = typeof raw === 'string' ? parseId(raw) : null;
    const refused = () => new HttpError(404, 'You can add only works you created; open this page from one of your works.');
    if (workId === null) throw refused();
    const read = await authorizeRead(db, viewer, workId).catch(() => undefined);
    if (!read?.loaded || !isCreator(viewer, read.loaded.facts)) throw refused();
    return { id: workId, title: read.loaded.work.title };
  };

  app.get<{ Querystring: { work_id?: string } }>('/collection_items/new', async (request, reply) => {
    const viewer = requireViewer(request);
    const work = await ownWork(viewer, request.query.work_id);
    return sendPage(reply, <AddToCollectionPage ctx={ctx(request, reply)} work={work} values={{}} errors={{}} />);
  });

  /**
   * Adds a work to a collection, from the work's "Add to collection" page or the collection's own
   * page (the form says which by carrying `collection` visibly or as a hidden field). Errors go
   * back to the page the form came from, with what was typed.
   */
  app.post('/collection_items', async (request, reply) => {
    const viewer = requireViewer(request);
    const values = formValues(request.body);
    const fromWorkPage = values.from === 'work';
    const fail = async (errors: FieldErrors) => {
      if (fromWorkPage) {
        const work = await ownWork(viewer, values.work_id);
        return sendPage(reply, <AddToCollectionPage ctx={ctx(request, reply)} work={work} values={values} errors={errors} />, 422);
      }
      if (!values.collection) throw new HttpError(422, Object.values(errors)[0] ?? 'Name the collection to add the work to.');
      return renderProfile(request, reply, values.collection, errors, values, 422);
    };
    const parsed = AddItemSchema.safeParse(request.body ?? {});
    if (!parsed.success) return fail(toFieldErrors(parsed.error));
    try {
      const { outcome, name } = await service.addWorkToCollection(db, viewer, parsed.data);
      // Even one waiting for the maintainers is concealed already in an anonymous collection (decision 043).
      changed(parsed.data.work_id);
      setFlash(request, reply, flashFor[outcome]);
      return reply.redirect(collectionHref(name), 303);
    } catch (error) {
      if (error instanceof service.CollectionFieldError) {
        if (
          !fromWorkPage &&
          error.field === 'collection' &&
          !(await service.findCollectionForListing(db, values.collection ?? '').catch(() => null))
        )
          throw new HttpError(404, error.message);
        return fail({ [error.field]: error.message });
      }
      return toHttp(error);
    }
  });

  /** Adds one of the viewer's public bookmarks to a collection, from the collection's page. */
  app.post('/collection_bookmarks', async (request, reply) => {
    const viewer = requireViewer(request);
    const values = formValues(request.body);
    const collection = values.collection ?? '';
    const parsed = AddBookmarkSchema.safeParse(request.body ?? {});
    const fail = (errors: FieldErrors) => {
      if (!parsed.success && !COLLECTION_NAME.test(collection))
        throw new HttpError(422, Object.values(errors)[0] ?? 'Name the collection.');
      return renderProfile(request, reply, collection, {}, values, 422, errors);
    };
    if (!parsed.success) return fail(toFieldErrors(parsed.error));
    try {
      const { outcome, name } = await addBookmarkToCollection(db, viewer, parsed.data);
      setFlash(
        request,
        reply,
        outcome === 'approved'
          ? 'The bookmark was added to the collection.'
          : 'The bookmark was submitted: it joins the collection once a maintainer approves it.',
      );
      return reply.redirect(collectionHref(name), 303);
    } catch (error) {
      if (error instanceof service.CollectionFieldError) {
        if (error.field === 'collection' && !(await service.findCollectionForListing(db, collection).catch(() => null)))
          throw new HttpError(404, error.message);
        return fail({ [error.field]: error.message });
      }
      return toHttp(error);
    }
  });

  /**
   * A maintainer invites someone's bookmark, from the collection's page: it joins once its owner
   * accepts (told in their inbox). Who may invite is asked before the form is judged.
   */
  app.post('/collection_bookmarks/invitations', async (request, reply) => {
    const viewer = requireViewer(request);
    const values = formValues(request.body);
    const collection = values.collection ?? '';
    if (!COLLECTION_NAME.test(collection)) throw new HttpError(422, 'Name the collection to invite the bookmark into.');
    const { name } = await authorizeBookmarkInvitation(db, viewer, collection).catch(toHttp);
    const fail = (errors: FieldErrors) => renderProfile(request, reply, name, {}, values, 422, errors);
    const parsed = InviteBookmarkSchema.safeParse(request.body ?? {});
    if (!parsed.success) return fail(toFieldErrors(parsed.error));
    try {
      const { owner } = await inviteBookmarkToCollection(db, viewer, { collection: name, bookmark_id: parsed.data.bookmark });
      setFlash(request, reply, `The bookmark was invited: it joins the collection once ${owner} accepts.`);
      return reply.redirect(collectionHref(name), 303);
    } catch (error) {
      if (error instanceof service.CollectionFieldError) return fail({ [error.field]: error.message });
      return toHttp(error);
    }
  });

  app.get<{ Params: { login: string } }>('/users/:login/collection_bookmarks', async (request, reply) => {
    const viewer = requireViewer(request);
    if (viewer.login !== request.params.login) throw new HttpError(403, 'You can see only your own bookmarks in collections.');
    const bookmarks = await listOwnCollectionBookmarks(db, viewer);
    return sendPage(reply, <OwnCollectionBookmarksPage ctx={ctx(request, reply)} login={viewer.login} bookmarks={bookmarks} />);
  });

  for (const [action, done] of [
    ['approve', 'The bookmark was approved.'],
    ['reject', 'The bookmark was rejected.'],
    ['remove', 'The bookmark was removed from the collection.'],
  ] as const)
    app.post<ItemParams>(`/collection_bookmarks/:id/${action}`, async (request, reply) => {
      const viewer = requireViewer(request);
      const id = parseId(request.params.id);
      if (id === null) throw new HttpError(404, 'There is no such bookmark in a collection. Their ids are numbers.');
      let result: { name: string };
      try {
        result = await decideCollectionBookmark(db, viewer, id, action);
      } catch (error) {
        if (error instanceof service.CollectionFieldError) throw new HttpError(409, error.message);
        return toHttp(error);
      }
      setFlash(request, reply, done);
      return reply.redirect(safeReturnPath(formValues(request.body).return_to, collectionHref(result.name)), 303);
    });

  const decisionRoute = (action: 'approve' | 'reject' | 'remove', done: string) =>
    app.post<ItemParams>(`/collection_items/:id/${action}`, async (request, reply) => {
      const viewer = requireViewer(request);
      const id = parseId(request.params.id);
      if (id === null) throw new HttpError(404, 'There is no such item. Item ids are numbers.');
      let result: { name: string; workId: number };
      try {
        result = action === 'remove' ? await service.removeItem(db, viewer, id) : await service.decideItem(db, viewer, id, action);
      } catch (error) {
        if (error instanceof service.CollectionFieldError) throw new HttpError(409, error.message);
        return toHttp(error);
      }
      changed(result.workId);
      setFlash(request, reply, done);
      return reply.redirect(safeReturnPath(formValues(request.body).return_to, collectionHref(result.name)), 303);
    });
  decisionRoute('approve', 'Approved.');
  decisionRoute('reject', 'Rejected: the work is not in the collection.');
  decisionRoute('remove', 'The work was removed from the collection.');

  app.get<{ Params: { login: string } }>('/users/:login/collection_items', async (request, reply) => {
    const viewer = requireViewer(request);
    if (viewer.login !== request.params.login) throw new HttpError(403, 'You can see only your own works’ collection items.');
    const items = await service.listItemsOfCreator(db, viewer.id);
    return sendPage(reply, <CreatorItemsPage ctx={ctx(request, reply)} items={items} />);
  });
}
