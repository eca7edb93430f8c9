import { ConnectorError } from '../../../core/connector/connector-error.ts'
import type { CreateMissing, FlowManifest } from '../../../core/manifest/flow-schema.ts'
import type { CompiledMapping } from '../../../core/mapping/compile-mapping.ts'
import { MappingError } from '../../../core/mapping/mapping-error.ts'
import { recordId } from '../../../core/record/record-id.ts'
import { pooledMapping } from '../../mapping-pool/pooled-mapping.ts'
import { processMappingPool } from '../../mapping-pool/process-mapping-pool.ts'
import { recipeSiblingFlow } from '../../store/flows-store.ts'
import { confirmCreatedRow, forgetMappingTable, mappingRowState } from '../../store/mapping-rows-store.ts'
import {
  getRecord,
  insertRecords,
  keysPossiblyWritten,
  newestRecordWithSourceField,
  type RecordRow,
} from '../../store/records-store.ts'
import type { DeliveryDeps } from '../engine-deps.ts'
import { type FlowProgram, flowPrograms } from '../flow-program.ts'
import { contentVersion } from '../read-source.ts'
import { type Delivery, type DeliveryRun, forEachMoving } from './delivery.ts'

/** The reason a row confirmed by this step carries (the Masters page shows it). */
export const CREATED_BY_FERRY = 'created by Ferry'

/** One mapping-table lookup of the flow that declares `createMissing`, its expressions compiled. */
interface Rule {
  lookup: string
  table: string
  spec: CreateMissing
  key: CompiledMapping
  value: CompiledMapping
}

const rulesOf = new WeakMap<FlowProgram, Rule[]>()
const loadersOf = new WeakMap<DeliveryDeps, ReturnType<typeof flowPrograms>>()

function rules(program: FlowProgram): Rule[] {
  let found = rulesOf.get(program)
  if (!found) {
    found = []
    for (const [lookup, spec] of Object.entries(program.manifest.lookups ?? {})) {
      if (!('table' in spec) || !spec.createMissing) continue
      const c = spec.createMissing
      const name = `${program.name} lookups.${lookup}.createMissing`
      found.push({
        lookup,
        table: spec.table,
        spec: c,
        // Tenant JSONata: evaluated in the mapping pool, like the flow's own expressions.
        key: pooledMapping(processMappingPool, c.key, { name: `${name}.key` }),
        value: pooledMapping(processMappingPool, c.value, { name: `${name}.value` }),
      })
    }
    rulesOf.set(program, found)
  }
  return found
}

/**
 * Step 0: creates the masters a record's mapping-table rows are missing for, where the flow declares
 * `createMissing` on the lookup and its `enabledBy` parameter is on (the recipe's option). For a key
 * with no row, or an unmatched one, the master is fetched from the source of the recipe flow named in `through` by `findBy`, mapped
 * by that flow first (its checks, e.g. the MST, fail this record naming the master, and nothing is
 * created), then stored as a record of that flow — one per master version, so concurrent records of one
 * vendor create it once — and delivered through the same sequence. Once that record is delivered, the
 * row is confirmed ("created by Ferry") and this record goes on; until then it retries.
 */
export async function createMissingStep(run: DeliveryRun): Promise<void> {
  const found = rules(run.program).filter((rule) => switchedOn(run.program.manifest, rule.spec))
  if (found.length === 0) return
  await forEachMoving(run, async (d) => {
    // A shadow record writes nothing; a record resuming after a remote failure fails in the map step.
    if (d.record.shadow || d.progress.remoteFailure) return
    for (const rule of found) await ensureRow(run, d, rule)
  })
}

async function ensureRow(run: DeliveryRun, d: Delivery, rule: Rule): Promise<void> {
  const env = { recordKey: d.record.sourceKey, lookup: run.lookup }
  const raw = await rule.key.evaluate(d.record.source, env)
  if (raw === undefined || raw === null || raw === '') return
  const key = String(raw)
  if ((await run.lookup(rule.lookup, key)) !== undefined) return
  // A proposal with a value, or several candidates, means the master is already in the target: the
  // tenant confirms or picks it (creating another would duplicate it); only a key nothing matched is created.
  const row = await mappingRowState(run.deps.db, run.program.tenantId, rule.table, key)
  // Confirmed since this process cached the table (by another worker): the map step reads it afresh.
  if (row === 'confirmed') forgetMappingTable(run.program.tenantId, rule.table)
  if (row !== undefined && row !== 'unmatched') return
  const through = await throughProgram(run, rule)
  let master = await newestRecordWithSourceField(run.deps.db, through.flowId, rule.spec.findBy, key)
  if (!master || master.state === 'failed' || master.state === 'skipped' || master.state === 'shadowed')
    master = await storeMaster(run, rule, through, key, master)
  if (master.state === 'queued' || master.state === 'delivering') {
    const programOf = loader(run.deps)
    const program = await programOf(master.tenantId, master.flowId, master.flowVersion)
    await run.deliverOther(program, [master])
    master = (await getRecord(run.deps.db, master.id)) ?? master
  }
  d.step.add('create_missing', {
    table: rule.table,
    key,
    through: rule.spec.through,
    master: master.id,
    state: master.state,
  })
  if (master.state === 'delivered') {
    const value = await rule.value.evaluate(master.mapped, {
      recordKey: master.sourceKey,
      lookup: run.lookup,
    })
    if (value === undefined || value === null || value === '')
      throw new MappingError(
        'create_missing_failed',
        `${rule.spec.through} delivered "${key}" but its value for ${rule.table} (${rule.spec.value}) is empty`,
      )
    await confirmCreatedRow(run.deps.db, run.program.tenantId, rule.table, {
      key,
      value,
      detail: `${CREATED_BY_FERRY} (${rule.spec.through})`,
    })
    return
  }
  if (master.state === 'failed') throw masterFailed(rule, key, master.error?.message)
  throw new ConnectorError(
    'transient',
    `waiting for ${rule.spec.through} to create "${key}" in the target (its record ${master.id} is ${master.state})`,
  )
}

