/**
 * One embedded PostgreSQL cluster per test run, with a template database that already holds
 * Ferry's migrations and pg-boss's schema. Each test file clones it (~50 ms) instead of migrating.
 */

import fs from 'node:fs/promises'
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { createBoss } from '../../runtime/queue/create-boss.ts'
import { createDb } from '../../runtime/store/database.ts'
import { startEmbeddedPostgres, temporaryDataDir } from '../../runtime/store/embedded-postgres.ts'
import { migrateToLatest } from '../../runtime/store/migrate.ts'

export const TEMPLATE_DATABASE = 'ferry_template'

declare module 'vitest' {
  export interface ProvidedContext {
    pgServer: string
  }
}

export default async function setup(project: TestProject) {
  const dataDir = await temporaryDataDir('ferry-test-')
  const server = await startEmbeddedPostgres({ dataDir, ephemeral: true })
  const admin = new pg.Client(server.connectionString())
  await admin.connect()
  await admin.query(`create database ${TEMPLATE_DATABASE}`)
  await admin.end()
  const templateUrl = server.connectionString(TEMPLATE_DATABASE)
  const db = createDb(templateUrl, { max: 2 })
  await migrateToLatest(db)
  await db.destroy()
  const boss = await createBoss({ connectionString: templateUrl, role: 'test-template', supervise: false })
  await boss.stop({ graceful: false, close: true })
  project.provide('pgServer', server.connectionString())
  return async () => {
    await server.stop()
    await fs.rm(dataDir, { recursive: true, force: true })
  }
}
