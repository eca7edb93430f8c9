/**
 * The two kinds of expression a connector manifest holds, marked in its schema with the standard
 * `contentMediaType` annotation so one walker finds every expression (for syntax checks with
 * positions) without a second list of fields to keep in step.
 */
import { Type } from '@sinclair/typebox'

/** The media type of a JSONata expression field. */
export const JSONATA_MEDIA_TYPE = 'text/x-jsonata'
/** The media type of a template field: text with `{{ JSONata }}` parts. */
export const TEMPLATE_MEDIA_TYPE = 'text/x-ferry-template'

/** A JSONata expression field; `description` says what it is evaluated over. */
export function jsonataField(description: string) {
  return Type.String({
    minLength: 1,
    contentMediaType: JSONATA_MEDIA_TYPE,
    description: `JSONata: ${description}`,
  })
}

/** A template field: literal text with `{{ JSONata }}` parts evaluated over the request context. */
export function templateField(description: string) {
  return Type.String({
    minLength: 1,
    contentMediaType: TEMPLATE_MEDIA_TYPE,
    description: `Template ({{ JSONata }} parts): ${description}`,
  })
}
