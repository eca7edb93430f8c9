import { Hono } from 'hono'
import { readApi } from '../call-api.ts'
import type { ConsoleDeps } from '../console-deps.ts'
import type { ConsoleEnv, View } from '../console-env.ts'
import { LOCALES } from '../i18n/translator.ts'
import { Layout } from '../layout.tsx'
import { BarChart } from './bar-chart.tsx'
import { RECORD_STATES, stateLabel } from './record-state.tsx'

interface Overview {
  days: { day: string; counts: Record<string, number> }[]
  delivered: number
  failed: number
  failureRate: number | null
  deliverySeconds: { p50: number | null; p95: number | null }
  backlog: Record<string, number>
  attention: {
    kind: 'exceptions' | 'connection' | 'subscription'
    id: string
    count: number
    message: string
  }[]
}

const ATTENTION_HREF = {
  exceptions: () => '/console/exceptions',
  connection: () => '/console/diagnostics',
  subscription: () => '/console/diagnostics',
}

function duration(view: View, seconds: number | null): string {
  if (seconds === null) return view.t('common.none')
  if (seconds < 120) return view.t('overview.seconds', { n: Math.round(seconds) })
  if (seconds < 7200) return view.t('overview.minutes', { n: Math.round(seconds / 60) })
  return view.t('overview.hours', { n: Math.round(seconds / 360) / 10 })
}

/** The days of the window, oldest first, so a day without records still shows (as an empty bar). */
function windowDays(timeZone: string, days: number): string[] {
  const out: string[] = []
  const format = new Intl.DateTimeFormat('en-CA', { timeZone })
  for (let i = days - 1; i >= 0; i--) out.push(format.format(new Date(Date.now() - i * 86_400_000)))
  return [...new Set(out)]
}

/**
 * Overview: records per day by state (a chart and its table), failure rate, time from approval
 * (read) to posted (delivered), the backlog and what needs attention now.
 */
export function overviewPage(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>()
  app.get('/', async (c) => {
    const view = c.get('view')
    const days = 14
    const o = await readApi<Overview>(
      deps.api,
      c.get('session'),
      `/v1/overview?days=${days}&timezone=${encodeURIComponent(view.timeZone)}`,
    )
    const byDay = new Map(o.days.map((d) => [d.day, d.counts]))
    const dayLabel = (day: string) =>
      // (the language's locale, as every other date: en-GB's day/month, not en-US's month/day)
      new Intl.DateTimeFormat(LOCALES[view.language], {
        timeZone: 'UTC',
        day: 'numeric',
        month: 'numeric',
      }).format(new Date(`${day}T00:00:00Z`))
    const rows = windowDays(view.timeZone, days).map((day) => ({ day, counts: byDay.get(day) ?? {} }))
    const total = rows.reduce((sum, r) => sum + Object.values(r.counts).reduce((a, b) => a + b, 0), 0)
    return c.html(
      <Layout view={view} title={view.t('overview.title')}>
        <dl class="facts">
          <dt>{view.t('overview.failureRate')}</dt>
          <dd>
            {o.failureRate === null
              ? view.t('common.none')
              : new Intl.NumberFormat(view.language, { style: 'percent', maximumFractionDigits: 1 }).format(
                  o.failureRate,
                )}{' '}
            <span class="muted">
              {view.t('overview.ofSettled', { delivered: o.delivered, failed: o.failed })}
            </span>
          </dd>
          <dt>{view.t('overview.timeToPosted')}</dt>
          <dd>
            p50 {duration(view, o.deliverySeconds.p50)} · p95 {duration(view, o.deliverySeconds.p95)}
          </dd>
          <dt>{view.t('overview.backlog')}</dt>
          <dd>
            {['queued', 'delivering', 'awaiting']
              .map((s) => `${stateLabel(view, s)} ${o.backlog[s] ?? 0}`)
              .join(' · ')}
          </dd>
        </dl>
        <h2>{view.t('overview.attention')}</h2>
        {o.attention.length === 0 ? (
          <p>{view.t('overview.allClear')}</p>
        ) : (
          <ul class="attention">
            {o.attention.map((a) => (
              <li>
                <a href={ATTENTION_HREF[a.kind]()}>
                  {a.kind === 'exceptions'
                    ? view.t('exceptions.count', { count: a.count })
                    : view.t(`overview.${a.kind}`)}
                </a>
                : <span class="exact">{a.message}</span>
              </li>
            ))}
          </ul>
        )}
        <h2>{view.t('overview.perDay')}</h2>
        <figure>
          <BarChart
            title={view.t('overview.chartTitle', { days, total })}
            series={RECORD_STATES}
            bars={rows.map((r) => ({ label: dayLabel(r.day), parts: r.counts }))}
          />
          <figcaption>
            <ul class="legend">
              {RECORD_STATES.map((s) => (
                <li>
                  <span class={`swatch chart-${s}`} aria-hidden="true" /> {stateLabel(view, s)}
                </li>
              ))}
            </ul>
          </figcaption>
        </figure>
        <table>
          <caption class="muted">{view.t('overview.perDay')}</caption>
          <thead>
            <tr>
              <th scope="col">{view.t('overview.day')}</th>
              {RECORD_STATES.map((s) => (
                <th scope="col">{stateLabel(view, s)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows
              .filter((r) => Object.keys(r.counts).length > 0)
              .map((r) => (
                <tr>
                  <th scope="row">{view.date(`${r.day}T12:00:00Z`, 'date')}</th>
                  {RECORD_STATES.map((s) => (
                    <td class="number">{r.counts[s] ?? 0}</td>
                  ))}
                </tr>
              ))}
          </tbody>
        </table>
      </Layout>,
    )
  })
  return app
}
