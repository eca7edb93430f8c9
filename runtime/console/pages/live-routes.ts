import { Hono } from 'hono'
import type { ConsoleDeps } from '../console-deps.ts'
import type { ConsoleEnv } from '../console-env.ts'
import { streamApi } from '../stream-api.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Server-sent progress for the signed-in tenant: the API's progress streams, relayed in-process. */
export function liveRoutes(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>()
  const relay = (kind: 'runs' | 'bulk-retries') =>
    app.get(`/${kind}/:id`, (c) => {
      const id = c.req.param('id')
      if (!UUID.test(id)) return c.text('not found', 404)
      return streamApi(deps.api, c.get('session'), `/v1/${kind}/${id}/progress`)
    })
  relay('runs')
  relay('bulk-retries')
  return app
}
