/**
 * The Basware P2P sandbox: a Hono app emulating the token, accounting document, response, master-data,
 * requestStatus and push-notification APIs, plus the `/__sandbox/…` control API. Everything is kept
 * in memory and indexed, so benchmarks can run it at hundreds of invoices per second.
 */
import { randomBytes } from 'node:crypto'
import { Hono } from 'hono'
import { routePath } from 'hono/route'
import type { Sandbox, SandboxOptions } from '../../../core/connector/sandbox.ts'
import { demoCompany } from '../../../core/demo/demo-company.ts'
import { DEFAULT_SCOPES } from '../config.ts'
import { type ApiClient, type ApiUser, TokenIssuer } from './auth/token-issuer.ts'
import { type ControlHooks, controlRoutes } from './control/control-routes.ts'
import { FaultInjector } from './control/fault-injector.ts'
import { RequestStats } from './control/request-stats.ts'
import { buildDocument, DEMO_COMPANY_CODE, seededRandom } from './control/seed-documents.ts'
import { ContinuationTokens } from './protocol/continuation-tokens.ts'
import { documentResponseRoutes } from './protocol/document-response-routes.ts'
import { documentReadRoutes } from './protocol/document-routes.ts'
import { documentStatusRoutes } from './protocol/document-status-routes.ts'
import { ExportObjects } from './protocol/export-objects.ts'
import { masterDataEditRoutes } from './protocol/master-data-edit-routes.ts'
import { masterDataRoutes } from './protocol/master-data-routes.ts'
import { matchingOrderRoutes } from './protocol/matching-order-routes.ts'
import { requestStatusRoutes } from './protocol/request-status-routes.ts'
import { RequestLog } from './rules/request-log.ts'
import { DocumentStore } from './state/document-store.ts'
import { MasterDataStore } from './state/master-data-store.ts'
import { isoNow, type SandboxCore } from './state/sandbox-core.ts'
import { defaultSettings } from './state/sandbox-settings.ts'
import { Notifier } from './webhooks/notifier.ts'
import { subscriptionRoutes } from './webhooks/subscription-routes.ts'

/** How many invoices a demo-seeded sandbox starts with. */
export const DEMO_DOCUMENT_COUNT = 24

const ALL_SCOPES = [
  ...DEFAULT_SCOPES,
  ...['vendors', 'accounts', 'costCenters', 'lists', 'taxCodes', 'paymentTerms', 'requestStatus'].flatMap(
    (a) => [`${a}.read`, `${a}.delete`],
  ),
  'accountingDocuments.delete',
  'tasks.read',
  'taskStatus.read',
]

/** Starts a Basware sandbox. */
export async function createSandbox(options: SandboxOptions): Promise<Sandbox> {
  const baseUrl = options.baseUrl.replace(/\/+$/, '')
  const basePath = new URL(baseUrl).pathname.replace(/\/+$/, '')
  const now = options.now ?? (() => new Date())
  const settings = defaultSettings()
  const client: ApiClient = {
    clientId: 'ferry-sandbox-client',
    clientSecret: `bw-sbx-${randomBytes(18).toString('base64url')}`,
    scopes: ALL_SCOPES,
  }
  const user: ApiUser = {
    username: `${DEMO_COMPANY_CODE}-openapi-consultant@basware.com`,
    password: `bw-pwd-${randomBytes(12).toString('base64url')}`,
  }
  const core: SandboxCore = {
    baseUrl,
    settings,
    now,
    stats: new RequestStats(),
    tokens: new TokenIssuer([client], [user], settings, now, baseUrl),
    documents: new DocumentStore(),
    continuation: new ContinuationTokens(now),
    exports: new ExportObjects(now),
    masterData: new MasterDataStore(),
    requests: new RequestLog(now, () => settings.importDelayMs),
    notifier: new Notifier(settings, now, options.fetch ?? globalThis.fetch),
    faults: new FaultInjector(),
  }
  let sequence = 0
  const random = seededRandom(20260601)

  const seed: ControlHooks['seed'] = async (input) => {
    const documents =
      input.documents ??
      Array.from({ length: Math.min(input.count ?? 1, 10_000) }, () =>
        buildDocument(random, now(), ++sequence, input.processingStatus, input.chart),
      )
    for (const doc of documents)
      core.documents.put({ ...doc, lastUpdated: doc.lastUpdated ?? isoNow(core) }, isoNow(core))
    for (const doc of documents) await core.notifier.documentEntered(doc.invoiceId, doc.processingStatus)
    return documents.map((d) => d.invoiceId)
  }
  const reset = () => {
    for (const part of [
      core.documents,
      core.continuation,
      core.exports,
      core.masterData,
      core.requests,
      core.notifier,
      core.faults,
    ])
      part.clear()
    core.stats.reset()
    Object.assign(settings, defaultSettings())
    for (const term of demoCompany.paymentTerms) core.masterData.knownPaymentTerms.add(term.code)
    for (const rate of demoCompany.vatRates) core.masterData.knownTaxCodes.add(`VAT${rate}`)
    if (options.seed !== 'empty') {
      for (let i = 0; i < DEMO_DOCUMENT_COUNT; i++)
        core.documents.put(buildDocument(random, now(), ++sequence), isoNow(core))
    }
  }
  reset()

  const api = new Hono()
  api.use('*', async (c, next) => {
    await next()
    const route = routePath(c, -1).slice(basePath.length)
    // Only Basware's own API counts: control calls are not what benchmarks measure.
    if (!route.startsWith('/__sandbox')) core.stats.record(c.req.method, route, c.res.status)
  })
  api.use('/v1/*', async (c, next) => {
    const path = new URL(c.req.url).pathname.slice(basePath.length)
    if (settings.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, settings.latencyMs))
    const fault = await core.faults.apply(c.req.method, path, () => core.tokens.expireAll())
    if (fault) return fault
    if (path === '/v1/tokens') return next()
    const refused = core.tokens.authenticate(c.req.header('authorization'), c.req.method, path)
    if (refused) return refused
    await next()
  })
  api.post('/v1/tokens', (c) => core.tokens.issue(c.req.raw))
  for (const routes of [
    // Before the document reads: `status` is not an invoiceId.
    documentStatusRoutes,
    documentReadRoutes,
    documentResponseRoutes,
    masterDataRoutes,
    masterDataEditRoutes,
    matchingOrderRoutes,
    requestStatusRoutes,
    subscriptionRoutes,
  ]) {
    api.route('/', routes(core))
  }
  api.route('/', controlRoutes(core, { seed, reset }))
  const app = basePath ? new Hono().route(basePath, api) : api

  return {
    fetch: async (request) => app.fetch(request),
    connectionConfig: () => ({
      baseUrl,
      authMode: 'oauth2',
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      scopes: DEFAULT_SCOPES.join(' '),
      companyCodes: [DEMO_COMPANY_CODE],
      username: user.username,
      password: user.password,
      signatureEncoding: 'auto',
    }),
    produce: async (count) => {
      await seed({ count })
    },
    close: () => core.notifier.close(),
  }
}
