/** `ferry validate` checks the connector manifests Ferry loads at start and flows against them. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { validateCommand } from '../../runtime/cli/validate-command.ts'

const CONNECTOR = `version: 1
id: parcel
title: Parcel API
baseUrl: https://parcel.example
streams:
  parcels:
    description: Parcels.
    identity: { key: id }
    read: { path: /parcels }
`
const FLOW = `version: 1
name: parcels-to-billing
connections: { parcel: parcel, billing: billing }
source: { connection: parcel, stream: parcels }
map: '{ "id": id }'
target: { connection: billing, stream: invoices, operation: create }
`

describe('ferry validate with declared connectors', () => {
  const dirs: string[] = []
  const saved = process.env.FERRY_CONNECTOR_PATH
  afterEach(() => {
    process.env.FERRY_CONNECTOR_PATH = saved
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  })
  const folder = (files: Record<string, string>) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ferry-validate-'))
    dirs.push(dir)
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text)
    return dir
  }
  const run = (args: string[]) => {
    const lines: string[] = []
    const code = validateCommand(args, (l) => lines.push(l))
    return { code, text: lines.join('\n') }
  }

  it('checks a flow against a connector in FERRY_CONNECTOR_PATH and a shipped declared one', () => {
    process.env.FERRY_CONNECTOR_PATH = folder({ 'parcel.connector.yaml': CONNECTOR })
    const flows = folder({ 'parcels.flow.yaml': FLOW })
    const { code, text } = run([flows])
    expect(text).toBe(
      `${flows}/parcels.flow.yaml:6:40  billing/invoices cannot be written; writable streams: none  (/target/stream)\n1 error, 0 warnings in 1 file`,
    )
    expect(code).toBe(1)
  })

  it('reports a broken manifest Ferry would load at start, with its place', () => {
    const connectors = folder({ 'parcel.connector.yaml': CONNECTOR.replace('key: id', 'key: id +') })
    process.env.FERRY_CONNECTOR_PATH = connectors
    const flows = folder({
      'ok.flow.yaml': `version: 1
name: billing-to-bc
connections: { billing: billing, bc: business-central }
source: { connection: billing, stream: invoices }
trigger: { webhook: true }
map: '{ "number": number }'
target: { connection: bc, stream: vendors, operation: create }
`,
    })
    const { code, text } = run([path.join(flows, 'ok.flow.yaml')])
    expect(text).toContain(
      `${connectors}/parcel.connector.yaml:8:26  streams.parcels.identity.key is not valid JSONata: unexpected end of expression (S0207)  (/streams/parcels/identity/key)`,
    )
    expect(text).toMatch(/\n1 file OK; connector manifests Ferry loads at start: 1 problem$/)
    expect(code).toBe(1)
  })
})
