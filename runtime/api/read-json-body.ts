import type { Context } from 'hono'
import { bodyValidator, pointerErrors } from './api-schemas.ts'
import { inputProblems } from './input-problems.ts'
import { jsonErrorOffset } from './json-error-offset.ts'
import { ApiProblem } from './problem.ts'

/**
 * Reads the request body as JSON and validates it against the named request schema. Wrong media
 * type → 415, unparsable JSON → 400 with the parse position; what cannot be stored (NUL, lone
 * surrogates, ±Infinity, nesting past 64 levels) and schema violations → 422 with a JSON pointer per
 * problem. Nothing has been written when any of these is thrown.
 */
export async function readJsonBody(c: Context, schema: string): Promise<unknown> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  if (type !== 'application/json' && !/^application\/[a-z0-9.+-]*\+json$/.test(type))
    throw new ApiProblem(
      415,
      'unsupported-media-type',
      `the body must be JSON (Content-Type: application/json), not "${type || 'none'}"`,
      [],
      { accept: 'application/json' },
    )
  const text = await c.req.text()
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch (error) {
    throw new ApiProblem(
      400,
      'malformed-json',
      `the body is not valid JSON: ${describeParseError(error, text)}`,
    )
  }
  // Before the schema: a recursive validator must never see a body nested 5,000 levels deep.
  const unstorable = inputProblems(body)
  if (unstorable.length > 0)
    throw new ApiProblem(422, 'invalid-body', 'the body holds values Ferry cannot store', unstorable)
  const validate = bodyValidator(schema)
  if (!validate(body))
    throw new ApiProblem(
      422,
      'invalid-body',
      `the body does not match the ${schema} schema`,
      pointerErrors(validate.errors ?? []),
    )
  return body
}

function describeParseError(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : String(error)
  if (text.trim() === '') return 'the body is empty'
  const offset = jsonErrorOffset(text)
  if (offset === undefined) return message
  const before = text.slice(0, offset).split('\n')
  return `${message.split('\n')[0]} at line ${before.length}, column ${before.at(-1)!.length + 1} (offset ${offset})`
}
