/**
 * The push-notification API: `POST/GET/DELETE /v1/subscriptions` (a new subscription is tested with a
 * `ConnectionTest` notification and refused unless the receiver answers 200) and `GET /v1/tasks`.
 * Its error bodies differ from the P2P API's, as Basware's separate OpenAPI document says.
 */
import { randomUUID } from 'node:crypto'
import { Hono } from 'hono'
import { jsonResponse } from '../protocol/response-entity-list.ts'
import { isoNow, type SandboxCore } from '../state/sandbox-core.ts'
import type { StoredSubscription } from './notifier.ts'

const TASK_TYPES = [
  'AccountingDocuments',
  'ExportedPurchaseRequisitions',
  'ExportedPurchaseOrders',
  'RequestStatus',
  'ExportedContracts',
  'ExportedContractSpends',
]
const SUB_TYPES = [
  'WaitingForPrebook',
  'WaitingForTransfer',
  'WaitingForPrebookCancelation',
  'WaitingToBeRemoved',
  'WaitingToBeReturned',
  'WaitingToBeCompleted',
  'WaitingForExport',
  'Error',
  'Success',
  'All',
]

const validationError = (messages: string[]) =>
  jsonResponse(400, {
    requestId: randomUUID(),
    hasError: true,
    errorMessages: messages.map((message) => ({
      type: 'VALIDATION',
      code: 'SCHEMA_VALIDATION_ERROR',
      message,
    })),
  })

function problems(input: Record<string, unknown>, index: number): string[] {
  const out: string[] = []
  const at = `[${index}]`
  for (const field of [
    'taskType',
    'subscriptionType',
    'notificationWebhookURL',
    'webhookAuthenticationToken',
  ]) {
    if (typeof input[field] !== 'string' || input[field] === '') out.push(`${at}.${field} is required`)
  }
  if (typeof input.taskType === 'string' && !TASK_TYPES.includes(input.taskType))
    out.push(`${at}.taskType '${input.taskType}' is not allowed`)
  if (input.taskSubType != null && !SUB_TYPES.includes(String(input.taskSubType)))
    out.push(`${at}.taskSubType '${String(input.taskSubType)}' is not allowed`)
  if (input.subscriptionType != null && input.subscriptionType !== 'Webhook')
    out.push(`${at}.subscriptionType must be Webhook`)
  const url = String(input.notificationWebhookURL ?? '')
  if (url.length > 2083 || !URL.canParse(url))
    out.push(`${at}.notificationWebhookURL must be a URL of at most 2083 characters`)
  return out
}

/** Routes of the subscription and task APIs. */
export function subscriptionRoutes(core: SandboxCore): Hono {
  const app = new Hono()
  const { notifier } = core

  app.post('/v1/subscriptions', async (c) => {
    const body = await c.req.json().catch(() => null)
    if (!Array.isArray(body) || body.length === 0)
      return validationError(['The body must be a non-empty array of subscriptions'])
    const errors = body.flatMap((s, i) =>
      s && typeof s === 'object' ? problems(s, i) : [`[${i}] must be an object`],
    )
    if (errors.length) return validationError(errors)
    const created: StoredSubscription[] = []
    for (const input of body as Record<string, string>[]) {
      const taskSubType = input.taskSubType ?? (input.taskType === 'RequestStatus' ? 'Error' : 'All')
      const test = {
        taskId: randomUUID(),
        taskStatus: 'New',
        taskType: 'ConnectionTest',
        taskSubType,
        documentId: 'ConnectionTest',
        expirationTime: isoNow(core),
      }
      const status = await notifier.post(input as unknown as StoredSubscription, test)
      if (status !== 200) {
        return jsonResponse(422, {
          message: `UnprocessableEntity: the ConnectionTest notification to notificationWebhookURL was answered with HTTP ${status}; expected 200`,
        })
      }
      // lastUpdated identifies a subscription for DELETE; keep it strictly increasing.
      const last = notifier.subscriptions.at(-1)?.lastUpdated
      let stamp = core.now().getTime()
      if (last && Date.parse(last) >= stamp) stamp = Date.parse(last) + 1
      created.push({
        taskType: input.taskType!,
        taskSubType,
        subscriptionType: input.subscriptionType!,
        notificationWebhookURL: input.notificationWebhookURL!,
        webhookAuthenticationToken: input.webhookAuthenticationToken!,
        lastUpdated: new Date(stamp).toISOString(),
      })
      notifier.subscriptions.push(created.at(-1)!)
    }
    return jsonResponse(200, created)
  })

  app.get('/v1/subscriptions', (c) => {
    const { taskType, taskSubType, lastUpdated } = c.req.query()
    const found = notifier.subscriptions.filter(
      (s) =>
        (!taskType || s.taskType === taskType) &&
        (!taskSubType || s.taskSubType === taskSubType) &&
        (!lastUpdated || Date.parse(s.lastUpdated) > Date.parse(lastUpdated)),
    )
    if (found.length === 0) return jsonResponse(404, { detail: 'Not Found' })
    return jsonResponse(200, { subscriptions: found })
  })

  app.delete('/v1/subscriptions', (c) => {
    const { taskType, taskSubType, lastUpdated } = c.req.query()
    const missing = Object.entries({ lastUpdated, taskType, taskSubType }).filter(([, v]) => !v)
    if (missing.length || Number.isNaN(Date.parse(lastUpdated!))) {
      return jsonResponse(422, {
        detail: missing.map(([k]) => ({
          loc: ['query', k],
          msg: 'field required',
          type: 'value_error.missing',
        })),
      })
    }
    const since = Date.parse(lastUpdated!)
    const keep = notifier.subscriptions.filter(
      (s) =>
        !(
          (taskType === 'All' || s.taskType === taskType) &&
          (taskSubType === 'All' || s.taskSubType === taskSubType) &&
          Date.parse(s.lastUpdated) > since
        ),
    )
    const deleted = notifier.subscriptions.length - keep.length
    notifier.subscriptions.splice(0, notifier.subscriptions.length, ...keep)
    return jsonResponse(200, { status: 'Deleted successfully', numberOfRecordsDeleted: deleted })
  })

  app.get('/v1/tasks/:taskId', (c) => {
    const task = notifier.tasks.get(c.req.param('taskId'))
    return task ? jsonResponse(200, { taskStatus: [task] }) : jsonResponse(404, { detail: 'Not Found' })
  })

  app.get('/v1/tasks', (c) => {
    const { taskType, taskStatus, documentId } = c.req.query()
    const found = [...notifier.tasks.values()].filter(
      (t) =>
        (!taskType || t.taskType === taskType) &&
        (!taskStatus || t.taskStatus === taskStatus) &&
        (!documentId || t.documentId === documentId),
    )
    return found.length
      ? jsonResponse(200, { taskStatus: found })
      : jsonResponse(404, { detail: 'Not Found' })
  })

  return app
}
