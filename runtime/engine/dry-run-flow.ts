import { describeFailure } from './describe-failure.ts'
import type { EngineDeps } from './engine-deps.ts'
import type { FlowProgram } from './flow-program.ts'

/** What a dry run would have written for one source record. */
export interface DryRunItem {
  key: string
  skipped?: boolean
  record?: unknown
  error?: ReturnType<typeof describeFailure>
}

/**
 * Reads the source and maps every record without storing anything, advancing no checkpoint and
 * calling no target: shows what a run would write.
 */
export async function dryRunFlow(deps: EngineDeps, program: FlowProgram, options: { limit?: number } = {}) {
  const live = await deps.contexts.get(program.source.connectionId)
  const items: DryRunItem[] = []
  const limit = options.limit ?? 100
  const pages = program.source.stream.read!(live.ctx, {
    cursor: null,
    query: (program.manifest.source.query ?? {}) as Record<string, unknown>,
    pageSize: program.manifest.source.pageSize,
  })
  for await (const page of pages) {
    for (const source of page.records) {
      const key = String(await program.identityKey(source))
      try {
        const lookup = deps.lookups.resolver(program)
        if (program.when && !(await program.when.evaluate(source, { recordKey: key, lookup }))) {
          items.push({ key, skipped: true })
        } else {
          items.push({
            key,
            record: await program.map.evaluate(source, {
              recordKey: key,
              lookup,
            }),
          })
        }
      } catch (error) {
        items.push({ key, error: describeFailure(error) })
      }
      if (items.length >= limit) return items
    }
  }
  return items
}
