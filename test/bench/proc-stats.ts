import { readFileSync } from 'node:fs'

const TICK_MS = 10 // USER_HZ is 100 on Linux

/** User + system CPU milliseconds a process has used so far (from /proc/<pid>/stat). */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // The command name may hold spaces: fields are counted after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS
}

/** Current and peak resident set size of a process in MB (VmRSS, VmHWM). */
export function processRssMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0)
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 }
}

/** Busy CPU milliseconds of the whole machine so far, all cores and processes (from /proc/stat). */
export function machineBusyMs(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number)
  const idle = fields[3]! + fields[4]!
  return (fields.reduce((total, n) => total + n, 0) - idle) * TICK_MS
}

/** CPU ms of a process and all its descendants (a tsx child runs its script in a grandchild). */
export function processTreeCpuMs(pid: number): number {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim()
  const own = processCpuMs(pid)
  return children === '' ? own : children.split(' ').reduce((t, c) => t + processTreeCpuMs(Number(c)), own)
}
