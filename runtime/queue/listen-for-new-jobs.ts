import type { PgBoss } from 'pg-boss'
import type { Logger } from '../../core/connector/connector.ts'

/** A LISTEN on pg-boss's job channel; {@link listenForNewJobs}. */
export interface NewJobListener {
  /** Calls `wake` whenever a job lands on `queue` (and after the listener reconnects: it may have missed some). */
  on(queue: string, wake: () => void): void
  close(): Promise<void>
}

/**
 * pg-boss's NOTIFY channel for schema `pgboss` (plans.notifyChannelSql, not exported): an insert into a
 * queue created with `notify: true` sends the queue's name on it when its transaction commits. The
 * slot-worker test proves a sent job reaches this listener, so a change in pg-boss shows there.
 */
const CHANNEL_SQL = `select ('pgboss_' || left(encode(sha224('pgboss'::bytea), 'hex'), 24)) as channel`

/**
 * Listens for new jobs on its own connection, for workers pg-boss does not run itself (the slot
 * workers); pg-boss's listener only wakes its own `work()` loops. Without LISTEN support (a pooler in
 * transaction mode) it listens to nothing, and the workers' polls still find every job.
 */
export async function listenForNewJobs(boss: PgBoss, log: Logger): Promise<NewJobListener> {
  const wakers = new Map<string, (() => void)[]>()
  const wakeAll = () => {
    for (const list of wakers.values()) for (const wake of list) wake()
  }
  const db = boss.getDb()
  let handle: { close(): Promise<void> } | undefined
  if (db.listen) {
    try {
      const { rows } = await db.executeSql(CHANNEL_SQL)
      handle = await db.listen(
        (rows[0] as { channel: string }).channel,
        (queue) => {
          for (const wake of wakers.get(queue) ?? []) wake()
        },
        wakeAll,
      )
    } catch (error) {
      log.warn('no LISTEN for new jobs; workers poll only', { error: String(error) })
    }
  }
  return {
    on(queue, wake) {
      wakers.set(queue, [...(wakers.get(queue) ?? []), wake])
    },
    async close() {
      await handle?.close()
    },
  }
}
