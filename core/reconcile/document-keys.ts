/**
 * The natural keys documents are matched by. A clerk types `1C26TAA0000123` once and `1C26TAA123` or
 * `1c26taa-0000123` the next time; BC's own duplicate check compares the text exactly and lets the
 * second one through. Matching on a normalised reference finds both.
 */
import type { ReconcileDocument } from './reconcile-document.ts'

/**
 * Upper case, leading zeros of every digit run dropped, then only letters and digits kept
 * (`1c26-TAA0000123` → `1C26TAA123`, `HD/2026/007` → `HD20267`).
 */
export function normaliseReference(reference: string): string {
  return reference
    .normalize('NFKC')
    .toUpperCase()
    .replace(/\d+/g, (digits) => digits.replace(/^0+(?=\d)/, ''))
    .replace(/[^\p{L}\p{N}]/gu, '')
}

/** The strong keys of a document: party + normalised reference, and each shared key by name. */
export function strongKeys(doc: ReconcileDocument): string[] {
  const keys: string[] = []
  if (doc.party && doc.reference)
    keys.push(`party-reference:${doc.party.toUpperCase()}|${normaliseReference(doc.reference)}`)
  if (doc.taxId && doc.reference)
    keys.push(`tax-reference:${doc.taxId.replace(/\D/g, '')}|${normaliseReference(doc.reference)}`)
  for (const [name, value] of Object.entries(doc.keys ?? {})) if (value) keys.push(`${name}:${value}`)
  return keys
}

/** The weak key: the normalised reference alone (finds a document keyed under the wrong vendor). */
export function weakKey(doc: ReconcileDocument): string | undefined {
  return doc.reference ? normaliseReference(doc.reference) : undefined
}
