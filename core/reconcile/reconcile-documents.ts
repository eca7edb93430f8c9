/**
 * Reconciles one period between three views of the same documents: what the source approved, what
 * Ferry wrote or would write, and what the target holds. Pure: the runtime reads the views, this
 * decides, document by document, which class each falls in and which fields differ.
 *
 * Matching, strongest first: the target id Ferry recorded when it wrote the document; a shared key
 * (vendor + normalised vendor document number, tax id + number, a named key such as the Basware
 * invoiceId); then, for what is still unmatched on both sides, the normalised number alone when it
 * pairs exactly one document with exactly one (a document keyed under the wrong vendor).
 */
import { compareDocuments, SOURCE_FIELDS } from './compare-documents.ts'
import { strongKeys, weakKey } from './document-keys.ts'
import type { FieldDifference } from './field-difference.ts'
import { periodDateOf, type ReconcileDocument } from './reconcile-document.ts'
import type { ReconcileItem } from './reconcile-item.ts'
import type { RoundingRule } from './rounding-rule.ts'

/** Ferry's record of a document. */
export interface FerryRecordView {
  recordId: string
  /** The record's state (delivered, failed, awaiting …, or a shadow run's state). */
  state: string
  /** The target id and number Ferry recorded when it wrote (or linked) the document. */
  targetId?: string | null
  targetNumber?: string | null
}

/** One document the source approved, with Ferry's record of it. */
export interface ExpectedDocument {
  sourceKey: string
  /** The source's own view of it (header amounts are compared against the target too). */
  source?: ReconcileDocument
  /** What Ferry wrote or would write, through the target's view. */
  expected?: ReconcileDocument
  ferry?: FerryRecordView
}

/** What to reconcile. */
export interface ReconcileInput {
  documents: readonly ExpectedDocument[]
  /**
   * What the target holds for the period. Absent when the target cannot be read back (MISA has no
   * read of vouchers): the target's own answers recorded by Ferry (delivered records) stand in for it.
   */
  target?: readonly ReconcileDocument[]
  /** The target system's rounding. */
  rule: RoundingRule
  /** Ferry record states that mean the target accepted the record (default: delivered). */
  deliveredStates?: readonly string[]
}

function mergeDifferences(ferry: FieldDifference[], source: FieldDifference[]): FieldDifference[] {
  const seen = new Set(ferry.map((d) => d.field))
  return [...ferry, ...source.filter((d) => !seen.has(d.field))]
}

/** The differences between what was expected of a document and one target document. */
function differencesOf(doc: ExpectedDocument, actual: ReconcileDocument, rule: RoundingRule) {
  const ferry = doc.expected ? compareDocuments(doc.expected, actual, rule) : []
  const source = doc.source
    ? compareDocuments(doc.source, actual, rule, { expectedFrom: 'source', only: SOURCE_FIELDS })
    : []
  return mergeDifferences(ferry, source)
}

function describe(doc: ExpectedDocument | undefined, target: ReconcileDocument | undefined) {
  const view = doc?.expected ?? doc?.source ?? target ?? {}
  const amounts = doc?.source ?? view
  return {
    party: view.party ?? target?.party,
    reference: view.reference ?? target?.reference,
    date: periodDateOf(view) ?? (target ? periodDateOf(target) : undefined),
    currency: amounts.currency ?? view.currency ?? target?.currency,
    amount: amounts.gross ?? amounts.net ?? amounts.paid ?? view.gross ?? view.net ?? view.paid,
  }
}

function itemOf(
  doc: ExpectedDocument,
  cls: ReconcileItem['class'],
  targets: readonly ReconcileDocument[],
  differences: FieldDifference[],
): ReconcileItem {
  return {
    class: cls,
    sourceKey: doc.sourceKey,
    recordId: doc.ferry?.recordId,
    ferryState: doc.ferry?.state,
    ...describe(doc, targets[0]),
    targetIds: targets.flatMap((t) => (t.id ? [t.id] : [])),
    targetNumbers: targets.flatMap((t) => (t.number ? [t.number] : [])),
    differences,
  }
}