/** True when the lookup's `enabledBy` parameter is on in the flow's `params` lookup (or it names none). */
export function switchedOn(manifest: FlowManifest, spec: CreateMissing): boolean {
  if (spec.enabledBy === undefined) return true
  const params = manifest.lookups?.params
  return params !== undefined && 'values' in params && params.values[spec.enabledBy] === true
}

/** The recipe flow named by `through`, at its current version. */
async function throughProgram(run: DeliveryRun, rule: Rule): Promise<FlowProgram> {
  const sibling = await recipeSiblingFlow(run.deps.db, run.program.flowId, rule.spec.through)
  if (!sibling)
    throw new MappingError(
      'create_missing_failed',
      `"${rule.table}" creates missing rows through the flow ${rule.spec.through}, which this flow's recipe does not have for this tenant`,
    )
  return loader(run.deps)(run.program.tenantId, sibling.id, sibling.currentVersion)
}

/**
 * Fetches the master from the through flow's source, checks it maps, and stores it as a record of
 * that flow (a record already there for this version is left alone: it is the same master).
 */
async function storeMaster(
  run: DeliveryRun,
  rule: Rule,
  through: FlowProgram,
  key: string,
  previous: RecordRow | undefined,
): Promise<RecordRow> {
  const find = through.source.stream.find
  if (!find)
    throw new MappingError(
      'create_missing_failed',
      `${rule.spec.through}'s source stream ${through.source.streamName} cannot look a record up, so "${key}" cannot be created`,
    )
  const sourceCtx = (await run.deps.contexts.get(through.source.connectionId)).ctx
  const fetched = await find(sourceCtx, { [rule.spec.findBy]: key })
  if (!fetched)
    throw masterFailed(
      rule,
      key,
      `${through.source.streamName} has no record with ${rule.spec.findBy} "${key}"`,
    )
  const source = fetched.record as Record<string, unknown>
  // The master's own flow maps it first: a master it would refuse (an invalid MST) is never created.
  const env = { recordKey: key, lookup: run.deps.lookups.resolver(through) }
  try {
    if (through.when && !(await through.when.evaluate(source, env)))
      throw new Error(`${rule.spec.through}'s \`when\` filter leaves it out`)
    await through.map.evaluate(source, env)
  } catch (error) {
    throw masterFailed(rule, key, error instanceof Error ? error.message : String(error))
  }
  const sourceKey = String(await through.identityKey(source))
  const version = through.identityVersion ? await through.identityVersion(source) : undefined
  const sourceVersion = version === undefined || version === null ? contentVersion(source) : String(version)
  const id = recordId(through.flowId, sourceKey, sourceVersion)
  if (previous?.id === id)
    throw masterFailed(rule, key, previous.error?.message ?? `its record ended ${previous.state}`)
  const order = through.orderKey ? await through.orderKey(source) : undefined
  const known = await keysPossiblyWritten(run.deps.db, through.flowId, [sourceKey])
  await insertRecords(run.deps.db, [
    {
      id,
      tenantId: through.tenantId,
      flowId: through.flowId,
      flowVersion: through.version,
      runId: null,
      sourceKey,
      sourceVersion,
      orderKey: order === undefined || order === null ? null : String(order),
      source,
      writeAttempted: known.has(sourceKey),
    },
  ])
  const stored = await getRecord(run.deps.db, id)
  if (!stored) throw new Error(`the record ${id} of ${rule.spec.through} vanished after it was stored`)
  return stored
}

function masterFailed(rule: Rule, key: string, why: unknown): MappingError {
  return new MappingError(
    'create_missing_failed',
    `"${key}" has no confirmed row in ${rule.table}, and Ferry could not create it through ${rule.spec.through}: ${String(why ?? 'it failed')}`,
  )
}

function loader(deps: DeliveryDeps): ReturnType<typeof flowPrograms> {
  let load = loadersOf.get(deps)
  if (!load) {
    load = flowPrograms(deps)
    loadersOf.set(deps, load)
  }
  return load
}
