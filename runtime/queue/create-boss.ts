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
  // pg-boss hands these to pg.Pool, which closes a connection idle for 10 s by default. A worker's
  // lanes fetch now and then all at once (a NOTIFY wakes every lane of a queue), so an idle fleet
  // opened and closed connections all the time — each open a TCP connect, a SCRAM exchange and a new
  // server backend. Connections now stay for five quiet minutes.
  const pool = { idleTimeoutMillis: 300_000 }
  const boss = new PgBoss({
    connectionString: options.connectionString,
    application_name: `ferry-${options.role}`,
    max: options.max ?? 8,
    ...pool,
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
