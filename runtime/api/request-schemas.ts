/**
 * JSON Schemas of the request bodies. The same objects validate requests (ajv 2020) and are published
 * in /openapi.json, so the documentation cannot disagree with what the API accepts.
 */
import type { JsonSchema } from '../../core/connector/connector.ts'
import { RECORD_STATES } from '../../core/record/record-state.ts'
import { reconcileRequestSchemas } from './reconcile-schemas.ts'

const name = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[a-z0-9][a-z0-9_-]*$' }
const manifestFile = {
  type: 'object',
  required: ['file', 'text'],
  additionalProperties: false,
  properties: {
    file: { type: 'string', minLength: 1, maxLength: 256, description: 'File name shown in diagnostics.' },
    text: { type: 'string', description: 'The manifest text (YAML or JSON).' },
  },
}
const recordFilter = {
  type: 'object',
  additionalProperties: false,
  properties: {
    flowId: { type: 'string', format: 'uuid' },
    state: { enum: [...RECORD_STATES] },
    from: { type: 'string', format: 'date-time', description: 'updatedAt at or after.' },
    to: { type: 'string', format: 'date-time', description: 'updatedAt before.' },
    key: { type: 'string', minLength: 1, description: 'The source key.' },
    document: {
      type: 'string',
      minLength: 1,
      maxLength: 200,
      description: 'A document number: the target’s number or any top-level text of the source record.',
    },
    shadow: { type: 'boolean', description: 'Only shadow records (true) or only live ones (false).' },
  },
}

/** Request body schemas by component name. */
export const requestSchemas: Record<string, JsonSchema> = {
  ...reconcileRequestSchemas,
  TenantCreate: {
    type: 'object',
    required: ['name'],
    additionalProperties: false,
    properties: { name },
  },
  ApiKeyCreate: {
    type: 'object',
    additionalProperties: false,
    properties: { name: { type: 'string', maxLength: 128, description: 'A label to recognise the key by.' } },
  },
  ConnectionCreate: {
    type: 'object',
    required: ['name', 'connector', 'config'],
    additionalProperties: false,
    properties: {
      name,
      connector: { type: 'string', minLength: 1, description: 'A connector id of this build.' },
      config: { type: 'object', description: "Checked against the connector's configSchema." },
    },
  },
  ConnectionUpdate: {
    type: 'object',
    required: ['config'],
    additionalProperties: false,
    properties: {
      config: {
        type: 'object',
        description: 'Merged over the stored config: secrets left out keep their stored values.',
      },
    },
  },
  ConsentBegin: {
    type: 'object',
    required: ['redirectUri'],
    additionalProperties: false,
    properties: {
      redirectUri: {
        type: 'string',
        format: 'uri',
        maxLength: 2048,
        description: 'Where the identity provider sends the browser back (registered with the app).',
      },
    },
  },
  ConsentComplete: {
    type: 'object',
    required: ['callbackUrl'],
    additionalProperties: false,
    properties: {
      callbackUrl: {
        type: 'string',
        format: 'uri',
        maxLength: 8192,
        description: 'The full URL the browser came back to, with its code and state (or error).',
      },
    },
  },
  ManifestValidate: {
    oneOf: [
      manifestFile,
      {
        type: 'object',
        required: ['files'],
        additionalProperties: false,
        properties: { files: { type: 'array', minItems: 1, maxItems: 100, items: manifestFile } },
      },
    ],
  },
  FlowCreate: {
    type: 'object',
    required: ['text', 'bindings'],
    additionalProperties: false,
    properties: {
      file: { type: 'string', minLength: 1, maxLength: 256, default: 'flow.yaml' },
      text: { type: 'string', description: 'The flow manifest (YAML or JSON), mapping inline.' },
      bindings: {
        type: 'object',
        description: 'Connection alias of the manifest → connection id of this tenant.',
        additionalProperties: { type: 'string', format: 'uuid' },
      },
    },
  },
  Backfill: {
    type: 'object',
    required: ['from', 'to'],
    additionalProperties: false,
    properties: {
      from: { type: 'string', format: 'date-time' },
      to: { type: 'string', format: 'date-time' },
    },
  },
  Replay: {
    type: 'object',
    required: ['version'],
    additionalProperties: false,
    properties: {
      ids: { type: 'array', minItems: 1, maxItems: 10000, items: { type: 'string', format: 'uuid' } },
      filter: recordFilter,
      version: { enum: ['pinned', 'latest'] },
    },
    oneOf: [{ required: ['ids'] }, { required: ['filter'] }],
  },
  MappingRowConfirm: {
    type: 'object',
    required: ['value'],
    additionalProperties: false,
    properties: {
      value: {
        oneOf: [{ type: 'string', minLength: 1, maxLength: 256 }, { type: 'number' }, { type: 'boolean' }],
        description: 'The target-side value records use for this key (the proposal’s, or an override).',
      },
    },
  },
  RecipeEnable: {
    type: 'object',
    required: ['bindings'],
    additionalProperties: false,
    properties: {
      bindings: {
        type: 'object',
        description: 'Recipe role → connection id of this tenant.',
        additionalProperties: { type: 'string', format: 'uuid' },
      },
      parameters: { type: 'object', description: 'Values for the recipe parameters.' },
    },
  },
}
