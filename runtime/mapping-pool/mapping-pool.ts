/**
 * Tenant JSONata evaluated off this process's event loop: a small pool of child processes, each with a
 * V8 heap limit, one batch at a time. A batch carries many evaluations (a chunk of records, a page), so
 * one IPC round trip serves them all. A child that makes no progress for its wall-clock limit (a
 * built-in stuck in one call — a huge `$pad`, a backtracking regex — which JSONata's step timer cannot
 * interrupt) is killed and replaced. Killing a process gives all its memory back; the caller's process
 * never held any of it. The items of a batch that had not finished when its child was killed are run
 * again one at a time, so only the culprit fails.
 *
 * Limits fail the evaluation with a MappingError naming the limit:
 * - `wall_time_limit`: ran past the wall-clock limit. Transient: on a loaded machine a good mapping can
 *   run out of wall time, so a caller retries it rather than failing the record for good.
 * - `memory_limit`: the child ran out of its heap. Permanent.
 * - `output_limit`: the result is larger than the output limit. Permanent.
 */
import type { ChildProcess } from 'node:child_process'
import type { MappingEnv } from '../../core/mapping/compile-mapping.ts'
import type { LookupResolver } from '../../core/mapping/mapping-context.ts'
import { MappingError } from '../../core/mapping/mapping-error.ts'
import { answerLookups } from './answer-lookups.ts'
import {
  type Batch,
  closedError,
  failRest,
  type Job,
  jobOf,
  outcomeOf,
  type PoolOutcome,
  settle,
  splitBatch,
} from './pool-batch.ts'
import type {
  BatchItem,
  EvaluateResults,
  FromChild,
  LookupQuestions,
  TaskName,
  ToChild,
} from './pool-protocol.ts'
import type { PoolTaskInputs } from './run-pool-task.ts'
import { shipTables, tablesUsedBy } from './ship-tables.ts'
import { spawnMappingChild } from './spawn-mapping-child.ts'

export interface MappingPoolOptions {
  /** Child processes (default 2). */
  size?: number
  /** V8 heap limit of each child in MB (default 256). */
  maxHeapMb?: number
  /** Largest result of one evaluation, as JSON bytes (default 4 MB). */
  maxOutputBytes?: number
  /** Wall-clock time allowed beyond the mapping's own time limit before its child is killed (default 1000 ms). */
  graceMs?: number
}

/** An expression of a batch: its source and limits (as compileMapping takes them). */
export interface PoolExpression {
  source: string
  timeoutMs?: number
  maxDepth?: number
  name?: string
}

/** Many evaluations in one hop: item `expr` indexes `expressions`; lookups are answered by `lookup`. */
export interface PoolBatch {
  expressions: PoolExpression[]
  items: BatchItem[]
  lookup?: LookupResolver
}

/** One evaluation: the mapping's source and limits, its input and environment. */
export interface PoolEvaluation extends PoolExpression {
  input: unknown
  env?: MappingEnv
}

interface Slot {
  child: ChildProcess
  ready: Promise<void>
  busy?: { id: number; job: Job; timer?: NodeJS.Timeout }
  stderr: string
  /** Ids of lookup-table rows this child was sent (answer-lookups.ts). */
  rowsSent: Set<number>
}

/** A pool of mapping child processes; see the file comment for its limits. */
export class MappingPool {
  private readonly size: number
  private readonly maxHeapMb: number
  private readonly maxOutputBytes: number
  private readonly graceMs: number
  private readonly slots: Slot[] = []
  private readonly queue: Job[] = []
  private nextId = 0
  private closed = false
  /** Tables the children asked about, by the batch's expressions: sent with the next batches of them. */
  private readonly tablesUsed = new Map<string, Set<string>>()

  constructor(options: MappingPoolOptions = {}) {
    this.size = options.size ?? 2
    this.maxHeapMb = options.maxHeapMb ?? 256
    this.maxOutputBytes = options.maxOutputBytes ?? 4 * 1024 * 1024
    this.graceMs = options.graceMs ?? 1000
  }

  /** Evaluates one mapping in a child process; answers plain JSON as CompiledMapping.evaluate does. */
  async evaluate(evaluation: PoolEvaluation): Promise<unknown> {
    const { input, env = {}, ...expression } = evaluation
    const [outcome] = await this.evaluateMany({
      expressions: [expression],
      items: [{ expr: 0, input, recordKey: env.recordKey, vars: env.vars }],
      lookup: env.lookup,
    })
    if (!outcome!.ok) throw outcome!.error
    return outcome!.value
  }

