import { diffJson } from '../../../core/mapping/diff-json.ts'
import type { View } from '../console-env.ts'
import type { MessageKey } from '../i18n/messages-en.ts'

/** One ledger event as GET /v1/records/{id} returns it. */
interface LedgerItem {
  id: string
  at: string
  type: string
  attempt: number
  durationMs: number | null
  data: Record<string, any>
}

interface CallItem {
  method: string
  url: string
  status?: number
  durationMs?: number
}

const KNOWN = new Set([
  'read',
  'replayed',
  'mapped',
  'written',
  'action',
  'delivered',
  'failed',
  'retry',
  'skipped',
  'claimed',
  'acknowledged',
])

const label = (view: View, type: string) =>
  type === 'attempt'
    ? view.t('ledger.attemptStarted')
    : KNOWN.has(type)
      ? view.t(`ledger.${type}` as MessageKey)
      : type

const show = (value: unknown) => (value === undefined ? '∅' : JSON.stringify(value))

/** The target request/response summary a write or action records: method, URL, status, time per call. */
function Calls(props: { calls: CallItem[] | undefined }) {
  if (!props.calls?.length) return null
  return (
    <ul class="calls">
      {props.calls.map((call) => (
        <li>
          <code>
            {call.method} {call.url}
          </code>{' '}
          → {call.status ?? '…'}
          {call.durationMs === undefined ? '' : ` (${call.durationMs} ms)`}
        </li>
      ))}
    </ul>
  )
}

/**
 * A record's ledger as a timeline, oldest first: each attempt, the mapped record (and, from the
 * second mapping on, what changed since the previous one), the target's request/response summary,
 * retries and the exact error.
 */
export function RecordTimeline(props: { view: View; ledger: LedgerItem[] }) {
  const { view } = props
  let previousMapped: unknown
  return (
    <ol class="timeline">
      {props.ledger.map((event) => {
        let body: unknown = null
        const data = event.data ?? {}
        if (event.type === 'mapped') {
          const changes = previousMapped === undefined ? [] : diffJson(previousMapped, data.record)
          const first = previousMapped === undefined
          previousMapped = data.record
          body = (
            <>
              {first ? null : changes.length === 0 ? (
                <p class="muted">{view.t('ledger.sameAsBefore')}</p>
              ) : (
                <table class="diff">
                  <caption>{view.t('ledger.changes')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{view.t('ledger.field')}</th>
                      <th scope="col">{view.t('ledger.before')}</th>
                      <th scope="col">{view.t('ledger.after')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {changes.map((d) => (
                      <tr>
                        <td>
                          <code>{d.path}</code>
                        </td>
                        <td>{show(d.expected)}</td>
                        <td>{show(d.actual)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              <details open={first}>
                <summary>{view.t('ledger.mappedRecord')}</summary>
                <pre class="json" tabindex={0}>
                  {JSON.stringify(data.record, null, 2)}
                </pre>
              </details>
            </>
          )
        } else if (event.type === 'written' || event.type === 'action') {
          body = (
            <>
              <p>
                {[data.action, data.status, data.number ?? data.id, data.correlationId, data.reason]
                  .filter((v) => v !== undefined && v !== null)
                  .join(' · ')}
              </p>
              <Calls calls={data.calls} />
            </>
          )
        } else if (event.type === 'acknowledged') {
          // What the source system was told (Basware's transfer response): its message in words,
          // the payload behind a disclosure, and the call.
          const said = data.payload?.responseMessage
          body = (
            <>
              <p>
                {data.operation} · {data.ok ? view.t('ledger.ackSuccess') : view.t('ledger.ackFailure')}
                {typeof said === 'string' ? (
                  <>
                    {': '}
                    <span class="exact">{said}</span>
                  </>
                ) : null}
              </p>
              <details>
                <summary>{view.t('ledger.sent')}</summary>
                <pre class="json" tabindex={0}>
                  {JSON.stringify(data.payload, null, 2)}
                </pre>
              </details>
              <Calls calls={data.calls} />
            </>
          )
        } else if (event.type === 'delivered') {
          body = <p>{[data.number, data.id].filter(Boolean).join(' · ')}</p>
        } else if (data.error) {
          body = (
            <p class="exact">
              {data.error.remoteMessage ?? data.error.message}
              {data.error.remoteCode ? ` (${data.error.remoteCode})` : ''}
              {typeof data.delayMs === 'number'
                ? ` — ${view.t('ledger.retryIn', { seconds: Math.ceil(data.delayMs / 1000) })}`
                : ''}
            </p>
          )
        } else if (event.type !== 'attempt' && Object.keys(data).length > 0) {
          body = (
            <pre class="json" tabindex={0}>
              {JSON.stringify(data, null, 2)}
            </pre>
          )
        }
        return (
          <li class={`event event-${event.type}`}>
            <p>
              <strong>{label(view, event.type)}</strong> <span class="muted">{view.date(event.at)}</span>
              {event.attempt ? (
                <span class="muted"> · {view.t('ledger.attempt', { n: event.attempt })}</span>
              ) : null}
              {event.durationMs === null ? null : <span class="muted"> · {event.durationMs} ms</span>}
            </p>
            {body}
          </li>
        )
      })}
    </ol>
  )
}
