import type {
  ApiFlow,
  ApiKeyIssued,
  ApiKeyListed,
  ApiQueued,
  ApiReconciliation,
  ApiReconciliationItem,
  ApiRecord,
  ApiRecordDetail,
  ApiRecordFilter,
  ApiReplayResult,
  ApiRun,
  ApiTenant,
} from './api-types.ts'
import { CliError } from './cli-error.ts'
import { problemLine } from './problem-line.ts'

/** Which Ferry API to call and with which (tenant) key. */
export interface ApiTarget {
  apiUrl: string
  apiKey: string
}

/** The typed HTTP client the CLI commands use; every failure is a one-line {@link CliError}. */
export type ApiClient = ReturnType<typeof createApiClient>

/**
 * A client for Ferry's tenant API. The key only ever travels in the Authorization header: no message
 * this client makes contains it.
 */
export function createApiClient(target: ApiTarget, fetchFn: typeof fetch = fetch) {
  async function request<T>(
    method: string,
    path: string,
    body?: unknown,
    accept = 'application/json',
  ): Promise<{ json: T; date: string | null; text: string }> {
    const url = `${target.apiUrl}${path}`
    let response: Response
    try {
      response = await fetchFn(url, {
        method,
        headers: {
          authorization: `Bearer ${target.apiKey}`,
          accept,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause
      const reason = cause?.code ?? cause?.message ?? (error as Error).message
      throw new CliError(
        `cannot reach the Ferry API at ${target.apiUrl} (${reason}); is \`ferry start\` running? ` +
          'Point the CLI elsewhere with --api <url> or FERRY_API_URL',
      )
    }
    const text = await response.text()
    let json: unknown
    try {
      json = text ? JSON.parse(text) : undefined
    } catch {}
    if (!response.ok) throw new CliError(problemLine(response.status, json, text, target.apiKey))
    return { json: json as T, date: response.headers.get('date'), text }
  }
  const call = async <T>(method: string, path: string, body?: unknown) =>
    (await request<T>(method, path, body)).json
  const query = (params: Record<string, string | number | undefined>) => {
    const search = new URLSearchParams()
    for (const [k, v] of Object.entries(params)) if (v !== undefined) search.set(k, String(v))
    const text = search.toString()
    return text ? `?${text}` : ''
  }
  const id = encodeURIComponent

  return {
    listFlows: async () => (await call<{ items: ApiFlow[] }>('GET', '/v1/flows')).items,
    getFlow: (flowId: string) => call<ApiFlow>('GET', `/v1/flows/${id(flowId)}`),
    listRuns: async (flowId: string, limit: number) =>
      (await call<{ items: ApiRun[] }>('GET', `/v1/flows/${id(flowId)}/runs${query({ limit })}`)).items,
    getRun: (runId: string) => call<ApiRun>('GET', `/v1/runs/${id(runId)}`),
    listRecords: (filter: ApiRecordFilter & { limit?: number; cursor?: string }) =>
      call<{ items: ApiRecord[]; nextCursor: string | null }>(
        'GET',
        `/v1/records${query({ ...filter, flowId: undefined, flow: filter.flowId })}`,
      ),
    getRecord: (recordId: string) => call<ApiRecordDetail>('GET', `/v1/records/${id(recordId)}`),
    /** Also returns the server's clock (the Date header) at the replay, to follow the records from then. */
    replay: async (body: { ids?: string[]; filter?: ApiRecordFilter; version: 'pinned' | 'latest' }) => {
      const { json, date } = await request<ApiReplayResult>('POST', '/v1/records/replay', body)
      return { ...json, serverTime: date ? new Date(date) : undefined }
    },
    runFlow: (flowId: string) => call<ApiQueued>('POST', `/v1/flows/${id(flowId)}/run`),
    backfill: (flowId: string, window: { from: string; to: string }) =>
      call<ApiQueued>('POST', `/v1/flows/${id(flowId)}/backfill`, window),
    reconcile: (body: { flow?: string; recipe?: string; from: string; to: string }) =>
      call<ApiReconciliation>('POST', '/v1/reconciliations', body),
    getReconciliation: (reconciliationId: string) =>
      call<ApiReconciliation>('GET', `/v1/reconciliations/${id(reconciliationId)}`),
    listReconciliationItems: (
      reconciliationId: string,
      page: { class?: string; limit?: number; cursor?: string },
    ) =>
      call<{ items: ApiReconciliationItem[]; nextCursor: string | null }>(
        'GET',
        `/v1/reconciliations/${id(reconciliationId)}/items${query(page)}`,
      ),
    reconciliationCsv: async (reconciliationId: string) =>
      (
        await request<unknown>(
          'GET',
          `/v1/reconciliations/${id(reconciliationId)}/csv`,
          undefined,
          'text/csv',
        )
      ).text,
    // Admin key only: tenants and API keys.
    listTenants: async () => (await call<{ items: ApiTenant[] }>('GET', '/v1/tenants')).items,
    listApiKeys: async () => (await call<{ items: ApiKeyListed[] }>('GET', '/v1/api-keys')).items,
    issueApiKey: (input: { tenantId?: string; name?: string }) =>
      call<ApiKeyIssued>(
        'POST',
        input.tenantId ? `/v1/tenants/${id(input.tenantId)}/api-keys` : '/v1/api-keys',
        input.name === undefined ? {} : { name: input.name },
      ),
    revokeApiKey: (keyId: string) => call<undefined>('DELETE', `/v1/api-keys/${id(keyId)}`),
    rotateApiKey: (keyId: string) => call<ApiKeyIssued>('POST', `/v1/api-keys/${id(keyId)}/rotate`),
  }
}
