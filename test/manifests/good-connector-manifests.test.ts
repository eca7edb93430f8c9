/**
 * Good connector manifests: the shipped ones load with no diagnostics, the published
 * connector.schema.json accepts them as an editor would, and flows validated together with a
 * connector manifest are checked against the streams it declares.
 */
import { readFileSync } from 'node:fs'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { connectorManifestFiles } from '../../connectors/declarative/load-connector-manifests.ts'
import { connectorsDir, loadConnectorRegistry } from '../../connectors/index.ts'
import { catalogFromConnectors } from '../../core/manifest/catalog.ts'
import { catalogFromConnectorManifest } from '../../core/manifest/connector-catalog.ts'
import { formatDiagnostic } from '../../core/manifest/diagnostic.ts'
import { parseConnectorManifest } from '../../core/manifest/parse-connector-manifest.ts'
import { validateManifestFiles } from '../../core/manifest/validate-manifest-files.ts'
import { manifestSchemaFiles } from '../../scripts/manifest-schemas.ts'
import { readFixture } from './read-fixture.ts'

describe('good connector manifests', () => {
  it('the shipped manifests load into the registry with no diagnostics', () => {
    const loaded = loadConnectorRegistry()
    expect(loaded.diagnostics.map(formatDiagnostic)).toEqual([])
    expect(loaded.declarations.map((d) => d.manifest.id).sort()).toEqual([
      'basware-declared',
      'billing',
      'http-webhook',
    ])
    expect(loaded.registry.billing?.title).toBe('Billing system (Work 365 pattern)')
  })

  it('are accepted by the published connector.schema.json alone, as an editor would check them', () => {
    const ajv = new Ajv2020({ strict: false })
    const validate = ajv.compile(JSON.parse(manifestSchemaFiles()['manifests/connector.schema.json']!))
    const files = [
      ...connectorManifestFiles(connectorsDir),
      'test/manifests/good-connectors/orders.connector.yaml',
    ]
    for (const file of files) {
      const data = parse(readFileSync(file, 'utf8'))
      expect(validate(data), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true)
    }
    expect(validate(parse(readFixture('broken-connectors/auth-mixed.connector.yaml').text))).toBe(false)
  })

  it('gives flows the same catalog from the manifest as from the running connector', () => {
    const { file, text } = readFixture('good-connectors/orders.connector.yaml')
    const { manifest, diagnostics } = parseConnectorManifest({ file, text })
    expect(diagnostics).toEqual([])
    const loaded = loadConnectorRegistry(['test/manifests/good-connectors'])
    expect(catalogFromConnectorManifest(manifest!)).toEqual(
      catalogFromConnectors(loaded.registry)['orders-api'],
    )
    expect(catalogFromConnectorManifest(manifest!).streams.orders).toMatchObject({
      readable: true,
      pushed: true,
    })
  })

  it('checks flows validated together with it against the streams it declares', () => {
    const files = ['orders.connector.yaml', 'orders-to-shipments.flow.yaml', 'wrong-stream.flow.yaml'].map(
      (f) => readFixture(`good-connectors/${f}`),
    )
    const report = validateManifestFiles(files, {})
    expect(report.output.split('\n')).toEqual([
      'good-connectors/wrong-stream.flow.yaml:4:37  unknown stream "order" for orders-api; expected one of orders, shipments (did you mean "orders"?)  (/source/stream)',
      'good-connectors/wrong-stream.flow.yaml:6:59  orders-api/shipments does not support operation "upsert"; supported: create  (/target/operation)',
    ])
  })
})
