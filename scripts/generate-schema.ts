/** Writes manifests/flow.schema.json and manifests/recipe.schema.json from the TypeBox schemas in core/manifest. */
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { manifestSchemaFiles } from './manifest-schemas.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
for (const [path, text] of Object.entries(manifestSchemaFiles())) {
  writeFileSync(`${root}${path}`, text)
  console.log(`wrote ${path}`)
}
