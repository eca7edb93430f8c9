/**
 * The connector contract: the one interface every system Ferry talks to implements.
 *
 * A connector is a folder under `connectors/` whose `index.ts` exports one object built with
 * {@link defineConnector}. The runtime never branches on a connector's id; where connectors differ,
 * they declare it here (an optional member, a limit, an operation list).
 *
 * Lifecycle, as the runtime drives it:
 * 1. A connection is created: `config` is validated against `configSchema` (secrets are the
 *    properties marked `writeOnly: true`; they are encrypted at rest and never echoed), then
 *    `check(ctx)` proves the credentials and permissions before the connection is saved.
 * 2. A flow reads a source stream: `read(ctx, req)` yields pages; after each page the runtime stores
 *    the records and `page.cursor` in one transaction, and calls `read` again from that cursor after
 *    a crash. A connector must therefore make `cursor` a complete resume point.
 * 3. Each record is delivered to a target stream: `find` (when the manifest has `match`, or when an
 *    earlier attempt may have written) → `write`/`writeMany` → `actions` (e.g. `post`) →
 *    `acknowledge` to the source. Every call may be repeated after a crash; see each member.
 * 4. Webhooks arrive at `/hooks/:tenant/:connection`: `webhooks.verify` on the raw body, then
 *    `webhooks.parse` into events the runtime routes (a change to re-read, records the delivery
 *    carries itself, or a pending write's outcome).
 *
 * Errors: every member throws only {@link ConnectorError}; its `kind` decides retry/park/refresh.
 */
import type { ConnectorError } from './connector-error.ts'
import type { SandboxFactory } from './sandbox.ts'
import type { StreamPrecheck } from './stream-precheck.ts'
import type { StreamReconcile } from './stream-reconcile.ts'

/** A JSON Schema (draft 2020-12) object. Secrets are properties with `writeOnly: true`. */
export type JsonSchema = { [keyword: string]: unknown }

/** Structured, levelled logging. Never pass secrets or whole payloads as fields. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}

/** Durable key/value state of one connection, kept by the runtime (PostgreSQL in production). */
export interface ConnectionState {
  get<T = unknown>(key: string): Promise<T | undefined>
  set(key: string, value: unknown): Promise<void>
  delete(key: string): Promise<void>
  /** Values of several keys in one round trip; absent keys are missing from the map. */
  getMany<T = unknown>(keys: readonly string[]): Promise<Map<string, T>>
  /** Sets several keys in one round trip (a bulk write remembers what it sent per record). */
  setMany(entries: readonly (readonly [key: string, value: unknown])[]): Promise<void>
  /**
   * Runs `fn` while holding an exclusive lock on `key` across every process of the deployment.
   * Use it around refresh-token rotation so two workers never race into `invalid_grant`.
   */
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>
}

/** What every connector call receives. Built by the runtime per connection; cheap to create. */
export interface ConnectorContext<Config = Record<string, unknown>> {
  /** Stable id of the connection (used in webhook URLs, caches, correlation ids). */
  readonly connectionId: string
  /** The connection's config, validated against `configSchema`, secrets decrypted. */
  readonly config: Config
  /**
   * HTTP for every remote call. The runtime's fetch enforces the connector's declared `limits`
   * for this connection across all processes, and records call summaries. Never use global fetch.
   * Redirects are not followed automatically (`redirect: 'manual'` semantics): handle 3xx yourself.
   */
  readonly fetch: typeof fetch
  /** Durable per-connection state: rotated refresh tokens, hashes of last-sent records. */
  readonly state: ConnectionState
  /** Process-local memo shared by all calls on this connection (token caches, single-flight promises). */
  readonly memo: Map<string, unknown>
  readonly log: Logger
  /** The clock; sandboxes and tests may move it. */
  readonly now: () => Date
  /** Aborted when the job is cancelled or the process shuts down. */
  readonly signal?: AbortSignal
}

