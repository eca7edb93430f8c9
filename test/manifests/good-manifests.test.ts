/**
 * Good manifests produce no diagnostics and resolve into what the runtime uses; the published JSON
 * Schema accepts them too (editors validate with it alone); the real registry's connector ids check.
 */
import { readFileSync } from 'node:fs'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { connectors } from '../../connectors/index.ts'
import { catalogFromConnectors } from '../../core/manifest/catalog.ts'
import { parseFlowManifest } from '../../core/manifest/parse-flow-manifest.ts'
import { parseRecipeManifest } from '../../core/manifest/parse-recipe-manifest.ts'
import { validateManifestFiles } from '../../core/manifest/validate-manifest-files.ts'
import { manifestSchemaFiles } from '../../scripts/manifest-schemas.ts'
import { fixtureRegistry } from './fixture-registry.ts'
import { readFixture, resolveFixture } from './read-fixture.ts'

const catalog = catalogFromConnectors(fixtureRegistry)
const goodFlows = [
  'good/basware-invoices-to-bc.flow.yaml',
  'good/bc-accounts-to-misa.flow.json',
  'good/bc-misa/vendors.flow.yaml',
]

describe('good manifests', () => {
  it.each([
    'good/basware-invoices-to-bc.flow.yaml',
    'good/bc-accounts-to-misa.flow.json',
    'good/bc-misa/recipe.yaml',
  ])('%s has no diagnostics', (fixture) => {
    const report = validateManifestFiles([readFixture(fixture)], catalog, resolveFixture)
    expect(report.output).toBe('')
    expect(report.summary).toBe('1 file OK')
  })

  it('resolves the map file, fills defaults and normalizes the schedule', () => {
    const { manifest } = parseFlowManifest({
      ...readFixture(goodFlows[0]!),
      catalog,
      resolveFile: resolveFixture,
    })
    expect(manifest?.map).toMatchObject({ file: 'good/basware-invoice-to-bc.jsonata', inline: false })
    expect(manifest?.map.source).toContain('$lookupTable("vendorNo", supplierTaxCode)')
    expect(manifest?.retry).toEqual({ limit: 5, backoff: 'exponential', delay: '10s', maxDelay: '15m' })
    expect(manifest?.trigger?.schedule).toEqual({
      cron: '*/15 6-20 * * MON-FRI',
      timezone: 'Europe/Helsinki',
    })
    expect(manifest?.acknowledge?.on).toEqual(['success', 'failure'])
    expect(manifest?.source.claim).toBe(true)
  })

  it('takes the identity from the source stream when the manifest has none', () => {
    const { manifest } = parseFlowManifest({ ...readFixture(goodFlows[1]!), catalog })
    expect(manifest?.identity).toEqual({ key: 'number' })
    expect(manifest?.map).toMatchObject({ inline: true, file: 'good/bc-accounts-to-misa.flow.json' })
  })

  it('returns the recipe with its resolved flows', () => {
    const result = parseRecipeManifest({
      ...readFixture('good/bc-misa/recipe.yaml'),
      catalog,
      resolveFile: resolveFixture,
    })
    expect(result.recipe?.mappingTables?.['bc-account-to-vas']?.match).toBe('number-and-name')
    expect(result.flows?.map((f) => f.name)).toEqual(['bc-vendors-to-misa'])
  })

  it('is accepted by the published flow.schema.json alone, as an editor would check it', () => {
    const ajv = new Ajv2020({ strict: false })
    const validate = ajv.compile(JSON.parse(manifestSchemaFiles()['manifests/flow.schema.json']!))
    for (const fixture of goodFlows) {
      const { text } = readFixture(fixture)
      expect(validate(parse(text)), `${fixture}: ${JSON.stringify(validate.errors)}`).toBe(true)
    }
    expect(validate(parse(readFixture('broken/lookup-both-forms.flow.yaml').text))).toBe(false)
  })
})

describe('ferry validate', () => {
  it('reports all three mistakes of a manifest at once, with their places', () => {
    const report = validateManifestFiles(
      [readFixture('broken/three-mistakes.flow.yaml')],
      catalog,
      resolveFixture,
    )
    expect(report.errors).toBe(3)
    expect(report.diagnostics.map((d) => `${d.line}:${d.col} ${d.pointer}`)).toEqual([
      '9:11 /source/stream',
      '11:3 /trigger/scheduel',
      '16:14 /target/operation',
    ])
    expect(report.summary).toBe('3 errors, 0 warnings in 1 file')
  })

  it('checks many files at once and reports each problem once', () => {
    const files = [
      'broken/recipe/recipe.yaml',
      'broken/recipe/vendors.flow.yaml',
      'good/bc-misa/recipe.yaml',
    ].map(readFixture)
    const report = validateManifestFiles(files, catalog, resolveFixture)
    const lines = report.output.split('\n')
    // vendors.flow.yaml alone has no recipe around it, so only the recipe run reports its role problems.
    expect(lines.filter((l) => l.includes('is not a role of the recipe'))).toHaveLength(1)
    expect(lines.every((l) => l.startsWith('broken/recipe/'))).toBe(true)
  })
})

describe('against the real connector registry', () => {
  it('knows the connector ids of this build', () => {
    const real = catalogFromConnectors(connectors)
    const { text } = readFixture('broken/unknown-connector.flow.yaml')
    const { diagnostics } = parseFlowManifest({ file: 'flow.yaml', text, catalog: real })
    expect(diagnostics.find((d) => d.code === 'unknown-connector')?.message).toBe(
      'unknown connector "bussiness-central" for connection "bc"; expected one of business-central, basware, misa (did you mean "business-central"?)',
    )
  })
})

describe('generated schema files', () => {
  it('match what the TypeBox schemas generate (run `npm run generate` after changing them)', () => {
    for (const [path, text] of Object.entries(manifestSchemaFiles())) {
      expect(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8'), path).toBe(text)
    }
  })
})
