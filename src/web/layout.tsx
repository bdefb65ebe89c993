import type { ComponentChildren } from 'preact';
import type { Viewer } from './viewer.ts';
import {
  DEFAULT_PREFERENCES,
  htmlDisplayAttributes,
  ReaderPreferencesContext,
  type ReaderPreferences,
} from '../accounts/reader-preferences.ts';

/** What every page needs from the request: who is looking, the CSRF token, a flash notice. */
export interface PageContext {
  viewer: Viewer | null;
  csrfToken: string;
  siteName: string;
  flash?: string | undefined;
  /** The reader's display and reading choices; the defaults when absent. */
  preferences?: ReaderPreferences | undefined;
}

export const STYLESHEET_URL = '/static/style.css?v=1';

/** The page frame: header with navigation and account links, main content, footer. */
export function Layout(props: {
  ctx: PageContext;
  title: string;
  children: ComponentChildren;
  description?: string;
  /** Same-site stylesheets after the site's own (a work's skin). */
  stylesheets?: readonly string[] | undefined;
}) {
  const { ctx } = props;
  const preferences = ctx.preferences ?? DEFAULT_PREFERENCES;
  // The theme and display settings are attributes rendered with the page, so the first paint
  // already has them (no script, no flash of the wrong theme).
  return (
    <html lang="en" {...htmlDisplayAttributes(preferences)}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} | ${ctx.siteName}`}</title>
        {props.description ? <meta name="description" content={props.description} /> : null}
        <link rel="stylesheet" href={STYLESHEET_URL} />
        {props.stylesheets?.map((href) => (
          <link rel="stylesheet" href={href} />
        ))}
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <SiteHeader ctx={ctx} />
        <main id="main" class="site-main">
          {ctx.flash ? (
            <p class="flash" role="status">
              {ctx.flash}
            </p>
          ) : null}
          <ReaderPreferencesContext.Provider value={preferences}>{props.children}</ReaderPreferencesContext.Provider>
        </main>
        <footer class="site-footer">
          <p>{ctx.siteName === 'Fanfold' ? 'Fanfold' : `${ctx.siteName}, powered by Fanfold`}: an open archive for fan works, by fans.</p>
          <p>
            <a href="/preferences">Reading preferences</a>
          </p>
        </footer>
      </body>
    </html>
  );
}

/** Unread inbox items as a badge: a number to see, "unread" for screen readers. */
function UnreadBadge(props: { count: number | undefined }) {
  if (!props.count) return null;
  return (
    <span class="nav-count">
      {props.count > UNREAD_SHOWN ? `${UNREAD_SHOWN}+` : props.count}
      <span class="visually-hidden"> unread</span>
    </span>
  );
}

/** Shown counts stop here: the session's query counts no further (src/accounts/accounts.repo.ts). */
const UNREAD_SHOWN = 99;

/** The site's links; add new sections here, and both the wide bar and the phone menu list them. */
function NavItems(props: { viewer: Viewer | null }) {
  const { viewer } = props;
  return (
    <>
      <li>
        <a href="/works">Works</a>
      </li>
      <li>
        <a href="/works/search">Search</a>
      </li>
      <li>
        <a href="/media">Fandoms</a>
      </li>
      {viewer ? (
        <>
          <li>
            <a href="/works/new">Post a work</a>
          </li>
          <li>
            <a href={`/users/${encodeURIComponent(viewer.login)}/works`}>My works</a>
          </li>
          <li>
            <a href={`/users/${encodeURIComponent(viewer.login)}/inbox`}>
              Inbox <UnreadBadge count={viewer.unreadInbox} />
            </a>
          </li>
        </>
      ) : null}
    </>
  );
}

function AccountLinks(props: { ctx: PageContext }) {
  const { viewer } = props.ctx;
  return (
    <div class="account-links">
      {viewer ? (
        <>
          <a href={`/users/${encodeURIComponent(viewer.login)}`}>{viewer.login}</a>
          <form method="post" action="/logout" class="inline-form">
            <CsrfField token={props.ctx.csrfToken} />
            <button type="submit" class="link-button">
              Log out
            </button>
          </form>
        </>
      ) : (
        <>
          <a href="/login">Log in</a>
          <a href="/signup" class="button button-small">
            Sign up
          </a>
        </>
      )}
    </div>
  );
}

/**
 * The header: on a wide screen one bar of links; on a phone the brand and a "Menu" button
 * (details/summary, so it opens without JavaScript) holding the same links, which keeps the
 * header one row high however many sections the archive grows. CSS shows one of the two; the
 * other is display:none, so neither readers nor assistive technology meet the links twice.
 */
function SiteHeader(props: { ctx: PageContext }) {
  const { ctx } = props;
  return (
    <header class="site-header">
      <div class="site-header-bar">
        <a class="brand" href="/">
          {ctx.siteName}
        </a>
        <nav class="site-nav site-nav-wide" aria-label="Site">
          <ul class="nav-links">
            <NavItems viewer={ctx.viewer} />
          </ul>
          <AccountLinks ctx={ctx} />
        </nav>
        <details class="site-menu">
          <summary class="site-menu-button">
            Menu <UnreadBadge count={ctx.viewer?.unreadInbox} />
          </summary>
          <nav class="site-menu-panel" aria-label="Site">
            <ul class="nav-links">
              <NavItems viewer={ctx.viewer} />
            </ul>
            <AccountLinks ctx={ctx} />
          </nav>
        </details>
      </div>
    </header>
  );
}

/** The hidden CSRF input every state-changing form carries. */
export function CsrfField(props: { token: string }) {
  return <input type="hidden" name="_csrf" value={props.token} />;
}
