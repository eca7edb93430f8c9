import { Hono } from 'hono'
import type { ConsoleDeps } from './console-deps.ts'
import type { ConsoleEnv } from './console-env.ts'
import { consoleHeaders } from './console-headers.ts'
import { Layout } from './layout.tsx'
import { activityPage } from './pages/activity-page.tsx'
import { diagnosticsPage } from './pages/diagnostics-page.tsx'
import { exceptionsPage } from './pages/exceptions-page.tsx'
import { goLivePage } from './pages/go-live-page.tsx'
import { integrationsPage } from './pages/integrations-page.tsx'
import { liveRoutes } from './pages/live-routes.ts'
import { mastersPage } from './pages/masters-page.tsx'
import { overviewPage } from './pages/overview-page.tsx'
import { recipesPage } from './pages/recipes-page.tsx'
import { requireSession } from './require-session.ts'
import { signInRoutes, signOutRoute } from './sign-in-routes.tsx'
import { staticAssets } from './static-assets.ts'

/**
 * The web console, served under /console by the same process and port as the API. Pages are
 * server-rendered with hono/jsx; every tenant read and change goes through the API's own routes
 * in-process ({@link callApi}), as the session's tenant.
 *
 * Mount it on the API app: `app.route('/console', createConsoleApp({ ...deps, api: app }))`.
 */
export function createConsoleApp(deps: ConsoleDeps): Hono {
  const app = new Hono()
  app.use('*', consoleHeaders(deps))
  app.route('/assets', staticAssets())
  app.route('/', signInRoutes(deps))

  const pages = new Hono<ConsoleEnv>()
  pages.use('*', requireSession(deps))
  pages.post('/sign-out', signOutRoute(deps))
  pages.get('/', (c) => c.redirect('/console/integrations', 303))
  pages.route('/integrations', integrationsPage(deps))
  pages.route('/overview', overviewPage(deps))
  pages.route('/activity', activityPage(deps))
  pages.route('/exceptions', exceptionsPage(deps))
  pages.route('/diagnostics', diagnosticsPage(deps))
  pages.route('/live', liveRoutes(deps))
  pages.route('/recipes', recipesPage(deps))
  pages.route('/masters', mastersPage(deps))
  pages.route('/go-live', goLivePage(deps))
  // Pages go above this line; the catch-all answers every other signed-in path.
  pages.all('*', (c) => {
    const view = c.get('view')
    return c.html(
      <Layout view={view} title="404">
        <p>{view.t('common.notFound')}</p>
      </Layout>,
      404,
    )
  })
  // Routes run in the order they are added: sign-in and assets answer before the session guard.
  app.route('/', pages)
  return app
}
