/** The guardrail options JSONata 2.2 reads while evaluating (`timeout`, `sequence`); depth: depth-guard.ts. */
export interface GuardOptions {
  readonly timeout: number
  readonly stack: number
  readonly sequence?: number
}

// Read the clock on one evaluation step in this many; a step takes well under a microsecond to
// a few microseconds, so a runaway expression is still caught within about a millisecond of its limit.
const CLOCK_EVERY = 32

/**
 * JSONata options that enforce the time limit at a fraction of the usual cost.
 *
 * JSONata 2.2 checks its guardrails on every evaluation step and calls `Date.now()` each time, which
 * costs ~15 % of a typical mapping. It reads `options.timeout` by reference on each step
 * (`timeout > 0 && Date.now() - start > timeout`), so this getter answers `NaN` (check skipped) on most
 * steps and the real limit on one step in {@link CLOCK_EVERY}, and again on the read right after it, which
 * is the comparison. Any read that yields the limit compares against the real limit, so the worst a
 * mismatched read can do is skip one check; it can never fail an evaluation early. JSONata's own depth
 * limit (`stack`) counts width (see depth-guard.ts), so it is set out of reach; it must still be truthy,
 * because JSONata installs its guardrails only if `timeout || stack` is, and the sampled `timeout` may read NaN.
 */
export function guardOptions(timeoutMs: number, maxSequence?: number): GuardOptions {
  let steps = 0
  let comparing = false
  return {
    get timeout(): number {
      if (comparing) {
        comparing = false
        return timeoutMs
      }
      steps = (steps + 1) % CLOCK_EVERY
      if (steps !== 0) return Number.NaN
      comparing = true
      return timeoutMs
    },
    stack: Number.MAX_SAFE_INTEGER,
    ...(maxSequence === undefined ? {} : { sequence: maxSequence }),
  }
}