/** Asks a source stream for records. */
export interface ReadRequest {
  /** Resume point from the last checkpoint; `null` reads from the start (or the window's start). */
  cursor: string | null
  /** The manifest's `source.query`, passed through unchanged. */
  query: Record<string, unknown>
  /** A backfill window (ISO 8601, inclusive from, exclusive to); absent for live reads. */
  window?: { from?: string; to?: string }
  /** When a webhook named specific records, read just these (a stream may ignore the hint). */
  ids?: string[]
  /** Preferred page size; the connector clamps it to what the remote allows. */
  pageSize?: number
}

/** One page of a read. */
export interface Page<R = Record<string, unknown>> {
  records: R[]
  /** The checkpoint *after* this page. `null` means: nothing to resume from, start over next time. */
  cursor: string | null
  /** Remote calls this page cost (for calls-per-record accounting). */
  calls?: number
}

/** A record found in the target before writing (idempotency, resuming half-done work). */
export interface FoundRecord {
  id: string
  /** The human-facing number (BC document number, MISA refno), when the target has one. */
  number?: string
  etag?: string
  record: Record<string, unknown>
}

/** How a record is written. The manifest chooses; a stream lists what it supports. */
export type WriteOperation = 'create' | 'update' | 'upsert' | 'delete'

/** One record to write. */
export interface WriteRequest<R = Record<string, unknown>> {
  operation: WriteOperation
  /** The mapped record, in the target's own shape. */
  record: R
  /** What `find` returned, when the runtime looked first. Required for `update` with ETags. */
  existing?: FoundRecord
  /**
   * Deterministic per (flow, source key) — not per version, so a new version of a record replaces an
   * asynchronous proposal instead of adding a second one. Stable across retries and crashes, so a
   * connector can derive remote correlation ids from it (MISA `org_refid`, Basware `externalCode`).
   * A flow that needs one remote effect per state of a record puts the state in its identity key.
   */
  idempotencyKey: string
}

/** A short, secret-free description of a remote exchange, kept in the ledger. */
export interface CallSummary {
  method: string
  url: string
  status?: number
  durationMs?: number
  /** Remote request ids, ETags, correlation ids: whatever helps an operator find the call remotely. */
  remoteIds?: Record<string, string>
}

/** The result of writing one record. */
export type WriteResult =
  /** Written; the target's id (and number) are known. */
  | {
      status: 'done'
      id: string
      number?: string
      etag?: string
      record?: Record<string, unknown>
      calls?: CallSummary[]
    }
  /**
   * Accepted, outcome pending (asynchronous systems such as MISA). The runtime parks the record as
   * `pending` and completes it when an outcome with this `correlationId` arrives (webhook or `outcomes.poll`).
   * Re-sending with the same `idempotencyKey` must replace, not duplicate, the proposal.
   */
  | { status: 'pending'; correlationId: string; calls?: CallSummary[] }
  /** Deliberately not sent (e.g. identical to the last record sent); `reason` goes to the ledger. */
  | { status: 'skipped'; reason: string; id?: string }
  /** Only in `writeMany` results: this one item failed, the others stand. */
  | { status: 'failed'; error: ConnectorError }

/** The eventual outcome of a `pending` write. */
export type WriteOutcome =
  | { correlationId: string; status: 'done'; id?: string; number?: string; detail?: Record<string, unknown> }
  | { correlationId: string; status: 'failed'; error: ConnectorError }
  | { correlationId: string; status: 'pending' }

/** A bound action on a written record (BC `post`). */
export interface StreamAction {
  description: string
  /**
   * True when the action has already happened to `found` (a draft already posted). The runtime asks
   * this when resuming after a crash, so an action is never run twice.
   */
  isDone?(found: FoundRecord): boolean
  /** Runs the action. Returns the record's new id/number (posting may assign a number). */
  run(
    ctx: ConnectorContext<any>,
    target: { id: string; etag?: string; record?: Record<string, unknown> },
  ): Promise<{
    id: string
    number?: string
    record?: Record<string, unknown>
    calls?: CallSummary[]
  }>
}

