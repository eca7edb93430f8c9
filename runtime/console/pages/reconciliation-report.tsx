import { Hono } from 'hono'
import { inProcessEnv } from '../../api/in-process-principal.ts'
import { callApi } from '../call-api.ts'
import type { ConsoleDeps } from '../console-deps.ts'
import type { ConsoleEnv, View } from '../console-env.ts'
import { Layout } from '../layout.tsx'
import { addDays, loadGoLive, type Reconciliation } from './go-live-types.ts'

interface Difference {
  field: string
  expected: string | number | null
  actual: string | number | null
  kind: 'mistake' | 'rounding'
}

interface Item {
  seq: number
  flowId: string
  class: string
  sourceKey?: string
  recordId?: string
  party?: string
  reference?: string
  date?: string
  currency?: string
  amount?: number
  targetNumbers: string[]
  differences: Difference[]
}

const CLASSES = ['matched', 'differs', 'not_in_target', 'not_from_ferry', 'posted_twice'] as const
/** Documents per list on the page; the CSV has them all. */
const PAGE = 200
/** Field names that hold money (shown in the document's currency). */
const MONEY_FIELD = /amount|gross|net|vat|tax|total|price/i

/** A value as a clerk reads it: money in the document currency, the rest as is. */
function shown(view: View, field: string, value: string | number | null, currency?: string) {
  if (value === null) return view.t('common.none')
  if (typeof value === 'number' && currency && MONEY_FIELD.test(field)) return view.money(value, currency)
  return String(value)
}

function Document(props: { view: View; item: Item }) {
  const { view, item } = props
  return (
    <>
      <td>
        {item.recordId ? (
          <a href={`/console/activity/${item.recordId}`}>{item.reference ?? item.sourceKey}</a>
        ) : (
          (item.reference ?? item.sourceKey ?? view.t('common.none'))
        )}
      </td>
      <td>{item.party ?? ''}</td>
      <td>{item.date ? view.date(item.date, 'date') : ''}</td>
      <td class="num">
        {item.amount !== undefined && item.currency ? view.money(item.amount, item.currency) : ''}
      </td>
    </>
  )
}

function DocumentHead(props: { view: View; extra: string }) {
  const { view } = props
  return (
    <thead>
      <tr>
        <th scope="col">{view.t('golive.reference')}</th>
        <th scope="col">{view.t('golive.party')}</th>
        <th scope="col">{view.t('golive.date')}</th>
        <th scope="col">{view.t('golive.amount')}</th>
        <th scope="col">{props.extra}</th>
      </tr>
    </thead>
  )
}

