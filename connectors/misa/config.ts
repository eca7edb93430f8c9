/** A MISA AMIS connection's settings and their JSON Schema. */
import type { JsonSchema } from '../../core/connector/connector.ts'
import type { ChartRegime } from '../../core/vietnam/chart-presets.ts'

/** The connection config, validated against {@link configSchema}. */
export type Config = {
  /** Default `https://actapp.misa.vn`. */
  baseUrl?: string
  /** The partner app's id issued by MISA. Also the key of callback signatures, hence treated as a secret. */
  appId: string
  /** The company's access code ("Mã kết nối") generated in AMIS. */
  accessCode: string
  orgCompanyCode: string
  /** AMIS branch (organisation unit type 1 or 2) that vouchers and master data belong to. */
  branchId?: string
  chartRegime?: ChartRegime
  /** Where MISA posts outcomes (registered with MISA out of band). */
  callbackUrl?: string
  /** Per-call timeout; default 60 s. */
  requestTimeoutMs?: number
  /** How long a write may stay without outcome before it is failed for a resend; default 6 h. */
  outcomeTimeoutMs?: number
}

/** The production base URL; MISA runs no separate sandbox. */
export const DEFAULT_BASE_URL = 'https://actapp.misa.vn'

/** The config's JSON Schema; `appId` and `accessCode` are secrets. */
export const configSchema: JsonSchema = {
  type: 'object',
  required: ['appId', 'accessCode', 'orgCompanyCode'],
  additionalProperties: false,
  properties: {
    baseUrl: {
      type: 'string',
      pattern: '^https?://',
      default: DEFAULT_BASE_URL,
      description: 'AMIS Kế toán API base URL.',
    },
    appId: {
      type: 'string',
      minLength: 1,
      writeOnly: true,
      description: 'App ID ("Mã ứng dụng") issued by MISA; also signs callbacks.',
    },
    accessCode: {
      type: 'string',
      minLength: 1,
      writeOnly: true,
      description: 'Access code ("Mã kết nối") from AMIS → connection settings.',
    },
    orgCompanyCode: {
      type: 'string',
      minLength: 1,
      description: 'The company code (org_company_code) agreed with MISA.',
    },
    branchId: { type: 'string', description: 'AMIS branch GUID for vouchers and master data.' },
    chartRegime: {
      enum: ['TT99', 'TT200', 'TT133'],
      default: 'TT99',
      description: 'Chart of accounts: TT99 (2026+), TT200 or TT133.',
    },
    callbackUrl: {
      type: 'string',
      pattern: '^https?://',
      description: 'Callback URL registered with MISA (the Ferry webhook ingress).',
    },
    requestTimeoutMs: { type: 'integer', minimum: 1000, default: 60_000 },
    outcomeTimeoutMs: { type: 'integer', minimum: 60_000, default: 21_600_000 },
  },
}

/** The secrets of a config, for redaction. */
export function configSecrets(config: Config): string[] {
  return [config.accessCode, config.appId].filter((s): s is string => typeof s === 'string' && s.length > 0)
}

/** The base URL without a trailing slash. */
export function resolveBaseUrl(config: Config): string {
  return (config.baseUrl || DEFAULT_BASE_URL).replace(/\/+$/, '')
}