/** A named record type of a system, readable and/or writable. */
export interface Stream<Config = any, R extends Record<string, unknown> = Record<string, unknown>> {
  description: string
  /** JSON Schema of one record, in the system's own shape (used for mapping lint and suggestions). */
  schema: JsonSchema
  /** Default identity of a record: JSONata expressions for its key and version (the manifest may override). */
  identity?: { key: string; version?: string }
  /** Yields pages from `req.cursor` on. Must be safe to call again from any cursor it returned. */
  read?(ctx: ConnectorContext<Config>, req: ReadRequest): AsyncIterable<Page<R>>
  /**
   * Claims a source record so no other consumer takes it (Basware acknowledge). Idempotent:
   * claiming what is already claimed by us answers `'already'`, not an error.
   */
  claim?(ctx: ConnectorContext<Config>, record: R): Promise<'claimed' | 'already'>
  /** Looks a record up in the target by the manifest's `match` fields. `null` when absent. */
  find?(ctx: ConnectorContext<Config>, match: Record<string, unknown>): Promise<FoundRecord | null>
  /** Operations `write` supports. */
  operations?: readonly WriteOperation[]
  write?(ctx: ConnectorContext<Config>, req: WriteRequest): Promise<WriteResult>
  /**
   * Writes several records in as few remote calls as the system allows (bulk imports, `$batch`).
   * Results come back in request order, one per request; a failed item is `{ status: 'failed' }`.
   * `maxBatch` caps how many the runtime passes at once.
   */
  writeMany?(ctx: ConnectorContext<Config>, reqs: WriteRequest[]): Promise<WriteResult[]>
  maxBatch?: number
  actions?: Record<string, StreamAction>
  /** Its records as documents for reconciliation, and a read of a period (see stream-reconcile.ts). */
  reconcile?: StreamReconcile<Config>
  /** What the target would refuse in a mapped record, found by reading only (see stream-precheck.ts). */
  precheck?: StreamPrecheck<Config>
}

/** A request as it arrived at the webhook ingress, body untouched. */
export interface InboundRequest {
  method: string
  url: string
  headers: Record<string, string>
  body: Uint8Array
}

/** What the ingress answers. */
export interface WebhookReply {
  status: number
  headers?: Record<string, string>
  body?: string
}

/** A remote subscription the runtime keeps alive. Secret fields are encrypted at rest. */
export interface Subscription {
  id: string
  stream: string
  expiresAt?: string
  /** Shared secret used to verify deliveries (BC clientState, Basware webhookAuthenticationToken). */
  secret?: string
  data?: Record<string, unknown>
}

/** What a webhook delivery means to the runtime. */
export type WebhookEvent =
  /** Records of `stream` changed: re-read them (by `ids` when given, else incrementally). */
  | { type: 'changed'; stream: string; ids?: string[]; dedupeKey?: string }
  /** A pending write finished. */
  | { type: 'outcome'; outcome: WriteOutcome; dedupeKey?: string }
  /**
   * The delivery carries records of `stream` itself (a pushed payload): the listening flows take them
   * as read records, without a remote read. Only for streams listed in `Webhooks.pushes`.
   */
  | { type: 'records'; stream: string; records: Record<string, unknown>[]; dedupeKey?: string }

/** Inbound webhooks and the subscriptions that produce them. */
export interface Webhooks<Config = any> {
  /**
   * Authenticates a delivery from its raw body and headers. Throws `ConnectorError('auth')` when it
   * is forged or unsigned. Returns `handshake` when the request is a validation handshake to be
   * answered as given and not processed further (BC `validationToken`, Basware ConnectionTest).
   */
  verify(
    ctx: ConnectorContext<Config>,
    req: InboundRequest,
    subscriptions: Subscription[],
  ): Promise<{ handshake?: WebhookReply }>
  /** Turns a verified delivery into events. Pure: no remote calls. */
  parse(ctx: ConnectorContext<Config>, req: InboundRequest): Promise<WebhookEvent[]>
  /** The answer the remote expects once the events are stored (default: 202, empty). */
  reply?(events: WebhookEvent[]): WebhookReply
  /** Streams one may subscribe to. */
  streams?: readonly string[]
  /** Streams whose records arrive in deliveries (`records` events); a flow reads them by `trigger.webhook`. */
  pushes?: readonly string[]
  /**
   * Answer a delivery of records with what the listening flow maps them to (200, JSON) instead of
   * `reply`: for callers that want the result synchronously. The records are still stored and delivered.
   */
  replyMapped?: boolean
  subscribe?(
    ctx: ConnectorContext<Config>,
    req: { stream: string; notificationUrl: string },
  ): Promise<Subscription>
  /** Extends a subscription; the runtime calls it `renewBeforeMs` before `expiresAt`. */
  renew?(ctx: ConnectorContext<Config>, sub: Subscription): Promise<Subscription>
  unsubscribe?(ctx: ConnectorContext<Config>, sub: Subscription): Promise<void>
  renewBeforeMs?: number
}

