/**
 * The asynchronous second stage of every Basware write: each accepted request gets a requestId
 * (`x-amzn-RequestId`) whose per-item outcome shows up in `GET /v1/requestStatus/{requestId}` after a
 * processing delay. Until then the request and its items are `InProgress`.
 */
import { randomUUID } from 'node:crypto'

/** The outcome of one item once processed. */
export type ItemStatus = 'NotProcessed' | 'Warning' | 'Success' | 'Error' | 'RecordExpired'

/** One processed item, as ProcessedItem describes it. */
export interface LoggedItem {
  externalCode: string
  parentExternalCode: string | null
  status: ItemStatus
  errors: {
    type: 'Error' | 'Warning' | 'RecordExpired'
    message: string
    category: 'Unknown' | 'Technical' | 'DataValidation'
  }[]
}

/** One write request and its planned outcome. */
export interface LoggedRequest {
  requestId: string
  entityType: string
  genericListKey: string | null
  createdAt: number
  items: LoggedItem[]
  acknowledged: boolean
}

/** Filters of `GET /v1/requestStatus`. */
export interface RequestFilter {
  status?: string
  entityType?: string
  ignoreSuccessfulItems?: boolean
}

/** Every write request the sandbox accepted, by id, oldest first. */
export class RequestLog {
  private readonly requests = new Map<string, LoggedRequest>()

  constructor(
    private readonly now: () => Date,
    private readonly delayMs: () => number,
  ) {}

  /** Logs an accepted write; returns its requestId. */
  add(entityType: string, items: LoggedItem[], genericListKey: string | null = null): LoggedRequest {
    const request = {
      requestId: randomUUID(),
      entityType,
      genericListKey,
      createdAt: this.now().getTime(),
      items,
      acknowledged: false,
    }
    this.requests.set(request.requestId, request)
    return request
  }

  get(requestId: string): LoggedRequest | undefined {
    return this.requests.get(requestId)
  }

  /** True while the asynchronous stage has not finished. */
  inProgress(request: LoggedRequest): boolean {
    return this.now().getTime() < request.createdAt + this.delayMs()
  }

  /** The request's overall status as requestStatus reports it. */
  status(request: LoggedRequest): string {
    if (this.inProgress(request)) return 'InProgress'
    const failed = request.items.some((i) => i.status === 'Error')
    if (request.acknowledged) return failed ? 'AcknowledgedError' : 'AcknowledgedSuccess'
    return failed ? 'Error' : 'Success'
  }

  /** The `ConsumerLogEventUserView` of one request. */
  view(request: LoggedRequest, ignoreSuccessfulItems = false): Record<string, unknown> {
    const status = this.status(request)
    const pending = status === 'InProgress'
    const lastUpdated = new Date(
      pending ? request.createdAt : request.createdAt + this.delayMs(),
    ).toISOString()
    const items = request.items
      .map((i) =>
        pending
          ? { ...i, status: 'InProgress', errors: null }
          : { ...i, errors: i.errors.length ? i.errors : null },
      )
      .filter((i) => !(ignoreSuccessfulItems && i.status === 'Success'))
    return {
      requestId: request.requestId,
      entityType: request.entityType,
      entityVersion: '1.0',
      requestStatus: status,
      changedBy: 'API',
      operationType: 'Import',
      genericListKey: request.genericListKey,
      lastUpdated,
      systems: [{ system: 'P2P', module: 'Import', systemStatus: status, lastUpdated, items }],
    }
  }

  /** Requests matching a list query. */
  list(filter: RequestFilter): LoggedRequest[] {
    return [...this.requests.values()].filter(
      (r) =>
        (!filter.status || this.status(r) === filter.status) &&
        (!filter.entityType || r.entityType === filter.entityType),
    )
  }

  /** Marks a finished request acknowledged; false when it is unknown, unfinished or already acknowledged. */
  acknowledge(requestId: string): boolean {
    const request = this.requests.get(requestId)
    if (!request || request.acknowledged || this.inProgress(request)) return false
    request.acknowledged = true
    return true
  }

  clear(): void {
    this.requests.clear()
  }
}
