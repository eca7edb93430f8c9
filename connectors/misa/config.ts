/** A MISA AMIS connection's settings: one TypeBox schema for the type, the validation and the docs. */
import { type Static, Type } from '@sinclair/typebox'
import { stringEnum } from '../../core/manifest/schema-combinators.ts'
import type { ChartRegime } from '../../core/vietnam/chart-presets.ts'

/** The production base URL; MISA runs no separate sandbox. */
export const DEFAULT_BASE_URL = 'https://actapp.misa.vn'

/** The longest a single MISA call may be given (10 minutes); without a bound, 1e308 broke every call. */
export const MAX_REQUEST_TIMEOUT_MS = 600_000

/** The connection config; `appId` and `accessCode` are secrets, `baseUrl` decides where requests go. */
export const configSchema = Type.Object(
  {
    baseUrl: Type.Optional(
      Type.String({
        format: 'uri',
        pattern: '^https?://',
        'x-endpoint': true,
        default: DEFAULT_BASE_URL,
        description: 'AMIS Kế toán API base URL.',
      }),
    ),
    appId: Type.String({
      minLength: 1,
      writeOnly: true,
      description: 'App ID ("Mã ứng dụng") issued by MISA; also the key of callback signatures.',
    }),
    accessCode: Type.String({
      minLength: 1,
      writeOnly: true,
      description: 'Access code ("Mã kết nối") from AMIS → connection settings.',
    }),
    orgCompanyCode: Type.String({
      minLength: 1,
      description: 'The company code (org_company_code) agreed with MISA.',
    }),
    branchId: Type.Optional(
      Type.String({
        description: 'AMIS branch (organisation unit type 1 or 2) GUID for vouchers and master data.',
      }),
    ),
    chartRegime: Type.Optional(
      stringEnum(['TT99', 'TT200', 'TT133'] satisfies ChartRegime[], {
        default: 'TT99',
        description: 'Chart of accounts: TT99 (2026+), TT200 or TT133.',
      }),
    ),
    callbackUrl: Type.Optional(
      Type.String({
        format: 'uri',
        pattern: '^https?://',
        description:
          'Where MISA posts outcomes (the Ferry webhook ingress, registered with MISA out of band).',
      }),
    ),
    requestTimeoutMs: Type.Optional(
      Type.Integer({
        minimum: 1000,
        maximum: MAX_REQUEST_TIMEOUT_MS,
        default: 60_000,
        description: 'Per-call timeout in milliseconds (1 s to 10 min).',
      }),
    ),
    outcomeTimeoutMs: Type.Optional(
      Type.Integer({
        minimum: 60_000,
        maximum: 30 * 86_400_000,
        default: 21_600_000,
        description:
          'How long a write may stay without an outcome before it is failed for a resend (1 min to 30 days).',
      }),
    ),
  },
  { additionalProperties: false },
)

/** The connection config, validated against {@link configSchema}. */
export type Config = Static<typeof configSchema>

/** The secrets of a config, for redaction. */
export function configSecrets(config: Config): string[] {
  return [config.accessCode, config.appId].filter((s): s is string => typeof s === 'string' && s.length > 0)
}

/** The base URL without a trailing slash. */
export function resolveBaseUrl(config: Config): string {
  return (config.baseUrl || DEFAULT_BASE_URL).replace(/\/+$/, '')
}

/**
 * The per-call timeout to use: the configured one within the schema's bounds (a config stored before
 * the bound existed may hold 1e308, which AbortSignal.timeout refuses, failing every call).
 */
export function requestTimeoutMs(config: Config): number {
  const ms = config.requestTimeoutMs
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return 60_000
  return Math.min(MAX_REQUEST_TIMEOUT_MS, Math.max(1, Math.trunc(ms)))
}
