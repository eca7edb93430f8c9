import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createApiClient } from '../../runtime/cli/api-client.ts'
import { readCliConfig, writeCliConfig } from '../../runtime/cli/cli-config.ts'
import type { CliIo } from '../../runtime/cli/cli-io.ts'
import { flowsCommand } from '../../runtime/cli/flows-command.ts'
import { guardCommand } from '../../runtime/cli/guard-command.ts'
import { parseSince } from '../../runtime/cli/parse-since.ts'
import { problemLine } from '../../runtime/cli/problem-line.ts'
import { recordsCommand } from '../../runtime/cli/records-command.ts'
import { replayCommand } from '../../runtime/cli/replay-command.ts'
import { resolveApiTarget } from '../../runtime/cli/resolve-api-target.ts'
import { runsCommand } from '../../runtime/cli/runs-command.ts'

const KEY = 'fy_tenant_secret_key_value'
/** A loopback port nothing listens on (fetch refuses some well-known ports outright, so not 9). */
async function closedPort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as net.AddressInfo
  await new Promise((r) => server.close(r))
  return port
}

const made: string[] = []
const tmp = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ferry-cli-'))
  made.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true })
})

/** An io whose API calls fail the test: these cases must be refused before any request. */
function offlineIo(env: NodeJS.ProcessEnv = { FERRY_API_URL: 'http://127.0.0.1:9', FERRY_API_KEY: KEY }) {
  const lines: string[] = []
  const io: CliIo = {
    out: (l) => lines.push(l),
    err: (l) => lines.push(l),
    tty: false,
    env,
    dataDir: tmp(),
    fetch: async () => expect.fail('no request expected'),
  }
  return { io, lines }
}

describe('argument errors: one clear line and exit 2, before any request', () => {
  it.each([
    { name: 'an unknown flag', command: runsCommand, argv: ['--limt', '5'], says: "Unknown option '--limt'" },
    {
      name: 'a string flag without value',
      command: recordsCommand,
      argv: ['--state'],
      says: "'--state <value>'",
    },
    {
      name: 'a non-numeric limit',
      command: runsCommand,
      argv: ['--limit', 'ten'],
      says: '--limit must be a positive integer (got "ten")',
    },
    {
      name: 'an unknown record state',
      command: recordsCommand,
      argv: ['--state', 'done'],
      says: '--state must be one of queued',
    },
    {
      name: 'a bad --since',
      command: recordsCommand,
      argv: ['--since', 'yesterday'],
      says: '--since "yesterday" is neither',
    },
    {
      name: '--watch without a run',
      command: runsCommand,
      argv: ['--watch'],
      says: '--watch needs a run id',
    },
    {
      name: 'replay with nothing named',
      command: replayCommand,
      argv: [],
      says: 'name records by id, or filter',
    },
    {
      name: 'replay with ids and a filter',
      command: replayCommand,
      argv: ['x', '--flow', 'f'],
      says: 'record ids or a filter, not both',
    },
    {
      name: 'backfill without --to',
      command: flowsCommand,
      argv: ['backfill', 'f', '--from', '2026-01-01'],
      says: '--to is required',
    },
    {
      name: 'backfill with a bad date',
      command: flowsCommand,
      argv: ['backfill', 'f', '--from', 'May', '--to', '2026-01-01'],
      says: '--from must be an ISO date',
    },
    {
      name: 'an unknown flows action',
      command: flowsCommand,
      argv: ['rm', 'f'],
      says: 'unknown action "rm"',
    },
  ])('$name', async ({ command, argv, says }) => {
    const { io, lines } = offlineIo()
    expect(await guardCommand(command)(argv, io)).toBe(2)
    expect(lines[0]).toMatch(/^ferry: /)
    expect(lines.join('\n')).toContain(says)
  })

  it('no API configured anywhere: says which flags, variables and file would do', async () => {
    const { io, lines } = offlineIo({})
    expect(await guardCommand(runsCommand)([], io)).toBe(2)
    expect(lines[0]).toContain('--api <url> and --key <key>')
    expect(lines[0]).toContain('FERRY_API_URL')
    expect(lines[0]).toContain(path.join(io.dataDir, 'cli.json'))
  })
})

