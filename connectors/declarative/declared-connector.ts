/**
 * The declarative connector: ONE implementation of the connector contract that executes a connector
 * manifest. Every remote call goes through `ctx.fetch`, so the runtime's limits, egress policy and
 * call summaries apply to declared connectors exactly as to hand-written ones.
 */
import { type Connector, defineConnector } from '../../core/connector/connector.ts'
import { ConnectorError, isConnectorError } from '../../core/connector/connector-error.ts'
import type { SandboxFactory } from '../../core/connector/sandbox.ts'
import { connectorConfigSchema, secretConfigFields } from '../../core/manifest/connector-config-schema.ts'
import type { ConnectorManifest } from '../../core/manifest/connector-schema.ts'
import { durationMs } from '../../core/manifest/manifest-patterns.ts'
import { compileTemplate } from './compile-template.ts'
import { compileAuth } from './declared-auth.ts'
import { compileErrors } from './declared-errors.ts'
import { declaredStream } from './declared-stream.ts'
import { declaredWebhooks } from './declared-webhooks.ts'
import { compileRequest, type HttpRuntime, secretsOf, sendRequest } from './send-request.ts'

/** What a declaration cannot carry itself. */
export interface DeclaredConnectorOptions {
  /** The emulator named by the manifest's `sandbox`, loaded by whoever read the file. */
  sandbox?: SandboxFactory
}

/** Builds the connector a checked manifest declares (see core/manifest/parse-connector-manifest.ts). */
export function declaredConnector(
  manifest: ConnectorManifest,
  options: DeclaredConnectorOptions = {},
): Connector {
  const rt: HttpRuntime = {
    title: manifest.title,
    baseUrl: manifest.baseUrl ? compileTemplate(manifest.baseUrl, 'baseUrl') : undefined,
    headers: Object.entries(manifest.headers ?? {}).map(([k, v]) => [
      k.toLowerCase(),
      compileTemplate(v, `headers.${k}`),
    ]),
    auth: compileAuth(manifest.auth),
    errors: compileErrors(manifest.errors, manifest.title),
    redirects: manifest.redirects ?? 'follow',
    secretFields: secretConfigFields(manifest),
  }
  const check = manifest.check ? compileRequest(manifest.check, 'GET', 'check') : undefined
  const limits = manifest.limits
  return defineConnector({
    id: manifest.id,
    title: manifest.title,
    configSchema: connectorConfigSchema(manifest),
    async check(ctx) {
      if (!check) {
        await rt.auth.prove(ctx, secretsOf(rt, ctx))
        return { details: { checked: manifest.auth === 'none' ? 'nothing to check' : 'credentials' } }
      }
      try {
        const answer = await sendRequest(rt, ctx, check, { config: ctx.config })
        return { details: { status: answer.status } }
      } catch (error) {
        if (isConnectorError(error) && (error.kind === 'not_found' || error.kind === 'rejected'))
          throw new ConnectorError(
            'config',
            `${error.message} Check the connection's base URL and settings.`,
            {
              status: error.status,
              remoteCode: error.remoteCode,
              remoteMessage: error.remoteMessage,
            },
          )
        throw error
      }
    },
    streams: Object.fromEntries(
      Object.entries(manifest.streams).map(([name, spec]) => [name, declaredStream(rt, name, spec)]),
    ),
    ...(manifest.webhooks ? { webhooks: declaredWebhooks(manifest.webhooks) } : {}),
    ...(rt.auth.delegatedAuth ? { delegatedAuth: rt.auth.delegatedAuth } : {}),
    ...(limits
      ? {
          limits: {
            ...(limits.budget
              ? { budget: { requests: limits.budget.requests, perMs: durationMs(limits.budget.per) } }
              : {}),
            ...(limits.concurrency ? { concurrency: limits.concurrency } : {}),
          },
        }
      : {}),
    ...(options.sandbox ? { sandbox: options.sandbox } : {}),
  })
}
