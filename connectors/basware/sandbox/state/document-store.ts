/**
 * The sandbox's in-memory invoice store, indexed by invoiceId and by processing status so that
 * benchmark-sized stores answer list queries without scanning everything.
 */
import { type DocumentEvent, nextStatus } from '../rules/document-transitions.ts'

/** An accounting document in Basware's own shape (AccountingDocumentEntity). */
export type AccountingDocument = Record<string, unknown> & {
  invoiceId: string
  processingStatus: string
  companyCode: string
  lastUpdated: string
  p2pProcessingMode?: string
}

/** One entry of a document's history, readable through the control API. */
export interface HistoryEntry {
  at: string
  action: string
  from: string
  to: string
  externalCode?: string
  success?: boolean
  detail?: Record<string, unknown>
}

/** A stored document with what happened to it. */
export interface StoredDocument {
  document: AccountingDocument
  history: HistoryEntry[]
  /** The invoice's payment state: exactly the fields of the latest successful payment response. */
  payment?: Record<string, unknown>
}

/** What a list query filters on. */
export interface DocumentQuery {
  processingStatus?: string
  companyCode?: string
  lastUpdated?: string
  p2pProcessingMode: string
}

/** Documents by id and by status; every mutation goes through it so the indexes stay right. */
export class DocumentStore {
  private readonly byId = new Map<string, StoredDocument>()
  private readonly byStatus = new Map<string, Set<string>>()

  get size(): number {
    return this.byId.size
  }

  get(invoiceId: string): StoredDocument | undefined {
    return this.byId.get(invoiceId)
  }

  /** Adds or replaces a document. */
  put(document: AccountingDocument, at: string): void {
    const previous = this.byId.get(document.invoiceId)
    if (previous) this.byStatus.get(previous.document.processingStatus)?.delete(document.invoiceId)
    this.byId.set(document.invoiceId, {
      document,
      history: [
        ...(previous?.history ?? []),
        { at, action: 'created', from: '', to: document.processingStatus },
      ],
    })
    this.index(document)
  }

  /** Applies a state-machine event; returns the new status, or undefined when not allowed. */
  apply(
    invoiceId: string,
    event: DocumentEvent,
    at: string,
    entry: Partial<HistoryEntry> = {},
  ): string | undefined {
    const stored = this.byId.get(invoiceId)
    if (!stored) return undefined
    const from = stored.document.processingStatus
    const to = nextStatus(event, from)
    if (!to) return undefined
    this.byStatus.get(from)?.delete(invoiceId)
    stored.document.processingStatus = to
    stored.document.lastUpdated = at
    this.index(stored.document)
    stored.history.push({ at, action: event, from, to, ...entry })
    return to
  }

  /** Every stored document (the status lookup filters on fields the indexes do not cover). */
  all(): AccountingDocument[] {
    return [...this.byId.values()].map((s) => s.document)
  }

  /** Ids matching a list query, oldest status change first. */
  query(q: DocumentQuery): string[] {
    const source = q.processingStatus
      ? (this.byStatus.get(q.processingStatus) ?? new Set<string>())
      : this.byId.keys()
    const since = q.lastUpdated ? Date.parse(q.lastUpdated) : undefined
    const ids: string[] = []
    for (const id of source) {
      const doc = this.byId.get(id)!.document
      if ((doc.p2pProcessingMode ?? 'Standard') !== q.p2pProcessingMode) continue
      if (q.companyCode && doc.companyCode !== q.companyCode) continue
      if (since !== undefined && !(Date.parse(doc.lastUpdated) > since)) continue
      ids.push(id)
    }
    return ids
  }

  clear(): void {
    this.byId.clear()
    this.byStatus.clear()
  }

  private index(document: AccountingDocument): void {
    let set = this.byStatus.get(document.processingStatus)
    if (!set) {
      set = new Set()
      this.byStatus.set(document.processingStatus, set)
    }
    set.add(document.invoiceId)
  }
}
