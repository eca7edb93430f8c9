import { randomBytes, randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FlowManifest } from '../../core/manifest/flow-schema.ts'
import { recordId } from '../../core/record/record-id.ts'
import { silentLogger } from '../../runtime/log/create-logger.ts'
import { type Service, startService } from '../../runtime/main/start-service.ts'
import { QUEUES } from '../../runtime/queue/queues.ts'
import { createSecretBox } from '../../runtime/secrets/secret-box.ts'
import { saveConnection } from '../../runtime/store/connections-store.ts'
import type { Db } from '../../runtime/store/database.ts'
import { flowModeForPage, saveFlowVersion } from '../../runtime/store/flows-store.ts'
import { insertRecords } from '../../runtime/store/records-store.ts'
import { ensureTenant } from '../../runtime/store/tenants-store.ts'
import { testRegistry } from '../support/engine-harness.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'

/**
 * Found by the chaos run: a scheduled read and a webhook's read of one ordered flow store pages at
 * the same moment. The read whose transaction began first stored its invoice after the other's, so
 * its record came later in source order (`seq`) — but pg-boss stamps a job with its transaction's
 * start, and a key's jobs run in that order: 17 invoices of one supplier were posted before an
 * earlier one. A page's jobs now carry the moment they were queued, under the flow's lock.
 */
describe('per-key order when two reads of one flow overlap', () => {
  let t: TestDatabase
  let service: Service
  let flowId: string
  let tenantId: string
  const box = createSecretBox(randomBytes(32))

  beforeAll(async () => {
    t = await createTestDatabase('concurrent-reads-order')
    service = await startService({
      db: t.db,
      connectionString: t.connectionString,
      box,
      registry: testRegistry,
      log: silentLogger,
      workers: false,
    })
    tenantId = (await ensureTenant(t.db, 'overlap')).id
    const connection = async (name: string) =>
      (
        await saveConnection(t.db, box, {
          tenantId,
          name,
          connector: 'memory',
          config: { systemId: `overlap-${name}`, token: 'memory-secret' },
          schema: testRegistry.memory!.configSchema,
        })
      ).id
    const manifest: FlowManifest = {
      version: 1,
      name: 'overlap',
      connections: { src: 'memory', dst: 'memory' },
      source: { connection: 'src', stream: 'invoices' },
      trigger: { webhook: true },
      map: `{ 'ref': id }`,
      target: { connection: 'dst', stream: 'documents', operation: 'create' },
      order: 'supplier',
    }
    flowId = (
      await saveFlowVersion(t.db, {
        tenantId,
        name: manifest.name,
        manifest: manifest as never,
        sourceFile: 'x',
        bindings: { src: await connection('src'), dst: await connection('dst') },
      })
    ).flow.id
  })
  afterAll(async () => {
    await service?.stop()
    await t?.drop()
  })

  /** Stores one page and queues its deliveries as a read does (read-source.ts). */
  const storePage = async (trx: Db, keys: string[]) => {
    await flowModeForPage(trx, flowId)
    const records = keys.map((key) => ({
      id: recordId(flowId, key, '1'),
      tenantId,
      flowId,
      flowVersion: 1,
      runId: randomUUID(),
      sourceKey: key,
      sourceVersion: '1',
      orderKey: 'V0060',
      source: { id: key, supplier: 'V0060' },
    }))
    const seqs = await insertRecords(trx as never, records)
    await service.engine.deps.dispatcher.enqueue(
      trx as never,
      flowId,
      seqs.map((s) => ({ recordId: s.id, orderKey: 'V0060', ordinal: s.seq })),
    )
    return seqs
  }

  it('a page stored later in source order is delivered later, though its transaction began first', async () => {
    let webhookDone!: () => void
    const webhookStored = new Promise<void>((resolve) => {
      webhookDone = resolve
    })
    // The scheduled read's transaction begins, then waits while the webhook's read stores its page.
    const scheduled = t.db.transaction().execute(async (trx) => {
      await sql`select now()`.execute(trx)
      await webhookStored
      return storePage(trx, ['INV-3'])
    })
    await new Promise((r) => setTimeout(r, 50))
    const webhook = await t.db.transaction().execute((trx) => storePage(trx, ['INV-1', 'INV-2']))
    webhookDone()
    const late = await scheduled
    expect(late[0]!.seq).toBeGreaterThan(webhook[1]!.seq)

    const { rows } = await sql<{ recordId: string }>`
      select data->>'recordId' as "recordId" from pgboss.job
       where name = ${QUEUES.deliverOrdered} and singleton_key = ${`${flowId}:V0060`}
       order by created_on, id`.execute(t.db)
    expect(rows.map((r) => r.recordId)).toEqual([webhook[0]!.id, webhook[1]!.id, late[0]!.id])
  })
})
