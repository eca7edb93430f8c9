import { createHmac, randomBytes } from 'node:crypto'
import { loadConnectorRegistry } from '../../connectors/index.ts'
import { createSecretBox } from '../../runtime/secrets/secret-box.ts'
import { saveConnection } from '../../runtime/store/connections-store.ts'
import { saveFlowVersion, setFlowEnabled } from '../../runtime/store/flows-store.ts'
import { ensureTenant } from '../../runtime/store/tenants-store.ts'
import { startBenchDatabase } from './bench-database.ts'
import type { BenchServiceReady } from './bench-service.ts'
import type { BenchWorkerEnv } from './bench-worker.ts'
import { loadFlowManifest } from './load-flow-manifest.ts'
import { spawnTsx } from './spawn-tsx.ts'

const ROOT = new URL('../../', import.meta.url).pathname
/** Where the bench sink's connector manifest lives (passed to the service as FERRY_CONNECTOR_PATH). */
const SINK_CONNECTORS = `${ROOT}test/bench/fixtures/connectors`
/** The n8n side by side's flow on Ferry's side. */
export const HOOK_FLOW = 'test/bench/fixtures/flows/invoices-to-sink.flow.yaml'

/** A running Ferry with the hook flow enabled, as the n8n side by side drives it. */
export interface FerryHookPeer {
  pid: number
  /** The http-webhook connection's hook URL. */
  webhookUrl: string
  /** Headers for one body: the HMAC signature the http-webhook connector checks. */
  headersFor(body: string): Record<string, string>
  /** Records of the flow by state (what the ledger says happened). */
  states(): Promise<Record<string, number>>
  stop(): Promise<void>
}

/**
 * Ferry's side of the n8n comparison: a fresh embedded PostgreSQL with fsync on, a tenant with an
 * `http-webhook` connection (the generic webhook source, issue 16) and a `bench-sink` connection to
 * `sinkUrl`, the hook flow saved and enabled, and one bench-service process (workers + webhook
 * ingress, as `ferry start` minus the API) that loads the sink's manifest through FERRY_CONNECTOR_PATH.
 */
export async function startFerryHook(sinkUrl: string): Promise<FerryHookPeer> {
  const { registry } = loadConnectorRegistry([SINK_CONNECTORS])
  const database = await startBenchDatabase({ fsync: true })
  try {
    const masterKey = randomBytes(32)
    const box = createSecretBox(masterKey)
    const secret = randomBytes(16).toString('hex')
    const tenant = await ensureTenant(database.db, 'bench-hooks')
    const connection = async (name: string, connector: string, config: Record<string, unknown>) =>
      (
        await saveConnection(database.db, box, {
          tenantId: tenant.id,
          name,
          connector,
          config,
          schema: registry[connector]!.configSchema,
        })
      ).id
    const hook = await connection('hook', 'http-webhook', { secret })
    const sink = await connection('sink', 'bench-sink', { baseUrl: sinkUrl })
    const saved = await saveFlowVersion(database.db, {
      tenantId: tenant.id,
      name: 'bench-invoices-to-sink',
      manifest: loadFlowManifest(HOOK_FLOW, registry) as never,
      sourceFile: HOOK_FLOW,
      bindings: { hook, sink },
    })
    await setFlowEnabled(database.db, saved.flow.id, true)
    const env: BenchWorkerEnv & Record<string, string> = {
      NODE_OPTIONS: '--max-semi-space-size=4',
      DATABASE_URL: database.connectionString,
      FERRY_MASTER_KEY: masterKey.toString('hex'),
      FERRY_CONNECTOR_PATH: SINK_CONNECTORS,
      FERRY_EGRESS_ALLOW_LOOPBACK_HTTP: '1',
    }
    const service = await spawnTsx<BenchServiceReady>('test/bench/bench-service.ts', [], env)
    return {
      pid: service.ready.pid,
      webhookUrl: `${service.ready.publicUrl}/hooks/${tenant.id}/${hook}`,
      headersFor: (body) => ({
        'x-ferry-signature': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
      }),
      async states() {
        const rows = await database.db
          .selectFrom('records')
          .select(['state', (e) => e.fn.countAll<string>().as('n')])
          .where('flowId', '=', saved.flow.id)
          .groupBy('state')
          .execute()
        return Object.fromEntries(rows.map((row) => [row.state, Number(row.n)]))
      },
      async stop() {
        await service.stop()
        await database.stop()
      },
    }
  } catch (error) {
    await database.stop()
    throw error
  }
}
