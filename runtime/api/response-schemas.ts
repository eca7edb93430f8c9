/** JSON Schemas of the response bodies, published in /openapi.json (refs point at components). */
import type { JsonSchema } from '../../core/connector/connector.ts'
import { goLiveResponseSchemas } from './go-live-schemas.ts'
import { mappingTableResponseSchemas } from './mapping-table-schemas.ts'
import { operationsResponseSchemas } from './operations-schemas.ts'
import { reconcileResponseSchemas } from './reconcile-schemas.ts'

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const listOf = (name: string, extra: Record<string, JsonSchema> = {}) => ({
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: ref(name) }, ...extra },
})
const id = { type: 'string', format: 'uuid' }
const time = { type: 'string', format: 'date-time' }
const nullableTime = { type: ['string', 'null'], format: 'date-time' }
const counts = { type: 'object', additionalProperties: { type: 'integer' } }

/** Response body schemas by component name. */
export const responseSchemas: Record<string, JsonSchema> = {
  ...reconcileResponseSchemas,
  ...operationsResponseSchemas,
  ...goLiveResponseSchemas,
  ...mappingTableResponseSchemas,
  Problem: {
    type: 'object',
    required: ['type', 'title', 'status', 'detail', 'instance'],
    properties: {
      type: { type: 'string', format: 'uri' },
      title: { type: 'string' },
      status: { type: 'integer' },
      detail: { type: 'string' },
      instance: { type: 'string' },
      errors: {
        type: 'array',
        items: {
          type: 'object',
          required: ['detail'],
          properties: {
            pointer: { type: 'string', description: 'JSON pointer into the request body.' },
            parameter: { type: 'string', description: 'The query or path parameter at fault.' },
            detail: { type: 'string' },
          },
        },
      },
    },
  },
  Health: { type: 'object', required: ['status'], properties: { status: { type: 'string' } } },
  Tenant: { type: 'object', required: ['id', 'name'], properties: { id, name: { type: 'string' } } },
  TenantList: listOf('Tenant'),
  ApiKey: {
    type: 'object',
    required: ['id', 'prefix', 'role', 'createdAt'],
    properties: {
      id,
      prefix: { type: 'string', description: 'The first characters of the key, to recognise it.' },
      role: { enum: ['admin', 'tenant'] },
      tenantId: { type: ['string', 'null'], format: 'uuid', description: 'Null for admin keys.' },
      name: { type: ['string', 'null'] },
      createdAt: time,
      revokedAt: nullableTime,
    },
  },
  ApiKeyList: listOf('ApiKey'),
  ApiKeyIssued: {
    type: 'object',
    required: ['id', 'key', 'prefix'],
    properties: {
      id,
      key: { type: 'string', description: 'Shown once; only its hash is stored.' },
      prefix: { type: 'string', description: 'What listings show of this key.' },
    },
  },
  Connection: {
    type: 'object',
    required: ['id', 'name', 'connector', 'config', 'status'],
    properties: {
      id,
      name: { type: 'string' },
      connector: { type: 'string' },
      config: { type: 'object', description: 'Public settings; each stored secret shows as "••••".' },
      status: { type: 'string' },
      statusMessage: { type: ['string', 'null'] },
      statusSince: {
        type: ['string', 'null'],
        format: 'date-time',
        description: 'When the status last changed (failing since then, when it is "error").',
      },
      lastSuccessAt: {
        type: ['string', 'null'],
        format: 'date-time',
        description: 'The last passed check, or the last record a flow bound to it delivered.',
      },
    },
  },
  ConnectionList: listOf('Connection'),
  ConsentStart: {
    type: 'object',
    required: ['url', 'state'],
    properties: {
      url: { type: 'string', description: 'The consent page to send the browser to.' },
      state: { type: 'string', description: 'The OAuth state; it names the connection.' },
    },
  },
  ConfigChoiceList: {
    type: 'object',
    required: ['field', 'items'],
    properties: {
      field: { type: 'string' },
      items: {
        type: 'array',
        items: {
          type: 'object',
          required: ['value', 'label'],
          properties: {
            value: { type: 'string' },
            label: { type: 'string' },
            set: { type: 'object', description: 'Other config fields this choice sets too.' },
          },
        },
      },
    },
  },
  ConnectionCheck: {
    type: 'object',
    required: ['ok', 'status', 'message'],
    properties: {
      ok: { type: 'boolean' },
      status: { type: 'string' },
      message: { type: 'string' },
      kind: { type: 'string', description: 'The ConnectorError kind when the check failed.' },
      details: { type: 'object' },
    },
  },
  Diagnostic: {
    type: 'object',
    required: ['file', 'line', 'col', 'severity', 'code', 'message', 'pointer'],
    properties: {
      file: { type: 'string' },
      line: { type: 'integer', minimum: 1 },
      col: { type: 'integer', minimum: 1 },
      severity: { enum: ['error', 'warning'] },
      code: { type: 'string' },
      message: { type: 'string' },
      pointer: { type: 'string' },
    },
  },
  ValidationReport: {
    type: 'object',
    required: ['valid', 'diagnostics', 'summary', 'errors', 'warnings'],
    properties: {
      valid: { type: 'boolean' },
      diagnostics: { type: 'array', items: ref('Diagnostic') },
      summary: { type: 'string' },
      errors: { type: 'integer' },
      warnings: { type: 'integer' },
    },
  },
  Flow: {
    type: 'object',
    required: ['id', 'name', 'enabled', 'currentVersion'],
    properties: {
      id,
      name: { type: 'string' },
      recipe: { type: ['string', 'null'] },
      enabled: { type: 'boolean' },
      mode: {
        enum: ['live', 'shadow'],
        description: '`shadow`: reads, maps and checks against the target, writes nothing (go-live).',
      },
      currentVersion: { type: 'integer' },
      manifest: { type: 'object', description: 'The current version’s stored manifest (get only).' },
      bindings: { type: 'object', additionalProperties: id },
      lastPolledAt: {
        type: ['string', 'null'],
        format: 'date-time',
        description:
          'When a run last read the source to the end; polls that found nothing keep no run (get only).',
      },
      nextRunAt: {
        type: ['string', 'null'],
        format: 'date-time',
        description:
          'When the schedule runs the flow next; null when it is disabled or has no schedule (get only).',
      },
    },
  },
  FlowList: listOf('Flow'),
  FlowVersion: {
    type: 'object',
    required: ['version', 'sourceFile', 'sourceHash', 'bindings', 'createdAt'],
    properties: {
      version: { type: 'integer' },
      sourceFile: { type: 'string' },
      sourceHash: { type: 'string' },
      bindings: { type: 'object', additionalProperties: id },
      createdAt: time,
      manifest: { type: 'object' },
    },
  },
  FlowVersionList: listOf('FlowVersion'),
  FlowSaved: {
    type: 'object',
    required: ['flow', 'version', 'created'],
    properties: { flow: ref('Flow'), version: ref('FlowVersion'), created: { type: 'boolean' } },
  },
  Queued: {
    type: 'object',
    required: ['queued'],
    properties: { queued: { type: 'boolean' }, scope: { type: 'string' } },
  },
  FlowState: {
    type: 'object',
    required: ['id', 'enabled'],
    properties: { id, enabled: { type: 'boolean' } },
  },
  Run: {
    type: 'object',
    required: ['id', 'flowId', 'flowVersion', 'trigger', 'state', 'scope', 'startedAt'],
    properties: {
      id,
      flowId: id,
      flowVersion: { type: 'integer' },
      trigger: { type: 'string' },
      state: { type: 'string' },
      scope: { type: 'string' },
      pages: { type: 'integer' },
      recordsRead: { type: 'integer' },
      recordsNew: { type: 'integer' },
      startedAt: time,
      finishedAt: nullableTime,
      error: {},
      progress: ref('RunProgress'),
    },
  },
  RunProgress: {
    type: 'object',
    required: ['counts', 'total', 'settled', 'remaining', 'ratePerSecond', 'etaSeconds'],
    properties: {
      counts: counts,
      total: { type: 'integer' },
      settled: { type: 'integer' },
      remaining: { type: 'integer' },
      ratePerSecond: { type: 'number', description: 'Records settled per second since the run started.' },
      etaSeconds: {
        type: ['number', 'null'],
        description: 'null when nothing remains or no rate is known yet.',
      },
    },
  },
  RunList: listOf('Run'),
  Record: {
    type: 'object',
    required: ['id', 'flowId', 'flowVersion', 'sourceKey', 'sourceVersion', 'state', 'attempts', 'updatedAt'],
    properties: {
      id,
      flowId: id,
      flowVersion: { type: 'integer' },
      runId: { type: ['string', 'null'] },
      sourceKey: { type: 'string' },
      sourceVersion: { type: 'string' },
      state: { type: 'string' },
      targetId: { type: ['string', 'null'] },
      targetNumber: { type: ['string', 'null'] },
      shadow: { type: 'boolean', description: 'Read while the flow ran in shadow (see go-live).' },
      attempts: { type: 'integer' },
      error: { type: ['object', 'null'] },
      createdAt: time,
      updatedAt: time,
    },
  },
  RecordList: listOf('Record', { nextCursor: { type: ['string', 'null'] } }),
  LedgerEvent: {
    type: 'object',
    required: ['id', 'at', 'type', 'attempt', 'data'],
    properties: {
      id: { type: 'string' },
      at: time,
      type: { type: 'string' },
      attempt: { type: 'integer' },
      durationMs: { type: ['integer', 'null'] },
      data: { type: 'object' },
    },
  },
  RecordDetail: {
    type: 'object',
    required: ['record', 'ledger'],
    properties: {
      record: {
        allOf: [ref('Record')],
        properties: { source: { type: 'object' }, mapped: {}, progress: { type: 'object' } },
      },
      ledger: { type: 'array', items: ref('LedgerEvent') },
    },
  },
  ReplayResult: {
    type: 'object',
    required: ['matched', 'queued', 'skipped'],
    properties: { matched: { type: 'integer' }, queued: { type: 'integer' }, skipped: { type: 'integer' } },
  },
  Subscription: {
    type: 'object',
    required: ['id', 'connectionId', 'stream', 'remoteId', 'state'],
    properties: {
      id,
      connectionId: id,
      stream: { type: 'string' },
      remoteId: { type: 'string' },
      state: { type: 'string' },
      expiresAt: nullableTime,
      renewedAt: nullableTime,
      lastError: { type: ['string', 'null'] },
    },
  },
  SubscriptionList: listOf('Subscription'),
  Connector: {
    type: 'object',
    required: ['id', 'title', 'declared', 'configSchema', 'streams'],
    properties: {
      id: { type: 'string' },
      title: { type: 'string' },
      declared: { type: 'boolean', description: 'True when the connector is a YAML manifest.' },
      manifest: { type: 'string', description: 'The manifest file of a declared connector.' },
      configSchema: {
        type: 'object',
        description: 'JSON Schema of a connection’s config; secrets are writeOnly.',
      },
      consent: { type: 'boolean', description: 'True when connections authorize by user consent.' },
      choices: {
        type: 'array',
        items: { type: 'string' },
        description:
          'Config fields whose values the system lists (GET /v1/connections/{id}/choices/{field}).',
      },
      streams: {
        type: 'object',
        description: 'Stream name → what it supports.',
        additionalProperties: { type: 'object' },
      },
    },
  },
  ConnectorList: listOf('Connector'),
  Recipe: {
    type: 'object',
    required: ['name', 'title', 'roles', 'flows'],
    properties: {
      name: { type: 'string' },
      title: { type: 'string' },
      description: { type: 'string' },
      roles: {
        type: 'object',
        additionalProperties: { type: 'string' },
        description: 'Role → connector id.',
      },
      flows: { type: 'array', items: { type: 'string' } },
      moves: {
        type: 'array',
        description: 'What each flow moves, from which role’s stream to which, and when.',
        items: {
          type: 'object',
          required: ['flow', 'from', 'to', 'schedule', 'webhook'],
          properties: {
            flow: { type: 'string' },
            description: { type: ['string', 'null'] },
            from: { type: 'object', properties: { role: { type: 'string' }, stream: { type: 'string' } } },
            to: {
              type: 'object',
              properties: {
                role: { type: 'string' },
                stream: { type: 'string' },
                operation: { type: ['string', 'null'] },
              },
            },
            schedule: { type: ['string', 'null'], description: 'Cron schedule (UTC), if any.' },
            every: { type: ['string', 'null'], description: 'Run interval, if any.' },
            webhook: { type: 'boolean', description: 'Also runs when the source notifies a change.' },
          },
        },
      },
      parameters: { type: 'object' },
    },
  },
  RecipeList: listOf('Recipe'),
  RecipeEnabled: { type: 'object', properties: { flows: { type: 'array', items: ref('Flow') } } },
}
