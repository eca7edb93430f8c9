import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import type { Sandbox } from '../../core/connector/sandbox.ts'
import { catalogFromConnectors } from '../../core/manifest/catalog.ts'
import { formatDiagnostic } from '../../core/manifest/diagnostic.ts'
import { parseFlowManifest } from '../../core/manifest/parse-flow-manifest.ts'
import { egressPolicyFromEnv } from '../egress/egress-policy.ts'
import { dryRunFlow } from '../engine/dry-run-flow.ts'
import { inlineDispatcher } from '../engine/inline-dispatcher.ts'
import { runFlow } from '../engine/run-flow.ts'
import { toStoredManifest } from '../engine/stored-manifest.ts'
import { createLogger } from '../log/create-logger.ts'
import { connectorRegistry } from '../main/connector-registry.ts'
import { createEngine } from '../main/create-engine.ts'
import { dataDir } from '../main/data-dir.ts'
import { openDatabase } from '../main/open-database.ts'
import { closeProcessMappingPool } from '../mapping-pool/process-mapping-pool.ts'
import { sandboxFetch } from '../sandbox/sandbox-fetch.ts'
import { createSecretBox, loadMasterKey } from '../secrets/secret-box.ts'
import { listConnections, saveConnection } from '../store/connections-store.ts'
import { saveFlowVersion } from '../store/flows-store.ts'
import { mappingTableSource } from '../store/mapping-rows-store.ts'
import { ensureTenant } from '../store/tenants-store.ts'
import { resolveFromDisk } from './read-manifest-files.ts'

const USAGE = `usage: ferry run <manifest> --once [--dry-run] [--tenant NAME] [--connection ALIAS=CONNECTION]… [--sandbox]
  --once         read the source once from its checkpoint, deliver, and exit
  --dry-run      map and print what would be written; store and write nothing
  --connection   bind a manifest alias to a stored connection of the tenant (by name)
  --sandbox      bind every unbound alias to its connector's built-in sandbox (the default)`

/** `ferry run <manifest> --once [--dry-run]`: one run of one flow, with progress on stderr. */
export async function runCommand(argv: string[], out: (line: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      once: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      tenant: { type: 'string', default: 'local' },
      connection: { type: 'string', multiple: true },
      sandbox: { type: 'boolean' },
    },
  })
  const file = positionals[0]
  if (!file || !values.once) {
    out(USAGE)
    return 2
  }
  const connectors = connectorRegistry().registry
  const parsed = parseFlowManifest({
    file,
    text: readFileSync(file, 'utf8'),
    catalog: catalogFromConnectors(connectors),
    resolveFile: resolveFromDisk,
  })
  if (!parsed.manifest) {
    out(parsed.diagnostics.map(formatDiagnostic).join('\n'))
    return 1
  }
  const manifest = parsed.manifest
  const log = createLogger({ level: 'warn' })
  const dir = dataDir()
  const database = await openDatabase({ dataDir: dir, databaseUrl: process.env.DATABASE_URL, log })
  const sandboxes: { baseUrl: string; sandbox: Sandbox }[] = []
  try {
    const box = createSecretBox(await loadMasterKey(dir))
    const tenant = await ensureTenant(database.db, values.tenant)
    const stored = await listConnections(database.db, tenant.id)
    const explicit = Object.fromEntries(
      (values.connection ?? []).map((b) => b.split('=', 2) as [string, string]),
    )
    const bindings: Record<string, string> = {}
    for (const [alias, connectorId] of Object.entries(manifest.connections)) {
      const name = explicit[alias]
      if (name) {
        const row = stored.find((c) => c.name === name)
        if (!row)
          throw new Error(
            `--connection ${alias}=${name}: tenant ${tenant.name} has no connection named ${name}`,
          )
        bindings[alias] = row.id
        continue
      }
      const connector = connectors[connectorId]
      if (!connector?.sandbox)
        throw new Error(`${connectorId} has no sandbox; bind ${alias} with --connection`)
      const baseUrl = `http://sandbox.localhost/${connectorId}`
      const sandbox = await connector.sandbox({ baseUrl, seed: 'demo' })
      sandboxes.push({ baseUrl, sandbox })
      const row = await saveConnection(database.db, box, {
        tenantId: tenant.id,
        name: `sandbox-${connectorId}`,
        connector: connectorId,
        config: sandbox.connectionConfig(),
        schema: connector.configSchema,
      })
      bindings[alias] = row.id
    }
    const engine = createEngine({
      db: database.db,
      box,
      registry: connectors,
      log,
      fetch: sandboxFetch(sandboxes),
      // The sandboxes answer at loopback http addresses, which the egress policy refuses by default.
      egress: egressPolicyFromEnv(
        sandboxes.length ? { ...process.env, FERRY_EGRESS_ALLOW_LOOPBACK_HTTP: '1' } : process.env,
      ),
      mappingTables: mappingTableSource(database.db),
      dispatcher: (deliver, deliverMany) => inlineDispatcher(deliver, { deliverMany }),
    })
    const saved = await saveFlowVersion(database.db, {
      tenantId: tenant.id,
      name: manifest.name,
      manifest: toStoredManifest(manifest) as never,
      sourceFile: file,
      bindings,
    })
    const program = await engine.programs(tenant.id, saved.flow.id, saved.version.version)
    if (values['dry-run']) {
      for (const item of await dryRunFlow(engine.deps, program)) out(JSON.stringify(item))
      return 0
    }
    const summary = await runFlow(engine.deps, program, {
      trigger: 'cli',
      onPage: (s) => process.stderr.write(`\rpage ${s.pages}: ${s.read} read, ${s.inserted} new`),
    })
    process.stderr.write('\n')
    const counts = (engine.deps.dispatcher as ReturnType<typeof inlineDispatcher>).counts
    out(
      `run ${summary.runId}: ${summary.read} read, ${summary.inserted} new; ${counts.delivered} delivered, ${counts.awaiting} awaiting an outcome, ${counts.skipped} skipped, ${counts.failed} failed (${counts.retried} retries)`,
    )
    return counts.failed > 0 ? 1 : 0
  } finally {
    for (const s of sandboxes) await s.sandbox.close()
    await closeProcessMappingPool()
    await database.close()
  }
}
