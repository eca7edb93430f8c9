/**
 * The shared connector contract suite. Every connector runs it against its sandbox (and the
 * in-memory connector runs it against itself), the way Kysely loops its tests over dialects.
 * A case a connector cannot honour is listed in `skip` with a reason, which the report shows.
 */
import { Ajv2020 } from 'ajv/dist/2020.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type {
  Connector,
  ConnectorContext,
  WriteOperation,
  WriteResult,
} from '../../core/connector/connector.ts'
import { isConnectorError } from '../../core/connector/connector-error.ts'
import {
  collect,
  MALFORMED_ANSWERS,
  pollUntilDecided,
  thrownOtherThanConnectorError,
} from './contract-probes.ts'

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
  /** An acknowledgement the source accepts, for a record it holds. */
  acknowledge?: {
    operation: string
    record: () => Record<string, unknown> | Promise<Record<string, unknown>>
    payload: Record<string, unknown>
  }
  /** A stream action (`isDone`/`run`) on a record written with `record`, found again by `match`. */
  action?: {
    stream: string
    name: string
    record: () => Record<string, unknown>
    match: (record: Record<string, unknown>) => Record<string, unknown>
  }
  /** A `writeMany` stream with a record it accepts and one it refuses. */
  writeMany?: {
    stream: string
    operation: WriteOperation
    good: () => Record<string, unknown>
    bad: () => Record<string, unknown>
  }
  /** A write whose outcome arrives later, and how to make the remote decide it. */
  outcome?: {
    stream: string
    operation: WriteOperation
    record: () => Record<string, unknown>
    /** The context to write with (e.g. one that stops waiting for the outcome quickly). */
    ctx?: ConnectorContext<any>
    /** Makes the next write stay pending (e.g. slows the remote's import). */
    delay?: () => Promise<void>
    /** Lets the remote finish the write with this correlation id. */
    settle: (correlationId: string) => Promise<void>
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
  | 'acknowledge'
  | 'is-done'
  | 'write-many-partial'
  | 'outcome-poll'
  | 'only-connector-errors'

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

    run('acknowledge', 'acknowledge sends, and a retry with the same key is accepted again', async () => {
      if (!s.acknowledge) throw new Error('no acknowledge fixture: list acknowledge in skip with a reason')
      const operation = s.connector.acknowledge?.[s.acknowledge.operation]
      expect(operation, `acknowledge.${s.acknowledge.operation}`).toBeDefined()
      const req = {
        record: await s.acknowledge.record(),
        payload: s.acknowledge.payload,
        idempotencyKey: `contract-ack-${Date.now()}`,
      }
      await expect(operation!.send(s.ctx, req)).resolves.toBeDefined()
      // After a crash the runtime sends again with the same key: that must not be an error.
      await expect(operation!.send(s.ctx, req)).resolves.toBeDefined()
    })

    run('is-done', 'an action’s isDone is false before it ran and true after', async () => {
      if (!s.action) throw new Error('no action fixture: list is-done in skip with a reason')
      const stream = s.connector.streams[s.action.stream]!
      const action = stream.actions?.[s.action.name]
      expect(action?.isDone, `${s.action.stream}.${s.action.name}.isDone`).toBeTypeOf('function')
      const record = s.action.record()
      const written = stream.write
        ? await stream.write(s.ctx, {
            operation: 'create',
            record,
            idempotencyKey: `contract-do-${Date.now()}`,
          })
        : (
            await stream.writeMany!(s.ctx, [
              { operation: 'create', record, idempotencyKey: `contract-do-${Date.now()}` },
            ])
          )[0]!
      expect(written.status).toBe('done')
      const before = await stream.find!(s.ctx, s.action.match(record))
      expect(before, 'find() returns the written record').not.toBeNull()
      expect(action!.isDone!(before!)).toBe(false)
      await action!.run(s.ctx, { id: before!.id, etag: before!.etag, record: before!.record })
      // After running, the record may be found under its new number: look it up by its old match first.
      const after = await stream.find!(s.ctx, s.action.match(record))
      expect(after, 'find() still returns the record after the action').not.toBeNull()
      expect(action!.isDone!(after!)).toBe(true)
    })

    run('write-many-partial', 'writeMany fails only the bad record, in request order', async () => {
      if (!s.writeMany) throw new Error('no writeMany fixture: list write-many-partial in skip with a reason')
      const stream = s.connector.streams[s.writeMany.stream]!
      expect(stream.writeMany, `${s.writeMany.stream}.writeMany`).toBeTypeOf('function')
      const key = `contract-many-${Date.now()}`
      const records = [s.writeMany.good(), s.writeMany.bad(), s.writeMany.good()]
      const results: WriteResult[] = await stream.writeMany!(
        s.ctx,
        records.map((record, i) => ({
          operation: s.writeMany!.operation,
          record,
          idempotencyKey: `${key}-${i}`,
        })),
      )
      expect(results).toHaveLength(3)
      expect(results.map((r) => r.status)).toEqual([
        expect.stringMatching(/^(done|pending)$/),
        'failed',
        expect.stringMatching(/^(done|pending)$/),
      ])
      const failed = results[1] as Extract<WriteResult, { status: 'failed' }>
      expect(isConnectorError(failed.error), 'the failure is a ConnectorError').toBe(true)
      expect(failed.error.kind).toBe('rejected')
    })

    run(
      'outcome-poll',
      'a pending write is decided by outcomes.poll once the remote has decided',
      async () => {
        if (!s.outcome) throw new Error('no outcome fixture: list outcome-poll in skip with a reason')
        expect(s.connector.outcomes?.poll, 'outcomes.poll').toBeTypeOf('function')
        const ctx = s.outcome.ctx ?? s.ctx
        const stream = s.connector.streams[s.outcome.stream]!
        const req = {
          operation: s.outcome.operation,
          record: s.outcome.record(),
          idempotencyKey: `contract-outcome-${Date.now()}`,
        }
        const since = new Date().toISOString()
        await s.outcome.delay?.()
        const result = stream.write ? await stream.write(ctx, req) : (await stream.writeMany!(ctx, [req]))[0]!
        expect(result.status).toBe('pending')
        const { correlationId } = result as Extract<WriteResult, { status: 'pending' }>
        expect((await s.connector.outcomes!.poll(ctx, [{ correlationId, since }]))[0]?.status).toBe('pending')
        await s.outcome.settle(correlationId)
        const outcome = await pollUntilDecided(s.connector, ctx, correlationId, since)
        expect(['done', 'failed']).toContain(outcome.status)
        if (outcome.status === 'failed') expect(isConnectorError(outcome.error)).toBe(true)
      },
    )

    run(
      'only-connector-errors',
      'throws only ConnectorErrors, whatever the remote answers or the input holds',
      async () => {
        const calls = (ctx: ConnectorContext<any>): [string, () => Promise<unknown>][] => {
          const list: [string, () => Promise<unknown>][] = [['check', () => s.connector.check(ctx)]]
          if (s.read) {
            const stream = s.connector.streams[s.read.stream]!
            list.push([
              'read',
              () =>
                collect(
                  stream.read!(ctx, { cursor: null, query: s.read!.query ?? {}, pageSize: s.read!.pageSize }),
                  2,
                ),
            ])
            list.push([
              'read from a cursor it never wrote',
              () => collect(stream.read!(ctx, { cursor: '{"not":"mine"', query: s.read!.query ?? {} }), 1),
            ])
          }
          if (s.write) {
            const stream = s.connector.streams[s.write.stream]!
            const req = {
              operation: s.write.operation,
              record: s.write.record(),
              idempotencyKey: 'contract-bad',
            }
            list.push([
              'write',
              () => (stream.write ? stream.write(ctx, req) : stream.writeMany!(ctx, [req])),
            ])
            if (stream.find) {
              list.push(['find', () => stream.find!(ctx, s.write!.match?.(req.record) ?? { id: 'x' })])
              list.push([
                'find by null and object values',
                () => stream.find!(ctx, { id: null, nested: { a: 1 } }),
              ])
            }
          }
          if (s.connector.outcomes)
            list.push([
              'outcomes.poll',
              () =>
                s.connector.outcomes!.poll(ctx, [
                  { correlationId: 'contract/x', since: new Date().toISOString() },
                ]),
            ])
          if (s.connector.webhooks)
            list.push([
              'webhooks.parse of a body that is not JSON',
              () =>
                s.connector.webhooks!.parse(ctx, {
                  method: 'POST',
                  url: '/hooks/t/c',
                  headers: {},
                  body: new TextEncoder().encode('<xml>not json</xml>'),
                }),
            ])
          return list
        }
        const problems: string[] = []
        const probe = async (what: string, call: () => Promise<unknown>) => {
          const problem = await thrownOtherThanConnectorError(what, call)
          if (problem) problems.push(problem)
        }
        // A warm context holds a token, so malformed answers reach the API calls, not only the token request.
        await s.connector.check(s.ctx).catch(() => undefined)
        for (const [answer, respond] of MALFORMED_ANSWERS) {
          for (const [memo, memoName] of [
            [new Map(s.ctx.memo), 'with a token'],
            [new Map(), 'without a token'],
          ] as const) {
            const ctx: ConnectorContext<any> = { ...s.ctx, memo, fetch: () => respond() }
            for (const [what, call] of calls(ctx)) await probe(`${what} on ${answer} ${memoName}`, call)
          }
        }
        // Malformed input on a working connection.
        for (const [what, call] of calls({ ...s.ctx, memo: new Map(s.ctx.memo) }))
          await probe(`${what} with malformed input`, call)
        expect(problems).toEqual([])
      },
    )

    it('never writes a secret to its log', () => {
      for (const line of s.logLines ?? []) for (const secret of s.secrets) expect(line).not.toContain(secret)
    })
  })
}
