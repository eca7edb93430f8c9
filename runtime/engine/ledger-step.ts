import type { LedgerEvent } from '../store/ledger-store.ts'
import { redactForLedger } from './redact-for-ledger.ts'

/** The ledger events of one delivery attempt, collected until they are persisted with the record's state. */
export class LedgerStep {
  readonly events: LedgerEvent[] = []
  constructor(
    readonly attempt: number,
    private readonly secrets: readonly string[],
  ) {}
  add(type: string, data: Record<string, unknown>, startedAt?: number) {
    this.events.push({
      type,
      attempt: this.attempt,
      durationMs: startedAt === undefined ? undefined : Math.round(performance.now() - startedAt),
      data: redactForLedger(data, this.secrets),
    })
  }
  take(): LedgerEvent[] {
    return this.events.splice(0)
  }
}