/** Tells a source what happened to one of its records (Basware transfer response). */
export interface AcknowledgeOperation<Config = any> {
  description: string
  /** JSON Schema of the payload the manifest's `acknowledge.map` must produce. */
  schema?: JsonSchema
  /**
   * Sends the acknowledgement. `idempotencyKey` is stable for this record version and outcome, so a
   * retried acknowledgement is recognisable remotely.
   */
  send(
    ctx: ConnectorContext<Config>,
    req: { record: Record<string, unknown>; payload: Record<string, unknown>; idempotencyKey: string },
  ): Promise<{ calls?: CallSummary[] }>
}

/** Remote limits the runtime enforces per connection, across every worker process. */
export interface ConnectorLimits {
  /** A request budget: at most `requests` per sliding `perMs` window. */
  budget?: { requests: number; perMs: number }
  /** At most this many requests in flight at once. */
  concurrency?: number
}

/** Delegated (user) authorization, for connectors that support it. */
export interface DelegatedAuth<Config = any> {
  /** Builds the consent URL; keeps what the callback needs (PKCE verifier) in `ctx.state`. */
  begin(ctx: ConnectorContext<Config>, req: { redirectUri: string; state: string }): Promise<{ url: string }>
  /** Exchanges the callback for tokens and persists the refresh token in `ctx.state`. */
  complete(ctx: ConnectorContext<Config>, req: { callbackUrl: string; state: string }): Promise<void>
}

/** One value a config field may take, as a person picks it from a list. */
export interface ConfigChoice {
  value: string
  label: string
  /** Other config fields the choice decides too (a BC environment names its Entra tenant). */
  set?: Record<string, unknown>
}

/**
 * Lists for config fields whose values live in the remote system (a BC environment, a company), so
 * nobody types a GUID. Called with the connection's context once it can authenticate (after
 * consent); `fields` are asked for in order, each with the config the earlier choices produced.
 */
export interface ConfigChoices<Config = any> {
  fields: string[]
  /** The choices for `field`; throws ConnectorError('auth' | 'config') with what to fix. */
  list(ctx: ConnectorContext<Config>, field: string): Promise<ConfigChoice[]>
}

/** A connector definition. Build it with {@link defineConnector}. */
export interface Connector<Config = any> {
  id: string
  title: string
  /** JSON Schema of a connection's config; secrets carry `writeOnly: true`. */
  configSchema: JsonSchema
  /**
   * Proves a connection works before it is saved: credentials, the addressed company/tenant,
   * permissions. Throws `ConnectorError('config' | 'auth')` with a message that tells the admin what to fix.
   */
  check(ctx: ConnectorContext<Config>): Promise<{ details?: Record<string, unknown> }>
  streams: Record<string, Stream<Config, any>>
  acknowledge?: Record<string, AcknowledgeOperation<Config>>
  webhooks?: Webhooks<Config>
  /** Resolves pending writes when their callback may have been lost. */
  outcomes?: {
    poll(
      ctx: ConnectorContext<Config>,
      pending: { correlationId: string; since: string }[],
    ): Promise<WriteOutcome[]>
    /** How long a write may stay pending before the runtime polls for it. */
    pollAfterMs: number
  }
  delegatedAuth?: DelegatedAuth<Config>
  configChoices?: ConfigChoices<Config>
  limits?: ConnectorLimits
  /** The emulator of this system, loaded lazily (tests, benchmarks and the demo use it). */
  sandbox?: SandboxFactory
}

/** Declares a connector. Only wires its parts; gives the object its type. */
export function defineConnector<Config>(connector: Connector<Config>): Connector<Config> {
  return connector
}
