import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import fs from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { CliIo } from '../../runtime/cli/cli-io.ts'
import { recordsCommand } from '../../runtime/cli/records-command.ts'
import { temporaryDataDir } from '../../runtime/store/embedded-postgres.ts'
import { waitFor } from '../support/wait-for.ts'

const root = path.resolve(import.meta.dirname, '../..')

async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as net.AddressInfo
  await new Promise((r) => server.close(r))
  return port
}

/** Processes whose command line mentions `dir` (the embedded PostgreSQL runs with `-D <dir>/…`). */
function processesUsing(dir: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(dir)
      } catch {
        return false
      }
    })
    .map(Number)
}

// The done-when criterion: on a fresh data directory, `npm start` shows records flowing, prints
// how to reach them, and Ctrl-C stops everything, its PostgreSQL included.
describe('npm start (ferry start --demo) as a user runs it', () => {
  let child: ChildProcess | undefined
  let dataDir: string | undefined
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL')
    if (dataDir) for (const pid of processesUsing(dataDir)) process.kill(pid, 'SIGKILL')
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true })
  })

  it('prints the API URL and demo key, delivers records, and exits 0 on Ctrl-C leaving no PostgreSQL', {
    timeout: 240_000,
  }, async () => {
    dataDir = await temporaryDataDir('ferry-npm-start-')
    const port = await freePort()
    const { DATABASE_URL: _, FERRY_API_URL: __, FERRY_API_KEY: ___, ...env } = process.env
    child = spawn(process.execPath, ['--import', 'tsx', 'runtime/cli/main.ts', 'start', '--demo'], {
      cwd: root,
      env: { ...env, FERRY_DATA_DIR: dataDir, PORT: String(port), FERRY_LOG_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so the SIGINT below reaches every process in it, as Ctrl-C in a terminal does.
      detached: true,
    })
    let output = ''
    child.stdout!.on('data', (c) => (output += c))
    child.stderr!.on('data', (c) => (output += c))
    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)))

    const printed = await waitFor(
      'the API URL and the demo key',
      async () => {
        if (child!.exitCode !== null) throw new Error(`ferry start exited early:\n${output}`)
        const url = /Ferry is running: (http:\/\/\S+)/.exec(output)?.[1]
        const key = /Demo tenant "demo" — API key: (\S+)/.exec(output)?.[1]
        return url && key && output.includes('Ctrl-C stops everything') ? { url, key } : undefined
      },
      120_000,
    )
    expect(printed.url).toBe(`http://127.0.0.1:${port}`)
    // The database password stays in its 0600 file; only the one-time admin and demo keys are printed.
    const databaseUrl = path.join(dataDir, 'database-url')
    expect(statSync(databaseUrl).mode & 0o777).toBe(0o600)
    const password = decodeURIComponent(new URL(readFileSync(databaseUrl, 'utf8').trim()).password)
    expect(password.length).toBeGreaterThan(8)
    expect(output).not.toContain(password)
    expect(output).toMatch(/Admin API key \(shown once, store it now\): fry_adm_/)
    const saved = path.join(dataDir, 'cli.json')
    expect(statSync(saved).mode & 0o777).toBe(0o600)
    expect(JSON.parse(readFileSync(saved, 'utf8'))).toEqual({ apiUrl: printed.url, apiKey: printed.key })

    const delivered = await waitFor(
      'a delivered record',
      async () => {
        const res = await fetch(`${printed.url}/v1/records?state=delivered&limit=5`, {
          headers: { authorization: `Bearer ${printed.key}` },
        })
        const page = (await res.json()) as { items: { id: string }[] }
        return page.items.length > 0 ? page.items : undefined
      },
      120_000,
    )
    expect(delivered.length).toBeGreaterThan(0)

    // The billing system's pushed invoices are booked as BC sales invoices (recipe billing-bc).
    const headers = { authorization: `Bearer ${printed.key}` }
    const flows = (await (await fetch(`${printed.url}/v1/flows`, { headers })).json()) as {
      items: { id: string; name: string }[]
    }
    const billingFlow = flows.items.find((f) => f.name === 'billing-bc-billing-invoices-to-bc')
    expect(billingFlow, flows.items.map((f) => f.name).join(', ')).toBeDefined()
    await waitFor(
      'a pushed billing invoice posted in BC',
      async () => {
        const res = await fetch(`${printed.url}/v1/records?flow=${billingFlow!.id}&state=delivered&limit=1`, {
          headers,
        })
        return ((await res.json()) as { items: unknown[] }).items.length > 0
      },
      120_000,
    )

    // The CLI finds the running demo through cli.json alone, over real HTTP.
    const lines: string[] = []
    const io: CliIo = { out: (l) => lines.push(l), err: (l) => lines.push(l), tty: false, env: {}, dataDir }
    expect(await recordsCommand([delivered[0]!.id], io)).toBe(0)
    expect(lines.join('\n')).toContain(`record   ${delivered[0]!.id}`)
    expect(lines.join('\n')).toMatch(/^\S+ \S+ +delivered +1 /m)

    process.kill(-child.pid!, 'SIGINT')
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 60_000))])
    expect(code, output).toBe(0)
    expect(output).toContain('stopping…')
    expect(processesUsing(dataDir)).toEqual([])
    expect(existsSync(path.join(dataDir, 'postgres', 'cluster', 'postmaster.pid'))).toBe(false)
  })
})
