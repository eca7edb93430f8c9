import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { catalogFromConnectors } from '../../core/manifest/catalog.ts'
import { createApiApp } from '../../runtime/api/create-api-app.ts'
import type { CliIo } from '../../runtime/cli/cli-io.ts'
import { flowsCommand } from '../../runtime/cli/flows-command.ts'
import { guardCommand } from '../../runtime/cli/guard-command.ts'
import { recordsCommand } from '../../runtime/cli/records-command.ts'
import { replayCommand } from '../../runtime/cli/replay-command.ts'
import { runsCommand } from '../../runtime/cli/runs-command.ts'
import { silentLogger } from '../../runtime/log/create-logger.ts'
import { type Service, startService } from '../../runtime/main/start-service.ts'
import { createSecretBox } from '../../runtime/secrets/secret-box.ts'
import { ensureTenant, issueApiKey } from '../../runtime/store/tenants-store.ts'
import { flowText } from '../api/api-fixture.ts'
import { memorySystem } from '../in-memory-connector/memory-system.ts'
import { testRegistry } from '../support/engine-harness.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'

const API = 'http://ferry.test'

describe('the CLI against a running service (API, queue workers, in-memory systems)', () => {
  let t: TestDatabase
  let service: Service
  let key: string
  let fetchApi: typeof fetch
  const src = `cli-src-${Date.now()}`
  const dst = `cli-dst-${Date.now()}`
  const seed = (from: number, count: number) =>
    memorySystem(src).seed(
      'invoices',
      Array.from({ length: count }, (_, i) => ({ id: `INV-${from + i}`, amount: from + i })),
    )

  /** Runs a command the way main.ts does, collecting its stdout and stderr lines. */
  async function cli(command: (argv: string[], io: CliIo) => Promise<number>, ...argv: string[]) {
    const out: string[] = []
    const err: string[] = []
    const io: CliIo = {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      tty: false,
      env: { FERRY_API_URL: API, FERRY_API_KEY: key },
      dataDir: '/nonexistent',
      fetch: fetchApi,
      pollMs: 100,
    }
    const code = await guardCommand(command)(argv, io)
    const all = [...out, ...err].join('\n')
    expect(all).not.toContain(key)
    return { code, out: out.join('\n'), err: err.join('\n') }
  }

  beforeAll(async () => {
    t = await createTestDatabase('cli-commands')
    const box = createSecretBox(randomBytes(32))
    service = await startService({
      db: t.db,
      connectionString: t.connectionString,
      box,
      registry: testRegistry,
      log: silentLogger,
      workers: true,
    })
    const app = createApiApp({
      db: t.db,
      box,
      registry: testRegistry,
      catalog: catalogFromConnectors(testRegistry),
      flowControl: service.flowControl,
      log: silentLogger,
      contexts: service.engine.deps.contexts,
      boss: service.boss,
      recipesDir: '/nonexistent',
    })
    fetchApi = (async (input: string | URL | Request, init?: RequestInit) =>
      app.request(String(input), init)) as typeof fetch
    const tenant = await ensureTenant(t.db, 'cli')
    key = (await issueApiKey(t.db, { role: 'tenant', tenantId: tenant.id })).key
    const call = async (path: string, body: unknown) =>
      (
        await app.request(path, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).json() as Promise<{ id: string }>
    const connection = (name: string, systemId: string) =>
      call('/v1/connections', { name, connector: 'memory', config: { systemId, token: 'memory-secret' } })
    const bindings = { src: (await connection('src', src)).id, dst: (await connection('dst', dst)).id }
    await call('/v1/flows', { text: flowText('invoices'), bindings })
  })
  afterAll(async () => {
    await service?.stop()
    await t?.drop()
  })

  it('`flows run` starts a run through the API and follows it until every record is delivered', {
    timeout: 180_000,
  }, async () => {
    seed(1, 25)
    const run = await cli(flowsCommand, 'run', 'invoices')
    expect(run.err).toBe('')
    expect(run.code).toBe(0)
    expect(run.out).toContain('run of invoices queued')
    const runId = /following run ([0-9a-f-]{36})/.exec(run.out)?.[1]
    expect(runId).toBeDefined()
    expect(run.out).toContain(`run ${runId} invoices: 25 of 25 settled (25 delivered)`)
    expect(run.out).toMatch(/\[#{24}\] 100% 25\/25 {2}delivered 25 {2}[\d.]+ rec\/s {2}done/)
    expect(memorySystem(dst).table('documents').size).toBe(25)

    const runs = await cli(runsCommand)
    expect(runs.code).toBe(0)
    const [header, row] = runs.out.split('\n')
    expect(header).toMatch(/^RUN +FLOW +KIND +STATE +RECORDS +STARTED +DURATION$/)
    expect(row).toMatch(
      new RegExp(`^${runId} +invoices +api +succeeded +delivered 25 +\\d{4}-\\d\\d-\\d\\d `),
    )

    const one = await cli(runsCommand, runId!)
    expect(one.out).toContain('100% 25/25')
    expect(one.out).toContain('kind api · state succeeded · version 1')
  })

  it('records that fail show in the run’s exit code, the records table and the ledger; a replay by filter settles them', {
    timeout: 180_000,
  }, async () => {
    seed(100, 10)
    memorySystem(dst).faults.push({
      operation: 'write',
      kind: 'rejected',
      times: 3,
      message: 'period closed',
    })
    const run = await cli(flowsCommand, 'run', 'invoices')
    expect(run.code).toBe(1)
    expect(run.out).toMatch(/10 of 10 settled \(7 delivered, 3 failed\)/)
    expect(run.out).toContain('3 failed: see them with `ferry records --state failed`')

    const failed = await cli(recordsCommand, '--flow', 'invoices', '--state', 'failed')
    expect(failed.code).toBe(0)
    const rows = failed.out.split('\n').slice(1)
    expect(rows).toHaveLength(3)
    for (const row of rows) expect(row).toMatch(/ invoices +INV-10\d +failed +1 +.*period closed$/)
    const recordId = rows[0]!.split(' ')[0]!

    const detail = await cli(recordsCommand, recordId)
    expect(detail.code).toBe(0)
    expect(detail.out).toContain(`record   ${recordId}`)
    expect(detail.out).toMatch(/state +failed after 1 attempt/)
    expect(detail.out).toMatch(/error +rejected: period closed/)
    expect(detail.out).toMatch(/^AT +STEP +ATTEMPT +TOOK +SUMMARY$/m)
    expect(detail.out).toMatch(/ mapped +1 /)
    expect(detail.out).toMatch(/ failed +1 .*rejected: period closed/)

    const replay = await cli(replayCommand, '--flow', 'invoices', '--state', 'failed', '--latest', '--watch')
    expect(replay.err).toBe('')
    expect(replay.code).toBe(0)
    expect(replay.out).toContain("replay: 3 of 3 queued with the flow's current version")
    expect(replay.out).toContain('replay of 3: 3 of 3 settled (3 delivered)')
    expect((await cli(recordsCommand, '--state', 'failed')).out).toBe('(none)')
    expect(memorySystem(dst).table('documents').size).toBe(35)

    const again = await cli(replayCommand, recordId, '--no-watch')
    expect(again.out).toBe('replay: 1 of 1 queued with the version each was read with')
  })

  it('`flows backfill` follows the backfill run, which `runs` lists as a backfill', {
    timeout: 180_000,
  }, async () => {
    const backfill = await cli(
      flowsCommand,
      'backfill',
      'invoices',
      '--from',
      '2026-01-01',
      '--to',
      '2026-02-01',
    )
    expect(backfill.err).toBe('')
    expect(backfill.code).toBe(0)
    expect(backfill.out).toMatch(
      /backfill of invoices over \[2026-01-01T00:00:00.000Z, 2026-02-01T00:00:00.000Z\) queued \(scope backfill:/,
    )
    // Everything in the window was read before: the backfill stores nothing new, and says so.
    expect(backfill.out).toContain('0 of 0 settled (none)')
    expect((await cli(runsCommand, '--flow', 'invoices', '--limit', '1')).out).toMatch(
      / invoices +backfill +succeeded +no records /,
    )
  })

  it('unknown ids and bad values are one clear line on stderr with a non-zero exit', async () => {
    const missing = '00000000-0000-4000-8000-000000000000'
    const cases = [
      { argv: [recordsCommand, missing], code: 1, says: `API 404 Not Found: record ${missing} not found` },
      {
        argv: [runsCommand, missing, '--watch'],
        code: 1,
        says: `API 404 Not Found: run ${missing} not found`,
      },
      {
        argv: [replayCommand, missing, '--no-watch'],
        code: 1,
        says: `(/ids/0: record ${missing} not found)`,
      },
      {
        argv: [flowsCommand, 'run', 'invoicez'],
        code: 1,
        says: 'no flow "invoicez" for this key; the flows are: invoices',
      },
      { argv: [runsCommand, '--limt', '3'], code: 2, says: "ferry runs: Unknown option '--limt'" },
    ] as const
    for (const c of cases) {
      const [command, ...argv] = c.argv
      const result = await cli(command, ...argv)
      expect(result.code, argv.join(' ')).toBe(c.code)
      expect(result.out).toBe('')
      expect(result.err).toContain(c.says)
      expect(result.err.startsWith('ferry: ')).toBe(true)
    }
    const badKey = await guardCommand(runsCommand)([], {
      out: () => {},
      err: (l) => expect(l).toBe('ferry: API 401 Unauthorized: the API key is unknown or revoked'),
      tty: false,
      env: { FERRY_API_URL: API, FERRY_API_KEY: 'fy_nope' },
      dataDir: '/nonexistent',
      fetch: fetchApi,
    })
    expect(badKey).toBe(1)
  })
})
