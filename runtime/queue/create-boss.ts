import { PgBoss } from 'pg-boss'
import type { Logger } from '../../core/connector/connector.ts'

/** Options for {@link createBoss}. */
export interface BossOptions {
  connectionString: string
  /** Name shown in pg_stat_activity. */
  role: string
  /** Pool size for this process (LISTEN takes one more). */
  max?: number
  /** Whether this process runs cron schedules and maintenance. Workers may leave it on: passes are claimed once. */
  supervise?: boolean
  log?: Logger
}

/**
 * Starts pg-boss on Ferry's database with its own pool (LISTEN/NOTIFY and transactional enqueue
 * need it; see engine-tech §3). The one place pg-boss is constructed.
 */
export async function createBoss(options: BossOptions): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: options.connectionString,
    application_name: `ferry-${options.role}`,
    max: options.max ?? 8,
    useListenNotify: true,
    supervise: options.supervise ?? true,
    // The supervisor's queue monitor is what finds jobs whose worker died (heartbeat lapsed, 10 s on
    // the delivery queues) and hands them back; pg-boss runs both every 60 s by default, which let a
    // crashed worker's ordered deliveries hold their keys for over a minute (seen in the crash-safety
    // test). Every 10 s: one claimed pass for the whole deployment.
    superviseIntervalSeconds: 10,
    monitorIntervalSeconds: 10,
    schedule: options.supervise ?? true,
  })
  boss.on('error', (error: unknown) => options.log?.error('pg-boss error', { error: String(error) }))
  boss.on('warning', (warning: unknown) =>
    options.log?.warn('pg-boss warning', { warning: JSON.stringify(warning) }),
  )
  await boss.start()
  return boss
}
