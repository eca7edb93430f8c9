import { assertRecordTransition } from '../../../core/record/record-state.ts'
import type { Db } from '../../store/database.ts'
import { persistSteps, type RecordStep } from '../../store/persist-steps.ts'
import { getRecordsById, type RecordRow } from '../../store/records-store.ts'

/** Statements of one kind a process keeps in flight at once; calls made meanwhile wait and go together. */
const MAX_IN_FLIGHT = 2

interface Waiting<I, O> {
  items: readonly I[]
  resolve(results: O[]): void
  reject(error: unknown): void
}

/**
 * Sends the calls made in one tick — and those made while {@link MAX_IN_FLIGHT} statements are
 * already out — as one `send` of all their items: concurrent deliveries share a statement and its
 * commit instead of taking one each. With `key`, items with the same key never share a statement (a
 * later one waits for the next): one guarded statement must not carry two steps of one record. Each
 * call gets the results of its own items, in order. A shared statement that fails (it changed nothing)
 * is sent again call by call, so that one record the database refuses fails only its own call.
 */
function coalesce<I, O>(send: (items: I[]) => Promise<O[]>, key?: (item: I) => string) {
  const waiting: Waiting<I, O>[] = []
  let inFlight = 0
  let scheduled = false

  function take(): Waiting<I, O>[] {
    if (!key) return waiting.splice(0)
    const group: Waiting<I, O>[] = []
    const keys = new Set<string>()
    for (let i = 0; i < waiting.length; ) {
      const call = waiting[i]!
      if (call.items.some((item) => keys.has(key(item)))) {
        i++
        continue
      }
      for (const item of call.items) keys.add(key(item))
      group.push(call)
      waiting.splice(i, 1)
    }
    return group
  }

  async function sendGroup(group: Waiting<I, O>[]): Promise<void> {
    let results: O[]
    try {
      results = await send(group.flatMap((call) => call.items))
    } catch (error) {
      if (group.length === 1) return group[0]!.reject(error)
      for (const call of group) await send([...call.items]).then(call.resolve, call.reject)
      return
    }
    let at = 0
    for (const call of group) {
      call.resolve(results.slice(at, at + call.items.length))
      at += call.items.length
    }
  }

  function pump() {
    scheduled = false
    while (inFlight < MAX_IN_FLIGHT && waiting.length > 0) {
      inFlight++
      sendGroup(take()).finally(() => {
        inFlight--
        pump()
      })
    }
  }

  return (items: readonly I[]): Promise<O[]> =>
    new Promise<O[]>((resolve, reject) => {
      waiting.push({ items, resolve, reject })
      if (!scheduled && inFlight < MAX_IN_FLIGHT) {
        scheduled = true
        queueMicrotask(pump)
      }
    })
}

/** The record reads and guarded persists of one process's deliveries, coalesced (see {@link coalesce}). */
export interface CoalescedStore {
  /** The record, read in one statement with the other records asked for meanwhile. */
  getRecord(id: string): Promise<RecordRow | undefined>
  /** {@link persistSteps}, in one statement with the other persists asked for meanwhile. */
  persistSteps(steps: readonly RecordStep[]): Promise<Set<string>>
}

function createCoalescedStore(db: Db): CoalescedStore {
  const read = coalesce<string, RecordRow | undefined>(async (ids) => {
    const rows = await getRecordsById(db, [...new Set(ids)])
    return ids.map((id) => rows.get(id))
  })
  const persist = coalesce<RecordStep, boolean>(
    async (steps) => {
      const moved = await persistSteps(db, steps)
      return steps.map((s) => moved.has(s.id))
    },
    (step) => step.id,
  )
  return {
    async getRecord(id) {
      return (await read([id]))[0]
    },
    async persistSteps(steps) {
      if (steps.length === 0) return new Set()
      // A step the state table forbids fails its own call here, before it could share a statement.
      for (const s of steps) if (s.patch.state) assertRecordTransition(s.from, s.patch.state)
      const moved = await persist(steps)
      return new Set(steps.filter((_, i) => moved[i]).map((s) => s.id))
    },
  }
}

const stores = new WeakMap<Db, CoalescedStore>()

/** The process's coalesced store for `db` (one per database handle, made on first use). */
export function coalescedStore(db: Db): CoalescedStore {
  let store = stores.get(db)
  if (!store) {
    store = createCoalescedStore(db)
    stores.set(db, store)
  }
  return store
}
