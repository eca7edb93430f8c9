/**
 * The streams of a declared connector: how each is read (request, paging, record selector,
 * incremental cursor), found, written and acted on. Requests are templates over a context that holds
 * `config` and what the call is about (`record`, `existing`, `match`, `id`, `query`, `window`).
 */
import { type Static, Type } from '@sinclair/typebox'
import { jsonataField, templateField } from './connector-expressions.ts'
import { dictionary, oneOf, stringEnum } from './schema-combinators.ts'

const closed = { additionalProperties: false } as const

/** An HTTP status code. */
export const StatusCode = Type.Integer({ minimum: 100, maximum: 599, description: 'An HTTP status code.' })

const parameterValue = oneOf(
  [
    templateField('the value; a parameter whose only part yields nothing is left out.'),
    Type.Number({ title: 'number' }),
    Type.Boolean({ title: 'boolean' }),
  ],
  { description: 'A template, a number or true/false.' },
)

/** Method, path, query and headers of a request; `method` defaults per use (GET to read, POST to create…). */
export function requestParts(methodDescription: string) {
  return {
    method: Type.Optional(
      stringEnum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], { description: methodDescription }),
    ),
    path: templateField(
      'the path under baseUrl (or an absolute URL); the values of {{ }} parts are URL-encoded.',
    ),
    query: Type.Optional(dictionary(parameterValue, { description: 'Query parameters.' })),
    headers: Type.Optional(
      dictionary(templateField('the header value.'), { description: 'Request headers.' }),
    ),
  }
}

const body = (description: string) => Type.Optional(jsonataField(description))
const emptyOn = Type.Optional(
  Type.Array(StatusCode, {
    minItems: 1,
    uniqueItems: true,
    description: 'Statuses that mean "no records" rather than an error (e.g. 404).',
  }),
)

/** A request that proves a connection works (`check`). */
export const CheckSpec = Type.Object(
  { ...requestParts('Default GET.'), body: body('the JSON body, over { config }.') },
  { ...closed, description: 'A request that must succeed for a connection to be saved.' },
)

/** How the next page is found: one style per key. */
export const Paging = oneOf(
  [
    Type.Object(
      { nextLink: jsonataField('over the response body → the next page URL; nothing ends the read.') },
      { ...closed, title: 'nextLink' },
    ),
    Type.Object(
      {
        linkHeader: Type.String({
          minLength: 1,
          description: 'The rel of the Link header entry to follow (usually next); none ends the read.',
        }),
      },
      { ...closed, title: 'linkHeader' },
    ),
    Type.Object(
      {
        offset: Type.Object(
          { param: Type.String({ minLength: 1, description: 'The offset query parameter.' }) },
          closed,
        ),
      },
      { ...closed, title: 'offset' },
    ),
    Type.Object(
      {
        pageNumber: Type.Object(
          {
            param: Type.String({ minLength: 1, description: 'The page-number query parameter.' }),
            start: Type.Optional(Type.Integer({ minimum: 0, description: 'The first page (default 1).' })),
          },
          closed,
        ),
      },
      { ...closed, title: 'pageNumber' },
    ),
    Type.Object(
      {
        token: Type.Object(
          {
            next: oneOf(
              [
                Type.Object(
                  { body: jsonataField('over the response body → the continuation token.') },
                  { ...closed, title: 'body' },
                ),
                Type.Object(
                  { header: Type.String({ minLength: 1, description: 'The response header.' }) },
                  { ...closed, title: 'header' },
                ),
              ],
              { description: 'Where the next token comes from; none ends the read.' },
            ),
            send: oneOf(
              [
                Type.Object(
                  { query: Type.String({ minLength: 1, description: 'The query parameter.' }) },
                  { ...closed, title: 'query' },
                ),
                Type.Object(
                  { header: Type.String({ minLength: 1, description: 'The request header.' }) },
                  { ...closed, title: 'header' },
                ),
              ],
              { description: 'How the token goes back with the same request.' },
            ),
          },
          closed,
        ),
      },
      { ...closed, title: 'token' },
    ),
  ],
  { description: 'One of nextLink, linkHeader, offset, pageNumber, token. Without it: one page.' },
)

