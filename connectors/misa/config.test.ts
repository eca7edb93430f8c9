import { Ajv2020 } from 'ajv/dist/2020.js'
import { describe, expect, it } from 'vitest'
import { type Config, configSchema, MAX_REQUEST_TIMEOUT_MS, requestTimeoutMs } from './config.ts'

const validate = new Ajv2020({ strict: false, allErrors: true, validateFormats: false }).compile(configSchema)
const base = { appId: 'app', accessCode: 'code', orgCompanyCode: 'ORG' }

describe('MISA config', () => {
  it('bounds requestTimeoutMs: 1e308 once broke every call', () => {
    expect(validate({ ...base, requestTimeoutMs: 1e308 })).toBe(false)
    expect(validate.errors?.[0]?.instancePath).toBe('/requestTimeoutMs')
    expect(validate({ ...base, requestTimeoutMs: MAX_REQUEST_TIMEOUT_MS })).toBe(true)
  })

  it('uses a bounded timeout even for a config stored before the bound', () => {
    expect(requestTimeoutMs({ ...base, requestTimeoutMs: 1e308 } as Config)).toBe(MAX_REQUEST_TIMEOUT_MS)
    expect(requestTimeoutMs(base as Config)).toBe(60_000)
    expect(() =>
      AbortSignal.timeout(requestTimeoutMs({ ...base, requestTimeoutMs: 1e308 } as Config)),
    ).not.toThrow()
  })
})
