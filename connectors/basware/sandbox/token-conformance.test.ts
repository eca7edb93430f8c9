/**
 * Conformance of the Basware sandbox with the documented API, over raw HTTP: the token endpoint and credential checks.
 */
import { describe, expect, it } from 'vitest'
import { call, h, token, useSandbox } from './conformance-harness.ts'

const vendor = (externalCode: string, extra: Record<string, unknown> = {}) => ({
  externalCode,
  vendorCode: externalCode.slice(0, 25),
  name: 'Công ty CP Bao Bì Hà Nội',
  companies: [{ companyCode: 'VN01' }],
  ...extra,
})

useSandbox()

describe('token endpoint', () => {
  it('issues an hour-long bearer token without a refresh token for Basic client credentials and a form body', async () => {
    const config = h.sandbox.connectionConfig()
    const res = await call('POST', '/v1/tokens', {
      auth: `Basic ${Buffer.from(`${config.clientId}:${config.clientSecret}`).toString('base64')}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&scope=vendors.read%20vendors.write',
    })
    expect(res.status).toBe(200)
    const body = (await res.json()) as Record<string, unknown>
    expect(body).toMatchObject({
      scope: 'vendors.read vendors.write',
      expires_in: 3600,
      token_type: 'Bearer',
    })
    expect(body).not.toHaveProperty('refresh_token')
  })

  it.each([
    [
      'wrong client secret',
      'Basic ' + Buffer.from('ferry-sandbox-client:nope').toString('base64'),
      'grant_type=client_credentials&scope=vendors.read',
      401,
      { error: 'invalid_client' },
    ],
    [
      'no grant_type',
      undefined,
      'scope=vendors.read',
      400,
      { error: 'invalid_request', error_description: 'grant_type field required' },
    ],
    ['no scope', undefined, 'grant_type=client_credentials', 400, { error: 'invalid_request' }],
  ])('refuses a token request with %s', async (_name, auth, body, status, error) => {
    const config = h.sandbox.connectionConfig()
    const res = await call('POST', '/v1/tokens', {
      auth: auth ?? `Basic ${Buffer.from(`${config.clientId}:${config.clientSecret}`).toString('base64')}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    })
    expect(res.status).toBe(status)
    expect(await res.json()).toMatchObject(error)
  })

  it('expires tokens on the sandbox h.clock and enforces scopes per API and method', async () => {
    const readOnly = await token('accountingDocuments.read')
    expect(
      (
        await call('GET', '/v1/accountingDocuments?ProcessingStatus=WaitingForTransfer', {
          auth: `Bearer ${readOnly}`,
        })
      ).status,
    ).toBe(302)
    expect(
      (await call('POST', '/v1/vendors', { auth: `Bearer ${readOnly}`, body: [vendor('V1')] })).status,
    ).toBe(401)
    h.clock += 3600_000
    expect((await call('GET', '/v1/accountingDocuments', { auth: `Bearer ${readOnly}` })).status).toBe(401)
  })

  it('accepts Basic API-user credentials as the alternative', async () => {
    const { username, password } = h.sandbox.connectionConfig()
    const res = await call('GET', '/v1/accountingDocuments', {
      auth: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
    })
    expect(res.status).toBe(302)
  })
})
