import { readdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runManifestTests } from '../../runtime/cli/test-command.ts'
import { validateCommand } from '../../runtime/cli/validate-command.ts'

const recipesDir = path.resolve(import.meta.dirname, '../../manifests/recipes')
const recipes = readdirSync(recipesDir).filter((name) => !name.includes('.'))

function flowFilesOf(recipe: string): string[] {
  return readdirSync(path.join(recipesDir, recipe)).filter((file) => file.endsWith('.flow.yaml'))
}

describe('prebuilt recipes', () => {
  it('ships the recipes of issues 7 and 16', () => {
    expect(recipes.sort()).toEqual(['basware-misa', 'bc-basware', 'bc-misa', 'billing-bc'])
  })

  it('validate reports no errors on manifests/recipes', () => {
    const lines: string[] = []
    expect(validateCommand([recipesDir], (line) => lines.push(line))).toBe(0)
    expect(lines.join('\n')).toMatch(/files OK$/)
  })

  it.each(recipes)('%s: every mapping test passes, at least three per flow', async (recipe) => {
    let output = ''
    const { passed, failed } = await runManifestTests(
      [path.join(recipesDir, recipe, 'recipe.yaml')],
      (text) => {
        output += text
      },
    )
    expect(failed, output).toBe(0)
    expect(passed).toBeGreaterThanOrEqual(3 * flowFilesOf(recipe).length)
  })

  const flows = recipes.flatMap((recipe) => flowFilesOf(recipe).map((file) => path.join(recipe, file)))
  it.each(flows)('%s has at least three passing mapping tests', async (flow) => {
    const { passed, failed } = await runManifestTests([path.join(recipesDir, flow)], () => {})
    expect(failed).toBe(0)
    expect(passed).toBeGreaterThanOrEqual(3)
  })
})
