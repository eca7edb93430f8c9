/** Response schemas of the mapping tables' routes (see mapping-tables-routes.ts). */
import type { JsonSchema } from '../../core/connector/connector.ts'

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const listOf = (name: string) => ({
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: ref(name) } },
})
const time = { type: 'string', format: 'date-time' }

/** Component schemas by name, merged into the API's response schemas. */
export const mappingTableResponseSchemas: Record<string, JsonSchema> = {
  MappingTable: {
    type: 'object',
    required: ['name', 'recipe', 'counts'],
    properties: {
      name: { type: 'string' },
      recipe: { type: ['string', 'null'], description: 'The enabled recipe that declares it.' },
      description: { type: ['string', 'null'] },
      counts: {
        type: 'object',
        required: ['confirmed', 'proposed', 'open'],
        properties: {
          confirmed: { type: 'integer', description: 'Rows records use.' },
          proposed: { type: 'integer', description: 'Proposals with a value, waiting for confirmation.' },
          open: { type: 'integer', description: 'Keys with no match or several: the tenant sets them.' },
        },
      },
      createsMissing: {
        type: ['object', 'null'],
        required: ['through', 'enabled'],
        description:
          'Set when a recipe flow creates the master a record misses a row for (e.g. missing vendors): through which flow, and whether the tenant turned it on.',
        properties: { through: { type: 'string' }, enabled: { type: 'boolean' } },
      },
    },
  },
  MappingTableList: listOf('MappingTable'),
  MappingTargetValues: {
    type: 'object',
    required: ['items'],
    properties: {
      items: {
        type: 'array',
        items: {
          type: 'object',
          required: ['value', 'label'],
          properties: { value: { type: 'string' }, label: { type: 'string' } },
        },
      },
    },
  },
  MappingRow: {
    type: 'object',
    required: ['key', 'state', 'proposedValue', 'confirmedValue', 'updatedAt'],
    properties: {
      key: { type: 'string', description: 'The source-side key (e.g. the BC account number).' },
      label: { type: ['string', 'null'], description: 'The source record’s name.' },
      state: { enum: ['confirmed', 'proposed', 'unmatched', 'ambiguous'] },
      proposedValue: { description: 'What Ferry proposed; null when nothing (or more than one) matched.' },
      match: {
        enum: ['mst', 'number', 'name', 'code', 'ambiguous', 'none', null],
        description: 'How the proposal was found: same MST, account number, name or code.',
      },
      reason: { type: ['string', 'null'], description: 'What matched what, or the tied candidates.' },
      confirmedValue: { description: 'What records use; null until confirmed.' },
      updatedAt: time,
    },
  },
  MappingRowList: {
    type: 'object',
    required: ['table', 'items'],
    properties: { table: ref('MappingTable'), items: { type: 'array', items: ref('MappingRow') } },
  },
  MappingTableConfirmed: {
    type: 'object',
    required: ['confirmed', 'table'],
    properties: {
      confirmed: { type: 'integer', description: 'Proposals confirmed by this call.' },
      table: { description: 'The table’s counts afterwards.', type: 'object' },
    },
  },
}
