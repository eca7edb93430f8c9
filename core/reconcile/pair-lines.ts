/**
 * Pairs the lines of two versions of a document. A clerk keys lines in any order and may type one
 * account or amount wrong, so lines are paired by what still agrees: account and amount, then amount,
 * then account, then what is left in order.
 */
import type { ReconcileLine } from './reconcile-document.ts'

/** A pairing: index pairs, and the indexes of lines left without a partner on each side. */
export interface LinePairing {
  pairs: [expected: number, actual: number][]
  expectedOnly: number[]
  actualOnly: number[]
}

/** Pairs `expected` with `actual` lines; `sameAmount` decides amount equality (it knows the rounding). */
export function pairLines(
  expected: readonly ReconcileLine[],
  actual: readonly ReconcileLine[],
  sameAmount: (a: number | undefined, b: number | undefined) => boolean,
): LinePairing {
  const sameAccount = (e: ReconcileLine, a: ReconcileLine) =>
    (e.account ?? '').toUpperCase() === (a.account ?? '').toUpperCase()
  const passes: ((e: ReconcileLine, a: ReconcileLine) => boolean)[] = [
    (e, a) => sameAccount(e, a) && sameAmount(e.amount, a.amount),
    (e, a) => sameAmount(e.amount, a.amount),
    (e, a) => sameAccount(e, a),
    () => true,
  ]
  const takenActual = new Set<number>()
  const partner = new Map<number, number>()
  for (const matches of passes) {
    for (let i = 0; i < expected.length; i++) {
      if (partner.has(i)) continue
      for (let j = 0; j < actual.length; j++) {
        if (takenActual.has(j) || !matches(expected[i]!, actual[j]!)) continue
        partner.set(i, j)
        takenActual.add(j)
        break
      }
    }
  }
  const pairs = [...partner.entries()].sort((x, y) => x[0] - y[0])
  return {
    pairs,
    expectedOnly: expected.map((_, i) => i).filter((i) => !partner.has(i)),
    actualOnly: actual.map((_, j) => j).filter((j) => !takenActual.has(j)),
  }
}
