import type { FlowManifest } from '../../core/manifest/flow-schema.ts'
import type { ResolvedFlowManifest } from '../../core/manifest/resolve-flow-manifest.ts'

/**
 * The form a flow version is stored and executed in: the resolved manifest with its mapping inlined
 * (a version must not change when a .jsonata file next to the manifest changes later).
 */
export function toStoredManifest(resolved: ResolvedFlowManifest): FlowManifest {
  return { ...resolved, map: resolved.map.source } as FlowManifest
}
