import type { View } from '../console-env.ts'

/** One property of a connector's config schema, as far as a form needs it. */
interface FieldSchema {
  type?: string
  enum?: string[]
  default?: unknown
  description?: string
  writeOnly?: boolean
  'x-endpoint'?: boolean
}

/** A field the form shows: its schema and whether it is required. */
export interface FormField {
  name: string
  schema: FieldSchema
  required: boolean
}

/**
 * The fields of a config schema a person fills in: strings, enums, integers and booleans (lists are
 * left to the API). Fields without a default come first; those with one (it suits most tenants) go
 * under "Advanced". Optional fields the system lists values for (`choices`, e.g. MISA's branch) are
 * left out: they are picked from that list once the connection is saved, never typed.
 */
export function formFields(
  schema: Record<string, unknown>,
  choices: readonly string[] = [],
): { main: FormField[]; advanced: FormField[] } {
  const properties = (schema.properties ?? {}) as Record<string, FieldSchema>
  const required = new Set((schema.required as string[] | undefined) ?? [])
  const fields = Object.entries(properties)
    .filter(([, s]) => s.type === 'string' || s.type === 'integer' || s.type === 'boolean' || s.enum)
    .filter(([name]) => required.has(name) || !choices.includes(name))
    .map(([name, s]) => ({ name, schema: s, required: required.has(name) }))
  const isMain = (f: FormField) => f.required || f.schema.default === undefined
  return { main: fields.filter(isMain), advanced: fields.filter((f) => !isMain(f)) }
}

/** Reads a submitted form back into config values by the schema's types; blank fields are left out. */
export function readConfigForm(fields: FormField[], form: Record<string, unknown>): Record<string, unknown> {
  const config: Record<string, unknown> = {}
  for (const field of fields) {
    const raw = form[`config.${field.name}`]
    if (field.schema.type === 'boolean') {
      if (raw !== undefined) config[field.name] = raw === 'true'
      continue
    }
    if (typeof raw !== 'string' || raw.trim() === '') continue
    config[field.name] =
      field.schema.type === 'integer' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw.trim()
  }
  return config
}

function Field(props: {
  view: View
  field: FormField
  value: unknown
  error?: string
  secretStored: boolean
}) {
  const { field, view } = props
  const id = `config-${field.name}`
  const hintId = `${id}-hint`
  const errorId = `${id}-error`
  const describedBy = [
    field.schema.description || props.secretStored ? hintId : '',
    props.error ? errorId : '',
  ]
    .filter(Boolean)
    .join(' ')
  const common = {
    id,
    name: `config.${field.name}`,
    'aria-describedby': describedBy || undefined,
    'aria-invalid': props.error ? 'true' : undefined,
  }
  const value = props.value === undefined || props.value === null ? '' : String(props.value)
  let input: unknown
  if (field.schema.enum)
    input = (
      <select {...common} required={field.required}>
        {field.required ? null : <option value="">{view.t('form.default')}</option>}
        {field.schema.enum.map((option) => (
          <option value={option} selected={option === value}>
            {option}
          </option>
        ))}
      </select>
    )
  else if (field.schema.type === 'boolean')
    input = (
      <select {...common}>
        <option value="">{view.t('form.default')}</option>
        <option value="true" selected={value === 'true'}>
          {view.t('form.yes')}
        </option>
        <option value="false" selected={value === 'false'}>
          {view.t('form.no')}
        </option>
      </select>
    )
  else if (field.schema.writeOnly)
    input = (
      <input
        {...common}
        type="password"
        autocomplete="off"
        required={field.required && !props.secretStored}
      />
    )
  else
    input = (
      <input
        {...common}
        type={field.schema.type === 'integer' ? 'number' : 'text'}
        value={value}
        placeholder={field.schema.default !== undefined ? String(field.schema.default) : undefined}
        required={field.required}
        spellcheck={false}
      />
    )
  return (
    <div class="field">
      <label for={id}>
        {field.name}
        {field.required ? <span class="muted"> ({view.t('form.required')})</span> : null}
      </label>
      {input as any}
      {field.schema.description || props.secretStored ? (
        <p class="hint" id={hintId}>
          {field.schema.description}
          {props.secretStored ? ` ${view.t('form.secretStored')}` : ''}
        </p>
      ) : null}
      {props.error ? (
        <p class="error" id={errorId}>
          {props.error}
        </p>
      ) : null}
    </div>
  )
}

/**
 * The inputs of a connector's config form, generated from its JSON Schema: secrets as password
 * inputs that are never filled back in, enums as selects, the API's error under the field it names.
 */
export function SchemaFields(props: {
  view: View
  schema: Record<string, unknown>
  values: Record<string, unknown>
  errors: Record<string, string>
  storedSecrets: string[]
  /** Fields the system lists values for (picked after saving when optional). */
  choices?: readonly string[]
}) {
  const { main, advanced } = formFields(props.schema, props.choices)
  const render = (field: FormField) => (
    <Field
      view={props.view}
      field={field}
      value={field.schema.writeOnly ? undefined : props.values[field.name]}
      error={props.errors[field.name]}
      secretStored={props.storedSecrets.includes(field.name)}
    />
  )
  const advancedOpen = advanced.some((f) => props.errors[f.name])
  return (
    <>
      {main.map(render)}
      {advanced.length ? (
        <details open={advancedOpen}>
          <summary>{props.view.t('form.advanced')}</summary>
          {advanced.map(render)}
        </details>
      ) : null}
    </>
  )
}
