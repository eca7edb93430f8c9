import { watchParent } from './watch-parent.ts'

/** Registers a step to run when the process stops; steps run last-registered first. */
export type DeferStop = (name: string, step: () => Promise<void>) => void

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

/**
 * The one way a long-running command (`ferry start`, `ferry worker`) stops. The handlers go in before
 * anything starts, so a signal during start-up waits for it and then stops what it started.
 *
 * - SIGINT, SIGTERM and SIGHUP all stop; so does the death of the process that started this one
 *   ({@link watchParent}), unless FERRY_DETACHED=1.
 * - Stopping is idempotent: later signals are ignored while it runs. Ctrl-C in a terminal, or SIGTERM
 *   to a supervisor's process group, reaches this process once from the kernel and again through
 *   every wrapper that relays it (npm, ferry.js); a second signal that killed the process would leave
 *   the embedded PostgreSQL running, which is what happened before.
 * - The steps (drain the workers, close the HTTP server, stop PostgreSQL) run in reverse order of
 *   registration, each even when an earlier one failed; if they take longer than `boundMs`, the
 *   process exits anyway with 1, and the embedded PostgreSQL's exit hook still stops the server.
 */
export async function runUntilStopped(options: {
  out: (line: string) => void
  start: (defer: DeferStop) => Promise<void>
  boundMs?: number
  env?: NodeJS.ProcessEnv
}): Promise<number> {
  const steps: { name: string; step: () => Promise<void> }[] = []
  let requested: (reason: string) => void = () => undefined
  const stopRequested = new Promise<string>((resolve) => {
    requested = resolve
  })
  let stopping = false
  const request = (reason: string) => {
    if (stopping) return
    stopping = true
    options.out(`stopping… (${reason})`)
    requested(reason)
  }
  const onSignal = (signal: NodeJS.Signals) => request(signal)
  // Installed for good: a signal arriving after the steps finished, while the process exits, must
  // not kill it with a signal status.
  for (const signal of SIGNALS) process.on(signal, onSignal)
  const unwatch = (options.env ?? process.env).FERRY_DETACHED === '1' ? () => undefined : watchParent(request)

  const runSteps = async (): Promise<boolean> => {
    let clean = true
    for (const { name, step } of steps.reverse()) {
      try {
        await step()
      } catch (error) {
        clean = false
        options.out(`stopping: ${name} failed: ${error instanceof Error ? error.message : String(error)}`)
      }
    }
    return clean
  }
  const bounded = async (): Promise<number> => {
    let timer: NodeJS.Timeout | undefined
    const bound = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), options.boundMs ?? 60_000)
    })
    const clean = await Promise.race([runSteps(), bound])
    clearTimeout(timer)
    unwatch()
    if (!clean) options.out('stopped, not cleanly')
    return clean ? 0 : 1
  }

  try {
    await options.start((name, step) => {
      steps.push({ name, step })
    })
  } catch (error) {
    stopping = true
    await bounded()
    throw error
  }
  await stopRequested
  return bounded()
}
