import type { View } from '../console-env.ts'

/** A recipe's declared parameter, as `/v1/recipes` lists it. */
export interface ParameterSpec {
  type?: string
  title?: string
  description?: string
  default?: unknown
}

/** The parameter fields of a recipe's enable form: a yes/no choice for a boolean, text otherwise. */
export function ParameterFields(props: {
  view: View
  recipe: string
  parameters: Record<string, ParameterSpec>
}) {
  const { view, recipe } = props
  return (
    <>
      {Object.entries(props.parameters).map(([name, p]) => {
        const id = `${recipe}-param-${name}`
        const hint = p.description ? `${id}-hint` : undefined
        return (
          <div class="field">
            <label for={id}>{p.title ?? name}</label>
            {p.type === 'boolean' ? (
              <select id={id} name={`param.${name}`} aria-describedby={hint}>
                <option value="true" selected={p.default === true}>
                  {view.t('form.yes')}
                </option>
                <option value="false" selected={p.default !== true}>
                  {view.t('form.no')}
                </option>
              </select>
            ) : (
              <input
                id={id}
                name={`param.${name}`}
                type={p.type === 'number' || p.type === 'integer' ? 'number' : 'text'}
                step={p.type === 'number' ? 'any' : undefined}
                value={p.default === undefined ? '' : String(p.default)}
                aria-describedby={hint}
              />
            )}
            {hint ? (
              <p class="hint" id={hint}>
                {p.description}
              </p>
            ) : null}
          </div>
        )
      })}
    </>
  )
}

/**
 * Reads the submitted parameter fields back into values of their declared types (`"true"` → true,
 * `"12"` → 12); blank fields are left out (the recipe's default applies). A value that does not read as
 * its type is passed on as typed, so the API refuses it with its own message.
 */
export function readParameterForm(
  parameters: Record<string, ParameterSpec>,
  form: Record<string, unknown>,
): Record<string, unknown> {
  const values: Record<string, unknown> = {}
  for (const [name, spec] of Object.entries(parameters)) {
    const raw = form[`param.${name}`]
    if (typeof raw !== 'string' || raw.trim() === '') continue
    const text = raw.trim()
    if (spec.type === 'boolean') values[name] = text === 'true' ? true : text === 'false' ? false : text
    else if ((spec.type === 'number' || spec.type === 'integer') && Number.isFinite(Number(text)))
      values[name] = Number(text)
    else values[name] = text
  }
  return values
}