/** Reading a stream. */
export const ReadSpec = Type.Object(
  {
    ...requestParts('Default GET.'),
    body: body('the JSON body (for searches by POST), over the read context.'),
    records: Type.Optional(
      jsonataField('over the response body → the page’s records (default: the body if a list, else [body]).'),
    ),
    filter: Type.Optional(jsonataField('over one record → keep it when true.')),
    paging: Type.Optional(Paging),
    pageSize: Type.Optional(
      Type.Object(
        {
          param: Type.String({ minLength: 1, description: 'The page-size query parameter.' }),
          max: Type.Integer({ minimum: 1, description: 'The largest page the remote allows.' }),
        },
        { ...closed, description: 'How many records a page asks for (the flow’s pageSize, clamped).' },
      ),
    ),
    incremental: Type.Optional(
      Type.Object(
        {
          cursor: jsonataField('over a record → its cursor value (e.g. updatedAt).'),
          param: Type.String({
            minLength: 1,
            description: 'The query parameter that carries the last cursor value (records changed since).',
          }),
        },
        { ...closed, description: 'Read only what changed since the last read.' },
      ),
    ),
    emptyOn,
    byIds: Type.Optional(
      Type.Object(
        {
          ...requestParts('Default GET.'),
          records: Type.Optional(jsonataField('over the response body → the record(s) (default: the body).')),
          emptyOn,
        },
        { ...closed, description: 'Reads one record per id (`{{ id }}`) when a webhook names changed keys.' },
      ),
    ),
  },
  { ...closed, description: 'How records are read.' },
)

/** Looking a record up before writing. */
export const FindSpec = Type.Object(
  {
    ...requestParts('Default GET.'),
    body: body('the JSON body, over { config, match }.'),
    records: Type.Optional(jsonataField('over the response body → the candidates (first one wins).')),
    id: Type.Optional(jsonataField('over the found record → its id (default: id).')),
    number: Type.Optional(jsonataField('over the found record → its human-facing number.')),
    etag: Type.Optional(jsonataField('over the found record → its ETag.')),
    emptyOn,
  },
  { ...closed, description: 'Finds a record by the flow’s match fields (`{{ match.field }}`).' },
)

const resultFields = {
  id: Type.Optional(jsonataField('over the response body → the record’s id (default: id).')),
  number: Type.Optional(jsonataField('over the response body → its human-facing number.')),
  etag: Type.Optional(jsonataField('over the response body → its ETag.')),
  record: Type.Optional(
    jsonataField('over the response body → the record kept in the ledger (default: the body).'),
  ),
}

/** One write operation. */
export const WriteSpec = Type.Object(
  {
    ...requestParts('Default POST for create, PATCH for update, PUT for upsert, DELETE for delete.'),
    body: body('over { config, record, existing } → the JSON body (default: the mapped record).'),
    ...resultFields,
    idempotencyHeader: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'A header that carries Ferry’s idempotency key, e.g. Idempotency-Key.',
      }),
    ),
  },
  { ...closed, description: 'How one write operation is sent.' },
)

/** A bound action on a written record (e.g. post). */
export const ActionSpec = Type.Object(
  {
    description: Type.String({ minLength: 1 }),
    ...requestParts('Default POST.'),
    body: body('over { config, id, record } → the JSON body (default: none).'),
    ...resultFields,
    done: Type.Optional(
      jsonataField('over a found record → true when the action already happened (resuming after a crash).'),
    ),
  },
  { ...closed, description: 'An action on a written record, addressed by `{{ id }}`.' },
)

/** One stream of a declared connector. */
export const StreamSpec = Type.Object(
  {
    description: Type.String({ minLength: 1 }),
    schema: Type.Optional(
      dictionary(Type.Unknown(), { description: 'JSON Schema of one record (default: any object).' }),
    ),
    identity: Type.Optional(
      Type.Object(
        {
          key: jsonataField('over a record → its key.'),
          version: Type.Optional(jsonataField('over a record → its version.')),
        },
        { ...closed, description: 'The default identity of a record (a flow may override it).' },
      ),
    ),
    read: Type.Optional(ReadSpec),
    find: Type.Optional(FindSpec),
    write: Type.Optional(
      Type.Object(
        {
          create: Type.Optional(WriteSpec),
          update: Type.Optional(WriteSpec),
          upsert: Type.Optional(WriteSpec),
          delete: Type.Optional(WriteSpec),
        },
        { ...closed, minProperties: 1, description: 'Write operations by name.' },
      ),
    ),
    actions: Type.Optional(
      dictionary(ActionSpec, { description: 'Actions by name (a flow’s target.then).' }),
    ),
  },
  { ...closed, description: 'A named record type.' },
)

/** `streams.<name>` as written. */
export type StreamSpec = Static<typeof StreamSpec>
/** `streams.<name>.read`. */
export type ReadSpec = Static<typeof ReadSpec>
/** `read.paging`. */
export type Paging = Static<typeof Paging>
/** `streams.<name>.find`. */
export type FindSpec = Static<typeof FindSpec>
/** One of `streams.<name>.write.*`. */
export type WriteSpec = Static<typeof WriteSpec>
/** One of `streams.<name>.actions.*`. */
export type ActionSpec = Static<typeof ActionSpec>
/** The `check` request. */
export type CheckSpec = Static<typeof CheckSpec>
/** What every request spec has. */
export type RequestParts = Pick<ReadSpec, 'method' | 'path' | 'query' | 'headers'>
