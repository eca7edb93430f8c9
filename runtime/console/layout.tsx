import type { Child } from 'hono/jsx'
import type { View } from './console-env.ts'
import { CSRF_FIELD } from './csrf.ts'
import { LANGUAGES } from './i18n/translator.ts'
import { NAV_ITEMS } from './nav-items.ts'

/** The hidden CSRF field every POST form of a signed-in page carries. */
export function CsrfField(props: { view: View }) {
  return <input type="hidden" name={CSRF_FIELD} value={props.view.csrf} />
}

function languageHref(view: View, language: string): string {
  return `/console/language?to=${language}&back=${encodeURIComponent(view.path)}`
}

/** The language switch: a link per language, the current one marked. */
function LanguageSwitch(props: { view: View }) {
  const { view } = props
  return (
    <nav class="languages" aria-label={view.t('lang.label')}>
      {LANGUAGES.map((language) =>
        language === view.language ? (
          <span lang={language} aria-current="true">
            {view.t(`lang.${language}`)}
          </span>
        ) : (
          <a lang={language} href={languageHref(view, language)}>
            {view.t(`lang.${language}`)}
          </a>
        ),
      )}
    </nav>
  )
}

/** A page before sign-in: the brand, the language switch and the content. */
export function BareLayout(props: { view: View; title: string; children: Child }) {
  const { view } = props
  return (
    <html lang={view.language}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · Ferry`}</title>
        <link rel="stylesheet" href="/console/assets/console.css" />
        <script src="/console/assets/console.js" defer />
      </head>
      <body class="bare">
        <header class="top">
          <span class="brand">{view.t('app.name')}</span>
          <LanguageSwitch view={view} />
        </header>
        <main id="main">{props.children}</main>
      </body>
    </html>
  )
}

/**
 * A signed-in page: skip link, header (tenant, language, sign-out), the main navigation with the
 * current page marked, the notice of the last change, then the page's content under its <h1>.
 */
export function Layout(props: { view: View; title: string; children: Child }) {
  const { view } = props
  return (
    <html lang={view.language}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · Ferry`}</title>
        <link rel="stylesheet" href="/console/assets/console.css" />
        <script src="/console/assets/console.js" defer />
      </head>
      <body>
        <a class="skip" href="#main">
          {view.t('app.skipToContent')}
        </a>
        <header class="top">
          <span class="brand">{view.t('app.name')}</span>
          <span class="tenant">{view.t('session.tenant', { name: view.tenantName })}</span>
          <LanguageSwitch view={view} />
          <form method="post" action="/console/sign-out" class="sign-out">
            <CsrfField view={view} />
            <button type="submit">{view.t('session.signOut')}</button>
          </form>
        </header>
        <nav class="main-nav" aria-label={view.t('nav.label')}>
          <ul>
            {NAV_ITEMS.map((item) => (
              <li>
                <a href={item.path} aria-current={view.path.startsWith(item.path) ? 'page' : undefined}>
                  {view.t(item.label)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main">
          <h1>{props.title}</h1>
          {view.notice ? (
            <p class="notice" role="status">
              {view.t(view.notice)}
            </p>
          ) : null}
          {props.children}
        </main>
      </body>
    </html>
  )
}
