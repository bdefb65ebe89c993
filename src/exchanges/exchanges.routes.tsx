import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteDeps } from '../app-deps.ts';
import { HttpError } from '../web/errors.tsx';
import { formValues, parseId, toFieldErrors, type FieldErrors } from '../web/form.ts';
import { pageContext, requireViewer } from '../web/page-context.ts';
import { sendPage } from '../web/render.ts';
import { setFlash } from '../web/session.ts';
import type { Viewer } from '../web/viewer.ts';
import * as repo from './exchanges.repo.ts';
import { EXCHANGE_TAG_TYPES, ExchangeSettingsSchema, promptsToFields, readPrompts, splitTags } from './exchanges.schema.ts';
import * as service from './exchanges.service.ts';
import type { Prompt } from './matching/index.ts';
import {
  AssignmentPage,
  ExchangePage,
  ExchangeSettingsPage,
  MatchingReviewPage,
  NominationsPage,
  SignUpPage,
  type SettingsValues,
} from './exchanges.views.tsx';

type NameParams = { Params: { name: string } };
type AssignmentParams = { Params: { name: string; id: string } };
type NominationParams = { Params: { name: string; id: string } };

const exchangeHref = (name: string) => `/collections/${encodeURIComponent(name)}/exchange`;

function toHttp(error: unknown): never {
  if (error instanceof service.ExchangeError) throw new HttpError(error.status, error.message);
  throw error;
}

const isoField = (d: Date | null) => (d ? d.toISOString().slice(0, 16) : '');

/** The settings form's values for a new exchange: a week of sign-ups from now, fandom required. */
function defaultSettings(now = new Date()): SettingsValues {
  const out: SettingsValues = {
    opens_at: isoField(now),
    closes_at: isoField(new Date(now.getTime() + 7 * 86_400_000)),
    due_at: '',
    nominations_open_at: '',
    nominations_close_at: '',
    requests_min: '1',
    requests_max: '2',
    offers_min: '1',
    offers_max: '2',
    required_request_matches: '1',
  };
  for (const type of EXCHANGE_TAG_TYPES) {
    out[`tags_${type}`] = '';
    out[`required_${type}`] = type === 'fandom' ? '1' : '0';
    out[`min_${type}`] = type === 'fandom' ? '1' : '0';
    out[`max_${type}`] = type === 'fandom' ? '1' : '3';
    out[`nominations_${type}`] = '0';
  }
  return out;
}

function storedSettings(exchange: NonNullable<service.LoadedExchange['exchange']>): SettingsValues {
  const rules = exchange.rulesParsed;
  const out: SettingsValues = {
    opens_at: isoField(exchange.signups_open_at),
    closes_at: isoField(exchange.signups_close_at),
    due_at: isoField(exchange.due_at),
    nominations_open_at: isoField(exchange.nominations_open_at),
    nominations_close_at: isoField(exchange.nominations_close_at),
    requests_min: String(rules.requests.min),
    requests_max: String(rules.requests.max),
    offers_min: String(rules.offers.min),
    offers_max: String(rules.offers.max),
    required_request_matches: String(rules.requiredRequestMatches),
    forbid_mutual: rules.forbidMutual ? '1' : '',
  };
  for (const type of EXCHANGE_TAG_TYPES) {
    const rule = rules.tagTypes[type];
    out[`tags_${type}`] = (exchange.tagSetParsed[type] ?? []).join(', ');
    out[`required_${type}`] = String(rule?.required ?? 0);
    out[`min_${type}`] = String(rule?.min ?? 0);
    out[`max_${type}`] = String(rule?.max ?? 0);
    out[`any_${type}`] = rule?.allowAny ? '1' : '';
    out[`nominations_${type}`] = String(service.nominationLimitsOf(exchange)[type] ?? 0);
  }
  return out;
}

/** What a review did, in a line: the tags that joined the tag set and those rejected. */
function reviewFlash(review: service.NominationReview): string {
  const names = (list: ReadonlyArray<{ tag: string }>) => [...new Set(list.map((n) => n.tag))].join(', ');
  return [
    ...(review.approved.length > 0 ? [`${names(review.approved)} joined the tag set.`] : []),
    ...(review.rejected.length > 0 ? [`Rejected: ${names(review.rejected)}.`] : []),
  ].join(' ');
}

