import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts'
import { silentLogger } from '../log/create-logger.ts'
import { openDatabase } from './open-database.ts'

describe('openDatabase', () => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await createTestDatabase('open-database')
  })
  afterAll(() => t.drop())

  it('uses DATABASE_URL when given instead of starting an embedded server', async () => {
    const opened = await openDatabase({
      dataDir: '/nonexistent/never-created',
      databaseUrl: t.connectionString,
      log: silentLogger,
    })
    expect(opened.embedded).toBe(false)
    expect(opened.connectionString).toBe(t.connectionString)
    const tables = await opened.db.introspection.getTables()
    expect(tables.map((x) => x.name)).toContain('records')
    await opened.close()
  })
})
