import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process'
import path from 'node:path'

const ROOT = path.resolve(import.meta.dirname, '../..')

/** A `ferry worker` child process, exactly as an operator starts one; `env` adds e.g. FERRY_LIMITS. */
export function spawnFerryWorker(options: {
  databaseUrl: string
  dataDir: string
  masterKey: Buffer
  env?: Record<string, string>
  stdio?: StdioOptions
}): ChildProcess {
  // `node --import tsx` runs the worker in this one process. The tsx CLI would start it as a grandchild,
  // which SIGKILL of the child leaves running: a "crashed" worker went on delivering, and every test
  // run left orphaned workers polling (22 found eating half a core).
  return spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'runtime/cli/main.ts'), 'worker'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      FERRY_MASTER_KEY: options.masterKey.toString('hex'),
      FERRY_DATA_DIR: options.dataDir,
      FERRY_LOG_LEVEL: 'error',
      ...options.env,
    },
    stdio: options.stdio ?? 'ignore',
  })
}
