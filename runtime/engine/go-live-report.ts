/** One record in a go-live report. */
export interface GoLiveItem {
  recordId: string
  sourceKey: string
  /** The target's document, for a link. */
  targetId?: string
  targetNumber?: string
  /** Why it is written: not found in the target, or failed in shadow (it is mapped again). */
  reason?: string
}

/** What going live did (or, with `dryRun`, would do) for one flow. */
export interface GoLiveReport {
  flowId: string
  flowName: string
  dryRun: boolean
  /** Already in the target (keyed by hand during the sample period): linked, not written again. */
  linked: GoLiveItem[]
  /** Not in the target: written once. */
  toWrite: GoLiveItem[]
  /** Shadow records still on their way (going live waits for them). */
  inFlight: number
}

/** Thrown when a flow's shadow records are still being processed (the API answers 409). */
export class ShadowInFlightError extends Error {
  constructor(
    readonly flowName: string,
    readonly inFlight: number,
  ) {
    super(
      `flow ${flowName} has ${inFlight} shadow record(s) still being processed; go live when they have settled`,
    )
  }
}
