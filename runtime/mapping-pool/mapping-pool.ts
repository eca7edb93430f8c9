/**
 * Tenant JSONata evaluated off this process's event loop: a small pool of child processes, each with a
 * V8 heap limit, one evaluation at a time. An evaluation that runs past its wall-clock limit (a built-in
 * stuck in one call — a huge `$pad`, a backtracking regex — which JSONata's step timer cannot interrupt)
 * has its child killed and replaced. Killing a process gives all its memory back; the caller's process
 * never held any of it.
 *
 * Limits fail the evaluation with a MappingError naming the limit:
 * - `wall_time_limit`: ran past the wall-clock limit. Transient: on a loaded machine a good mapping can
 *   run out of wall time, so a caller retries it rather than failing the record for good.
 * - `memory_limit`: the child ran out of its heap. Permanent.
 * - `output_limit`: the result is larger than the output limit. Permanent.
 */
import { type ChildProcess, fork } from 'node:child_process'
import type { MappingEnv } from '../../core/mapping/compile-mapping.ts'
import { MappingError, type positionAt } from '../../core/mapping/mapping-error.ts'
import type { EvaluateRequest, EvaluateResult, FromChild, ToChild } from './pool-protocol.ts'

const CHILD = new URL('./mapping-child.ts', import.meta.url).pathname
const ROOT = new URL('../../', import.meta.url).pathname

export interface MappingPoolOptions {
  /** Child processes (default 2). */
  size?: number
  /** V8 heap limit of each child in MB (default 256). */
  maxHeapMb?: number
  /** Largest result, as JSON bytes (default 4 MB). */
  maxOutputBytes?: number
  /** Wall-clock time allowed beyond the mapping's own time limit before its child is killed (default 1000 ms). */
  graceMs?: number
}

/** One evaluation: the mapping's source and limits, its input and environment. */
export interface PoolEvaluation {
  source: string
  timeoutMs?: number
  maxDepth?: number
  name?: string
  input: unknown
  env?: MappingEnv
}

/** Codes of the limits a pool evaluation can fail with; `wall_time_limit` is the transient one. */
export const TRANSIENT_MAPPING_CODES: ReadonlySet<string> = new Set(['wall_time_limit'])

interface Job {
  request: Omit<EvaluateRequest, 'id'>
  env: MappingEnv
  wallMs: number
  resolve(value: unknown): void
  reject(error: MappingError): void
}

interface Slot {
  child: ChildProcess
  ready: Promise<void>
  busy?: { id: number; job: Job; timer?: NodeJS.Timeout }
  stderr: string
}

export class MappingPool {
  private readonly size: number
  private readonly maxHeapMb: number
  private readonly maxOutputBytes: number
  private readonly graceMs: number
  private readonly slots: Slot[] = []
  private readonly queue: Job[] = []
  private nextId = 0
  private closed = false

  constructor(options: MappingPoolOptions = {}) {
    this.size = options.size ?? 2
    this.maxHeapMb = options.maxHeapMb ?? 256
    this.maxOutputBytes = options.maxOutputBytes ?? 4 * 1024 * 1024
    this.graceMs = options.graceMs ?? 1000
  }

