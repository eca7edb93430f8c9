/**
 * The flow manifest v1 schema: the single source for validation (ajv), the TypeScript types below,
 * the published manifests/flow.schema.json (scripts/generate-schema.ts) and the editor completion the
 * `# yaml-language-server: $schema=…` modeline gives.
 */
import { type Static, Type } from '@sinclair/typebox'
import { manifestPatterns } from './manifest-patterns.ts'
import { dictionary, oneOf, stringEnum } from './schema-combinators.ts'

const closed = { additionalProperties: false } as const

const jsonata = (description: string) => Type.String({ minLength: 1, description: `JSONata: ${description}` })
const duration = (description: string, fallback?: string) =>
  Type.String({
    pattern: manifestPatterns.duration.pattern,
    description: `${description} (${manifestPatterns.duration.hint})`,
    ...(fallback === undefined ? {} : { default: fallback }),
  })
const alias = (description: string) => Type.String({ minLength: 1, description })
const freeObject = (description: string) => dictionary(Type.Unknown(), { description })

/** Where records come from. */
export const FlowSource = Type.Object(
  {
    connection: alias('An alias from `connections`.'),
    stream: Type.String({ minLength: 1, description: 'A readable stream of that connector.' }),
    query: Type.Optional(freeObject('Passed unchanged to the connector when reading.')),
    claim: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          'Claim records Ferry holds past their first attempt — retrying, awaiting an outcome, or parked as failed without a failure acknowledgement (the stream must support claiming). A record delivered at once is not claimed: its acknowledgement ends it at the source.',
      }),
    ),
    pageSize: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 10_000, description: 'Preferred page size.' }),
    ),
  },
  { ...closed, description: 'The source connection and stream.' },
)

/** A cron schedule: a 5-field expression, or one with an IANA time zone. */
export const CronSchedule = oneOf(
  [
    Type.String({
      title: 'cron expression',
      description: '5-field cron (minute hour day month weekday), UTC.',
    }),
    Type.Object(
      {
        cron: Type.String({ description: '5-field cron (minute hour day month weekday).' }),
        timezone: Type.Optional(
          Type.String({ description: 'IANA time zone, e.g. Asia/Ho_Chi_Minh (default UTC).' }),
        ),
      },
      { ...closed, title: 'cron with time zone' },
    ),
  ],
  { description: 'When to run, as cron.' },
)

/** When a flow runs besides on demand. */
export const FlowTrigger = Type.Object(
  {
    schedule: Type.Optional(CronSchedule),
    every: Type.Optional(duration('Run at this interval')),
    webhook: Type.Optional(
      Type.Boolean({
        description: "Run when the source connection's webhook reports a change of the source stream.",
      }),
    ),
  },
  { ...closed, minProperties: 1, description: 'When to run: schedule or every, and/or webhook.' },
)

/** How a source record is identified: key + version form its dedupe identity. */
export const FlowIdentity = Type.Object(
  {
    key: jsonata('the record key, over the source record.'),
    version: Type.Optional(jsonata('the record version, over the source record.')),
  },
  { ...closed, description: "Overrides the source stream's default identity." },
)

/** A lookup table read from a stream of a connection. */
export const StreamLookup = Type.Object(
  {
    connection: alias('An alias from `connections`.'),
    stream: Type.String({ minLength: 1, description: 'A readable stream of that connector.' }),
    key: jsonata('the lookup key, over a record of the stream.'),
    value: jsonata('the looked-up value, over a record of the stream.'),
    query: Type.Optional(freeObject('Passed unchanged to the connector when reading.')),
    refresh: Type.Optional(duration('How long a read table stays fresh (default 1h)')),
  },
  { ...closed, title: 'stream lookup' },
)

/** A lookup table written into the manifest. */
export const StaticLookup = Type.Object(
  { values: freeObject('Key → value.') },
  { ...closed, title: 'static lookup' },
)

/**
 * What a record does when the mapping table has no confirmed row for its key: instead of failing, it
 * has the master created in the target through another flow of the recipe, confirms the row, and goes on.
 */
export const CreateMissing = Type.Object(
  {
    enabledBy: Type.Optional(
      Type.String({
        minLength: 1,
        pattern: manifestPatterns.alias.pattern,
        description:
          "A boolean recipe parameter that turns this on, read from the flow's `params` lookup (where enabling the recipe writes the tenant's parameters); default: always on.",
      }),
    ),
    key: jsonata('over the record: the key the record needs a confirmed row for.'),
    through: Type.String({
      minLength: 1,
      pattern: manifestPatterns.name.pattern,
      description:
        'The name of the recipe flow that creates the master (e.g. its vendor flow): the master becomes a record of that flow, written once.',
    }),
    findBy: Type.String({
      minLength: 1,
      description: "The field of that flow's source stream that equals the key: the master is fetched by it.",
    }),
    value: jsonata("over that flow's mapped record: the value the confirmed row gets."),
  },
  { ...closed, description: 'Create the master a missing row stands for, instead of failing the record.' },
)

/** A lookup through a tenant-confirmed mapping table of the recipe. */
export const TableLookup = Type.Object(
  {
    table: Type.String({ minLength: 1, description: 'A mapping table of the recipe.' }),
    createMissing: Type.Optional(CreateMissing),
  },
  { ...closed, title: 'mapping-table lookup' },
)

/** A table `$lookupTable(name, key)` reads in mappings. */
export const LookupSpec = oneOf([StreamLookup, StaticLookup, TableLookup], {
  description: 'A stream lookup {connection, stream, key, value}, a static {values} or a recipe {table}.',
})

