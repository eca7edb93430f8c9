import { createHash, randomBytes } from 'node:crypto'
import pg from 'pg'
import { inject } from 'vitest'
import { createDb, type Db } from '../../runtime/store/database.ts'

/** A database cloned from the migrated template for one test file. */
export interface TestDatabase {
  db: Db
  connectionString: string
  name: string
  drop(): Promise<void>
}

function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl)
  url.pathname = `/${database}`
  return url.toString()
}

/** Clones the template (migrations + pg-boss schema already applied) into a fresh database. */
export async function createTestDatabase(label = 'test'): Promise<TestDatabase> {
  const server = inject('pgServer')
  const name = `t_${createHash('sha1').update(label).digest('hex').slice(0, 8)}_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client(server)
  await admin.connect()
  await admin.query(`create database ${name} template ferry_template`)
  await admin.end()
  const connectionString = withDatabase(server, name)
  const db = createDb(connectionString, { max: 5 })
  return {
    db,
    connectionString,
    name,
    async drop() {
      await db.destroy()
      const c = new pg.Client(server)
      await c.connect()
      await c.query(`drop database if exists ${name} with (force)`)
      await c.end()
    },
  }
}
