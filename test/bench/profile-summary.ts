import { readFileSync } from 'node:fs'

/** A V8 CPU profile as `node --cpu-prof` writes it (the fields this summary reads). */
interface CpuProfile {
  nodes: {
    id: number
    callFrame: { functionName: string; url: string; lineNumber: number }
    hitCount?: number
  }[]
  startTime: number
  endTime: number
  samples?: number[]
  timeDeltas?: number[]
}

/** One line of {@link profileSummary}: a function (or a file, by `byFile`) and its self time. */
export interface SelfTime {
  name: string
  ms: number
  share: number
}

function short(url: string): string {
  const at = url.lastIndexOf('node_modules/')
  if (at >= 0) return url.slice(at + 'node_modules/'.length)
  const root = url.indexOf('/test/') >= 0 ? url.indexOf('/test/') : url.indexOf('/runtime/')
  return root >= 0 ? url.slice(root + 1) : url.replace(/^file:\/\//, '')
}

/**
 * The top self-time entries of a `.cpuprofile`: time per sample from `timeDeltas`, attributed to the
 * sampled node's function (`byFile`: to its file or package, which shows which library the time is in).
 */
export function profileSummary(profile: CpuProfile, top = 20, byFile = false): SelfTime[] {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]))
  const totals = new Map<string, number>()
  const samples = profile.samples ?? []
  const deltas = profile.timeDeltas ?? []
  let all = 0
  for (let i = 0; i < samples.length; i++) {
    const node = nodes.get(samples[i]!)
    if (!node) continue
    const ms = (deltas[i + 1] ?? deltas[i] ?? 0) / 1000
    const { functionName, url, lineNumber } = node.callFrame
    const file = short(url)
    const inPackage = url.includes('node_modules/')
    const name =
      file === ''
        ? `(${functionName || 'native'})`
        : byFile
          ? inPackage
            ? file
                .split('/')
                .slice(0, file.startsWith('@') ? 2 : 1)
                .join('/')
            : file
          : `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`
    totals.set(name, (totals.get(name) ?? 0) + ms)
    all += ms
  }
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, ms]) => ({ name, ms, share: ms / Math.max(all, 1) }))
}

// `npx tsx test/bench/profile-summary.ts <file.cpuprofile> [top] [--by-file]`: prints the table.
if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, top] = process.argv.slice(2).filter((a) => !a.startsWith('--'))
  if (!file) {
    console.error('usage: profile-summary.ts <file.cpuprofile> [top] [--by-file]')
    process.exit(2)
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
  for (const row of profileSummary(profile, Number(top ?? 25), process.argv.includes('--by-file')))
    console.log(
      `${row.ms.toFixed(0).padStart(7)} ms ${(row.share * 100).toFixed(1).padStart(5)} %  ${row.name}`,
    )
}
