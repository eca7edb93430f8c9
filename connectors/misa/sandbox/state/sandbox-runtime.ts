/** What the sandbox's route files share: the state, outbound HTTP for callbacks, and the queue timer. */
import { processQueue } from '../rules/process-queue.ts'
import type { Job, SandboxState } from './sandbox-state.ts'

/** The running sandbox's moving parts. */
export interface SandboxRuntime {
  state: SandboxState
  /** Queues an asynchronous request and, in auto mode, arms the processing timer. */
  enqueue(job: Omit<Job, 'sessionId'>): void
  /** Processes everything queued now (the control API and the timer both use it; never concurrently). */
  process(): Promise<number>
  close(): void
}

/** Creates the runtime around a state. */
export function createRuntime(state: SandboxState, send: typeof fetch): SandboxRuntime {
  const timers = new Set<ReturnType<typeof setTimeout>>()
  let running: Promise<number> = Promise.resolve(0)
  const process = () => {
    running = running.then(
      () => processQueue(state, send),
      () => processQueue(state, send),
    )
    return running
  }
  return {
    state,
    enqueue(job) {
      state.queue.push({ ...job, sessionId: crypto.randomUUID() })
      if (!state.settings.autoProcess) return
      const timer = setTimeout(() => {
        timers.delete(timer)
        void process()
      }, state.settings.processDelayMs)
      timers.add(timer)
    },
    process,
    close() {
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
    },
  }
}
