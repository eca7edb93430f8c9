import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

/** A command timed as a whole process: start to exit, as a shell (or an editor on save) sees it. */
export interface TimedCommand {
  label: string
  argv: readonly string[]
  /** What its stdout must contain, so a failing run is never timed as a fast one. */
  expect?: RegExp
}

/** Wall-clock and CPU (user + system, all threads) milliseconds of every run of one command. */
export interface ProcessTimes {
  wall: number[]
  /** Empty where /usr/bin/time is missing (CPU is read from it). */
  cpu: number[]
}

// GNU time reports the child's CPU from wait4(); it adds ~1 ms of its own to the wall time.
const TIME = '/usr/bin/time'

/**
 * Runs each command `runs` times as a fresh process (nothing shared between runs but the OS's file
 * cache), interleaved and rotating which goes first, so load from other processes on a shared
 * machine hits every command alike. CPU time is what decides on a loaded machine, where wall time
 * mostly measures the wait for a core.
 */
export function wholeProcessTimes(
  commands: readonly TimedCommand[],
  runs: number,
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Map<string, ProcessTimes> {
  const withTime = existsSync(TIME)
  const times = new Map(commands.map((c) => [c.label, { wall: [], cpu: [] } as ProcessTimes]))
  for (let run = 0; run < runs; run++) {
    for (let i = 0; i < commands.length; i++) {
      const command = commands[(run + i) % commands.length]!
      const argv = withTime ? [TIME, '-f', 'ferry-bench-cpu %U %S', ...command.argv] : command.argv
      const started = process.hrtime.bigint()
      const result = spawnSync(argv[0]!, argv.slice(1), {
        cwd: options.cwd,
        env: options.env ?? process.env,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      const wall = Number(process.hrtime.bigint() - started) / 1e6
      if (result.status !== 0 || (command.expect && !command.expect.test(result.stdout)))
        throw new Error(
          `${command.label} (${command.argv.join(' ')}) exited ${result.status}: ${result.stdout}${result.stderr}`.slice(
            0,
            2000,
          ),
        )
      const t = times.get(command.label)!
      t.wall.push(wall)
      const cpu = /ferry-bench-cpu ([\d.]+) ([\d.]+)/.exec(result.stderr)
      if (cpu) t.cpu.push((Number(cpu[1]) + Number(cpu[2])) * 1000)
    }
  }
  return times
}
