import type { RunProgress } from '../api/run-progress.ts'

/** The API's response bodies as the CLI reads them (see /openapi.json for the full schemas). */

/** A flow (GET /v1/flows). */
export interface ApiFlow {
  id: string
  name: string
  recipe: string | null
  enabled: boolean
  currentVersion: number
}

/** Where a run stands (the `progress` of GET /v1/runs/{id}): the API's own type, which is plain JSON. */
export type ApiRunProgress = RunProgress

/** A run; `progress` only on GET /v1/runs/{id}. */
export interface ApiRun {
  id: string
  flowId: string
  flowVersion: number
  trigger: string
  state: string
  scope: string
  pages: number
  recordsRead: number
  recordsNew: number
  startedAt: string
  finishedAt: string | null
  error?: unknown
  progress?: ApiRunProgress
}

/** A listed record (no payloads). */
export interface ApiRecord {
  id: string
  flowId: string
  flowVersion: number
  runId: string | null
  sourceKey: string
  sourceVersion: string
  state: string
  targetId: string | null
  targetNumber: string | null
  attempts: number
  error: { message?: string; kind?: string } | null
  createdAt: string
  updatedAt: string
}

/** One ledger event of a record. */
export interface ApiLedgerEvent {
  id: string
  at: string
  type: string
  attempt: number
  durationMs: number | null
  data: Record<string, unknown>
}

/** GET /v1/records/{id}. */
export interface ApiRecordDetail {
  record: ApiRecord
  ledger: ApiLedgerEvent[]
}

/** The record filter of GET /v1/records and of a replay by filter. */
export interface ApiRecordFilter {
  flowId?: string
  state?: string
  from?: string
  to?: string
  key?: string
}

/** POST /v1/records/replay. */
export interface ApiReplayResult {
  matched: number
  queued: number
  skipped: number
}

/** POST /v1/flows/{id}/run and /backfill. */
export interface ApiQueued {
  queued: boolean
  scope?: string
}

/** A reconciliation (GET /v1/reconciliations/{id}). */
export interface ApiReconciliation {
  id: string
  flowId: string | null
  recipe: string | null
  periodFrom: string
  periodTo: string
  state: 'queued' | 'running' | 'done' | 'failed'
  counts: Record<string, number>
  error: { message?: string } | null
  flows: { flowId: string; flowName: string; targetView: 'read' | 'ferry'; counts: Record<string, number> }[]
}

/** One reconciled document (GET /v1/reconciliations/{id}/items). */
export interface ApiReconciliationItem {
  seq: number
  flowId: string
  class: string
  sourceKey?: string
  party?: string
  reference?: string
  date?: string
  currency?: string
  amount?: number
  targetIds: string[]
  targetNumbers: string[]
  differences: {
    field: string
    expected: string | number | null
    actual: string | number | null
    kind: 'mistake' | 'rounding'
  }[]
}

/** An API key as listed (GET /v1/api-keys): never the key itself. */
export interface ApiKeyListed {
  id: string
  prefix: string
  role: 'admin' | 'tenant'
  tenantId: string | null
  name: string | null
  createdAt: string
  revokedAt: string | null
}

/** A key just issued or rotated: shown this once. */
export interface ApiKeyIssued {
  id: string
  key: string
  prefix: string
}

/** A tenant (GET /v1/tenants). */
export interface ApiTenant {
  id: string
  name: string
}
