import { describe, expect, it } from 'vitest'
import { defineConnector } from '../connector/connector.ts'
import { catalogFromConnectors } from './catalog.ts'
import { sampleCatalog } from './sample-catalog.ts'
import { manifestKind, validateManifestFiles } from './validate-manifest-files.ts'

describe('manifestKind', () => {
  it.each([
    ['recipes/x/recipe.yaml', '', 'recipe'],
    ['x.recipe.json', '', 'recipe'],
    ['setup.yaml', '# yaml-language-server: $schema=../../recipe.schema.json\n', 'recipe'],
    ['vendors.flow.yaml', '# yaml-language-server: $schema=../../flow.schema.json\n', 'flow'],
  ] as const)('%s is a %s', (file, text, kind) => {
    expect(manifestKind(file, text)).toBe(kind)
  })
})

describe('validateManifestFiles', () => {
  it('reports every file, sorted, with a summary', () => {
    const report = validateManifestFiles(
      [
        { file: 'b.yaml', text: 'version: 1\n' },
        { file: 'a.yaml', text: 'version: 1\nname: x\n' },
      ],
      sampleCatalog,
    )
    expect(report.output.split('\n')).toEqual([
      'a.yaml:1:1  missing required fields "connections", "source", "map", "target"  (/connections)',
      'b.yaml:1:1  missing required fields "name", "connections", "source", "map", "target"  (/name)',
    ])
    expect(report.summary).toBe('2 errors, 0 warnings in 2 files')
  })
})

describe('catalogFromConnectors', () => {
  it('reads each stream’s capabilities from the connector', () => {
    const connector = defineConnector({
      id: 'erp',
      title: 'ERP',
      configSchema: {},
      check: async () => ({}),
      streams: {
        items: { description: 'items', schema: {}, read: async function* () {}, identity: { key: 'id' } },
        orders: {
          description: 'orders',
          schema: {},
          operations: ['create'],
          write: async () => ({ status: 'done', id: '1' }),
          find: async () => null,
          actions: { post: { description: 'post', run: async () => ({ id: '1' }) } },
        },
        draft: { description: 'declares operations but cannot write', schema: {}, operations: ['create'] },
      },
      acknowledge: { confirm: { description: 'confirm', send: async () => ({}) } },
      webhooks: { verify: async () => ({}), parse: async () => [], streams: ['items'] },
    })
    const catalog = catalogFromConnectors({ erp: connector })
    expect(catalog.erp?.acknowledge).toEqual(['confirm'])
    expect(catalog.erp?.streams.items).toMatchObject({
      readable: true,
      webhook: true,
      operations: [],
      identity: { key: 'id' },
    })
    expect(catalog.erp?.streams.orders).toMatchObject({
      readable: false,
      find: true,
      operations: ['create'],
      actions: ['post'],
      webhook: false,
    })
    expect(catalog.erp?.streams.draft?.operations).toEqual([])
  })
})
