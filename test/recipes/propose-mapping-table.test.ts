import { describe, expect, it } from 'vitest'
import {
  foldName,
  type MappingEntry,
  matchMappingRows,
  mstMatchKey,
} from '../../runtime/recipes/match-mapping-rows.ts'

const entry = (key: string, label = '', matchOn = key): MappingEntry => ({ key, label, matchOn })

describe('MST normalisation for matching', () => {
  it.each([
    ['plain 10 digits', '0100047516', '0100047516'],
    ['surrounding and inner spaces', ' 0100 047 516 ', '0100047516'],
    ['branch with a dash', '0312121218-001', '0312121218-001'],
    ['branch without the dash', '0312121218001', '0312121218-001'],
    ['branch with a space', '0312121218 001', '0312121218-001'],
    ['dots as separators', '0100.047.516', '0100047516'],
    ['a personal 12-digit ID', '001203012345', '001203012345'],
    ['nothing', '  ', ''],
    ['letters only', 'n/a', ''],
  ])('%s', (_, input, expected) => expect(mstMatchKey(input)).toBe(expected))

  it('folds names by case and Unicode composition but keeps diacritics apart', () => {
    expect(foldName('CHI PHÍ  Sản xuất chung')).toBe(foldName('chi phí sản xuất chung'))
    expect(foldName('Chi phi\u0301')).toBe(foldName('Chi phí'))
    expect(foldName('Chi phí')).not.toBe(foldName('Chi phi'))
  })
})

describe('matchMappingRows', () => {
  it('mst: pairs vendors whose tax codes agree after normalisation, branch and parent kept apart', () => {
    const rows = matchMappingRows(
      'mst',
      [
        entry('V0010', 'Thép Sài Gòn', '0100047516'),
        entry('V0060', 'Pacific HCM', '0312121218 001'),
        entry('V0061', 'Pacific', '0312121218'),
        entry('V0070', 'No MST', ''),
      ],
      [
        entry('NCC-THEP', 'Công ty Thép Sài Gòn', '0100-047-516'),
        entry('NCC-PAC-HCM', 'Pacific (CN HCM)', '0312121218-001'),
        entry('NCC-EMPTY', 'Someone', ''),
      ],
    )
    expect(rows.map((r) => [r.key, r.value, r.match])).toEqual([
      ['V0010', 'NCC-THEP', 'mst'],
      ['V0060', 'NCC-PAC-HCM', 'mst'],
      ['V0061', null, 'none'],
      ['V0070', null, 'none'],
    ])
    expect(rows[0]!.detail).toBe('Thép Sài Gòn → Công ty Thép Sài Gòn')
  })

  it('mst: two MISA codes with one tax code are ambiguous and name both candidates', () => {
    const [row] = matchMappingRows(
      'mst',
      [entry('V0020', 'Bao Bì', '0100233488')],
      [entry('NCC-BB', 'Bao Bì HN', '0100233488'), entry('NCC-BB2', 'Bao Bì (cũ)', '0100233488')],
    )
    expect(row).toMatchObject({ key: 'V0020', value: null, match: 'ambiguous' })
    expect(row!.detail).toContain('NCC-BB, NCC-BB2')
  })

  it('number-and-name: the account number first, then the name regardless of case and composition', () => {
    const rows = matchMappingRows(
      'number-and-name',
      [
        entry('6427', 'Chi phí dịch vụ mua ngoài'),
        entry('6271', 'CHI PHÍ SẢN XUẤT CHUNG'),
        entry('1521', 'Nguyên liệu, vật liệu'.normalize('NFD')),
        entry('2421', 'Chi phi tra truoc'),
        entry('9999', ''),
      ],
      [
        entry('6427', 'Something else entirely'),
        entry('627', 'Chi phí sản xuất chung'),
        entry('152', 'Nguyên liệu, vật liệu'),
        entry('242', 'Chi phí trả trước'),
      ],
    )
    expect(rows.map((r) => [r.key, r.value, r.match])).toEqual([
      ['6427', '6427', 'number'],
      ['6271', '627', 'name'],
      ['1521', '152', 'name'],
      ['2421', null, 'none'],
      ['9999', null, 'none'],
    ])
  })

  it('number-and-name: two accounts with the same name are left to the tenant', () => {
    const [row] = matchMappingRows(
      'number-and-name',
      [entry('6278', 'Chi phí khác')],
      [entry('6278x', 'Chi phí khác'), entry('8118', 'chi phí khác')],
    )
    expect(row).toMatchObject({ value: null, match: 'ambiguous' })
  })

  it('code: tax codes and dimension values match by code, case-insensitively', () => {
    const rows = matchMappingRows(
      'code',
      [entry('VAT10'), entry('adm'), entry('IT'), entry('KCT')],
      [entry('VAT10', '10%'), entry('ADM', 'Hành chính'), entry('IT', 'CNTT'), entry('VAT0', '0%')],
    )
    expect(rows.map((r) => [r.key, r.value, r.match])).toEqual([
      ['VAT10', 'VAT10', 'code'],
      ['adm', 'ADM', 'code'],
      ['IT', 'IT', 'code'],
      ['KCT', null, 'none'],
    ])
  })
})
