import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { type ConnectorError, isConnectorError } from '../../core/connector/connector-error.ts'
import { declared, readAll, remoteContext } from './test-env.ts'

const connector = declared(`version: 1
id: errors-test
title: Ledgerly
config:
  token: { type: string, secret: true }
baseUrl: https://remote.test
auth:
  apiKey: { name: Authorization, value: "Bearer {{ config.token }}" }
errors:
  code: fault.code
  message: fault.text
  rules:
    - status: 400
      when: fault.code = 'PERIOD_CLOSED'
      kind: rejected
      message: "'The posting period is closed: ' & fault.text"
    - status: 400
      when: fault.code = 'LOCKED'
      kind: conflict
    - status: 5xx
      when: fault.code = 'THROTTLED'
      kind: rate_limited
      retryAfter: fault.waitSeconds
    - status: [418, 451]
      kind: config
streams:
  things:
    description: Things.
    read: { path: /things }
`)

async function failure(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<ConnectorError> {
  const app = new Hono().get('/things', (c) =>
    typeof body === 'string' ? c.text(body, status as 400, headers) : c.json(body, status as 400, headers),
  )
  const { ctx } = remoteContext(app, { token: 'tok-secret-42' })
  const error = await readAll(connector, 'things', ctx).catch((e: unknown) => e)
  if (!isConnectorError(error)) throw new Error(`expected a ConnectorError, got ${String(error)}`)
  return error
}

describe('declared error mapping', () => {
  it.each([
    [
      'a rule with a body test',
      400,
      { fault: { code: 'PERIOD_CLOSED', text: 'Dec 2026' } },
      {},
      {
        kind: 'rejected',
        remoteCode: 'PERIOD_CLOSED',
        remoteMessage: 'The posting period is closed: Dec 2026',
      },
    ],
    [
      'the next rule for another body',
      400,
      { fault: { code: 'LOCKED', text: 'record locked' } },
      {},
      { kind: 'conflict', remoteMessage: 'record locked' },
    ],
    [
      'a status class with a wait in the body',
      503,
      { fault: { code: 'THROTTLED', text: 'slow down', waitSeconds: 7 } },
      {},
      { kind: 'rate_limited', retryAfterMs: 7000 },
    ],
    ['a status list', 451, { fault: { text: 'blocked' } }, {}, { kind: 'config', status: 451 }],
    [
      'default: 400 without a matching rule is rejected',
      400,
      { fault: { code: 'X', text: 'bad' } },
      {},
      { kind: 'rejected', remoteCode: 'X' },
    ],
    ['default: 401 is auth', 401, { fault: { text: 'expired' } }, {}, { kind: 'auth' }],
    ['default: 404 is not_found', 404, { fault: { text: 'gone' } }, {}, { kind: 'not_found' }],
    [
      'default: 429 with Retry-After',
      429,
      {},
      { 'retry-after': '12' },
      { kind: 'rate_limited', retryAfterMs: 12_000 },
    ],
    [
      'default: 502 with a plain-text body',
      502,
      'Bad Gateway',
      {},
      { kind: 'transient', remoteMessage: 'Bad Gateway' },
    ],
  ])('%s', async (_, status, body, headers, expected) => {
    const error = await failure(status, body, headers)
    expect(error).toMatchObject({ status, ...expected })
    expect(error.message).toContain(`Ledgerly answered ${status} to GET /things`)
  })

  it('keeps secrets a remote echoes out of the error', async () => {
    const error = await failure(400, {
      fault: { code: 'BAD', text: 'token tok-secret-42 is not allowed here' },
    })
    expect(JSON.stringify(error.toJSON())).not.toContain('tok-secret-42')
    expect(error.remoteMessage).toBe('token [redacted] is not allowed here')
  })
})

describe('declared redirects', () => {
  const app = new Hono()
    .get('/things', (c) => c.redirect('https://remote.test/download/1', 302))
    .get('/elsewhere', (c) => c.redirect('https://files.other.test/1', 302))
    .get('/download/1', (c) => c.json([{ auth: c.req.header('authorization') ?? null }]))
  app.get('*', (c) =>
    c.json([{ host: new URL(c.req.url).host, auth: c.req.header('authorization') ?? null }]),
  )
  const withPolicy = (policy: string, path = '/things') =>
    declared(`version: 1
id: redirect-test
title: Redirects
config:
  token: { type: string, secret: true }
baseUrl: https://remote.test
auth:
  apiKey: { name: Authorization, value: "Bearer {{ config.token }}" }
redirects: ${policy}
streams:
  things:
    description: Things.
    read: { path: ${path} }
`)

  it('follow: credentials go along to the same origin only', async () => {
    const { ctx } = remoteContext(app, { token: 't1' })
    expect((await readAll(withPolicy('follow'), 'things', ctx)).records).toEqual([{ auth: 'Bearer t1' }])
    expect((await readAll(withPolicy('follow', '/elsewhere'), 'things', ctx)).records).toEqual([
      { host: 'files.other.test', auth: null },
    ])
  })

  it('follow-without-credentials: never on a redirect, and the hop is counted', async () => {
    const { ctx } = remoteContext(app, { token: 't1' })
    const { records, pages } = await readAll(withPolicy('follow-without-credentials'), 'things', ctx)
    expect(records).toEqual([{ auth: null }])
    expect((pages[0] as { calls?: number }).calls).toBe(2)
  })

  it('refuse: a redirect is an error', async () => {
    const { ctx } = remoteContext(app, { token: 't1' })
    await expect(readAll(withPolicy('refuse'), 'things', ctx)).rejects.toMatchObject({
      kind: 'rejected',
      status: 302,
    })
  })
})
