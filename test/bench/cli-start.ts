import { statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildCli } from '../../scripts/build-cli.ts'
import { median } from './median.ts'
import type { BenchOptions, BenchResult } from './scenario.ts'
import { wholeProcessTimes } from './whole-process-times.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
/** The installed `ferry` binary (package.json "bin"). */
export const launcher = path.join(root, 'runtime', 'cli', 'ferry.js')

const runs = (quick: boolean) => (quick ? 5 : 15)

/**
 * Times `ferry <args>` through the launcher against plain `node -e 0` (the floor: Node's own start),
 * both as whole processes, interleaved. The CLI build is made first (what `npm install` does), so
 * the figure is the build's, never tsx's fallback for sources edited since the last build.
 */
export async function timeCliStart(
  args: readonly string[],
  expect: RegExp,
  targetMs: number,
  { quick }: BenchOptions,
): Promise<BenchResult> {
  const info = await buildCli()
  const stale = info.inputs.filter((file) => statSync(path.join(root, file)).mtimeMs > info.builtAt)
  if (stale.length > 0) throw new Error(`sources changed during the build: ${stale.join(', ')}`)
  const env = { ...process.env, NODE_OPTIONS: '' }
  const times = wholeProcessTimes(
    [
      { label: 'ferry', argv: [process.execPath, launcher, ...args], expect },
      { label: 'node', argv: [process.execPath, '-e', '0'] },
    ],
    runs(quick),
    { cwd: root, env },
  )
  const ferry = times.get('ferry')!
  const node = times.get('node')!
  const figure = median(ferry.wall)
  const baseline = median(node.wall)
  const cpu =
    ferry.cpu.length > 0
      ? `; CPU (user + system) median ${median(ferry.cpu).toFixed(0)} ms, node -e 0 ${median(node.cpu).toFixed(0)} ms`
      : ''
  return {
    figure,
    unit: 'ms',
    baseline,
    baselineLabel: 'node -e 0',
    ratio: figure / baseline,
    targetMet: figure <= targetMs,
    notes: `ferry ${args.join(' ')}: median ${figure.toFixed(0)} ms (min ${Math.min(...ferry.wall).toFixed(0)}, max ${Math.max(...ferry.wall).toFixed(0)}) over ${ferry.wall.length} processes; node -e 0 median ${baseline.toFixed(0)} ms (min ${Math.min(...node.wall).toFixed(0)}); Ferry's own share ${(figure - baseline).toFixed(0)} ms${cpu}`,
    samples: ferry.wall.map((ms) => Math.round(ms)),
  }
}
