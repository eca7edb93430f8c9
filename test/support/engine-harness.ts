import { randomBytes } from 'node:crypto'
import { connectors } from '../../connectors/index.ts'
import type { Connector } from '../../core/connector/connector.ts'
import type { FlowManifest } from '../../core/manifest/flow-schema.ts'
import { inlineDispatcher } from '../../runtime/engine/inline-dispatcher.ts'
import { silentLogger } from '../../runtime/log/create-logger.ts'
import { createEngine } from '../../runtime/main/create-engine.ts'
import { createSecretBox } from '../../runtime/secrets/secret-box.ts'
import { saveConnection } from '../../runtime/store/connections-store.ts'
import type { Db } from '../../runtime/store/database.ts'
import { saveFlowVersion } from '../../runtime/store/flows-store.ts'
import type { MappingTableSource } from '../../runtime/store/mapping-rows-store.ts'
import { ensureTenant } from '../../runtime/store/tenants-store.ts'
import { memoryConnector } from '../in-memory-connector/index.ts'

/** The registry tests use: the real connectors plus the in-memory one. */
export const testRegistry: Record<string, Connector> = { ...connectors, memory: memoryConnector }

/** An engine wired with the inline dispatcher against a test database. */
export function createEngineHarness(
  db: Db,
  options: { fetch?: typeof fetch; maxRetryWaitMs?: number; mappingTables?: MappingTableSource } = {},
) {
  const box = createSecretBox(randomBytes(32))
  const { deps, programs } = createEngine({
    db,
    box,
    registry: testRegistry,
    log: silentLogger,
    fetch: options.fetch,
    mappingTables: options.mappingTables,
    dispatcher: (deliver, deliverMany) =>
      inlineDispatcher(deliver, { deliverMany, maxRetryWaitMs: options.maxRetryWaitMs ?? 5 }),
  })
  const dispatcher = deps.dispatcher as ReturnType<typeof inlineDispatcher>

  return {
    deps,
    box,
    programs,
    dispatcher,
    async tenant(name: string) {
      return ensureTenant(db, name)
    },
    async connection(tenantId: string, name: string, connector: string, config: Record<string, unknown>) {
      return saveConnection(db, box, {
        tenantId,
        name,
        connector,
        config,
        schema: testRegistry[connector]!.configSchema,
      })
    },
    /** A new tenant with two in-memory systems, `src` and `dst`, each behind a connection of that name. */
    async memoryPair(name: string) {
      const tenant = await ensureTenant(db, name)
      const srcSystem = `${name}-src-${Date.now()}`
      const dstSystem = `${name}-dst-${Date.now()}`
      const config = (systemId: string) => ({ systemId, token: 'memory-secret' })
      const save = (connection: string, systemId: string) =>
        saveConnection(db, box, {
          tenantId: tenant.id,
          name: connection,
          connector: 'memory',
          config: config(systemId),
          schema: testRegistry.memory!.configSchema,
        })
      const src = await save('src', srcSystem)
      const dst = await save('dst', dstSystem)
      return { tenantId: tenant.id, src: src.id, dst: dst.id, srcSystem, dstSystem }
    },
    async flow(tenantId: string, manifest: FlowManifest, bindings: Record<string, string>) {
      const saved = await saveFlowVersion(db, {
        tenantId,
        name: manifest.name,
        manifest: manifest as never,
        sourceFile: `${manifest.name}.flow.yaml`,
        bindings,
      })
      return programs(tenantId, saved.flow.id, saved.version.version)
    },
  }
}
