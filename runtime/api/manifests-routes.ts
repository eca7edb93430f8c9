import type { ResolvedFile } from '../../core/manifest/resolve-file.ts'
import type { ApiDeps } from './api-deps.ts'
import type { ApiRoute } from './api-route.ts'
import { validateFilesOffLoop } from './validate-off-loop.ts'

/** Tenant route: validate manifests without storing anything. */
export function manifestsRoutes(deps: ApiDeps): ApiRoute[] {
  return [
    {
      method: 'post',
      path: '/v1/manifests/validate',
      operationId: 'validateManifests',
      summary: 'Validate flow or recipe manifests; diagnostics carry line:col and a JSON pointer',
      tag: 'manifests',
      access: 'tenant',
      body: 'ManifestValidate',
      responses: {
        200: {
          description: 'The report (valid false when any diagnostic is an error)',
          schema: 'ValidationReport',
        },
      },
      handle: async (c, { body }) => {
        const input = body as ResolvedFile | { files: ResolvedFile[] }
        const files = 'files' in input ? input.files : [input]
        // Files sent together can reference each other (a recipe its flows, a flow its .jsonata). Checked
        // in the mapping pool: a large manifest takes seconds, which this event loop cannot spare.
        const report = await validateFilesOffLoop(deps, files)
        return c.json({
          valid: report.errors === 0,
          diagnostics: report.diagnostics,
          summary: report.summary,
          errors: report.errors,
          warnings: report.warnings,
        })
      },
    },
  ]
}
