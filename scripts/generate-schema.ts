/**
 * Writes manifests/flow.schema.json and manifests/recipe.schema.json from the TypeBox schemas in
 * core/manifest, and each connector README's config table from its configSchema.
 */
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { connectorConfigDocs } from './connector-config-docs.ts'
import { manifestSchemaFiles } from './manifest-schemas.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
for (const [path, text] of Object.entries({ ...manifestSchemaFiles(), ...connectorConfigDocs(root) })) {
  writeFileSync(`${root}${path}`, text)
  console.log(`wrote ${path}`)
}
