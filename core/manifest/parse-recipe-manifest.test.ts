import { describe, expect, it } from 'vitest'
import { formatDiagnostic } from './diagnostic.ts'
import { parseRecipeManifest } from './parse-recipe-manifest.ts'
import type { ResolveFile } from './resolve-file.ts'
import { sampleCatalog } from './sample-catalog.ts'

const recipe = `version: 1
name: orders
title: Orders to invoices
description: Every order becomes an invoice.
connections:
  shop: { connector: src, description: The shop }
  erp: { connector: dst, description: The ERP }
parameters:
  prefix: { type: string, description: Invoice prefix, default: 7 }
mappingTables:
  products:
    description: Shop products to ERP items
    from: { role: shop, stream: orders, key: sku }
    to: { role: erp, stream: invoices, key: number }
    match: code
flows: [./a.flow.yaml, ./b.flow.yaml, ./missing.flow.yaml]
`

const flow = (name: string, extra = '') => `version: 1
name: ${name}
connections: { shop: src, erp: ${extra === 'mismatch' ? 'src' : 'dst'} }
source: { connection: shop, stream: orders }
lookups: { item: { table: ${extra === 'table' ? 'prodcts' : 'products'} } }
map: '{ "item": $lookupTable("item", sku) }'
target: { connection: erp, stream: invoices, operation: create }
`

const files: Record<string, string> = {
  './a.flow.yaml': flow('a', 'mismatch'),
  './b.flow.yaml': flow('b', 'table'),
}
const resolveFile: ResolveFile = (path) =>
  files[path] ? { file: path.slice(2), text: files[path]! } : undefined

describe('parseRecipeManifest', () => {
  it('checks the recipe and each flow against its roles and tables', () => {
    const result = parseRecipeManifest({
      file: 'recipe.yaml',
      text: recipe,
      catalog: sampleCatalog,
      resolveFile,
    })
    expect(result.recipe).toBeUndefined()
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      'a.flow.yaml:3:32  connection "erp" is "src" here but the recipe\'s role "erp" is "dst"  (/connections/erp)',
      'a.flow.yaml:7:36  unknown stream "invoices" for src; expected one of orders  (/target/stream)',
      'b.flow.yaml:5:27  unknown mapping table "prodcts" in lookups.item.table; the recipe defines products (did you mean "products"?)  (/lookups/item/table)',
      'recipe.yaml:9:65  parameters.prefix.default must be of type string  (/parameters/prefix/default)',
      'recipe.yaml:14:30  dst/invoices cannot be read; readable streams: none  (/mappingTables/products/to/stream)',
      'recipe.yaml:16:39  flow file "./missing.flow.yaml" not found (paths are relative to the recipe\'s folder)  (/flows/2)',
    ])
  })

  it('returns the recipe and its resolved flows when all is well', () => {
    const good = recipe
      .replace('default: 7', 'default: INV-')
      .replace(
        'to: { role: erp, stream: invoices, key: number }',
        'to: { role: shop, stream: orders, key: id }',
      )
      .replace(', ./b.flow.yaml, ./missing.flow.yaml', '')
    const ok: ResolveFile = (path) =>
      path === './a.flow.yaml' ? { file: 'a.flow.yaml', text: flow('a') } : undefined
    const result = parseRecipeManifest({
      file: 'recipe.yaml',
      text: good,
      catalog: sampleCatalog,
      resolveFile: ok,
    })
    expect(result.diagnostics).toEqual([])
    expect(result.recipe?.name).toBe('orders')
    expect(result.flows?.map((f) => f.name)).toEqual(['a'])
  })

  it('refuses a createMissing that goes through a flow the recipe does not have, naming the flows it has', () => {
    const good = recipe
      .replace('default: 7', 'default: INV-')
      .replace(
        'to: { role: erp, stream: invoices, key: number }',
        'to: { role: shop, stream: orders, key: id }',
      )
      .replace(', ./b.flow.yaml, ./missing.flow.yaml', '')
    const creating = (through: string) =>
      flow('a').replace(
        'lookups: { item: { table: products } }',
        `lookups: { item: { table: products, createMissing: { key: sku, through: ${through}, findBy: sku, value: number } } }`,
      )
    const parse = (through: string) =>
      parseRecipeManifest({
        file: 'recipe.yaml',
        text: good,
        catalog: sampleCatalog,
        resolveFile: (path) =>
          path === './a.flow.yaml' ? { file: 'a.flow.yaml', text: creating(through) } : undefined,
      })
    expect(parse('masters').diagnostics.map(formatDiagnostic)).toEqual([
      'recipe.yaml:16:9  flow a: lookups.item.createMissing.through names "masters", which is not a flow of this recipe; its flows: a  (/flows/0)',
    ])
    expect(parse('a').diagnostics).toEqual([])
    expect(parse('a, enabledBy: prefix').diagnostics.map(formatDiagnostic)).toEqual([
      'recipe.yaml:16:9  flow a: lookups.item.createMissing.enabledBy names "prefix", which is not a boolean parameter of this recipe  (/flows/0)',
      'recipe.yaml:16:9  flow a: lookups.item.createMissing.enabledBy needs a `params` lookup with values in the flow: enabling the recipe writes the parameters there  (/flows/0)',
    ])
  })
})