export function exchangesRoutes(app: FastifyInstance, { db, config, jobs }: RouteDeps): void {
  const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, config.siteName);

  jobs.register(service.MATCH_JOB, (jobDb, payload) => service.runMatchingJob(jobDb, payload));
  jobs.register(service.REMINDER_JOB, async (jobDb, payload) => {
    await service.runReminderJob(jobDb, payload);
  });

  app.get<NameParams>('/collections/:name/exchange', async (request, reply) => {
    const loaded = await service.loadExchangePage(db, request.viewer, request.params.name).catch(toHttp);
    const e = loaded.exchange;
    return sendPage(
      reply,
      <ExchangePage
        ctx={ctx(request, reply)}
        view={{
          collection: { name: loaded.collection.name, title: loaded.collection.title },
          exchange: e
            ? {
                opensAt: e.signups_open_at,
                closesAt: e.signups_close_at,
                dueAt: e.due_at,
                status: e.status,
                open: service.isSignUpOpen(e),
                rules: e.rulesParsed,
                tagSet: e.tagSetParsed,
                signUpCount: loaded.signUpCount,
                nominations:
                  Object.keys(service.nominationLimitsOf(e)).length === 0
                    ? null
                    : { ...service.nominationWindowOf(e), state: service.nominationStateOf(e) },
              }
            : undefined,
          isMaintainer: loaded.isMaintainer,
          signedUp: loaded.signUp !== undefined,
          myAssignments: loaded.myAssignments.map((a) => ({ id: a.id, recipient: a.recipient_login, fulfilled: a.fulfilled_at !== null })),
        }}
      />,
    );
  });

  const renderSettings = async (
    request: FastifyRequest,
    reply: FastifyReply,
    viewer: Viewer,
    name: string,
    values: SettingsValues | null,
    errors: FieldErrors,
    status: number,
  ) => {
    const loaded = await service.loadExchange(db, viewer, name).catch(toHttp);
    if (!loaded.isMaintainer) throw new HttpError(403, 'Only the owners and moderators of this collection can run its gift exchange.');
    const shown = values ?? (loaded.exchange ? storedSettings(loaded.exchange) : defaultSettings());
    return sendPage(
      reply,
      <ExchangeSettingsPage
        ctx={ctx(request, reply)}
        collection={{ name: loaded.collection.name, title: loaded.collection.title }}
        values={shown}
        errors={errors}
      />,
      status,
    );
  };

  app.get<NameParams>('/collections/:name/exchange/settings', async (request, reply) =>
    renderSettings(request, reply, requireViewer(request), request.params.name, null, {}, 200),
  );

  app.post<NameParams>('/collections/:name/exchange/settings', async (request, reply) => {
    const viewer = requireViewer(request);
    const { name } = request.params;
    const values = formValues(request.body);
    const parsed = ExchangeSettingsSchema.safeParse(request.body ?? {});
    if (!parsed.success) return renderSettings(request, reply, viewer, name, values, toFieldErrors(parsed.error), 422);
    try {
      await service.saveExchangeSettings(db, viewer, name, parsed.data);
    } catch (error) {
      if (error instanceof service.ExchangeError && error.status === 422)
        return renderSettings(request, reply, viewer, name, values, { [error.field]: error.message }, 422);
      return toHttp(error);
    }
    setFlash(request, reply, 'The gift exchange settings were saved.');
    return reply.redirect(exchangeHref(name), 303);
  });

  const renderSignUp = async (
    request: FastifyRequest,
    reply: FastifyReply,
    viewer: Viewer,
    name: string,
    values: Record<string, string> | null,
    errors: FieldErrors,
    status: number,
  ) => {
    const loaded = await service.loadExchange(db, viewer, name).catch(toHttp);
    const exchange = loaded.exchange;
    if (!exchange) throw new HttpError(404, `${loaded.collection.title} is not a gift exchange.`);
    const existing = await repo.findSignUpOf(db, exchange.id, viewer.id);
    if (!service.isSignUpOpen(exchange) && status === 200) throw new HttpError(422, service.signUpClosedMessage(exchange));
    const shown =
      values ??
      (existing
        ? { ...promptsToFields(existing.requests as Prompt[], 'request'), ...promptsToFields(existing.offers as Prompt[], 'offer') }
        : {});
    return sendPage(
      reply,
      <SignUpPage
        ctx={ctx(request, reply)}
        collection={{ name: loaded.collection.name, title: loaded.collection.title }}
        rules={exchange.rulesParsed}
        tagSet={exchange.tagSetParsed}
        values={shown}
        errors={errors}
        existing={existing !== undefined}
      />,
      status,
    );
  };

  app.get<NameParams>('/collections/:name/exchange/signup', async (request, reply) =>
    renderSignUp(request, reply, requireViewer(request), request.params.name, null, {}, 200),
  );

  app.post<NameParams>('/collections/:name/exchange/signup', async (request, reply) => {
    const viewer = requireViewer(request);
    const { name } = request.params;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = formValues(body);
    const loaded = await service.loadExchange(db, viewer, name).catch(toHttp);
    if (!loaded.exchange) throw new HttpError(404, `${loaded.collection.title} is not a gift exchange.`);
    const rules = loaded.exchange.rulesParsed;
    try {
      const outcome = await service.saveSignUp(db, viewer, name, readPrompts(body, rules, 'request'), readPrompts(body, rules, 'offer'));
      setFlash(request, reply, outcome === 'created' ? 'You are signed up.' : 'Your sign-up was saved.');
    } catch (error) {
      if (error instanceof service.ExchangeError && error.status === 422)
        return renderSignUp(request, reply, viewer, name, values, { _form: error.message }, 422);
      return toHttp(error);
    }
    return reply.redirect(exchangeHref(name), 303);
  });

  app.post<NameParams>('/collections/:name/exchange/signup/delete', async (request, reply) => {
    const viewer = requireViewer(request);
    await service.deleteSignUp(db, viewer, request.params.name).catch(toHttp);
    setFlash(request, reply, 'Your sign-up was deleted.');
    return reply.redirect(exchangeHref(request.params.name), 303);
  });

  const renderReview = async (
    request: FastifyRequest,
    reply: FastifyReply,
    viewer: Viewer,
    name: string,
    errors: FieldErrors,
    values: Record<string, string>,
    status: number,
  ) => {
    const r = await service.loadMatchingReview(db, viewer, name).catch(toHttp);
    return sendPage(
      reply,
      <MatchingReviewPage
        ctx={ctx(request, reply)}
        errors={errors}
        values={values}
        view={{
          collection: { name: r.collection.name, title: r.collection.title },
          status: r.exchange.status,
          error: r.exchange.match_error,
          closed: r.exchange.signups_close_at <= new Date(),
          signUps: r.signUps.map((s) => ({ login: s.login, requests: s.requests as Prompt[], offers: s.offers as Prompt[] })),
          assignments: r.assignments.map((a) => ({
            id: a.id,
            giver: a.giver_login,
            recipient: a.recipient_login,
            weight: a.weight,
            pinchHit: a.pinch_hit,
            sent: a.sent_at !== null,
            fulfilled: a.fulfilled_at !== null,
          })),
          unmatched: r.summary?.unmatched ?? [],
          potential: r.summary?.potential ?? {},
          matchedRecipients: r.summary?.matchedRecipients ?? null,
          compatiblePairs: r.summary?.compatiblePairs ?? null,
          withoutGiver: r.signUps.map((s) => s.login).filter((l) => !r.assignments.some((a) => a.recipient_login === l)),
        }}
      />,
      status,
    );
  };

  app.get<NameParams>('/collections/:name/exchange/matching', async (request, reply) =>
    renderReview(request, reply, requireViewer(request), request.params.name, {}, {}, 200),
  );

  app.post<NameParams>('/collections/:name/exchange/matching', async (request, reply) => {
    const viewer = requireViewer(request);
    const { name } = request.params;
    try {
      await service.startMatching(db, viewer, name);
    } catch (error) {
      if (error instanceof service.ExchangeError && (error.status === 422 || error.status === 409))
        return renderReview(request, reply, viewer, name, { _form: error.message }, {}, error.status);
      return toHttp(error);
    }
    jobs.wake();
    setFlash(request, reply, 'Matching started. It runs in the background; reload the page to see its answer.');
    return reply.redirect(`${exchangeHref(name)}/matching`, 303);
  });

  app.post<NameParams>('/collections/:name/exchange/matching/change', async (request, reply) => {
    const viewer = requireViewer(request);
    const { name } = request.params;
    const values = formValues(request.body);
    const change = service.manualChangeOf(values.kind, values.giver ?? '', values.other ?? '');
    if (!change)
      return renderReview(
        request,
        reply,
        viewer,
        name,
        { other: 'Choose the recipient (to reassign) or the second giver (to swap).' },
        values,
        422,
      );
    try {
      const { broken, warnings } = await service.changeAssignments(db, viewer, name, change);
      setFlash(request, reply, [`Changed. Pairs broken: ${broken.join(', ') || 'none'}.`, ...warnings].join(' '));
    } catch (error) {
      if (error instanceof service.ExchangeError && (error.status === 422 || error.status === 409))
        return renderReview(request, reply, viewer, name, { _form: error.message }, values, error.status);
      return toHttp(error);
    }
    return reply.redirect(`${exchangeHref(name)}/matching`, 303);
  });

  app.post<NameParams>('/collections/:name/exchange/send', async (request, reply) => {
    const viewer = requireViewer(request);
    const { name } = request.params;
    let count: number;
    try {
      count = await service.sendAssignments(db, viewer, name);
    } catch (error) {
      if (error instanceof service.ExchangeError && error.status === 409)
        return renderReview(request, reply, viewer, name, { _form: error.message }, {}, 409);
      return toHttp(error);
    }
    setFlash(request, reply, `${count} assignments were sent.`);
    return reply.redirect(`${exchangeHref(name)}/matching`, 303);
  });

  app.post<NameParams>('/collections/:name/exchange/pinch_hits', async (request, reply) => {
    const viewer = requireViewer(request);
    const { name } = request.params;
    const values = formValues(request.body);
    try {
      await service.pinchHitForRecipient(db, viewer, name, (values.recipient ?? '').trim(), (values.login ?? '').trim());
    } catch (error) {
      if (error instanceof service.ExchangeError && (error.status === 422 || error.status === 409))
        return renderReview(request, reply, viewer, name, { [error.field]: error.message }, values, error.status);
      return toHttp(error);
    }
    setFlash(request, reply, `${values.login} is the pinch hitter for ${values.recipient}.`);
    return reply.redirect(`${exchangeHref(name)}/matching`, 303);
  });

  const renderNominations = async (
    request: FastifyRequest,
    reply: FastifyReply,
    viewer: Viewer,
    name: string,
    values: Record<string, string>,
    errors: FieldErrors,
    status: number,
  ) => {
    const n = await service.loadNominations(db, viewer, name).catch(toHttp);
    const row = (r: (typeof n.all)[number]) => ({ id: r.id, login: r.login, type: r.tag_type, name: r.tag_name, status: r.status });
    return sendPage(
      reply,
      <NominationsPage
        ctx={ctx(request, reply)}
        values={values}
        errors={errors}
        view={{
          collection: { name: n.collection.name, title: n.collection.title },
          open: n.open,
          closedMessage: n.closedMessage,
          window: n.window,
          limits: n.limits,
          tagSet: n.exchange.tagSetParsed,
          isMaintainer: n.isMaintainer,
          canDecide: n.exchange.status === 'signups',
          mine: n.mine.map(row),
          all: n.all.map(row),
        }}
      />,
      status,
    );
  };

  app.get<NameParams>('/collections/:name/exchange/nominations', async (request, reply) =>
    renderNominations(request, reply, requireViewer(request), request.params.name, {}, {}, 200),
  );

  app.post<NameParams>('/collections/:name/exchange/nominations', async (request, reply) => {
    const viewer = requireViewer(request);
    const { name } = request.params;
    const values = formValues(request.body);
    const byType: Record<string, string[]> = {};
    for (const type of EXCHANGE_TAG_TYPES) {
      const raw = values[`nominate_${type}`] ?? '';
      if (raw.length > 5_000)
        return renderNominations(
          request,
          reply,
          viewer,
          name,
          values,
          { [`nominate_${type}`]: 'That is too long; nominate a few tags.' },
          422,
        );
      byType[type] = splitTags(raw);
    }
    try {
      const added = await service.nominateTags(db, viewer, name, byType);
      setFlash(
        request,
        reply,
        added === 0 ? 'You had nominated these tags already.' : `${added} tags nominated; the maintainers will review them.`,
      );
    } catch (error) {
      if (error instanceof service.ExchangeError && error.status === 422)
        return renderNominations(request, reply, viewer, name, values, { [error.field]: error.message }, 422);
      return toHttp(error);
    }
    return reply.redirect(`${exchangeHref(name)}/nominations`, 303);
  });

  // One review of many nominations: each pending one's radio says approve, reject or later (empty).
  app.post<NameParams>('/collections/:name/exchange/nominations/review', async (request, reply) => {
    const viewer = requireViewer(request);
    const { name } = request.params;
    const values = formValues(request.body);
    const decisions: service.NominationDecision[] = [];
    for (const [key, value] of Object.entries(values)) {
      const id = /^decision_(\d{1,9})$/.exec(key)?.[1];
      if (id !== undefined && (value === 'approve' || value === 'reject')) decisions.push({ id: Number(id), decision: value });
    }
    try {
      const review = await service.reviewNominations(db, viewer, name, decisions);
      setFlash(request, reply, reviewFlash(review));
    } catch (error) {
      if (error instanceof service.ExchangeError && [404, 409, 422].includes(error.status))
        return renderNominations(request, reply, viewer, name, values, { _form: error.message }, error.status);
      return toHttp(error);
    }
    return reply.redirect(`${exchangeHref(name)}/nominations`, 303);
  });

  app.post<NominationParams>('/collections/:name/exchange/nominations/:id/withdraw', async (request, reply) => {
    const viewer = requireViewer(request);
    const { name } = request.params;
    const id = parseId(request.params.id);
    if (id === null) throw new HttpError(404, 'There is no such nomination. Check the number in the address.');
    try {
      const { tag } = await service.withdrawNomination(db, viewer, name, id);
      setFlash(request, reply, `Your nomination of ${tag} was withdrawn.`);
    } catch (error) {
      if (error instanceof service.ExchangeError && error.status === 409)
        return renderNominations(request, reply, viewer, name, {}, { _form: error.message }, 409);
      return toHttp(error);
    }
    return reply.redirect(`${exchangeHref(name)}/nominations`, 303);
  });

  const assignmentId = (raw: string) => {
    const id = parseId(raw);
    if (id === null) throw new HttpError(404, 'There is no such assignment. Check the number in the address.');
    return id;
  };

  const renderAssignment = async (
    request: FastifyRequest,
    reply: FastifyReply,
    viewer: Viewer,
    name: string,
    id: number,
    errors: FieldErrors,
    values: Record<string, string>,
    status: number,
  ) => {
    const { assignment, isGiver, isMaintainer } = await service.loadAssignmentIn(db, viewer, name, id).catch(toHttp);
    const works = isGiver ? await repo.findPostedWorksOf(db, viewer.id) : [];
    return sendPage(
      reply,
      <AssignmentPage
        ctx={ctx(request, reply)}
        assignment={{
          id: assignment.id,
          collection: { name: assignment.collection_name, title: assignment.collection_title },
          recipient: assignment.recipient_login,
          requests: assignment.recipient_requests as Prompt[],
          dueAt: assignment.due_at,
          workId: assignment.work_id,
          hasGiver: assignment.giver_user_id !== null,
        }}
        isGiver={isGiver}
        isMaintainer={isMaintainer}
        works={works}
        errors={errors}
        values={values}
      />,
      status,
    );
  };

  app.get<AssignmentParams>('/collections/:name/exchange/assignments/:id', async (request, reply) =>
    renderAssignment(request, reply, requireViewer(request), request.params.name, assignmentId(request.params.id), {}, {}, 200),
  );

  app.post<AssignmentParams>('/collections/:name/exchange/assignments/:id/default', async (request, reply) => {
    const viewer = requireViewer(request);
    const name = await service.defaultAssignment(db, viewer, request.params.name, assignmentId(request.params.id)).catch(toHttp);
    setFlash(request, reply, 'You defaulted on the assignment; the maintainers will find a pinch hitter.');
    return reply.redirect(exchangeHref(name), 303);
  });

  app.post<AssignmentParams>('/collections/:name/exchange/assignments/:id/pinch_hit', async (request, reply) => {
    const viewer = requireViewer(request);
    const id = assignmentId(request.params.id);
    const values = formValues(request.body);
    try {
      const name = await service.assignPinchHitter(db, viewer, request.params.name, id, (values.login ?? '').trim());
      setFlash(request, reply, `${values.login} is the pinch hitter for assignment ${id}.`);
      return reply.redirect(`${exchangeHref(name)}/matching`, 303);
    } catch (error) {
      if (error instanceof service.ExchangeError && error.status === 422)
        return renderAssignment(request, reply, viewer, request.params.name, id, { login: error.message }, values, 422);
      return toHttp(error);
    }
  });

  app.post<AssignmentParams>('/collections/:name/exchange/assignments/:id/fulfil', async (request, reply) => {
    const viewer = requireViewer(request);
    const id = assignmentId(request.params.id);
    const values = formValues(request.body);
    const workId = parseId(values.work_id);
    if (workId === null)
      return renderAssignment(
        request,
        reply,
        viewer,
        request.params.name,
        id,
        { work_id: 'Choose one of your posted works.' },
        values,
        422,
      );
    try {
      const done = await service.fulfilAssignment(db, viewer, request.params.name, id, workId);
      app.pageCache.invalidateWork(done.workId);
      setFlash(request, reply, 'Your gift was posted to the exchange.');
      return reply.redirect(`/works/${done.workId}`, 303);
    } catch (error) {
      if (error instanceof service.ExchangeError && error.status === 422)
        return renderAssignment(request, reply, viewer, request.params.name, id, { [error.field]: error.message }, values, 422);
      return toHttp(error);
    }
  });
}
