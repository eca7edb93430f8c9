import { MappingPool } from './mapping-pool.ts'

let pool: MappingPool | undefined

/**
 * This process's mapping pool, created on first use: the API server, the workers and one-shot commands
 * share it. Its idle children never keep the process alive; `closeProcessMappingPool` stops them.
 */
export function processMappingPool(): MappingPool {
  pool ??= new MappingPool({
    size: setting('FERRY_MAPPING_PROCESSES', 2),
    maxHeapMb: setting('FERRY_MAPPING_HEAP_MB', 256),
  })
  return pool
}

/** A positive whole number from the environment; anything else is refused at once, not a pool that never maps. */
function setting(name: string, fallback: number): number {
  const text = process.env[name]
  if (text === undefined || text === '') return fallback
  const value = Number(text)
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive whole number, not "${text}"`)
  return value
}

/** Stops this process's mapping children (on shutdown); a later use starts a new pool. */
export async function closeProcessMappingPool(): Promise<void> {
  const closing = pool
  pool = undefined
  await closing?.close()
}
