import { describe, expect, it } from 'vitest'
import { errorFromResponse } from './errors.ts'

const entityList = (code: string, message: string) =>
  JSON.stringify({
    requestId: 'r1',
    hasErrors: true,
    errors: [{ externalCode: 'V-100', type: 'VALIDATION', code, message, info: null }],
  })

describe('errorFromResponse', () => {
  it.each([
    [
      '400 ResponseEntityList → rejected with Basware’s code and message',
      400,
      {},
      entityList('SCHEMA_VALIDATION_ERROR', 'vendorCode is required'),
      'rejected',
      'SCHEMA_VALIDATION_ERROR',
      undefined,
    ],
    ['401 → auth', 401, {}, '{"message":"Unauthorized"}', 'auth', undefined, undefined],
    [
      '404 → not_found',
      404,
      {},
      entityList('ENTITY_NOT_FOUND', 'no such invoice'),
      'not_found',
      'ENTITY_NOT_FOUND',
      undefined,
    ],
    [
      '409 → conflict',
      409,
      {},
      entityList('CONFLICT_IN_POST', 'conflict'),
      'conflict',
      'CONFLICT_IN_POST',
      undefined,
    ],
    [
      '429 with Retry-After → rate_limited',
      429,
      { 'retry-after': '30' },
      '{"message":"Too Many Requests"}',
      'rate_limited',
      undefined,
      30_000,
    ],
    ['429 without Retry-After → rate_limited', 429, {}, '', 'rate_limited', undefined, undefined],
    [
      '503 with Retry-After → rate_limited',
      503,
      { 'retry-after': '5' },
      '',
      'rate_limited',
      undefined,
      5_000,
    ],
    ['503 without Retry-After → transient', 503, {}, '', 'transient', undefined, undefined],
    [
      '500 ResponseEntityList → transient',
      500,
      {},
      entityList('UNEXPECTED_ERROR', 'boom'),
      'transient',
      'UNEXPECTED_ERROR',
      undefined,
    ],
  ])('%s', (_name, status, headers, body, kind, remoteCode, retryAfterMs) => {
    const error = errorFromResponse(
      'POST /v1/vendors',
      { status, headers: new Headers(headers as Record<string, string>) },
      body,
      [],
    )
    expect(error.kind).toBe(kind)
    expect(error.status).toBe(status)
    expect(error.remoteCode).toBe(remoteCode)
    expect(error.retryAfterMs).toBe(retryAfterMs)
  })

  it('keeps Basware’s messages and removes secrets from them', () => {
    const error = errorFromResponse(
      'POST /v1/tokens',
      { status: 400, headers: new Headers() },
      entityList('DATA_VALIDATION_FAILED', 'client_secret=abc123secret rejected for s3cr3t-value'),
      ['s3cr3t-value'],
    )
    expect(error.remoteMessage).toContain('V-100')
    expect(error.remoteMessage).not.toContain('abc123secret')
    expect(error.remoteMessage).not.toContain('s3cr3t-value')
  })
})
