/**
 * Broken manifests, each a realistic mistake, and the exact diagnostics `ferry validate` prints for
 * them: file:line:col, message and JSON pointer. Streams and operations are checked against the
 * fixture registry (the real connectors' streams are still being written).
 */
import { describe, expect, it } from 'vitest'
import { catalogFromConnectors } from '../../core/manifest/catalog.ts'
import { validateManifestFiles } from '../../core/manifest/validate-manifest-files.ts'
import { fixtureRegistry } from './fixture-registry.ts'
import { readFixture, resolveFixture } from './read-fixture.ts'

const catalog = catalogFromConnectors(fixtureRegistry)

const cases: { fixture: string; expected: string[] }[] = [
  {
    fixture: 'broken/bad-cron.flow.yaml',
    expected: [
      'broken/bad-cron.flow.yaml:11:13  trigger.schedule "0 25 * * *" is not valid cron: in the hour field, 25 is outside 0-23  (/trigger/schedule)',
    ],
  },
  {
    fixture: 'broken/bad-duration.flow.yaml',
    expected: [
      'broken/bad-duration.flow.yaml:11:10  trigger.every must be a duration like 30s, 15m, 1h or 1d (got "15 minutes")  (/trigger/every)',
    ],
  },
  {
    fixture: 'broken/bad-name.flow.yaml',
    expected: [
      'broken/bad-name.flow.yaml:3:7  name must be kebab-case: lowercase letters, digits and single dashes (got "Basware_Invoices_To_BC")  (/name)',
    ],
  },
  {
    fixture: 'broken/bad-timezone.flow.yaml',
    expected: [
      'broken/bad-timezone.flow.yaml:11:44  unknown time zone "Europe/Helsinky" in trigger.schedule.timezone; use an IANA name such as UTC, Europe/Amsterdam or Asia/Ho_Chi_Minh  (/trigger/schedule/timezone)',
    ],
  },
  {
    fixture: 'broken/claim-unsupported.flow.yaml',
    expected: [
      'broken/claim-unsupported.flow.yaml:10:10  source.claim is true but basware/exportedInvoices cannot claim records  (/source/claim)',
    ],
  },
  {
    fixture: 'broken/duplicate-key.flow.yaml',
    expected: [
      'broken/duplicate-key.flow.yaml:15:1  duplicate key: each field may appear only once in a mapping  (/map)',
    ],
  },
  {
    fixture: 'broken/jsonata-block.flow.yaml',
    expected: [
      'broken/jsonata-block.flow.yaml:13:68  map is not valid JSONata: expected "}", got "]" (S0202)  (/map)',
    ],
  },
  {
    fixture: 'broken/jsonata-double-quoted.flow.yaml',
    expected: [
      'broken/jsonata-double-quoted.flow.yaml:10:65  map is not valid JSONata: the symbol "+" cannot be used as a unary operator (S0211)  (/map)',
    ],
  },
  {
    fixture: 'broken/jsonata-file.flow.yaml',
    expected: [
      'broken/broken-map.jsonata:4:10  map is not valid JSONata: expected ")", got ":" (S0202)  (/map)',
    ],
  },
  {
    fixture: 'broken/jsonata-folded.flow.yaml',
    expected: [
      'broken/jsonata-folded.flow.yaml:12:43  map is not valid JSONata: expected ")", got 0 (S0202)  (/map)',
    ],
  },
  {
    fixture: 'broken/jsonata-match.flow.yaml',
    expected: [
      'broken/jsonata-match.flow.yaml:15:83  target.match.vendorInvoiceNumber is not valid JSONata: unexpected end of expression (S0207)  (/target/match/vendorInvoiceNumber)',
    ],
  },
  {
    fixture: 'broken/jsonata-plain.flow.yaml',
    expected: [
      'broken/jsonata-plain.flow.yaml:10:31  map is not valid JSONata: unexpected end of expression (S0207)  (/map)',
    ],
  },
  {
    fixture: 'broken/jsonata-single-quoted.flow.yaml',
    expected: [
      'broken/jsonata-single-quoted.flow.yaml:10:62  map is not valid JSONata: expected ")", got "]" (S0202)  (/map)',
    ],
  },
  {
    fixture: 'broken/jsonata-when.flow.yaml',
    expected: [
      'broken/jsonata-when.flow.yaml:10:27  when is not valid JSONata: unexpected end of expression (S0207)  (/when)',
    ],
  },
  {
    fixture: 'broken/lookup-both-forms.flow.yaml',
    expected: [
      'broken/lookup-both-forms.flow.yaml:11:3  lookups.vendorNo mixes forms: "connection", "stream", "key", "value" (stream lookup) with "values" (static lookup); use only one  (/lookups/vendorNo)',
    ],
  },
  {
    fixture: 'broken/match-without-find.flow.yaml',
    expected: [
      'broken/match-without-find.flow.yaml:15:3  target.match needs a stream that can find records; business-central/journalLines cannot  (/target/match)',
    ],
  },
  {
    fixture: 'broken/missing-identity.flow.yaml',
    expected: [
      'broken/missing-identity.flow.yaml:9:11  basware/exportedInvoices declares no default identity; set identity.key (JSONata over the source record)  (/identity)',
    ],
  },
  {
    fixture: 'broken/missing-map-file.flow.yaml',
    expected: [
      'broken/missing-map-file.flow.yaml:10:6  map file "./basware-invoice-to-bc.jsonata" not found (paths are relative to the manifest\'s folder)  (/map)',
    ],
  },
  {
    fixture: 'broken/missing-required.flow.yaml',
    expected: [
      'broken/missing-required.flow.yaml:11:1  target is missing required field "operation"  (/target/operation)',
    ],
  },
  {
    fixture: 'broken/source-not-readable.flow.yaml',
    expected: [
      'broken/source-not-readable.flow.yaml:9:11  basware/vendors cannot be read; readable streams: accountingDocuments, exportedInvoices  (/source/stream)',
    ],
  },
  {
    fixture: 'broken/tab-indent.flow.yaml',
    expected: [
      'broken/tab-indent.flow.yaml:9:1  tabs are not allowed for indentation in YAML; indent with spaces  (/)',
    ],
  },
  {
    fixture: 'broken/test-without-expect.flow.yaml',
    expected: [
      'broken/test-without-expect.flow.yaml:16:5  tests[0] needs "expect" (test with expect) or "expectError" (test with expectError)  (/tests/0)',
      'broken/test-without-expect.flow.yaml:18:5  unknown field "expected" in tests[0]; expected one of name, input, lookups, expect (did you mean "expect"?)  (/tests/0/expected)',
    ],
  },
  {
    fixture: 'broken/three-mistakes.flow.yaml',
    expected: [
      'broken/three-mistakes.flow.yaml:9:11  unknown stream "acountingDocuments" for basware; expected one of accountingDocuments, vendors, exportedInvoices (did you mean "accountingDocuments"?)  (/source/stream)',
      'broken/three-mistakes.flow.yaml:11:3  unknown field "scheduel" in trigger; expected one of schedule, every, webhook (did you mean "schedule"?)  (/trigger/scheduel)',
      'broken/three-mistakes.flow.yaml:16:14  unknown operation "craete" for business-central/purchaseInvoices; expected one of create (did you mean "create"?)  (/target/operation)',
    ],
  },
  {
    fixture: 'broken/trailing-comma.flow.json',
    expected: [
      'broken/trailing-comma.flow.json:8:1  JSON syntax error: expected double-quoted property name  (/)',
    ],
  },
  {
    fixture: 'broken/unknown-acknowledge.flow.yaml',
    expected: [
      'broken/unknown-acknowledge.flow.yaml:16:14  unknown acknowledge operation "transferRespons" for basware; expected one of transferResponse (did you mean "transferResponse"?)  (/acknowledge/operation)',
    ],
  },
  {
    fixture: 'broken/unknown-action.flow.yaml',
    expected: [
      'broken/unknown-action.flow.yaml:15:10  unknown action "pots" for business-central/purchaseInvoices; expected one of post (did you mean "post"?)  (/target/then/0)',
    ],
  },
  {
    fixture: 'broken/unknown-connection-alias.flow.yaml',
    expected: [
      'broken/unknown-connection-alias.flow.yaml:6:3  warning: connection "bc" is declared but no source, target or lookup uses it  (/connections/bc)',
      'broken/unknown-connection-alias.flow.yaml:12:15  target.connection "bcc" is not declared in connections; expected one of basware, bc (did you mean "bc"?)  (/target/connection)',
    ],
  },
  {
    fixture: 'broken/unknown-connector.flow.yaml',
    expected: [
      'broken/unknown-connector.flow.yaml:6:7  unknown connector "bussiness-central" for connection "bc"; expected one of basware, business-central, misa (did you mean "business-central"?)  (/connections/bc)',
    ],
  },
  {
    fixture: 'broken/unknown-lookup.flow.yaml',
    expected: [
      'broken/unknown-lookup.flow.yaml:14:35  $lookupTable of "vendorNoo", which is not in lookups; declared lookups: vendorNo (did you mean "vendorNo"?)  (/map)',
      'broken/unknown-lookup.flow.yaml:23:16  tests[0].lookups names "vendor", which is not in lookups; declared lookups: vendorNo (did you mean "vendorNo"?)  (/tests/0/lookups/vendor)',
    ],
  },
  {
    fixture: 'broken/renamed-lookup.flow.yaml',
    expected: [
      'broken/renamed-lookup.flow.yaml:14:21  $lookup("vendorNo", …) reads a table by its old name: Ferry\'s table lookup is $lookupTable("vendorNo", …); $lookup is JSONata\'s $lookup(object, key)  (/map)',
    ],
  },
  {
    fixture: 'broken/unknown-operation.flow.yaml',
    expected: [
      'broken/unknown-operation.flow.yaml:14:14  unknown operation "craete" for business-central/purchaseInvoices; expected one of create (did you mean "create"?)  (/target/operation)',
    ],
  },
  {
    fixture: 'broken/unknown-stream.flow.yaml',
    expected: [
      'broken/unknown-stream.flow.yaml:9:11  unknown stream "accountingDocument" for basware; expected one of accountingDocuments, vendors, exportedInvoices (did you mean "accountingDocuments"?)  (/source/stream)',
    ],
  },
  {
    fixture: 'broken/unknown-top-level-key.flow.yaml',
    expected: [
      'broken/unknown-top-level-key.flow.yaml:2:1  missing required field "map"  (/map)',
      'broken/unknown-top-level-key.flow.yaml:10:1  unknown top-level field "maps"; expected one of version, name, description, connections, source, trigger, identity, order, when, lookups, map, target, acknowledge, retry, tests (did you mean "map"?)  (/maps)',
    ],
  },
  {
    fixture: 'broken/unsupported-operation.flow.yaml',
    expected: [
      'broken/unsupported-operation.flow.yaml:14:14  business-central/purchaseInvoices does not support operation "upsert"; supported: create  (/target/operation)',
    ],
  },
  {
    fixture: 'broken/webhook-unsupported.flow.yaml',
    expected: [
      'broken/webhook-unsupported.flow.yaml:11:12  trigger.webhook needs webhook notifications for basware/exportedInvoices; streams with webhooks: accountingDocuments  (/trigger/webhook)',
    ],
  },
  {
    fixture: 'broken/wrong-version.flow.yaml',
    expected: [
      'broken/wrong-version.flow.yaml:2:10  version must be 1 (got 2): this Ferry reads manifest format 1  (/version)',
    ],
  },
  {
    fixture: 'broken/yaml-syntax.flow.yaml',
    expected: [
      'broken/yaml-syntax.flow.yaml:8:1  YAML syntax error: flow map in block collection must be sufficiently indented and end with a }  (/map)',
    ],
  },
  {
    fixture: 'broken/recipe/recipe.yaml',
    expected: [
      'broken/recipe/recipe.yaml:13:17  mappingTables.bc-account-to-vas.to.role "amis" is not a role; roles: bc, misa  (/mappingTables/bc-account-to-vas/to/role)',
      'broken/recipe/recipe.yaml:17:5  flow file "./customers.flow.yaml" not found (paths are relative to the recipe\'s folder)  (/flows/1)',
      'broken/recipe/vendors.flow.yaml:6:3  connection "accounting" is not a role of the recipe; roles: bc, misa  (/connections/accounting)',
      'broken/recipe/vendors.flow.yaml:11:24  unknown mapping table "bc-accounts-to-vas" in lookups.vasAccount.table; the recipe defines bc-account-to-vas (did you mean "bc-account-to-vas"?)  (/lookups/vasAccount/table)',
    ],
  },
]

describe('broken manifests', () => {
  it.each(cases)('$fixture', ({ fixture, expected }) => {
    const report = validateManifestFiles([readFixture(fixture)], catalog, resolveFixture)
    expect(report.output.split('\n')).toEqual(expected)
  })

  it('covers at least 25 distinct mistakes', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25)
  })
})