  /** Evaluates a batch in one hop; one outcome per item, in order. Never rejects. */
  evaluateMany(batch: PoolBatch): Promise<PoolOutcome[]> {
    return this.enqueue(batch)
  }

  private enqueue(batch: PoolBatch & { task?: Batch['task'] }): Promise<PoolOutcome[]> {
    if (batch.items.length === 0) return Promise.resolve([])
    return new Promise((done) => {
      const expressions = batch.expressions.map((e) => ({ ...e, timeoutMs: e.timeoutMs ?? 1000 }))
      const state: Batch = {
        task: batch.task,
        expressions,
        items: batch.items,
        lookup: batch.lookup,
        tables: batch.lookup ? tablesUsedBy(this.tablesUsed, expressions) : undefined,
        outcomes: new Array(batch.items.length).fill(undefined),
        left: batch.items.length,
        done,
      }
      if (this.closed) failRest(jobOf(state, [...state.items.keys()]), closedError())
      else this.queue.push(...splitBatch(state, this.size))
      this.dispatch()
    })
  }

  /**
   * Runs a task (manifest validation) in a child process: off this event loop, under the pool's memory
   * limit and `timeoutMs` of wall-clock time (plus the grace).
   * @throws MappingError naming the limit it hit (`wall_time_limit`, `memory_limit`), or the task's own error.
   */
  async runTask<T extends TaskName>(name: T, input: PoolTaskInputs[T], timeoutMs: number): Promise<unknown> {
    const [outcome] = await this.enqueue({
      task: { name, input, taskMs: timeoutMs },
      expressions: [],
      items: [{ expr: -1, input: undefined }],
    })
    if (!outcome!.ok) throw outcome!.error
    return outcome!.value
  }

  /** Stops every child; what is queued or running fails with `pool_closed` (transient). */
  async close(): Promise<void> {
    this.closed = true
    for (const job of this.queue.splice(0)) failRest(job, closedError())
    await Promise.all(this.slots.splice(0).map((slot) => this.kill(slot)))
  }

