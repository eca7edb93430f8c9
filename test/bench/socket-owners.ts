import { readdirSync, readFileSync, readlinkSync } from 'node:fs'

function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>()
  let fds: string[]
  try {
    fds = readdirSync(`/proc/${pid}/fd`)
  } catch {
    return inodes
  }
  for (const fd of fds) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))
      if (match) inodes.add(match[1]!)
    } catch {
      // The descriptor closed while we looked.
    }
  }
  return inodes
}

/** The process and its descendants (tsx runs the script in a child of the pid we spawned). */
function family(pid: number): number[] {
  let children: number[] = []
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number)
  } catch {
    // Gone, or no children file: the process alone.
  }
  return [pid, ...children.flatMap(family)]
}

/**
 * Which of `pids` (with its descendants) owns each local TCP port right now (Linux /proc): how a server on this machine
 * learns which process a connection came from. Sample it while the processes work; connections
 * close, so an owner is only known while its socket lives.
 */
export function socketOwners(pids: readonly number[], into = new Map<number, number>()): Map<number, number> {
  const owner = new Map<string, number>()
  for (const pid of pids) {
    for (const member of family(pid)) for (const inode of socketInodes(member)) owner.set(inode, pid)
  }
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string
    try {
      text = readFileSync(table, 'utf8')
    } catch {
      continue
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/)
      const pid = owner.get(fields[9] ?? '')
      if (pid === undefined) continue
      into.set(Number.parseInt(fields[1]!.split(':')[1]!, 16), pid)
    }
  }
  return into
}
