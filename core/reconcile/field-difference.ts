/** One field on which two views of a document disagree. */
export interface FieldDifference {
  /** The field, in reconciliation's names: `gross`, `postingDate`, `lines[2].account`, `lines[1].dimensions.PROJECT`. */
  field: string
  /** What the source approved or Ferry wrote (or would write); null when it has no such value. */
  expected: string | number | null
  /** What the target holds; null when it has no such value. */
  actual: string | number | null
  /** A mistake, or a difference the target system's own rounding rule explains. */
  kind: 'mistake' | 'rounding'
  /** Whose value `expected` is: Ferry's mapped record, or the source document (header amounts). */
  expectedFrom: 'ferry' | 'source'
}