  /** Evaluates a mapping in a child process; answers plain JSON as CompiledMapping.evaluate does. */
  evaluate(evaluation: PoolEvaluation): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('the mapping pool is closed'))
    const timeoutMs = evaluation.timeoutMs ?? 1000
    const env = evaluation.env ?? {}
    return new Promise((resolve, reject) => {
      this.queue.push({
        request: {
          kind: 'evaluate',
          source: evaluation.source,
          timeoutMs,
          maxDepth: evaluation.maxDepth,
          name: evaluation.name,
          input: evaluation.input,
          recordKey: env.recordKey,
          vars: env.vars,
          lookups: env.lookup !== undefined,
          maxOutputBytes: this.maxOutputBytes,
        },
        env,
        wallMs: timeoutMs + this.graceMs,
        resolve,
        reject,
      })
      this.dispatch()
    })
  }

  /** Stops every child; queued evaluations are refused. */
  async close(): Promise<void> {
    this.closed = true
    for (const job of this.queue.splice(0))
      job.reject(new MappingError('mapping_failed', 'the mapping pool closed'))
    await Promise.all(this.slots.splice(0).map((slot) => this.kill(slot)))
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.busy === undefined)
      if (!slot && this.slots.length < this.size) slot = this.spawn()
      if (!slot) return
      const job = this.queue.shift()!
      const id = this.nextId++
      slot.busy = { id, job }
      const target = slot
      // The wall clock starts when the child has the request: starting a child is not the mapping's time.
      void target.ready.then(() => {
        if (target.busy?.id !== id) return
        target.busy.timer = setTimeout(() => this.expire(target), job.wallMs)
        target.child.send({ ...job.request, id } satisfies ToChild)
      })
    }
  }

  private spawn(): Slot {
    const child = fork(CHILD, [], {
      cwd: ROOT,
      execArgv: ['--import', 'tsx', `--max-old-space-size=${this.maxHeapMb}`],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    })
    let started: () => void = () => undefined
    const slot: Slot = { child, ready: new Promise<void>((resolve) => (started = resolve)), stderr: '' }
    child.stderr?.on('data', (chunk: Buffer) => {
      slot.stderr = (slot.stderr + chunk.toString()).slice(-2000)
    })
    child.on('message', (message: FromChild) => {
      if (message.kind === 'result' && message.id === -1) started()
      else if (message.kind === 'result') this.finish(slot, message)
      else void this.answerLookup(slot, message.id, message.lookupId, message.table, message.key)
    })
    child.on('exit', (code, signal) => this.exited(slot, code, signal))
    this.slots.push(slot)
    return slot
  }

  private async answerLookup(slot: Slot, id: number, lookupId: number, table: string, key: unknown) {
    const busy = slot.busy
    if (busy?.id !== id || !busy.job.env.lookup) return
    let answer: ToChild
    try {
      answer = { kind: 'lookup-answer', lookupId, value: await busy.job.env.lookup(table, key) }
    } catch (error) {
      const code = (error as { code?: unknown }).code
      answer = {
        kind: 'lookup-answer',
        lookupId,
        error: {
          code: typeof code === 'string' ? code : undefined,
          message: error instanceof Error ? error.message : String(error),
        },
      }
    }
    if (slot.busy?.id === id && slot.child.connected) slot.child.send(answer)
  }

  private finish(slot: Slot, message: EvaluateResult): void {
    const busy = slot.busy
    if (busy?.id !== message.id) return
    clearTimeout(busy.timer)
    slot.busy = undefined
    if (message.error) {
      const { code, message: text, token } = message.error
      const position = message.error.position as ReturnType<typeof positionAt> | undefined
      busy.job.reject(new MappingError(code, text, { position, token, recordKey: busy.job.env.recordKey }))
    } else busy.job.resolve(message.value ?? null)
    this.dispatch()
  }

  private expire(slot: Slot): void {
    const busy = slot.busy
    if (!busy) return
    slot.busy = undefined
    this.drop(slot)
    busy.job.reject(
      new MappingError(
        'wall_time_limit',
        `${busy.job.request.name ? `${busy.job.request.name}: ` : ''}evaluation ran past its wall-clock limit of ${busy.job.wallMs} ms and was stopped`,
        { recordKey: busy.job.env.recordKey },
      ),
    )
    this.dispatch()
  }

  private exited(slot: Slot, code: number | null, signal: NodeJS.Signals | null): void {
    const index = this.slots.indexOf(slot)
    if (index >= 0) this.slots.splice(index, 1)
    const busy = slot.busy
    if (!busy) return
    clearTimeout(busy.timer)
    slot.busy = undefined
    const outOfMemory = /heap limit|out of memory/i.test(slot.stderr) || signal === 'SIGABRT' || code === 134
    busy.job.reject(
      outOfMemory
        ? new MappingError(
            'memory_limit',
            `${busy.job.request.name ? `${busy.job.request.name}: ` : ''}evaluation ran out of its ${this.maxHeapMb} MB memory limit`,
            { recordKey: busy.job.env.recordKey },
          )
        : new MappingError('mapping_failed', `the mapping process stopped (${signal ?? `exit ${code}`})`, {
            recordKey: busy.job.env.recordKey,
          }),
    )
    if (!this.closed) this.dispatch()
  }

  private drop(slot: Slot): void {
    const index = this.slots.indexOf(slot)
    if (index >= 0) this.slots.splice(index, 1)
    void this.kill(slot)
  }

  private async kill(slot: Slot): Promise<void> {
    if (slot.child.exitCode !== null || slot.child.signalCode !== null) return
    const exited = new Promise((resolve) => slot.child.once('exit', resolve))
    slot.child.kill('SIGKILL')
    await exited
  }
}
