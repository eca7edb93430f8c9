import { describe, expect, it } from 'vitest'
import type { View } from '../console-env.ts'
import { ParameterFields, readParameterForm } from './recipe-parameter-fields.tsx'

const declared = {
  createMissingVendors: {
    type: 'boolean',
    title: 'Create missing vendors',
    description: 'Vendors with no row are created in MISA',
    default: false,
  },
  payableAccount: { type: 'string', description: 'VAS payable account', default: '331' },
  days: { type: 'integer', description: 'Days' },
  rate: { type: 'number', description: 'Rate' },
}

describe('readParameterForm', () => {
  it.each([
    ['a Yes choice is true', { 'param.createMissingVendors': 'true' }, { createMissingVendors: true }],
    ['a No choice is false', { 'param.createMissingVendors': 'false' }, { createMissingVendors: false }],
    ['text stays text, trimmed', { 'param.payableAccount': ' 3311 ' }, { payableAccount: '3311' }],
    ['numbers become numbers', { 'param.days': '30', 'param.rate': '25400.5' }, { days: 30, rate: 25400.5 }],
    ['a blank field is left to the default', { 'param.payableAccount': '  ' }, {}],
    [
      'a value that is not its type goes on as typed (the API names it)',
      { 'param.days': 'ten' },
      { days: 'ten' },
    ],
    ['an undeclared field is ignored', { 'param.other': 'x', 'role.bc': 'c1' }, {}],
  ])('%s', (_name, form, expected) => {
    expect(readParameterForm(declared, form)).toEqual(expected)
  })
})

describe('ParameterFields', () => {
  it('offers Yes/No for a boolean, with its default selected and its description as the hint', () => {
    const view = { t: (key: string) => key } as unknown as View
    const html = String(ParameterFields({ view, recipe: 'bc-misa', parameters: declared }))
    expect(html).toContain(
      '<select id="bc-misa-param-createMissingVendors" name="param.createMissingVendors"',
    )
    expect(html).toMatch(/<option value="false" selected="">form.no<\/option>/)
    expect(html).toContain('>Create missing vendors</label>')
    expect(html).toContain('Vendors with no row are created in MISA')
    expect(html).toContain('>payableAccount</label>')
    expect(html).toContain('type="number"')
  })
})
