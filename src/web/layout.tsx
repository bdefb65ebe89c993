import type { ComponentChildren } from 'preact';
import type { Viewer } from './viewer.ts';

/** What every page needs from the request: who is looking, the CSRF token, a flash notice. */
export interface PageContext {
  viewer: Viewer | null;
  csrfToken: string;
  siteName: string;
  flash?: string | undefined;
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
  return (
    <html lang="en">
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
        <header class="site-header">
          <nav class="site-nav" aria-label="Site">
            <a class="brand" href="/">
              {ctx.siteName}
            </a>
            <ul class="nav-links">
              <li>
                <a href="/works">Works</a>
              </li>
              <li>
                <a href="/works/search">Search</a>
              </li>
              {ctx.viewer ? (
                <>
                  <li>
                    <a href="/works/new">Post a work</a>
                  </li>
                  <li>
                    <a href={`/users/${encodeURIComponent(ctx.viewer.login)}/works`}>My works</a>
                  </li>
                  <li>
                    <a href={`/users/${encodeURIComponent(ctx.viewer.login)}/inbox`}>Inbox</a>
                  </li>
                </>
              ) : null}
            </ul>
            <div class="account-links">
              {ctx.viewer ? (
                <>
                  <a href={`/users/${encodeURIComponent(ctx.viewer.login)}`}>{ctx.viewer.login}</a>
                  <form method="post" action="/logout" class="inline-form">
                    <CsrfField token={ctx.csrfToken} />
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
          </nav>
        </header>
        <main id="main" class="site-main">
          {ctx.flash ? (
            <p class="flash" role="status">
              {ctx.flash}
            </p>
          ) : null}
          {props.children}
        </main>
        <footer class="site-footer">
          <p>{ctx.siteName === 'Fanfold' ? 'Fanfold' : `${ctx.siteName}, powered by Fanfold`}: an open archive for fan works, by fans.</p>
        </footer>
      </body>
    </html>
  );
}

/** The hidden CSRF input every state-changing form carries. */
export function CsrfField(props: { token: string }) {
  return <input type="hidden" name="_csrf" value={props.token} />;
}
