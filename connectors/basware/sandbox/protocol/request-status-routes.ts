/**
 * `GET /v1/requestStatus[/{requestId}]` and `POST /v1/requestStatus/acknowledge`: where the real
 * outcome of each imported item is read.
 */
import { Hono } from 'hono'
import type { SandboxCore } from '../state/sandbox-core.ts'
import { errorResponse, jsonResponse } from './response-entity-list.ts'

/** Routes of the monitoring API. */
export function requestStatusRoutes(core: SandboxCore): Hono {
  const app = new Hono()

  app.get('/v1/requestStatus/:requestId', (c) => {
    const request = core.requests.get(c.req.param('requestId'))
    if (!request) {
      return errorResponse(404, [
        { type: 'BUSINESS', code: 'ENTITY_NOT_FOUND', message: 'Request id was not found' },
      ])
    }
    const ignore = c.req.query('ignoreSuccessfulItems') === 'true'
    return jsonResponse(200, { requestStatus: [core.requests.view(request, ignore)] })
  })

  app.get('/v1/requestStatus', (c) => {
    const entityType = c.req.query('entityType')
    const narrowed = entityType !== undefined || c.req.query('system') !== undefined
    // Without narrowing, Basware reports only errors.
    const status = c.req.query('status') ?? (narrowed ? undefined : 'Error')
    const ignore = (c.req.query('ignoreSuccessfullItems') ?? c.req.query('ignoreSuccessfulItems')) === 'true'
    const pageSize = Math.min(Number(c.req.query('pageSize') ?? 500) || 500, 500)
    const found = core.requests.list({ status, entityType }).slice(0, pageSize)
    if (found.length === 0) {
      return errorResponse(404, [
        { type: 'BUSINESS', code: 'ENTITY_NOT_FOUND', message: 'No request statuses match' },
      ])
    }
    return jsonResponse(200, { requestStatus: found.map((r) => core.requests.view(r, ignore)) })
  })

  app.post('/v1/requestStatus/acknowledge', async (c) => {
    const body = (await c.req.json().catch(() => null)) as { requestIds?: unknown } | null
    const ids = Array.isArray(body?.requestIds)
      ? body.requestIds.filter((i): i is string => typeof i === 'string')
      : []
    if (ids.length === 0) {
      return errorResponse(400, [
        { type: 'VALIDATION', code: 'SCHEMA_VALIDATION_ERROR', message: 'requestIds is required' },
      ])
    }
    const refused = ids.filter((id) => !core.requests.acknowledge(id))
    if (refused.length > 0) {
      return errorResponse(
        405,
        refused.map((id) => ({
          type: 'BUSINESS' as const,
          code: 'METHOD_NOT_ALLOWED',
          message: `Request ${id} is already acknowledged or not finished`,
        })),
      )
    }
    return jsonResponse(200, { requestIds: ids })
  })

  return app
}
