/** Edit distance between two strings (insertions, deletions, substitutions, adjacent swaps). */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i])
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, rows[i - 2]![j - 2]! + 1)
      rows[i]![j] = best
    }
  }
  return rows[a.length]![b.length]!
}

/**
 * The candidate closest to `word`, when it is close enough to be a plausible typo (case differences
 * count as one edit, and at most a third of the word may differ).
 */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  for (const candidate of candidates) {
    const distance =
      candidate.toLowerCase() === word.toLowerCase()
        ? 1
        : editDistance(word.toLowerCase(), candidate.toLowerCase())
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  const allowed = Math.max(1, Math.floor(Math.max(word.length, 3) / 3))
  return bestDistance <= allowed ? best : undefined
}

/**
 * `; expected one of a, b (did you mean "a"?)`: the tail of a message about a value not in a set.
 * `lead` names the set when "expected one of" does not fit (`readable streams:`).
 */
export function expectedOneOf(word: string, candidates: readonly string[], lead = 'expected one of'): string {
  if (candidates.length === 0) return `; ${lead.replace(/ one of$/, '')} none`
  const suggestion = closestMatch(word, candidates)
  const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`
  return `; ${lead} ${candidates.join(', ')}${hint}`
}
