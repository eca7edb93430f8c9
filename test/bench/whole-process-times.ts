import { spawnSync } from 'node:child_process'

/** A command timed as a whole process: start to exit, as a shell (or an editor on save) sees it. */
export interface TimedCommand {
  label: string
  argv: readonly string[]
  /** What its stdout must contain, so a failing run is never timed as a fast one. */
  expect?: RegExp
}

/**
 * Runs each command `runs` times as a fresh process (nothing shared between runs but the OS's file
 * cache), interleaved and rotating which goes first, so load from other processes on a shared
 * machine hits every command alike. Returns the wall-clock milliseconds of every run, by label.
 */
export function wholeProcessTimes(
  commands: readonly TimedCommand[],
  runs: number,
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Map<string, number[]> {
  const times = new Map(commands.map((c) => [c.label, [] as number[]]))
  for (let run = 0; run < runs; run++) {
    for (let i = 0; i < commands.length; i++) {
      const command = commands[(run + i) % commands.length]!
      const started = process.hrtime.bigint()
      const result = spawnSync(command.argv[0]!, command.argv.slice(1), {
        cwd: options.cwd,
        env: options.env ?? process.env,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      if (result.status !== 0 || (command.expect && !command.expect.test(result.stdout)))
        throw new Error(
          `${command.label} (${command.argv.join(' ')}) exited ${result.status}: ${result.stdout}${result.stderr}`.slice(
            0,
            2000,
          ),
        )
      times.get(command.label)!.push(ms)
    }
  }
  return times
}
