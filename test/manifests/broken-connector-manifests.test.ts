/**
 * Broken connector manifests, each a realistic mistake, and the exact diagnostics `ferry validate`
 * prints for them: file:line:col, message and JSON pointer — the same machinery and format as flows.
 */
import { describe, expect, it } from 'vitest'
import { validateManifestFiles } from '../../core/manifest/validate-manifest-files.ts'
import { readFixture } from './read-fixture.ts'

const cases: { fixture: string; expected: string[] }[] = [
  {
    fixture: 'broken-connectors/auth-mixed.connector.yaml',
    expected: [
      'broken-connectors/auth-mixed.connector.yaml:8:1  auth mixes forms: "apiKey" (apiKey) with "basic" (basic); use only one  (/auth)',
    ],
  },
  {
    fixture: 'broken-connectors/bad-budget.connector.yaml',
    expected: [
      'broken-connectors/bad-budget.connector.yaml:6:33  limits.budget.per must be a duration like 30s, 15m, 1h or 1d (got "1 minute")  (/limits/budget/per)',
      'broken-connectors/bad-budget.connector.yaml:7:16  limits.concurrency must be at least 1 (got 0)  (/limits/concurrency)',
    ],
  },
  {
    fixture: 'broken-connectors/bad-id.connector.yaml',
    expected: [
      'broken-connectors/bad-id.connector.yaml:2:5  id must be kebab-case: lowercase letters, digits and single dashes (got "Invoicing_API")  (/id)',
    ],
  },
  {
    fixture: 'broken-connectors/credential-not-secret.connector.yaml',
    expected: [
      'broken-connectors/credential-not-secret.connector.yaml:5:3  warning: config.apiKey looks like a credential but is not marked secret: true (it would be stored unencrypted and shown)  (/config/apiKey)',
      'broken-connectors/credential-not-secret.connector.yaml:10:12  auth.apiKey.value reads config.apiKey, which is not marked secret: true; mark it so it is encrypted at rest and never shown  (/auth/apiKey/value)',
    ],
  },
  {
    fixture: 'broken-connectors/error-kind.connector.yaml',
    expected: [
      'broken-connectors/error-kind.connector.yaml:8:13  invalid errors.rules[0].kind "retry"; expected one of config, auth, transient, rate_limited, rejected, conflict, not_found  (/errors/rules/0/kind)',
    ],
  },
  {
    fixture: 'broken-connectors/error-status.connector.yaml',
    expected: [
      'broken-connectors/error-status.connector.yaml:7:15  errors.rules[0].status must be a status class like 4xx or 5xx (got "4xx-5xx")  (/errors/rules/0/status)',
    ],
  },
  {
    fixture: 'broken-connectors/ids-without-read.connector.yaml',
    expected: [
      'broken-connectors/ids-without-read.connector.yaml:12:15  webhooks.events[0] names ids to re-read, but streams.invoices has no read  (/webhooks/events/0/stream)',
    ],
  },
  {
    fixture: 'broken-connectors/inline-secret.connector.yaml',
    expected: [
      'broken-connectors/inline-secret.connector.yaml:8:15  auth.basic.password must read a secret config field (e.g. "{{ config.apiKey }}"), not hold the credential itself  (/auth/basic/password)',
    ],
  },
  {
    fixture: 'broken-connectors/jsonata-records.connector.yaml',
    expected: [
      'broken-connectors/jsonata-records.connector.yaml:10:36  streams.invoices.read.records is not valid JSONata: expected "]" before end of expression (S0203)  (/streams/invoices/read/records)',
    ],
  },
  {
    fixture: 'broken-connectors/missing-base-url.connector.yaml',
    expected: [
      'broken-connectors/missing-base-url.connector.yaml:1:1  missing required field "baseUrl": streams.invoices.read.path is a path relative to it  (/baseUrl)',
    ],
  },
  {
    fixture: 'broken-connectors/offset-without-page-size.connector.yaml',
    expected: [
      'broken-connectors/offset-without-page-size.connector.yaml:11:9  paging.offset needs read.pageSize (param and max): a short page is how the last one is recognised  (/streams/invoices/read/paging/offset)',
    ],
  },
  {
    fixture: 'broken-connectors/paging-style.connector.yaml',
    expected: [
      'broken-connectors/paging-style.connector.yaml:12:9  unknown field "cursor" in streams.invoices.read.paging; expected one of nextLink, linkHeader, offset, pageNumber, token  (/streams/invoices/read/paging/cursor)',
    ],
  },
  {
    fixture: 'broken-connectors/template-jsonata.connector.yaml',
    expected: [
      'broken-connectors/template-jsonata.connector.yaml:9:43  streams.invoices.find.path is not valid JSONata: unexpected end of expression (S0207)  (/streams/invoices/find/path)',
    ],
  },
  {
    fixture: 'broken-connectors/template-unterminated.connector.yaml',
    expected: [
      'broken-connectors/template-unterminated.connector.yaml:11:29  streams.invoices.actions.send.path is not a valid template: a "{{" has no matching "}}"  (/streams/invoices/actions/send/path)',
    ],
  },
  {
    fixture: 'broken-connectors/template-wrong-place.connector.yaml',
    expected: [
      'broken-connectors/template-wrong-place.connector.yaml:9:30  streams.invoices.read.path reads "record", which is not available here; available: config, query, window, since  (/streams/invoices/read/path)',
    ],
  },
  {
    fixture: 'broken-connectors/unknown-config.connector.yaml',
    expected: [
      'broken-connectors/unknown-config.connector.yaml:10:23  auth.apiKey.value reads config.apiKee, which is not declared in config; declared: apiKey (did you mean "apiKey"?)  (/auth/apiKey/value)',
    ],
  },
  {
    fixture: 'broken-connectors/unknown-top-level.connector.yaml',
    expected: [
      'broken-connectors/unknown-top-level.connector.yaml:1:1  missing required field "streams"  (/streams)',
      'broken-connectors/unknown-top-level.connector.yaml:5:1  unknown top-level field "stream"; expected one of version, id, title, description, docs, config, baseUrl, headers, auth, check, redirects, errors, limits, streams, webhooks, sandbox (did you mean "streams"?)  (/stream)',
    ],
  },
  {
    fixture: 'broken-connectors/webhook-unknown-stream.connector.yaml',
    expected: [
      'broken-connectors/webhook-unknown-stream.connector.yaml:12:15  webhooks.events[0].stream "invoice" is not a stream of this connector; expected one of invoices (did you mean "invoices"?)  (/webhooks/events/0/stream)',
    ],
  },
  {
    fixture: 'broken-connectors/write-operation.connector.yaml',
    expected: [
      'broken-connectors/write-operation.connector.yaml:9:7  unknown field "insert" in streams.invoices.write; expected one of create, update, upsert, delete (did you mean "upsert"?)  (/streams/invoices/write/insert)',
    ],
  },
  {
    fixture: 'broken-connectors/wrong-version.connector.yaml',
    expected: [
      'broken-connectors/wrong-version.connector.yaml:1:10  version must be 1 (got 2): this Ferry reads manifest format 1  (/version)',
    ],
  },
  {
    fixture: 'broken-connectors/yaml-syntax.connector.yaml',
    expected: [
      'broken-connectors/yaml-syntax.connector.yaml:8:1  YAML syntax error: missing closing "quote  (/)',
    ],
  },
]

describe('broken connector manifests', () => {
  it.each(cases)('$fixture', ({ fixture, expected }) => {
    const report = validateManifestFiles([readFixture(fixture)], {})
    expect(report.output.split('\n')).toEqual(expected)
  })
})
