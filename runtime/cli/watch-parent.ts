import { readFileSync } from 'node:fs'

interface ProcessStat {
  /** R, S, D, …; Z once it has exited and waits for its own parent to reap it. */
  state: string
  ppid: number
  pgrp: number
  /** Clock ticks since boot at which the process started: tells a process from a later one given its pid. */
  started: string
}

/** /proc/<pid>/stat, or undefined when the process is gone (or this is not Linux). */
function stat(pid: number | 'self'): ProcessStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name (field 2) may contain spaces and parentheses: fields resume after its last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
    return { state: fields[0]!, ppid: Number(fields[1]), pgrp: Number(fields[2]), started: fields[19]! }
  } catch {
    return undefined
  }
}

/**
 * Calls `onGone` once when the process that started this one exits: the direct parent, and every
 * ancestor in this process's group — the launch chain a supervisor or a terminal started as one job
 * (`npm` → `sh` → `ferry.js` → this process). A SIGKILLed `npm start` sends its children no signal;
 * without this, Ferry and its embedded PostgreSQL would run on as orphans. Polls every `everyMs`;
 * the timer does not keep the process alive. Returns the function that stops watching.
 */
export function watchParent(onGone: (reason: string) => void, everyMs = 500): () => void {
  const parent = process.ppid
  const self = stat('self')
  const chain: { pid: number; started: string }[] = []
  if (self) {
    for (let pid = parent; pid > 1; ) {
      const s = stat(pid)
      if (!s) break
      if (pid !== parent && s.pgrp !== self.pgrp) break
      chain.push({ pid, started: s.started })
      if (s.pgrp !== self.pgrp) break
      pid = s.ppid
    }
  }
  const timer = setInterval(() => {
    const gone =
      process.ppid !== parent
        ? parent
        : chain.find((ancestor) => {
            const now = stat(ancestor.pid)
            return now?.started !== ancestor.started || now.state === 'Z' || now.state === 'X'
          })?.pid
    if (gone === undefined) return
    clearInterval(timer)
    onGone(`the process that started it (pid ${gone}) exited`)
  }, everyMs)
  timer.unref()
  return () => clearInterval(timer)
}
