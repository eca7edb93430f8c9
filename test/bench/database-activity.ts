import { readFileSync } from 'node:fs'
import { sql } from 'kysely'
import type { Db } from '../../runtime/store/database.ts'
import { processCpuMs, processTreeCpuMs } from './proc-stats.ts'

const TICK_MS = 10 // USER_HZ is 100 on Linux

/** What PostgreSQL did so far: commits, rows written, WAL bytes and its processes' CPU. */
export interface DatabaseActivity {
  commits: number
  inserted: number
  updated: number
  deleted: number
  walBytes: number
  /** CPU ms of the postmaster, its live backends and the backends it has reaped. */
  cpuMs: number
}

/** The pid of the backend serving `db` (one of them, unless its pool holds a single connection). */
export async function backendPid(db: Db): Promise<number> {
  const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db)
  return rows[0]!.pid
}

/** The postmaster's pid: the parent of this connection's backend. */
async function postmasterPid(db: Db): Promise<number> {
  const stat = readFileSync(`/proc/${await backendPid(db)}/stat`, 'utf8')
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
}

/** CPU of exited children a process has waited for (cutime + cstime): PostgreSQL's ended backends. */
function reapedChildrenCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[13]) + Number(fields[14])) * TICK_MS
}

/**
 * A snapshot of the database's activity, for per-record figures from the difference of two. The
 * counters (pg_stat_database) are flushed by each backend within a second or so of its transactions:
 * take the second snapshot after the work has settled, and read them over thousands of records.
 * `excludeBackends`: backends whose CPU is not the measured work's (the benchmark's own counting),
 * alive through both snapshots.
 */
export async function databaseActivity(db: Db, excludeBackends: number[] = []): Promise<DatabaseActivity> {
  const pid = await postmasterPid(db)
  const { rows } = await sql<{
    commits: string
    inserted: string
    updated: string
    deleted: string
    wal: string
  }>`select xact_commit::text as commits, tup_inserted::text as inserted, tup_updated::text as updated,
      tup_deleted::text as deleted, pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::text as wal
    from pg_stat_database where datname = current_database()`.execute(db)
  const r = rows[0]!
  return {
    commits: Number(r.commits),
    inserted: Number(r.inserted),
    updated: Number(r.updated),
    deleted: Number(r.deleted),
    walBytes: Number(r.wal),
    cpuMs:
      processTreeCpuMs(pid) +
      reapedChildrenCpuMs(pid) -
      excludeBackends.reduce((total, backend) => total + processCpuMs(backend), 0),
  }
}

/** `after − before`, per `units`, as a short text (commits, rows inserted/updated/deleted, WAL KB, CPU ms). */
export function describeActivityPer(
  before: DatabaseActivity,
  after: DatabaseActivity,
  units: number,
): string {
  const per = (a: number, b: number, digits = 2) => ((b - a) / Math.max(1, units)).toFixed(digits)
  return (
    `PostgreSQL per record: ${per(before.cpuMs, after.cpuMs)} CPU ms, ${per(before.commits, after.commits, 3)} commits, ` +
    `${per(before.inserted, after.inserted, 1)} rows inserted, ${per(before.updated, after.updated, 1)} updated, ` +
    `${per(before.deleted, after.deleted, 1)} deleted, ${per(before.walBytes / 1024, after.walBytes / 1024, 1)} KB WAL`
  )
}
