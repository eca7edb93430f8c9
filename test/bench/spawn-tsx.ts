import { type ChildProcess, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'

const ROOT = new URL('../../', import.meta.url).pathname

/** A child process running a TypeScript entry through tsx, with its first stdout line parsed as JSON. */
export interface TsxChild<T> {
  child: ChildProcess
  ready: T
  stop(): Promise<void>
}

/** Spawns `node --import tsx <entry> ...args` from the repository root and waits for its first JSON line. */
export async function spawnTsx<T>(
  entry: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<TsxChild<T>> {
  // BENCH_PROFILE_DIR=/tmp/prof writes a V8 CPU profile per child (NODE_OPTIONS refuses --cpu-prof).
  const profile = process.env.BENCH_PROFILE_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
    : []
  // `--import tsx` runs the entry in this one process (the tsx CLI would add a relay process).
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', entry, ...args], {
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
