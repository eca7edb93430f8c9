import type { ConnectorErrorKind } from '../../core/connector/connector-error.ts'

/** A stored record of the in-memory system. */
export interface MemoryRecord extends Record<string, unknown> {
  id: string
  updatedAt: string
}

/** A fault to inject into the next calls of an operation. */
export interface MemoryFault {
  operation: 'read' | 'write' | 'find' | 'post' | 'acknowledge' | 'claim'
  kind: ConnectorErrorKind
  /** How many calls fail (default 1). */
  times?: number
  message?: string
  retryAfterMs?: number
  /** When set, the write happens and THEN the error is thrown (a timeout after the remote committed). */
  afterEffect?: boolean
}

/** The whole state of one in-memory "remote system", inspectable by tests. */
export class MemorySystem {
  readonly tables = new Map<string, Map<string, MemoryRecord>>()
  readonly acknowledgements: {
    recordId: string
    payload: Record<string, unknown>
    idempotencyKey: string
  }[] = []
  readonly claims = new Set<string>()
  readonly calls: Record<string, number> = {}
  readonly pending = new Map<string, { record: Record<string, unknown>; outcome?: 'done' | 'failed' }>()
  faults: MemoryFault[] = []
  /** Sizes of the `writeMany` calls, in order. */
  readonly batches: number[] = []
  private clock = Date.UTC(2026, 0, 1)
  private sequence = 0

  table(name: string): Map<string, MemoryRecord> {
    const t = this.tables.get(name) ?? new Map<string, MemoryRecord>()
    this.tables.set(name, t)
    return t
  }

  /** A strictly increasing timestamp, so incremental reads never miss a change. */
  tick(): string {
    this.clock += 1000
    return new Date(this.clock).toISOString()
  }

  nextId(prefix: string): string {
    this.sequence++
    return `${prefix}-${String(this.sequence).padStart(6, '0')}`
  }

  count(operation: string): void {
    this.calls[operation] = (this.calls[operation] ?? 0) + 1
  }

  /** Takes the fault for an operation, if one is armed. */
  takeFault(operation: MemoryFault['operation']): MemoryFault | undefined {
    const fault = this.faults.find((f) => f.operation === operation && (f.times ?? 1) > 0)
    if (!fault) return undefined
    fault.times = (fault.times ?? 1) - 1
    return fault
  }

  /** Seeds records into a table. */
  seed(table: string, records: Record<string, unknown>[]): MemoryRecord[] {
    return records.map((r) => {
      const stored = { ...r, id: String(r.id ?? this.nextId(table)), updatedAt: this.tick() } as MemoryRecord
      this.table(table).set(stored.id, stored)
      return stored
    })
  }
}

const systems = new Map<string, MemorySystem>()

/** The system a connection's `systemId` names (created on first use). */
export function memorySystem(id: string): MemorySystem {
  const s = systems.get(id) ?? new MemorySystem()
  systems.set(id, s)
  return s
}
