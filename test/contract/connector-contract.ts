/**
 * The shared connector contract suite. Every connector runs it against its sandbox (and the
 * in-memory connector runs it against itself), the way Kysely loops its tests over dialects.
 * A case a connector cannot honour is listed in `skip` with a reason, which the report shows.
 */
import { Ajv2020 } from 'ajv/dist/2020.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Connector, ConnectorContext, WriteOperation } from '../../core/connector/connector.ts'
import { isConnectorError } from '../../core/connector/connector-error.ts'

/** What a connector's contract run needs to know. */
export interface ContractSubject {
  connector: Connector<any>
  /** A context on the sandbox with a working connection. */
  ctx: ConnectorContext<any>
  /** A context on the same sandbox whose secret is wrong. */
  badSecretCtx: ConnectorContext<any>
  /** The secret values of `ctx`, which must never show up in errors or logs. */
  secrets: string[]
  /** Lines the context's logger wrote. */
  logLines?: string[]
  /** A seeded source stream with at least `minRecords` records, readable in pages of `pageSize`. */
  read?: { stream: string; query?: Record<string, unknown>; pageSize: number; minRecords: number }
  /** A record the target accepts; `match` finds it again after it was written. */
  write?: {
    stream: string
    operation: WriteOperation
    record: () => Record<string, unknown>
    match?: (record: Record<string, unknown>) => Record<string, unknown>
  }
  /** A request to the webhook ingress that is not correctly signed. */
  forgedWebhook?: () => { method: string; url: string; headers: Record<string, string>; body: Uint8Array }
  close?: () => Promise<void>
  /** Contract cases this connector cannot honour, with the reason. */
  skip?: Partial<Record<ContractCase, string>>
}

/** The names of the contract cases. */
export type ContractCase =
  | 'check'
  | 'bad-secret'
  | 'read-pages'
  | 'read-resume'
  | 'write-find'
  | 'webhook-forged'

async function collect(iter: AsyncIterable<{ records: unknown[]; cursor: string | null }>, maxPages: number) {
  const pages: { records: unknown[]; cursor: string | null }[] = []
  for await (const page of iter) {
    pages.push(page)
    if (pages.length >= maxPages) break
  }
  return pages
}

/** Registers the contract suite for one connector. */
export function describeConnectorContract(name: string, setup: () => Promise<ContractSubject>): void {
  describe(`connector contract: ${name}`, () => {
    let s: ContractSubject
    beforeAll(async () => {
      s = await setup()
    })
    afterAll(async () => {
      await s?.close?.()
    })

    const run = (c: ContractCase, title: string, fn: () => Promise<void>) =>
      it(title, async (t) => {
        const reason = s.skip?.[c]
        if (reason) {
          t.skip(`skipped: ${reason}`)
          return
        }
        await fn()
      })

    it('declares valid schemas for its config and every stream', () => {
      const ajv = new Ajv2020({ strict: false, allErrors: true })
      expect(() => ajv.compile(s.connector.configSchema)).not.toThrow()
      const props = (s.connector.configSchema.properties ?? {}) as Record<string, { writeOnly?: boolean }>
      expect(
        Object.values(props).some((p) => p.writeOnly === true),
        'config marks its secrets writeOnly',
      ).toBe(true)
      for (const [streamName, stream] of Object.entries(s.connector.streams)) {
        expect(() => ajv.compile(stream.schema), `schema of ${streamName}`).not.toThrow()
        if (stream.write || stream.writeMany)
          expect(stream.operations?.length, `${streamName} operations`).toBeGreaterThan(0)
      }
    })

    run('check', 'check() accepts a working connection', async () => {
      await expect(s.connector.check(s.ctx)).resolves.toBeDefined()
    })

    run(
      'bad-secret',
      'check() refuses a wrong secret with an auth/config error that leaks nothing',
      async () => {
        const error = await s.connector.check(s.badSecretCtx).then(
          () => undefined,
          (e: unknown) => e,
        )
        expect(isConnectorError(error), 'a ConnectorError').toBe(true)
        if (!isConnectorError(error)) return
        expect(['auth', 'config']).toContain(error.kind)
        const text = JSON.stringify(error.toJSON()) + error.message
        for (const secret of s.secrets) expect(text).not.toContain(secret)
      },
    )

    run('read-pages', 'read() yields the seeded records across several pages', async () => {
      if (!s.read) throw new Error('no read fixture: list read-pages in skip with a reason')
      const stream = s.connector.streams[s.read.stream]!
      const pages = await collect(
        stream.read!(s.ctx, { cursor: null, query: s.read.query ?? {}, pageSize: s.read.pageSize }),
        1000,
      )
      const records = pages.flatMap((p) => p.records)
      expect(pages.length).toBeGreaterThan(1)
      expect(records.length).toBeGreaterThanOrEqual(s.read.minRecords)
      const ajv = new Ajv2020({ strict: false })
      const validate = ajv.compile(stream.schema)
      for (const r of records.slice(0, 20)) expect(validate(r), JSON.stringify(validate.errors)).toBe(true)
    })

    run('read-resume', 'read() resumes from a page cursor without repeating that page', async () => {
      if (!s.read) throw new Error('no read fixture: list read-resume in skip with a reason')
      const stream = s.connector.streams[s.read.stream]!
      const req = { query: s.read.query ?? {}, pageSize: s.read.pageSize }
      const [first] = await collect(stream.read!(s.ctx, { ...req, cursor: null }), 1)
      expect(first?.cursor).toBeTruthy()
      const [second] = await collect(stream.read!(s.ctx, { ...req, cursor: first!.cursor }), 1)
      const firstJson = new Set(first!.records.map((r) => JSON.stringify(r)))
      expect(second!.records.length).toBeGreaterThan(0)
      for (const r of second!.records) expect(firstJson.has(JSON.stringify(r))).toBe(false)
    })

    run('write-find', 'write() stores a record that find() then returns', async () => {
      if (!s.write) throw new Error('no write fixture: list write-find in skip with a reason')
      const stream = s.connector.streams[s.write.stream]!
      const record = s.write.record()
      const req = { operation: s.write.operation, record, idempotencyKey: `contract-${Date.now()}` }
      const result = stream.write
        ? await stream.write(s.ctx, req)
        : (await stream.writeMany!(s.ctx, [req]))[0]!
      expect(['done', 'pending']).toContain(result.status)
      if (result.status === 'done' && s.write.match && stream.find) {
        const found = await stream.find(s.ctx, s.write.match(record))
        expect(found?.id).toBe(result.id)
      }
    })

    run('webhook-forged', 'webhooks.verify() refuses a forged delivery', async () => {
      if (!s.connector.webhooks || !s.forgedWebhook) throw new Error('no webhook fixture')
      const error = await s.connector.webhooks.verify(s.ctx, s.forgedWebhook(), []).then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(isConnectorError(error) && error.kind).toBe('auth')
    })

    it('never writes a secret to its log', () => {
      for (const line of s.logLines ?? []) for (const secret of s.secrets) expect(line).not.toContain(secret)
    })
  })
}
