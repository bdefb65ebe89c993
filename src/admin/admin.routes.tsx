import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { mailerOf } from '../accounts/mailer.ts';
import { formatDate } from '../lib/dates.ts';
import { type SafeHtml, trustHtml } from '../lib/safe-html.ts';
import { requireAdmin } from '../moderation/moderation.policy.ts';
import { NestingTooDeepError, toFieldHtml } from '../works/text/index.ts';
import { HttpError } from '../web/errors.tsx';
import { formValues, parseId, toFieldErrors, type FieldErrors } from '../web/form.ts';
import { pageContext, requireViewer } from '../web/page-context.ts';
import { sendPage } from '../web/render.ts';
import { setFlash } from '../web/session.ts';
import {
  AdminCommentSchema,
  AdminPostSchema,
  InviteRequestSchema,
  ReleaseSchema,
  SettingsSchema,
  UserLookupSchema,
} from './admin.schema.ts';
import * as service from './admin.service.ts';
import {
  AboutPage,
  AdminHomePage,
  AdminPostPage,
  AdminPostsPage,
  InvitationsAdminPage,
  InviteRequestPage,
  NewAdminPostPage,
  SettingsPage,
  UserLookupPage,
  type AdminPostView,
} from './admin.views.tsx';
import { buildAtomFeed } from './atom.ts';
import { registerSiteSettings, type SiteSettings } from './site-settings.ts';

const settingsValues = (s: SiteSettings) => ({
  name: s.name ?? '',
  description: s.description,
  signup_mode: s.signupMode,
  guest_comments: s.guestComments ? '1' : '',
  content_policy: s.contentPolicy,
  email_verification: s.emailVerification === null ? 'auto' : s.emailVerification ? 'on' : 'off',
});

/** A field's text formatted, or why it cannot be (nested too deep): one conversion for both. */
function formatField(text: string): { html: SafeHtml } | { error: string } {
  try {
    return { html: toFieldHtml(text) };
  } catch (error) {
    if (error instanceof NestingTooDeepError) return { error: error.message };
    throw error;
  }
}

