import { connectorsOf } from '../store/connections-store.ts'
import type { Db } from '../store/database.ts'
import type { ProblemDetailItem } from './problem.ts'

/**
 * Checks that `bindings` names exactly the manifest's connection aliases and that each points at a
 * connection of this tenant using the alias's connector. Returns the problems (empty when fine); an
 * id of another tenant reads as unknown, like any id the tenant cannot see.
 */
export async function checkFlowBindings(
  db: Db,
  tenantId: string,
  aliases: Record<string, string>,
  bindings: Record<string, string>,
): Promise<ProblemDetailItem[]> {
  const problems: ProblemDetailItem[] = []
  const ids = Object.values(bindings)
  const connectorOf = await connectorsOf(db, tenantId, ids)
  for (const [alias, connector] of Object.entries(aliases)) {
    const pointer = `/bindings/${alias}`
    const id = bindings[alias]
    if (id === undefined) {
      problems.push({
        pointer,
        detail: `connection alias "${alias}" (${connector}) is not bound to a connection`,
      })
      continue
    }
    const actual = connectorOf.get(id)
    if (actual === undefined) problems.push({ pointer, detail: `connection ${id} not found` })
    else if (actual !== connector)
      problems.push({
        pointer,
        detail: `connection ${id} uses connector "${actual}", but "${alias}" needs "${connector}"`,
      })
  }
  for (const alias of Object.keys(bindings))
    if (!(alias in aliases))
      problems.push({
        pointer: `/bindings/${alias}`,
        detail: `the manifest has no connection alias "${alias}"`,
      })
  return problems
}
