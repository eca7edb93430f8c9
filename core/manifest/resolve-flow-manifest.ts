/** Builds the runtime's view of a valid flow manifest: defaults applied, forms normalized, map resolved. */
import type { ConnectorCatalog } from './catalog.ts'
import type { LocatedExpression } from './check-flow-expressions.ts'
import type { ExpressionOrigin } from './expression-origin.ts'
import type { FlowAcknowledge, FlowManifest, FlowRetry, FlowTrigger } from './flow-schema.ts'

/** The flow's mapping: the JSONata source and where it was written (for positions of runtime errors). */
export interface ResolvedMapping {
  source: string
  /** The file the expression is in: the manifest itself or the .jsonata file. */
  file: string
  inline: boolean
  origin: ExpressionOrigin
}

/** A cron schedule in its long form. */
export interface ResolvedSchedule {
  cron: string
  timezone: string
}

/**
 * A checked flow manifest as the runtime uses it: `map` resolved, `identity` always present (the
 * stream's default when the manifest has none), `schedule` in long form, every default filled in.
 */
export type ResolvedFlowManifest = Omit<
  FlowManifest,
  'map' | 'identity' | 'trigger' | 'retry' | 'acknowledge'
> & {
  map: ResolvedMapping
  identity: { key: string; version?: string }
  trigger?: Omit<FlowTrigger, 'schedule'> & { schedule?: ResolvedSchedule }
  retry: Required<FlowRetry>
  acknowledge?: Required<FlowAcknowledge>
}

/** Resolves a manifest that passed every check (`manifest` already has the schema defaults). */
export function resolveFlowManifest(
  manifest: FlowManifest,
  map: LocatedExpression,
  inline: boolean,
  catalog: ConnectorCatalog,
): ResolvedFlowManifest {
  const connector = catalog[manifest.connections[manifest.source.connection]!]!
  const identity = manifest.identity ?? connector.streams[manifest.source.stream]!.identity!
  const { trigger, retry, acknowledge, map: _map, identity: _identity, ...rest } = manifest
  const resolved: ResolvedFlowManifest = {
    ...rest,
    map: { source: map.source, file: map.origin.file, inline, origin: map.origin },
    identity,
    retry: retry as Required<FlowRetry>,
  }
  if (trigger) {
    const { schedule, ...others } = trigger
    resolved.trigger = others
    if (typeof schedule === 'string') resolved.trigger.schedule = { cron: schedule, timezone: 'UTC' }
    else if (schedule)
      resolved.trigger.schedule = { cron: schedule.cron, timezone: schedule.timezone ?? 'UTC' }
  }
  if (acknowledge) resolved.acknowledge = acknowledge as Required<FlowAcknowledge>
  return resolved
}
