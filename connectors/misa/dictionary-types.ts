/**
 * MISA's two numberings of master data: `get_dictionary` takes a read `data_type`, while
 * `save_dictionary` items and every returned record carry the write `dictionary_type`. They differ
 * (items are read as 2 but written as 3), so both the connector and the sandbox use this one table.
 */

/** One readable master-data type. */
export interface DictionaryType {
  /** `data_type` for get_dictionary / get_dictionary_delete. */
  readType: number
  /** `dictionary_type` for save_dictionary and on returned records; null when MISA has no write type. */
  writeType: number | null
  /** The record's primary id field. */
  idField: string
  /** The record's human code field. */
  codeField: string
  /** The record's display name field. */
  nameField: string
}

/** Read types by name, as verified on live tenants (reference §2.2). */
export const dictionaryTypes = {
  accountObject: {
    readType: 1,
    writeType: 1,
    idField: 'account_object_id',
    codeField: 'account_object_code',
    nameField: 'account_object_name',
  },
  inventoryItem: {
    readType: 2,
    writeType: 3,
    idField: 'inventory_item_id',
    codeField: 'inventory_item_code',
    nameField: 'inventory_item_name',
  },
  stock: { readType: 3, writeType: 5, idField: 'stock_id', codeField: 'stock_code', nameField: 'stock_name' },
  unit: { readType: 4, writeType: 6, idField: 'unit_id', codeField: 'unit_name', nameField: 'unit_name' },
  account: {
    readType: 5,
    writeType: null,
    idField: 'account_id',
    codeField: 'account_number',
    nameField: 'account_name',
  },
  organizationUnit: {
    readType: 6,
    writeType: null,
    idField: 'organization_unit_id',
    codeField: 'organization_unit_code',
    nameField: 'organization_unit_name',
  },
  job: { readType: 7, writeType: 12, idField: 'job_id', codeField: 'job_code', nameField: 'job_name' },
  bankAccount: {
    readType: 8,
    writeType: 7,
    idField: 'bank_account_id',
    codeField: 'bank_account_number',
    nameField: 'bank_name',
  },
  expenseItem: {
    readType: 9,
    writeType: 9,
    idField: 'expense_item_id',
    codeField: 'expense_item_code',
    nameField: 'expense_item_name',
  },
  projectWork: {
    readType: 10,
    writeType: null,
    idField: 'project_work_id',
    codeField: 'project_work_code',
    nameField: 'project_work_name',
  },
  paymentTerm: {
    readType: 11,
    writeType: null,
    idField: 'payment_term_id',
    codeField: 'payment_term_code',
    nameField: 'payment_term_name',
  },
  bank: { readType: 12, writeType: 8, idField: 'bank_id', codeField: 'bank_code', nameField: 'bank_name' },
} as const satisfies Record<string, DictionaryType>

/** The type read with `data_type`, if any. */
export function byReadType(readType: number): DictionaryType | undefined {
  return Object.values(dictionaryTypes).find((t) => t.readType === readType)
}

/** The type written with `dictionary_type`, if any. */
export function byWriteType(writeType: number): DictionaryType | undefined {
  return Object.values(dictionaryTypes).find((t) => t.writeType === writeType)
}
