/**
 * The done-when criterion: a connector manifest dropped into a directory named by
 * FERRY_CONNECTOR_PATH is picked up when `ferry start` starts, validated, listed by the API, and used
 * by a flow — with no code change. A broken one stops the start with its file:line:col.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'
import { waitFor } from '../support/wait-for.ts'

const root = path.resolve(import.meta.dirname, '../..')

const ACME = `# yaml-language-server: $schema=https://ferry.dev/schemas/connector.schema.json
version: 1
id: acme
title: Acme Inventory
config:
  baseUrl: { type: string, required: true }
  apiKey: { type: string, secret: true, required: true }
baseUrl: "{{ config.baseUrl }}"
auth:
  apiKey: { name: X-Api-Key, value: "{{ config.apiKey }}" }
check: { path: /api/ping }
streams:
  items:
    description: Inventory items.
    identity: { key: sku }
    read:
      path: /api/items
      records: items
      paging: { pageNumber: { param: page } }
      pageSize: { param: per_page, max: 2 }
  orders:
    description: Purchase orders.
    write:
      create: { path: /api/orders, id: orderId }
`

const FLOW = `version: 1
name: acme-items-to-orders
connections: { acme: acme }
source: { connection: acme, stream: items }
map: '{ "sku": sku, "quantity": reorderQuantity }'
target: { connection: acme, stream: orders, operation: create }
`

async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as net.AddressInfo
  await new Promise((r) => server.close(r))
  return port
}

/** The remote system: five items in pages, and the orders it receives. */
function acmeServer() {
  const items = [1, 2, 3, 4, 5].map((n) => ({ sku: `SKU-${n}`, reorderQuantity: n * 10 }))
  const orders: Record<string, unknown>[] = []
  const app = new Hono()
  app.use('/api/*', async (c, next) =>
    c.req.header('x-api-key') === 'acme-key-123' ? next() : c.json({ message: 'bad key' }, 401),
  )
  app.get('/api/ping', (c) => c.json({ ok: true }))
  app.get('/api/items', (c) => {
    const page = Number(c.req.query('page'))
    const size = Number(c.req.query('per_page'))
    return c.json({ items: items.slice((page - 1) * size, page * size) })
  })
  app.post('/api/orders', async (c) => {
    const order = await c.req.json<Record<string, unknown>>()
    orders.push(order)
    return c.json({ orderId: `PO-${orders.length}`, ...order }, 201)
  })
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 })
  return { server, orders, url: () => `http://127.0.0.1:${(server.address() as net.AddressInfo).port}` }
}

function startFerry(env: Record<string, string>) {
  const { FERRY_API_URL: _, FERRY_API_KEY: __, ...inherited } = process.env
  const child = spawn(process.execPath, ['--import', 'tsx', 'runtime/cli/main.ts', 'start'], {
    cwd: root,
    env: { ...inherited, FERRY_LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (c) => (output += c))
  child.stderr!.on('data', (c) => (output += c))
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  return { child, exited, output: () => output }
}

describe('a connector manifest in FERRY_CONNECTOR_PATH', () => {
  let database: TestDatabase
  let dir: string
  let dataDir: string
  let child: ChildProcess | undefined
  const acme = acmeServer()
  beforeAll(async () => {
    database = await createTestDatabase('connector-path')
    dir = mkdtempSync(path.join(tmpdir(), 'ferry-connectors-'))
    dataDir = mkdtempSync(path.join(tmpdir(), 'ferry-data-'))
  })
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL')
    acme.server.close()
    await database?.drop()
    rmSync(dir, { recursive: true, force: true })
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('is picked up on start, listed, and usable by a flow with no code change', {
    timeout: 180_000,
  }, async () => {
    writeFileSync(path.join(dir, 'acme.connector.yaml'), ACME)
    const port = await freePort()
    const admin = 'ferry-admin-connector-path-test-key'
    const ferry = startFerry({
      DATABASE_URL: database.connectionString,
      FERRY_CONNECTOR_PATH: dir,
      FERRY_DATA_DIR: dataDir,
      FERRY_ADMIN_KEY: admin,
      PORT: String(port),
    })
    child = ferry.child
    const api = `http://127.0.0.1:${port}`
    await waitFor(
      'ferry start',
      async () => {
        if (ferry.child.exitCode !== null) throw new Error(`ferry start exited:\n${ferry.output()}`)
        return ferry.output().includes('Ferry is running')
      },
      120_000,
    )
    const call = async (key: string, method: string, url: string, body?: unknown) => {
      const res = await fetch(`${api}${url}`, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      const json = (await res.json()) as any
      if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`)
      return json
    }
    const tenant = await call(admin, 'POST', '/v1/tenants', { name: 'acme-buyer' })
    const { key } = await call(admin, 'POST', `/v1/tenants/${tenant.id}/api-keys`, { name: 'test' })

    const listed = (await call(key, 'GET', '/v1/connectors')).items.find(
      (c: { id: string }) => c.id === 'acme',
    )
    expect(listed).toMatchObject({ declared: true, title: 'Acme Inventory' })
    expect(listed.manifest).toContain('acme.connector.yaml')
    expect(listed.configSchema.properties.apiKey.writeOnly).toBe(true)
    expect(listed.streams.orders.operations).toEqual(['create'])

    const connection = await call(key, 'POST', '/v1/connections', {
      name: 'acme',
      connector: 'acme',
      config: { baseUrl: acme.url(), apiKey: 'acme-key-123' },
    })
    expect(connection.config.apiKey).not.toBe('acme-key-123')
    await call(key, 'POST', `/v1/connections/${connection.id}/check`)
    const saved = await call(key, 'POST', '/v1/flows', { text: FLOW, bindings: { acme: connection.id } })
    await call(key, 'POST', `/v1/flows/${saved.flow.id}/enable`)
    await call(key, 'POST', `/v1/flows/${saved.flow.id}/run`)
    await waitFor('five orders at Acme', async () => acme.orders.length >= 5, 60_000)
    expect(acme.orders.map((o) => o.sku).sort()).toEqual(['SKU-1', 'SKU-2', 'SKU-3', 'SKU-4', 'SKU-5'])
    expect(acme.orders.find((o) => o.sku === 'SKU-3')).toEqual({ sku: 'SKU-3', quantity: 30 })

    ferry.child.kill('SIGINT')
    expect(await ferry.exited).toBe(0)
  })

  it('stops the start with file:line:col when it is broken', { timeout: 180_000 }, async () => {
    const broken = mkdtempSync(path.join(tmpdir(), 'ferry-broken-'))
    onTestFinished(() => rmSync(broken, { recursive: true, force: true }))
    writeFileSync(path.join(broken, 'acme.connector.yaml'), ACME.replace('records: items', 'records: items['))
    const ferry = startFerry({
      FERRY_CONNECTOR_PATH: broken,
      FERRY_DATA_DIR: dataDir,
      PORT: String(await freePort()),
    })
    expect(await ferry.exited).toBe(1)
    expect(ferry.output()).toMatch(
      /acme\.connector\.yaml:18:22 {2}streams\.items\.read\.records is not valid JSONata: expected "]" before end of expression \(S0203\) {2}\(\/streams\/items\/read\/records\)/,
    )
  })
})