export function adminRoutes(app: FastifyInstance, { db, config }: AppDeps): void {
  registerSiteSettings(app, db);
  const mailer = mailerOf(app, config);
  const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, config.siteName);
  const siteName = () => app.siteSettings.name || config.siteName;

  app.get('/admin', async (request, reply) => {
    requireAdmin(request.viewer);
    return sendPage(reply, <AdminHomePage ctx={ctx(request, reply)} queue={await service.queueLength(db)} />);
  });

  // ---- settings ------------------------------------------------------------------------

  app.get('/admin/settings', async (request, reply) => {
    requireAdmin(request.viewer);
    return sendPage(reply, <SettingsPage ctx={ctx(request, reply)} values={settingsValues(app.siteSettings)} errors={{}} />);
  });

  app.post('/admin/settings', async (request, reply) => {
    const admin = requireAdmin(request.viewer);
    const parsed = SettingsSchema.safeParse(request.body ?? {});
    if (!parsed.success)
      return sendPage(
        reply,
        <SettingsPage ctx={ctx(request, reply)} values={formValues(request.body)} errors={toFieldErrors(parsed.error)} />,
        422,
      );
    const d = parsed.data;
    // The policy is formatted on every visit to /content_policy: refuse now what could not be formatted then.
    const policy = formatField(d.content_policy);
    if ('error' in policy)
      return sendPage(
        reply,
        <SettingsPage ctx={ctx(request, reply)} values={formValues(request.body)} errors={{ content_policy: policy.error }} />,
        422,
      );
    const settings: SiteSettings = {
      name: d.name || null,
      description: d.description,
      signupMode: d.signup_mode,
      guestComments: d.guest_comments === '1',
      contentPolicy: d.content_policy,
      emailVerification: d.email_verification === 'auto' ? null : d.email_verification === 'on',
    };
    await service.updateSettings(db, admin, settings);
    Object.assign(app.siteSettings, settings);
    setFlash(request, reply, 'Settings saved.');
    return reply.redirect('/admin/settings', 303);
  });

  app.get('/content_policy', async (request, reply) => {
    const s = app.siteSettings;
    // A policy saved before the nesting limit existed may break it: left out rather than failing the page.
    const policy = s.contentPolicy ? formatField(s.contentPolicy) : null;
    const policyHtml = policy && 'html' in policy ? policy.html : null;
    return sendPage(reply, <AboutPage ctx={ctx(request, reply)} description={s.description} policyHtml={policyHtml} />);
  });

  // ---- invitations ---------------------------------------------------------------------

  app.get('/invite_requests', async (request, reply) =>
    sendPage(
      reply,
      <InviteRequestPage ctx={ctx(request, reply)} values={{}} errors={{}} done={false} mode={app.siteSettings.signupMode} />,
    ),
  );

  app.post('/invite_requests', { config: { rateLimit: { max: 10, timeWindow: '1 hour' } } }, async (request, reply) => {
    const parsed = InviteRequestSchema.safeParse(request.body ?? {});
    if (!parsed.success) {
      return sendPage(
        reply,
        <InviteRequestPage
          ctx={ctx(request, reply)}
          values={formValues(request.body)}
          errors={toFieldErrors(parsed.error)}
          done={false}
          mode={app.siteSettings.signupMode}
        />,
        422,
      );
    }
    await service.requestInvitation(db, parsed.data.email);
    return sendPage(
      reply,
      <InviteRequestPage ctx={ctx(request, reply)} values={{}} errors={{}} done={true} mode={app.siteSettings.signupMode} />,
    );
  });

  const renderInvitations = async (
    request: FastifyRequest,
    reply: FastifyReply,
    errors: FieldErrors = {},
    values: Record<string, string> = {},
    status = 200,
  ) =>
    sendPage(
      reply,
      <InvitationsAdminPage ctx={ctx(request, reply)} queue={await service.queueLength(db)} errors={errors} values={values} />,
      status,
    );

  app.get('/admin/invitations', async (request, reply) => {
    requireAdmin(request.viewer);
    return renderInvitations(request, reply);
  });

  app.post('/admin/invitations/release', async (request, reply) => {
    const admin = requireAdmin(request.viewer);
    const parsed = ReleaseSchema.safeParse(request.body ?? {});
    if (!parsed.success) return renderInvitations(request, reply, toFieldErrors(parsed.error), formValues(request.body), 422);
    const sent = await service.releaseInvitations(db, mailer, admin, parsed.data.count, { baseUrl: config.baseUrl, name: siteName() });
    setFlash(request, reply, sent === 0 ? 'No one is waiting.' : `Sent ${sent} invitations.`);
    return reply.redirect('/admin/invitations', 303);
  });

  // ---- news ----------------------------------------------------------------------------

  const toPostView = (p: { id: number; title: string; body_html: string; created_at: Date; author: string | null }): AdminPostView => ({
    id: p.id,
    title: p.title,
    author: p.author ?? 'a former admin',
    date: formatDate(p.created_at),
    // Sanitized by toFieldHtml when saved.
    html: trustHtml(p.body_html),
  });

  app.get('/admin_posts', async (request, reply) => {
    const posts = await service.listAdminPosts(db);
    return sendPage(reply, <AdminPostsPage ctx={ctx(request, reply)} posts={posts.map(toPostView)} />);
  });

  app.get('/admin_posts/feed.atom', async (_request, reply) => {
    const posts = await service.listAdminPosts(db);
    const base = config.baseUrl;
    const xml = buildAtomFeed({
      id: `${base}/admin_posts`,
      title: `${siteName()} news`,
      selfUrl: `${base}/admin_posts/feed.atom`,
      siteUrl: `${base}/admin_posts`,
      updated: posts[0]?.updated_at ?? new Date(0),
      entries: posts.map((p) => ({
        id: `${base}/admin_posts/${p.id}`,
        title: p.title,
        url: `${base}/admin_posts/${p.id}`,
        updated: p.updated_at,
        author: p.author ?? 'admin',
        html: p.body_html,
      })),
    });
    return reply.type('application/atom+xml; charset=utf-8').send(xml);
  });

  app.get('/admin_posts/new', async (request, reply) => {
    requireAdmin(request.viewer);
    return sendPage(reply, <NewAdminPostPage ctx={ctx(request, reply)} values={{}} errors={{}} />);
  });

  app.post('/admin_posts', async (request, reply) => {
    const admin = requireAdmin(request.viewer);
    const parsed = AdminPostSchema.safeParse(request.body ?? {});
    if (!parsed.success)
      return sendPage(
        reply,
        <NewAdminPostPage ctx={ctx(request, reply)} values={formValues(request.body)} errors={toFieldErrors(parsed.error)} />,
        422,
      );
    const id = await service.createAdminPost(db, admin, parsed.data);
    setFlash(request, reply, 'Posted.');
    return reply.redirect(`/admin_posts/${id}`, 303);
  });

  const renderPost = async (
    request: FastifyRequest<{ Params: { id: string } }>,
    reply: FastifyReply,
    values: Record<string, string> = {},
    errors: FieldErrors = {},
    status = 200,
  ) => {
    const id = parseId(request.params.id);
    const found = id === null ? undefined : await service.findAdminPost(db, id);
    if (!found) throw new HttpError(404, 'There is no news post with this id.');
    const comments = found.comments.map((c) => ({
      id: c.id,
      author: c.author ?? 'a deleted account',
      date: formatDate(c.created_at),
      body: c.body,
    }));
    return sendPage(
      reply,
      <AdminPostPage ctx={ctx(request, reply)} post={toPostView(found.post)} comments={comments} values={values} errors={errors} />,
      status,
    );
  };

  app.get<{ Params: { id: string } }>('/admin_posts/:id', (request, reply) => renderPost(request, reply));

  app.post<{ Params: { id: string } }>(
    '/admin_posts/:id/comments',
    { config: { rateLimit: { max: 30, timeWindow: '10 minutes' } } },
    async (request, reply) => {
      const viewer = requireViewer(request);
      const parsed = AdminCommentSchema.safeParse(request.body ?? {});
      if (!parsed.success) return renderPost(request, reply, formValues(request.body), toFieldErrors(parsed.error), 422);
      const id = parseId(request.params.id);
      const commentId = id === null ? null : await service.addAdminPostComment(db, viewer, id, parsed.data.comment);
      if (commentId === null) throw new HttpError(404, 'There is no news post with this id.');
      return reply.redirect(`/admin_posts/${id}#comment-${commentId}`, 303);
    },
  );

  // ---- user lookup ---------------------------------------------------------------------

  app.get('/admin/users', async (request, reply) => {
    requireAdmin(request.viewer);
    const q = UserLookupSchema.safeParse(request.query ?? {});
    const text = q.success ? q.data.q : '';
    const users = text ? await service.lookupUsers(db, text) : [];
    return sendPage(
      reply,
      <UserLookupPage
        ctx={ctx(request, reply)}
        q={text}
        users={users.map((u) => ({ login: u.login, email: u.email, joined: formatDate(u.created_at), isAdmin: u.is_admin }))}
      />,
    );
  });
}