describe('where the CLI finds the API', () => {
  it('flags beat the environment, which beats the cli.json `ferry start --demo` wrote (mode 0600)', async () => {
    const dir = tmp()
    const file = await writeCliConfig(dir, { apiUrl: 'http://saved:1/', apiKey: 'saved-key' })
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(readCliConfig(dir)).toEqual({ apiUrl: 'http://saved:1/', apiKey: 'saved-key' })
    expect(resolveApiTarget({}, {}, dir)).toEqual({ apiUrl: 'http://saved:1', apiKey: 'saved-key' })
    expect(resolveApiTarget({}, { FERRY_API_URL: 'http://env:2', FERRY_API_KEY: 'env-key' }, dir)).toEqual({
      apiUrl: 'http://env:2',
      apiKey: 'env-key',
    })
    expect(
      resolveApiTarget({ api: 'http://flag:3', key: 'flag-key' }, { FERRY_API_URL: 'http://env:2' }, dir),
    ).toEqual({
      apiUrl: 'http://flag:3',
      apiKey: 'flag-key',
    })
  })

  it('an unreadable cli.json counts as none; a URL that is not one is refused', () => {
    const dir = tmp()
    writeFileSync(path.join(dir, 'cli.json'), '{ not json')
    expect(readCliConfig(dir)).toBeUndefined()
    expect(() => resolveApiTarget({ api: 'localhost 4680', key: 'k' }, {}, dir)).toThrow('is not a URL')
  })

  it('an unreachable API names the URL and how to point elsewhere, never the key', async () => {
    const port = await closedPort()
    const client = createApiClient({ apiUrl: `http://127.0.0.1:${port}`, apiKey: KEY })
    const error = await client.listFlows().catch((e: Error) => e)
    expect((error as Error).message).toMatch(
      new RegExp(`^cannot reach the Ferry API at http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`),
    )
    expect((error as Error).message).toContain('FERRY_API_URL')
    expect((error as Error).message).not.toContain(KEY)
  })
})

describe('problemLine: an API error as one line', () => {
  it.each([
    {
      name: 'problem+json with pointers',
      status: 404,
      body: {
        title: 'Not Found',
        detail: '1 record(s) not found; nothing was replayed',
        errors: [{ pointer: '/ids/0', detail: 'record r9 not found' }],
      },
      expected:
        'API 404 Not Found: 1 record(s) not found; nothing was replayed (/ids/0: record r9 not found)',
    },
    {
      name: 'a query parameter at fault',
      status: 400,
      body: {
        title: 'Bad Request',
        detail: 'invalid query',
        errors: [{ parameter: 'limit', detail: 'must be <= 500' }],
      },
      expected: 'API 400 Bad Request: invalid query (?limit: must be <= 500)',
    },
    {
      name: 'a non-JSON body (a proxy), with the key it echoed redacted',
      status: 502,
      body: undefined,
      text: `<html>bad gateway for Bearer ${KEY}</html>`,
      expected: 'API 502: <html>bad gateway for Bearer [redacted]</html>',
    },
  ])('$name', ({ status, body, text, expected }) => {
    expect(problemLine(status, body, text ?? JSON.stringify(body), KEY)).toBe(expected)
  })
})

describe('parseSince', () => {
  const now = new Date('2026-05-01T12:00:00Z')
  it.each([
    ['90s', '2026-05-01T11:58:30.000Z'],
    ['30m', '2026-05-01T11:30:00.000Z'],
    ['2h', '2026-05-01T10:00:00.000Z'],
    ['7d', '2026-04-24T12:00:00.000Z'],
    ['2026-04-30T08:00:00+02:00', '2026-04-30T06:00:00.000Z'],
    ['2026-04-30', '2026-04-30T00:00:00.000Z'],
  ])('%s → %s', (text, iso) => {
    expect(parseSince(text, now)).toBe(iso)
  })
})
