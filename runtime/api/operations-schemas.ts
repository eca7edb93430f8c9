/** JSON Schemas of the operations routes' responses: exceptions, bulk retries, overview, diagnostics. */
import type { JsonSchema } from '../../core/connector/connector.ts'

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const id = { type: 'string', format: 'uuid' }
const time = { type: 'string', format: 'date-time' }
const nullableTime = { type: ['string', 'null'], format: 'date-time' }
const counts = { type: 'object', additionalProperties: { type: 'integer' } }
const nullableText = { type: ['string', 'null'] }

/** Response body schemas by component name. */
export const operationsResponseSchemas: Record<string, JsonSchema> = {
  ExceptionGroup: {
    type: 'object',
    required: [
      'cause',
      'kind',
      'code',
      'message',
      'count',
      'firstAt',
      'lastAt',
      'exampleRecordId',
      'flowIds',
    ],
    properties: {
      cause: {
        type: 'string',
        description: 'The group’s id (retry it with POST /v1/exceptions/{cause}/retry).',
      },
      kind: { type: 'string', description: 'The failure kind: rejected, mapping, config, auth, …' },
      code: { type: 'string', description: 'The remote system’s or the mapping’s code.' },
      message: { type: 'string', description: 'The exact message of the group’s latest failure.' },
      pattern: {
        type: 'string',
        description: 'The message the group shares (numbers and quoted values blanked).',
      },
      count: { type: 'integer' },
      firstAt: time,
      lastAt: time,
      exampleRecordId: id,
      flowIds: { type: 'array', items: id },
      mappingRow: {
        description:
          'For lookup_missing: the mapping row to add or confirm (PUT /v1/mapping-tables/{table}/rows/{key}).',
        oneOf: [
          { type: 'null' },
          {
            type: 'object',
            required: ['lookup', 'table', 'key'],
            properties: { lookup: { type: 'string' }, table: nullableText, key: nullableText },
          },
        ],
      },
    },
  },
  ExceptionGroupList: {
    type: 'object',
    required: ['items'],
    properties: { items: { type: 'array', items: ref('ExceptionGroup') } },
  },
  GroupRetryStarted: {
    type: 'object',
    required: ['bulkRetryId', 'matched', 'queued', 'skipped', 'more'],
    properties: {
      bulkRetryId: id,
      matched: { type: 'integer' },
      queued: { type: 'integer' },
      skipped: { type: 'integer', description: 'Records already in flight, left alone.' },
      more: { type: 'boolean', description: 'More failed records of the group remain: retry again.' },
    },
  },
  BulkRetry: {
    type: 'object',
    required: ['id', 'label', 'createdAt', 'total', 'progress', 'done'],
    properties: {
      id,
      label: { type: 'string' },
      createdAt: time,
      total: { type: 'integer' },
      progress: ref('RunProgress'),
      done: { type: 'boolean' },
    },
  },
  Overview: {
    type: 'object',
    required: [
      'from',
      'timezone',
      'days',
      'delivered',
      'failed',
      'failureRate',
      'deliverySeconds',
      'backlog',
      'attention',
    ],
    properties: {
      from: time,
      timezone: { type: 'string' },
      days: {
        type: 'array',
        items: {
          type: 'object',
          required: ['day', 'counts'],
          properties: { day: { type: 'string', description: 'yyyy-mm-dd in the time zone' }, counts },
        },
      },
      delivered: { type: 'integer' },
      failed: { type: 'integer' },
      failureRate: {
        type: ['number', 'null'],
        description: 'failed / (delivered + failed); null when neither.',
      },
      deliverySeconds: {
        type: 'object',
        description: 'From a record being read (approved in the source) to delivered (posted).',
        properties: { p50: { type: ['number', 'null'] }, p95: { type: ['number', 'null'] } },
      },
      backlog: { ...counts, description: 'Records queued, delivering, awaiting an outcome, failed now.' },
      attention: {
        type: 'array',
        items: {
          type: 'object',
          required: ['kind', 'id', 'count', 'message'],
          properties: {
            kind: { enum: ['exceptions', 'connection', 'subscription'] },
            id: { type: 'string' },
            count: { type: 'integer' },
            message: { type: 'string' },
          },
        },
      },
    },
  },
  Diagnostics: {
    type: 'object',
    required: ['subscriptions', 'connections', 'backlog', 'flows'],
    properties: {
      subscriptions: {
        type: 'array',
        items: {
          type: 'object',
          required: ['id', 'connectionId', 'stream', 'state', 'expiresAt', 'lastNotificationAt'],
          properties: {
            id,
            connectionId: id,
            stream: { type: 'string' },
            state: { type: 'string' },
            expiresAt: nullableTime,
            renewedAt: nullableTime,
            lastError: nullableText,
            lastNotificationAt: nullableTime,
          },
        },
      },
      connections: {
        type: 'array',
        items: {
          type: 'object',
          required: ['id', 'name', 'connector', 'status', 'rateUse'],
          properties: {
            id,
            name: { type: 'string' },
            connector: { type: 'string' },
            status: { type: 'string' },
            statusMessage: nullableText,
            budget: {
              oneOf: [
                { type: 'null' },
                {
                  type: 'object',
                  properties: { requests: { type: 'integer' }, perMs: { type: 'integer' } },
                },
              ],
            },
            rateUse: {
              type: 'array',
              description: 'Requests spent per minute, and how many had to wait for the budget.',
              items: {
                type: 'object',
                required: ['at', 'used', 'waited'],
                properties: { at: time, used: { type: 'integer' }, waited: { type: 'integer' } },
              },
            },
          },
        },
      },
      backlog: counts,
      flows: {
        type: 'array',
        items: {
          type: 'object',
          required: ['id', 'name', 'enabled', 'lastPolledAt', 'lastRun'],
          properties: {
            id,
            name: { type: 'string' },
            enabled: { type: 'boolean' },
            lastPolledAt: nullableTime,
            lastRun: {
              oneOf: [
                { type: 'null' },
                {
                  type: 'object',
                  required: ['id', 'state', 'startedAt'],
                  properties: { id, state: { type: 'string' }, startedAt: time, finishedAt: nullableTime },
                },
              ],
            },
          },
        },
      },
    },
  },
}
