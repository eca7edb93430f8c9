import fs from 'node:fs/promises'
import { sql } from 'kysely'
import pg from 'pg'
import { createBoss } from '../../runtime/queue/create-boss.ts'
import { createQueues } from '../../runtime/queue/queues.ts'
import { createDb, type Db } from '../../runtime/store/database.ts'
import { startEmbeddedPostgres, temporaryDataDir } from '../../runtime/store/embedded-postgres.ts'
import { migrateToLatest } from '../../runtime/store/migrate.ts'

/** A fresh, migrated PostgreSQL for one scenario (pg-boss schema and Ferry's queues installed). */
export interface BenchDatabase {
  db: Db
  connectionString: string
  /** Size of the database in bytes (pg_database_size). */
  size(): Promise<number>
  stop(): Promise<void>
}

/**
 * Starts an embedded cluster with fsync on (`ephemeral: false`), as a production install runs, in a
 * temporary directory removed on stop. Each scenario gets its own, so no scenario measures another's bloat.
 */
export async function startBenchDatabase(options: { fsync?: boolean } = {}): Promise<BenchDatabase> {
  const dataDir = await temporaryDataDir('ferry-bench-')
  const server = await startEmbeddedPostgres({ dataDir, ephemeral: options.fsync === false })
  const admin = new pg.Client(server.connectionString())
  await admin.connect()
  await admin.query('create database ferry')
  await admin.end()
  const connectionString = server.connectionString('ferry')
  const db = createDb(connectionString, { max: 10 })
  await migrateToLatest(db)
  const boss = await createBoss({ connectionString, role: 'bench-setup', supervise: false })
  await createQueues(boss)
  await boss.stop({ graceful: false, close: true })
  return {
    db,
    connectionString,
    async size() {
      const { rows } = await sql<{
        size: string
      }>`select pg_database_size(current_database())::text as size`.execute(db)
      return Number(rows[0]!.size)
    },
    async stop() {
      await db.destroy()
      await server.stop()
      await fs.rm(dataDir, { recursive: true, force: true })
    },
  }
}
