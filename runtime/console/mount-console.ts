import type { Hono } from 'hono'
import type { ConsoleDeps } from './console-deps.ts'
import { createConsoleApp } from './create-console-app.tsx'

/**
 * Mounts the console on the API app (same process, same port): /console, and / sends a browser there.
 * The console calls this same app's API routes in-process, so it is passed in as `api`.
 */
export function mountConsole(app: Hono<any>, deps: Omit<ConsoleDeps, 'api'>): void {
  app.route('/console', createConsoleApp({ ...deps, api: app }))
  app.get('/', (c) => c.redirect('/console', 303))
}
