import { MappingPool } from './mapping-pool.ts'

let pool: MappingPool | undefined

/**
 * This process's mapping pool, created on first use: the API server, the workers and one-shot commands
 * share it. Its idle children never keep the process alive; `closeProcessMappingPool` stops them.
 */
export function processMappingPool(): MappingPool {
  pool ??= new MappingPool({
    size: Number(process.env.FERRY_MAPPING_PROCESSES ?? 2),
    maxHeapMb: Number(process.env.FERRY_MAPPING_HEAP_MB ?? 256),
  })
  return pool
}

/** Stops this process's mapping children (on shutdown); a later use starts a new pool. */
export async function closeProcessMappingPool(): Promise<void> {
  const closing = pool
  pool = undefined
  await closing?.close()
}
