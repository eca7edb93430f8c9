/** JSON Schemas of the reconciliation routes' bodies (merged into the API's request and response components). */
import type { JsonSchema } from '../../core/connector/connector.ts'
import { RECONCILE_CLASSES } from '../../core/reconcile/reconcile-item.ts'

const day = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A date, yyyy-mm-dd.' }
const id = { type: 'string', format: 'uuid' }
const scope = {
  flow: { type: 'string', format: 'uuid', description: 'Reconcile this flow …' },
  recipe: { type: 'string', minLength: 1, maxLength: 64, description: '… or every flow of this recipe.' },
}
const counts = {
  type: 'object',
  description: 'Documents per class.',
  properties: Object.fromEntries(RECONCILE_CLASSES.map((c) => [c, { type: 'integer' }])),
}
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })

/** Request bodies. */
export const reconcileRequestSchemas: Record<string, JsonSchema> = {
  ReconciliationCreate: {
    type: 'object',
    required: ['from', 'to'],
    additionalProperties: false,
    properties: {
      ...scope,
      from: { ...day, description: 'First day of the period (by posting date).' },
      to: { ...day, description: 'Day after the last day of the period (exclusive).' },
    },
    oneOf: [{ required: ['flow'] }, { required: ['recipe'] }],
  },
  ReconcileSchedulePut: {
    type: 'object',
    required: ['period', 'at'],
    additionalProperties: false,
    properties: {
      ...scope,
      period: {
        description:
          'What each daily run covers: the sample period from a first day through yesterday, or the last whole days.',
        oneOf: [
          { type: 'object', required: ['since'], additionalProperties: false, properties: { since: day } },
          {
            type: 'object',
            required: ['days'],
            additionalProperties: false,
            properties: { days: { type: 'integer', minimum: 1, maximum: 366 } },
          },
        ],
      },
      at: { type: 'string', pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: 'Time of day, HH:MM.' },
      timezone: { type: 'string', minLength: 1, maxLength: 64, default: 'Asia/Ho_Chi_Minh' },
    },
    oneOf: [{ required: ['flow'] }, { required: ['recipe'] }],
  },
}

/** Response bodies. */
export const reconcileResponseSchemas: Record<string, JsonSchema> = {
  Reconciliation: {
    type: 'object',
    required: ['id', 'state', 'periodFrom', 'periodTo', 'counts'],
    properties: {
      id,
      flowId: { type: ['string', 'null'], format: 'uuid' },
      recipe: { type: ['string', 'null'] },
      periodFrom: day,
      periodTo: day,
      trigger: { type: 'string' },
      state: { enum: ['queued', 'running', 'done', 'failed'] },
      counts,
      error: { type: ['object', 'null'] },
      createdAt: { type: 'string', format: 'date-time' },
      startedAt: { type: ['string', 'null'], format: 'date-time' },
      finishedAt: { type: ['string', 'null'], format: 'date-time' },
      flows: {
        type: 'array',
        description:
          'Per flow: whether the target was read back (read) or stood in for by Ferry’s records (ferry).',
        items: {
          type: 'object',
          properties: {
            flowId: id,
            flowName: { type: 'string' },
            targetView: { enum: ['read', 'ferry'] },
            counts,
          },
        },
      },
    },
  },
  ReconciliationList: {
    type: 'object',
    required: ['items'],
    properties: { items: { type: 'array', items: ref('Reconciliation') } },
  },
  ReconciliationItem: {
    type: 'object',
    required: ['seq', 'flowId', 'class', 'targetIds', 'targetNumbers', 'differences'],
    properties: {
      seq: { type: 'integer' },
      flowId: id,
      class: { enum: [...RECONCILE_CLASSES] },
      sourceKey: { type: 'string' },
      recordId: id,
      ferryState: { type: 'string' },
      party: { type: 'string' },
      reference: { type: 'string' },
      date: { type: 'string' },
      currency: { type: 'string' },
      amount: { type: 'number', description: 'In the document currency.' },
      targetIds: { type: 'array', items: { type: 'string' } },
      targetNumbers: { type: 'array', items: { type: 'string' } },
      differences: {
        type: 'array',
        items: {
          type: 'object',
          required: ['field', 'expected', 'actual', 'kind', 'expectedFrom'],
          properties: {
            field: { type: 'string' },
            expected: { type: ['string', 'number', 'null'] },
            actual: { type: ['string', 'number', 'null'] },
            kind: { enum: ['mistake', 'rounding'] },
            expectedFrom: { enum: ['ferry', 'source'] },
          },
        },
      },
    },
  },
  ReconciliationItemList: {
    type: 'object',
    required: ['items', 'nextCursor'],
    properties: {
      items: { type: 'array', items: ref('ReconciliationItem') },
      nextCursor: { type: ['string', 'null'] },
    },
  },
  ReconcileSchedule: {
    type: 'object',
    required: ['id', 'period', 'at', 'timezone', 'nextAt'],
    properties: {
      id,
      flowId: { type: ['string', 'null'], format: 'uuid' },
      recipe: { type: ['string', 'null'] },
      period: { type: 'object' },
      at: { type: 'string' },
      timezone: { type: 'string' },
      nextAt: { type: 'string', format: 'date-time' },
    },
  },
  ReconcileScheduleList: {
    type: 'object',
    required: ['items'],
    properties: { items: { type: 'array', items: ref('ReconcileSchedule') } },
  },
}