/** The differing documents, each with its field-level differences and whose rule explains them. */
function DiffersTable(props: { view: View; items: Item[]; systemOf: (flowId: string) => string }) {
  const { view } = props
  if (!props.items.length) return <p class="muted">{view.t('golive.nothing')}</p>
  return (
    <table>
      <caption>{view.t('golive.class.differs')}</caption>
      <DocumentHead view={view} extra={view.t('golive.differences')} />
      <tbody>
        {props.items.map((item) => {
          const system = props.systemOf(item.flowId)
          return (
            <tr>
              <Document view={view} item={item} />
              <td>
                <table class="differences">
                  <thead>
                    <tr>
                      <th scope="col">{view.t('golive.field')}</th>
                      <th scope="col">{view.t('golive.expected')}</th>
                      <th scope="col">{view.t('golive.actual', { system })}</th>
                      <th scope="col">{view.t('golive.kind')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {item.differences.map((d) => (
                      <tr>
                        <td>{d.field}</td>
                        <td class="num">{shown(view, d.field, d.expected, item.currency)}</td>
                        <td class="num">{shown(view, d.field, d.actual, item.currency)}</td>
                        <td>
                          <span class={`state state-${d.kind === 'rounding' ? 'idle' : 'bad'}`}>
                            {d.kind === 'rounding'
                              ? view.t('golive.kind.rounding', { system })
                              : view.t('golive.kind.mistake')}
                          </span>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}

function ListTable(props: { view: View; items: Item[]; caption: string; numbersLabel: string }) {
  const { view } = props
  return (
    <table>
      <caption>{props.caption}</caption>
      <DocumentHead view={view} extra={props.numbersLabel} />
      <tbody>
        {props.items.length ? (
          props.items.map((item) => (
            <tr>
              <Document view={view} item={item} />
              <td>{item.targetNumbers.join(', ') || view.t('common.none')}</td>
            </tr>
          ))
        ) : (
          <tr>
            <td colspan={5}>{view.t('golive.nothing')}</td>
          </tr>
        )}
      </tbody>
    </table>
  )
}

/**
 * A comparison's report: documents per class (matched, differing, missing in the target, keyed in the
 * target only, posted twice), each differing document with its fields, rounding by the target's own
 * rule told apart from mistakes; and the CSV the API writes, for a spreadsheet.
 */
export function reconciliationRoutes(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>()

  app.get('/:id', async (c) => {
    const view = c.get('view')
    const session = c.get('session')
    const id = encodeURIComponent(c.req.param('id'))
    const found = await callApi<Reconciliation>(deps.api, session, 'GET', `/v1/reconciliations/${id}`)
    if (!found.ok) return c.notFound()
    const r = found.body
    const { systemOf } = await loadGoLive(deps, session)
    const system = systemOf(r.recipe, r.flowId)
    const flowSystem = (flowId: string) => systemOf(null, flowId)
    const items = async (classes: string) =>
      r.state === 'done'
        ? (
            await callApi<{ items: Item[] }>(
              deps.api,
              session,
              'GET',
              `/v1/reconciliations/${id}/items?class=${classes}&limit=${PAGE}`,
            )
          ).body.items
        : []
    const [differs, missing, byHand, twice] = await Promise.all([
      items('differs'),
      items('not_in_target'),
      items('not_from_ferry'),
      items('posted_twice'),
    ])
    const rounding = differs.some((i) => i.differences.some((d) => d.kind === 'rounding'))
    const title = view.t('golive.reportTitle', {
      from: view.date(r.periodFrom, 'date'),
      to: view.date(addDays(r.periodTo, -1), 'date'),
    })
    return c.html(
      <Layout view={view} title={title}>
        <p>
          <a href="/console/go-live">{view.t('golive.back')}</a>
        </p>
        {r.state === 'queued' || r.state === 'running' ? (
          <p role="status">{view.t('golive.reportRunning')}</p>
        ) : null}
        {r.state === 'failed' ? (
          <div class="error" role="alert">
            <p>{view.t('golive.reportFailed')}</p>
            <p class="exact">{r.error?.detail ?? r.error?.message ?? ''}</p>
          </div>
        ) : null}
        {r.state === 'done' ? (
          <>
            <dl class="counts">
              {CLASSES.map((k) => (
                <div>
                  <dt>{view.t(`golive.class.${k}`, { system })}</dt>
                  <dd>{r.counts[k] ?? 0}</dd>
                  <dd class="hint">{view.t(`golive.classHint.${k}`, { system })}</dd>
                </div>
              ))}
            </dl>
            <p>
              <a href={`/console/go-live/reconciliations/${id}/csv`} download>
                {view.t('golive.csv')}
              </a>
            </p>
            {rounding ? <p class="hint">{view.t('golive.roundingHint', { system })}</p> : null}
            <DiffersTable view={view} items={differs} systemOf={flowSystem} />
            <ListTable
              view={view}
              items={missing}
              caption={view.t('golive.missingList', { system })}
              numbersLabel={view.t('golive.targetNumbers', { system })}
            />
            <ListTable
              view={view}
              items={byHand}
              caption={view.t('golive.handList', { system })}
              numbersLabel={view.t('golive.targetNumbers', { system })}
            />
            <ListTable
              view={view}
              items={twice}
              caption={view.t('golive.twiceList')}
              numbersLabel={view.t('golive.targetNumbers', { system })}
            />
          </>
        ) : null}
      </Layout>,
    )
  })

  // The API's CSV as is (the same route a bearer key reaches), downloaded under the session.
  app.get('/:id/csv', async (c) => {
    const session = c.get('session')
    const id = encodeURIComponent(c.req.param('id'))
    const answer = await deps.api.fetch(
      new Request(`http://ferry.internal/v1/reconciliations/${id}/csv`),
      inProcessEnv({ keyId: session.keyId, role: 'tenant', tenantId: session.tenantId }),
    )
    if (!answer.ok) return c.notFound()
    return new Response(answer.body, {
      headers: {
        'content-type': answer.headers.get('content-type') ?? 'text/csv; charset=utf-8',
        'content-disposition':
          answer.headers.get('content-disposition') ?? `attachment; filename="reconciliation-${id}.csv"`,
      },
    })
  })
  return app
}
