import { Hono } from 'hono'
import { type Db, pingDatabase } from '../store/database.ts'
import type { ApiRoute } from './api-route.ts'

interface HealthDeps {
  db: Db
  draining: () => boolean
}

async function health(deps: HealthDeps): Promise<{ status: number; body: Record<string, string> }> {
  if (deps.draining()) return { status: 503, body: { status: 'draining' } }
  try {
    await pingDatabase(deps.db)
    return { status: 200, body: { status: 'ok', database: 'ok' } }
  } catch (error) {
    return { status: 503, body: { status: 'unavailable', database: String(error) } }
  }
}

/** `/health`: 200 when the database answers, 503 while draining or when it does not. */
export function healthRoutes(deps: HealthDeps) {
  return new Hono().get('/health', async (c) => {
    const { status, body } = await health(deps)
    return c.json(body, status as 200)
  })
}

/** The same `/health` as a route of the API's table (public, so load balancers need no key). */
export function healthApiRoutes(deps: HealthDeps): ApiRoute[] {
  return [
    {
      method: 'get',
      path: '/health',
      operationId: 'health',
      summary: 'Liveness and database reachability',
      tag: 'operations',
      access: 'public',
      responses: {
        200: { description: 'Healthy', schema: 'Health' },
        503: { description: 'Draining or database unreachable', schema: 'Health' },
      },
      handle: async (c) => {
        const { status, body } = await health(deps)
        return c.json(body, status as 200)
      },
    },
  ]
}
