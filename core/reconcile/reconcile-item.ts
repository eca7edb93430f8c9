/**
 * The outcome of reconciling one document: its class, where it is in each view, and the fields that
 * differ. One item per source document, plus one per target document nothing in the source explains.
 */
import type { FieldDifference } from './field-difference.ts'

/**
 * - `matched`: in the target and equal field by field (differences the target's rounding explains allowed);
 * - `differs`: in the target with field-level differences;
 * - `not_in_target`: approved at the source, not (yet) in the target;
 * - `not_from_ferry`: in the target, but neither the source nor Ferry knows it (posted by hand);
 * - `posted_twice`: the target holds it more than once.
 */
export type ReconcileClass = 'matched' | 'differs' | 'not_in_target' | 'not_from_ferry' | 'posted_twice'

/** Every class, in report order. */
export const RECONCILE_CLASSES: readonly ReconcileClass[] = [
  'matched',
  'differs',
  'not_in_target',
  'not_from_ferry',
  'posted_twice',
]

/** One reconciled document. */
export interface ReconcileItem {
  class: ReconcileClass
  /** Ferry's key of the source document (absent for `not_from_ferry`). */
  sourceKey?: string
  /** Ferry's record of it, and that record's state. */
  recordId?: string
  ferryState?: string
  /** For people and spreadsheets: who, which document, when, how much (document currency). */
  party?: string
  reference?: string
  date?: string
  currency?: string
  amount?: number
  /** The target documents it was matched to (two or more when posted twice). */
  targetIds: string[]
  targetNumbers: string[]
  differences: FieldDifference[]
}

/** True when an item needs somebody's attention: anything but a match. */
export function isUnreconciled(item: Pick<ReconcileItem, 'class'>): boolean {
  return item.class !== 'matched'
}

/** Counts per class (every class present, zero when none). */
export function countByClass(items: readonly Pick<ReconcileItem, 'class'>[]): Record<ReconcileClass, number> {
  const counts = Object.fromEntries(RECONCILE_CLASSES.map((c) => [c, 0])) as Record<ReconcileClass, number>
  for (const item of items) counts[item.class]++
  return counts
}
