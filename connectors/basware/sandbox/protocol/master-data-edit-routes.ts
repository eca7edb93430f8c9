/**
 * The master-data edits besides POST: `PATCH /v1/<entity>/{externalCode}` (and
 * `/v1/lists/{listKey}/{externalCode}`) merges a partial record into the stored one — `null` counts as
 * "not sent", so PATCH cannot clear a field; nested objects merge, arrays are replaced — and goes
 * through requestStatus like a POST of the merged record. `DELETE /v1/<entity>` with
 * `{"externalCode"}` removes one record at once (200); with `{"lastUpdated"}` every record updated
 * after it, as a task (202 with its `statusApiLink`, refused while one runs). Deletes touch the API
 * layer only. `GET /v1/taskStatus/{taskId}` reports a delete task.
 */
import { randomUUID } from 'node:crypto'
import { Hono } from 'hono'
import type { SandboxCore } from '../state/sandbox-core.ts'
import { isListKey, MAX_BODY_BYTES, type MasterDataApi, masterDataApis } from './master-data-apis.ts'
import { acceptRecords, type Posted } from './master-data-routes.ts'
import { errorResponse, jsonResponse } from './response-entity-list.ts'
import { validateEntity } from './validate-entity.ts'

const schemaError = (message: string, externalCode?: string) =>
  errorResponse(400, [{ externalCode, type: 'VALIDATION', code: 'SCHEMA_VALIDATION_ERROR', message }])

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Reads a JSON object body, or the 400/413 to answer. */
async function objectBody(request: Request): Promise<Record<string, unknown> | Response> {
  const text = await request.text()
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) return jsonResponse(413, { message: 'Request Too Large' })
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return schemaError('The body is not valid JSON')
  }
  return isObject(body) ? body : schemaError('The body must be a JSON object')
}

/** `patch` over `stored`: nulls are skipped, objects merge member by member, anything else replaces. */
function merge(stored: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...stored }
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) continue
    out[key] = isObject(value) && isObject(stored[key]) ? merge(stored[key], value) : value
  }
  return out
}

async function patchRecord(
  core: SandboxCore,
  api: MasterDataApi,
  collection: string,
  externalCode: string,
  request: Request,
  listKey: string | null,
): Promise<Response> {
  const body = await objectBody(request)
  if (body instanceof Response) return body
  const stored = core.masterData.collection(collection).get(externalCode)
  if (!stored) {
    return errorResponse(404, [
      {
        externalCode,
        type: 'BUSINESS',
        code: 'ENTITY_NOT_FOUND',
        message: `No record with externalCode '${externalCode}' to update`,
      },
    ])
  }
  if (body.externalCode !== undefined && body.externalCode !== null && body.externalCode !== externalCode) {
    return errorResponse(400, [
      {
        externalCode,
        type: 'VALIDATION',
        code: 'EXTERNAL_CODE_MISMATCH',
        message: `The body's externalCode '${String(body.externalCode)}' differs from the path's '${externalCode}'`,
      },
    ])
  }
  const { lastUpdated: _stamp, ...current } = stored
  const merged = merge(current, body) as Posted
  const errors = validateEntity(api.schema, merged, externalCode)
  if (errors.length) return errorResponse(400, errors)
  const requestId = acceptRecords(core, api, collection, [merged], listKey)
  return jsonResponse(200, core.masterData.collection(collection).get(externalCode), {
    'x-amzn-RequestId': requestId,
  })
}

async function deleteRecords(
  core: SandboxCore,
  api: MasterDataApi,
  collection: string,
  request: Request,
): Promise<Response> {
  const body = await objectBody(request)
  if (body instanceof Response) return body
  const { externalCode, lastUpdated, ...rest } = body
  const unknown = Object.keys(rest)[0]
  if (unknown !== undefined) return schemaError(`/ must NOT have additional properties: ${unknown}`)
  const taskName = `Delete${api.entityType}`
  if (externalCode !== undefined && externalCode !== null) {
    if (typeof externalCode !== 'string' || externalCode.length > 36)
      return schemaError('/externalCode must be a string of at most 36 characters')
    if (!core.masterData.remove(collection, externalCode)) {
      return errorResponse(404, [
        {
          externalCode,
          type: 'BUSINESS',
          code: 'ENTITY_NOT_FOUND',
          message: `No record with externalCode '${externalCode}'`,
        },
      ])
    }
    return jsonResponse(200, { statusApiLink: null, taskName, taskStatus: 'Completed' })
  }
  if (lastUpdated === undefined || lastUpdated === null)
    return schemaError('Either externalCode or lastUpdated is required')
  const since = typeof lastUpdated === 'string' ? Date.parse(lastUpdated) : Number.NaN
  if (Number.isNaN(since)) return schemaError('/lastUpdated must be a date-time')
  const now = core.now().getTime()
  for (const task of core.masterData.deleteTasks.values()) {
    if (task.collection === collection && task.doneAt > now) {
      return errorResponse(400, [
        {
          type: 'BUSINESS',
          code: 'DELETE_IN_PROGRESS',
          message: `A delete of ${collection} is still running (task ${task.taskId}); try again when it has completed`,
        },
      ])
    }
  }
  const taskId = randomUUID()
  core.masterData.deleteTasks.set(taskId, {
    taskId,
    taskName,
    collection,
    recordCount: core.masterData.removeUpdatedAfter(collection, since),
    doneAt: now + core.settings.importDelayMs,
  })
  return jsonResponse(202, {
    statusApiLink: `${core.baseUrl}/v1/taskStatus/${taskId}`,
    taskName,
    taskStatus: 'InProgress',
  })
}

/** Routes of master-data PATCH and DELETE, and of the delete tasks' status. */
export function masterDataEditRoutes(core: SandboxCore): Hono {
  const app = new Hono()
  const lists = masterDataApis.lists!
  const badListKey = (key: string) =>
    errorResponse(400, [
      {
        type: 'VALIDATION',
        code: 'PARAMETER_VALIDATION_ERROR',
        message: `listKey '${key}' is not a valid generic list key`,
      },
    ])
  app.patch('/v1/lists/:listKey/:externalCode', (c) => {
    const listKey = c.req.param('listKey')
    if (!isListKey(listKey)) return badListKey(listKey)
    return patchRecord(core, lists, `lists/${listKey}`, c.req.param('externalCode'), c.req.raw, listKey)
  })
  app.delete('/v1/lists/:listKey', (c) => {
    const listKey = c.req.param('listKey')
    if (!isListKey(listKey)) return badListKey(listKey)
    return deleteRecords(core, lists, `lists/${listKey}`, c.req.raw)
  })
  for (const [name, api] of Object.entries(masterDataApis)) {
    if (name === 'lists') continue
    app.patch(`/v1/${name}/:externalCode`, (c) =>
      patchRecord(core, api, name, c.req.param('externalCode'), c.req.raw, null),
    )
    app.delete(`/v1/${name}`, (c) => deleteRecords(core, api, name, c.req.raw))
  }
  app.get('/v1/taskStatus/:taskId', (c) => {
    const task = core.masterData.deleteTasks.get(c.req.param('taskId'))
    if (!task) return jsonResponse(404, { detail: 'Not Found' })
    const done = core.now().getTime() >= task.doneAt
    return jsonResponse(200, {
      taskId: task.taskId,
      taskName: task.taskName,
      taskStatus: done ? 'Completed' : 'InProgress',
      recordCount: task.recordCount,
    })
  })
  return app
}
