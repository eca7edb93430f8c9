import { type ChildProcess, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'

const ROOT = new URL('../../', import.meta.url).pathname
const TSX = `${ROOT}node_modules/tsx/dist/cli.mjs`

/** A child process running a TypeScript entry through tsx, with its first stdout line parsed as JSON. */
export interface TsxChild<T> {
  child: ChildProcess
  ready: T
  stop(): Promise<void>
}

/** Spawns `node tsx <entry> ...args` from the repository root and waits for its first JSON line. */
export async function spawnTsx<T>(
  entry: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<TsxChild<T>> {
  const child = spawn(process.execPath, [TSX, entry, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const lines = createInterface({ input: child.stdout! })
  const ready = await new Promise<T>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${entry} exited with ${code} before it was ready`)))
    lines.once('line', (line) => resolve(JSON.parse(line) as T))
  })
  lines.on('line', () => undefined)
  return {
    child,
    ready,
    async stop() {
      if (child.exitCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    },
  }
}