/** Classifies every document of the period; see the module comment for how documents are matched. */
export function reconcileDocuments(input: ReconcileInput): ReconcileItem[] {
  if (!input.target) return reconcileWithoutTarget(input)
  const target = input.target
  const byId = new Map<string, number>()
  const byKey = new Map<string, number[]>()
  const byWeak = new Map<string, number[]>()
  const push = (map: Map<string, number[]>, key: string, i: number) => {
    const list = map.get(key) ?? []
    if (!list.includes(i)) list.push(i)
    map.set(key, list)
  }
  target.forEach((doc, i) => {
    if (doc.id) byId.set(doc.id, i)
    for (const key of strongKeys(doc)) push(byKey, key, i)
    const weak = weakKey(doc)
    if (weak) push(byWeak, weak, i)
  })

  const claimed = new Set<number>()
  const candidates = input.documents.map((doc) => {
    const found = new Set<number>()
    const own = doc.ferry?.targetId ? byId.get(doc.ferry.targetId) : undefined
    if (own !== undefined) found.add(own)
    const keyDoc = doc.expected ?? doc.source
    if (keyDoc) for (const key of strongKeys(keyDoc)) for (const i of byKey.get(key) ?? []) found.add(i)
    for (const i of found) claimed.add(i)
    // The document Ferry wrote comes first: it is the one compared when there are two.
    return [...found].sort((a, b) => (a === own ? -1 : b === own ? 1 : a - b))
  })

  // A document typed under the wrong vendor: the number alone pairs one unmatched with one unclaimed.
  const wanting = new Map<string, number[]>()
  input.documents.forEach((doc, d) => {
    const keyDoc = doc.expected ?? doc.source
    const weak = keyDoc ? weakKey(keyDoc) : undefined
    if (candidates[d]!.length === 0 && weak) push(wanting, weak, d)
  })
  for (const [weak, docs] of wanting) {
    const free = (byWeak.get(weak) ?? []).filter((i) => !claimed.has(i))
    if (docs.length === 1 && free.length === 1) {
      candidates[docs[0]!] = [free[0]!]
      claimed.add(free[0]!)
    }
  }

  const items: ReconcileItem[] = input.documents.map((doc, d) => {
    const matched = candidates[d]!.map((i) => target[i]!)
    if (matched.length === 0) return itemOf(doc, 'not_in_target', [], [])
    const differences = differencesOf(doc, matched[0]!, input.rule)
    if (matched.length > 1) return itemOf(doc, 'posted_twice', matched, differences)
    const mistakes = differences.some((x) => x.kind === 'mistake')
    return itemOf(doc, mistakes ? 'differs' : 'matched', matched, differences)
  })
  target.forEach((doc, i) => {
    if (claimed.has(i)) return
    items.push({
      class: 'not_from_ferry',
      ...describe(undefined, doc),
      targetIds: doc.id ? [doc.id] : [],
      targetNumbers: doc.number ? [doc.number] : [],
      differences: [],
    })
  })
  return items
}

/** A target that cannot be read: a delivered record is what the target accepted; compare it with the source. */
function reconcileWithoutTarget(input: ReconcileInput): ReconcileItem[] {
  const delivered = new Set(input.deliveredStates ?? ['delivered'])
  return input.documents.map((doc) => {
    const accepted = doc.ferry && delivered.has(doc.ferry.state)
    const actual = doc.expected
    const differences =
      doc.source && actual
        ? compareDocuments(doc.source, actual, input.rule, { expectedFrom: 'source', only: SOURCE_FIELDS })
        : []
    const target: ReconcileDocument[] = accepted
      ? [{ ...actual, id: doc.ferry?.targetId ?? undefined, number: doc.ferry?.targetNumber ?? undefined }]
      : []
    if (!accepted) return itemOf(doc, 'not_in_target', [], differences)
    const mistakes = differences.some((x) => x.kind === 'mistake')
    return itemOf(doc, mistakes ? 'differs' : 'matched', target, differences)
  })
}