/** The write operations a target may use. */
export const TargetOperation = stringEnum(['create', 'update', 'upsert', 'delete'], {
  description: 'Must be one of the target stream’s operations.',
})

/** Where mapped records go. */
export const FlowTarget = Type.Object(
  {
    connection: alias('An alias from `connections`.'),
    stream: Type.String({ minLength: 1, description: 'A writable stream of that connector.' }),
    operation: TargetOperation,
    match: Type.Optional(
      dictionary(jsonata('over the mapped record.'), {
        minProperties: 1,
        description:
          'Target field → JSONata over the mapped record; finds an existing record before writing.',
      }),
    ),
    then: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        uniqueItems: true,
        description: 'Actions of the target stream to run after the write, in order.',
      }),
    ),
  },
  { ...closed, description: 'The target connection, stream and operation.' },
)

/** Tells the source what happened to each record. */
export const FlowAcknowledge = Type.Object(
  {
    operation: Type.String({
      minLength: 1,
      description: 'An acknowledge operation of the source connector.',
    }),
    map: jsonata('the payload, over { record, result }.'),
    on: Type.Optional(
      Type.Array(stringEnum(['success', 'failure']), {
        minItems: 1,
        uniqueItems: true,
        default: ['success', 'failure'],
        description: 'Which outcomes to acknowledge.',
      }),
    ),
  },
  { ...closed, description: 'Acknowledge each outcome to the source.' },
)

/** How failed deliveries are retried. */
export const FlowRetry = Type.Object(
  {
    limit: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 100, default: 8, description: 'Attempts after the first.' }),
    ),
    backoff: Type.Optional(stringEnum(['exponential', 'fixed'], { default: 'exponential' })),
    delay: Type.Optional(duration('First retry delay', '5s')),
    maxDelay: Type.Optional(duration('Longest delay between attempts', '15m')),
  },
  { ...closed, default: {}, description: 'Retry policy for transient and rate-limited errors.' },
)

const testBase = {
  name: Type.String({ minLength: 1, description: 'What the test shows.' }),
  input: freeObject('A source record.'),
  lookups: Type.Optional(
    dictionary(freeObject('Key → value.'), { description: 'Lookup name → the table this test uses.' }),
  ),
}

/** The error a mapping test expects: a message substring or `{ code, message }`. */
export const ExpectedError = oneOf([
  Type.String({ minLength: 1, title: 'message substring' }),
  Type.Object(
    {
      code: Type.Optional(Type.String({ minLength: 1 })),
      message: Type.Optional(Type.String({ minLength: 1 })),
    },
    { ...closed, minProperties: 1, title: 'error code and/or message' },
  ),
])

/** A mapping test run by `ferry test`: an input record and the expected mapped record or error. */
export const MappingTest = oneOf([
  Type.Object(
    { ...testBase, expect: Type.Unknown({ description: 'The expected mapped record (deep equal).' }) },
    { ...closed, title: 'test with expect' },
  ),
  Type.Object({ ...testBase, expectError: ExpectedError }, { ...closed, title: 'test with expectError' }),
])

/** The flow manifest v1. */
export const FlowManifest = Type.Object(
  {
    version: Type.Literal(1, { description: 'Manifest format version.' }),
    name: Type.String({
      maxLength: 64,
      pattern: manifestPatterns.name.pattern,
      description: `Flow name, ${manifestPatterns.name.hint}, at most 64 characters.`,
    }),
    description: Type.Optional(Type.String()),
    connections: dictionary(Type.String({ minLength: 1, description: 'A connector id.' }), {
      keyPattern: manifestPatterns.alias.pattern,
      minProperties: 1,
      description: 'Alias → connector id. In a recipe, aliases are the recipe’s roles.',
    }),
    source: FlowSource,
    trigger: Type.Optional(FlowTrigger),
    identity: Type.Optional(FlowIdentity),
    order: Type.Optional(jsonata('per-key FIFO: records with the same value are delivered in order.')),
    when: Type.Optional(jsonata('filter over the source record; false → the record is skipped.')),
    lookups: Type.Optional(dictionary(LookupSpec, { keyPattern: manifestPatterns.alias.pattern })),
    map: Type.String({
      minLength: 1,
      description: 'A .jsonata file next to the manifest (./name.jsonata) or an inline JSONata expression.',
    }),
    target: FlowTarget,
    acknowledge: Type.Optional(FlowAcknowledge),
    retry: Type.Optional(FlowRetry),
    tests: Type.Optional(Type.Array(MappingTest)),
  },
  { ...closed, title: 'Ferry flow manifest v1' },
)

/** The JSON Schema document published as manifests/flow.schema.json. */
export const flowJsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://ferry.dev/schemas/flow.schema.json',
  ...FlowManifest,
}

/** A flow manifest as written (after schema validation). */
export type FlowManifest = Static<typeof FlowManifest>
/** The `source` section. */
export type FlowSource = Static<typeof FlowSource>
/** The `trigger` section. */
export type FlowTrigger = Static<typeof FlowTrigger>
/** The `target` section. */
export type FlowTarget = Static<typeof FlowTarget>
/** One entry of `lookups`. */
export type LookupSpec = Static<typeof LookupSpec>
/** A mapping-table lookup's `createMissing`. */
export type CreateMissing = Static<typeof CreateMissing>
/** The `acknowledge` section. */
export type FlowAcknowledge = Static<typeof FlowAcknowledge>
/** The `retry` section. */
export type FlowRetry = Static<typeof FlowRetry>
/** One entry of `tests`. */
export type MappingTest = Static<typeof MappingTest>