  private wallMs(job: Job): number {
    const { task, expressions } = job.batch
    return (task ? task.taskMs : Math.max(...expressions.map((e) => e.timeoutMs))) + this.graceMs
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.busy === undefined)
      if (!slot && this.slots.length < this.size) slot = this.spawn()
      if (!slot) return
      const job = this.queue.shift()!
      const id = this.nextId++
      slot.busy = { id, job }
      slot.child.channel?.ref()
      const target = slot
      const { lookup, tables } = job.batch
      const shipping =
        lookup && tables && tables.size > 0
          ? shipTables(lookup, tables, target.rowsSent, this.wallMs(job) - this.graceMs)
          : undefined
      // The wall clock starts when the child has the request: starting a child is not the mapping's time.
      void Promise.all([target.ready, shipping]).then(([, shipped]) => {
        if (target.busy?.id !== id) return
        this.arm(target)
        for (const table of shipped ?? []) job.sentRows.add(table.table)
        try {
          const { task } = job.batch
          target.child.send(
            task
              ? ({ kind: 'task', id, task: task.name, input: task.input } satisfies ToChild)
              : ({
                  kind: 'evaluate',
                  id,
                  expressions: job.batch.expressions,
                  items: job.items.map((i) => job.batch.items[i]!),
                  lookups: job.batch.lookup !== undefined,
                  ...(shipped && shipped.length > 0 ? { tables: shipped } : {}),
                  maxOutputBytes: this.maxOutputBytes,
                } satisfies ToChild),
          )
        } catch (error) {
          // An input that cannot be copied to the child (a function, say): the child never saw the batch.
          clearTimeout(target.busy.timer)
          target.busy = undefined
          target.child.channel?.unref()
          const reason = error instanceof Error ? error.message : String(error)
          failRest(job, new MappingError('mapping_failed', `the input cannot be mapped: ${reason}`))
          this.dispatch()
        }
      })
    }
  }

  /** (Re)starts the busy slot's wall clock: any message from the child is progress. */
  private arm(slot: Slot): void {
    const busy = slot.busy
    if (!busy) return
    clearTimeout(busy.timer)
    busy.timer = setTimeout(() => this.expire(slot), this.wallMs(busy.job))
  }

  private spawn(): Slot {
    const child = spawnMappingChild(this.maxHeapMb)
    let started: () => void = () => undefined
    const slot: Slot = {
      child,
      ready: new Promise<void>((resolve) => (started = resolve)),
      stderr: '',
      rowsSent: new Set(),
    }
    child.stderr?.on('data', (chunk: Buffer) => {
      slot.stderr = (slot.stderr + chunk.toString()).slice(-2000)
    })
    child.on('message', (message: FromChild) => {
      if (message.kind === 'ready') started()
      else if (message.kind === 'results') this.finish(slot, message)
      else void this.answerLookups(slot, message)
    })
    child.on('exit', (code, signal) => this.exited(slot, code, signal))
    this.slots.push(slot)
    return slot
  }

  private async answerLookups(slot: Slot, message: LookupQuestions) {
    const busy = slot.busy
    const lookup = busy?.job.batch.lookup
    if (busy?.id !== message.id || !lookup) return
    this.arm(slot)
    for (const question of message.questions) if (question.rows) busy.job.batch.tables?.add(question.table)
    const answers = await answerLookups(lookup, message.questions, busy.job.sentRows, slot.rowsSent)
    if (slot.busy?.id === message.id && slot.child.connected)
      slot.child.send({ kind: 'lookup-answers', answers } satisfies ToChild)
  }

  private finish(slot: Slot, message: EvaluateResults): void {
    const busy = slot.busy
    if (busy?.id !== message.id) return
    const { job } = busy
    for (const result of message.results) {
      const index = job.items[result.index]
      if (index === undefined || job.finished.has(index)) continue
      job.finished.add(index)
      settle(job.batch, index, outcomeOf(result, job.batch.items[index]!.recordKey))
    }
    if (job.finished.size < job.items.length) {
      this.arm(slot)
      return
    }
    clearTimeout(busy.timer)
    slot.busy = undefined
    slot.child.channel?.unref()
    this.dispatch()
  }

  /**
   * A child stopped with work unfinished: several items go again one by one; a lone item fails with
   * `error` — after one more try on a fresh child when `retryLone` (a child that died of its heap may
   * have died of what an earlier hop left behind, not of the item it was running: only the culprit
   * may fail). An item that was already running alone on its second try is the culprit.
   */
  private orphaned(job: Job, error: MappingError, retryLone = false): void {
    const rest = job.items.filter((i) => !job.finished.has(i))
    if (this.closed) failRest(job, closedError())
    else if (rest.length > 1) this.queue.unshift(...rest.map((i) => jobOf(job.batch, [i], true)))
    else if (retryLone && !job.rerun) this.queue.unshift(jobOf(job.batch, rest, true))
    else failRest(job, error)
  }

  private expire(slot: Slot): void {
    const busy = slot.busy
    if (!busy) return
    slot.busy = undefined
    this.drop(slot)
    const name = this.nameOf(busy.job)
    this.orphaned(
      busy.job,
      new MappingError(
        'wall_time_limit',
        `${name}evaluation ran past its wall-clock limit of ${this.wallMs(busy.job)} ms and was stopped`,
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
    const name = this.nameOf(busy.job)
    this.orphaned(
      busy.job,
      outOfMemory
        ? new MappingError(
            'memory_limit',
            `${name}evaluation ran out of its ${this.maxHeapMb} MB memory limit`,
          )
        : new MappingError('mapping_failed', `the mapping process stopped (${signal ?? `exit ${code}`})`),
      true,
    )
    if (!this.closed) this.dispatch()
  }

  private nameOf(job: Job): string {
    if (job.batch.task) return `${job.batch.task.name}: `
    const names = new Set(job.items.map((i) => job.batch.expressions[job.batch.items[i]!.expr]?.name))
    const [name] = names
    return names.size === 1 && name ? `${name}: ` : ''
  }

  private drop(slot: Slot): void {
    const index = this.slots.indexOf(slot)
    if (index >= 0) this.slots.splice(index, 1)
    void this.kill(slot)
  }

  private async kill(slot: Slot): Promise<void> {
    if (slot.child.exitCode !== null || slot.child.signalCode !== null) return
    const exited = new Promise((resolve) => slot.child.once('exit', resolve))
    // Referenced again, so that a caller awaiting the close keeps this process up until the child is gone.
    slot.child.ref()
    slot.child.kill('SIGKILL')
    await exited
  }
}
