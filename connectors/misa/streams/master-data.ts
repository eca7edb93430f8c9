/** The master-data streams: readable dictionaries, plus vendors and items as save_dictionary targets. */
import { dictionaryTypes as T } from '../dictionary-types.ts'
import { dictionarySchema, dictionaryStream } from './dictionary-stream.ts'
import { masterDataTarget } from './master-data-target.ts'

const str = { type: 'string' }
const nstr = { type: ['string', 'null'] }

/** Customers, vendors and employees: one list, one code space (flags say which). */
export const accountObjects = dictionaryStream(
  T.accountObject,
  'Account objects: customers, vendors and employees in one code space (data_type 1).',
  {
    account_object_type: { enum: [0, 1] },
    is_vendor: { type: 'boolean' },
    is_customer: { type: 'boolean' },
    is_employee: { type: 'boolean' },
    company_tax_code: nstr,
    pay_account: nstr,
    receive_account: nstr,
  },
)

/** The tenant's chart of accounts (data_type 5). */
export const accounts = dictionaryStream(
  T.account,
  "The tenant's chart of accounts (data_type 5); is_parent marks accounts that take no postings.",
  {
    is_parent: { type: 'boolean' },
    grade: { type: 'integer' },
  },
)

/** Inventory items and services, readable (data_type 2) and writable (dictionary_type 3). */
export const items = {
  ...dictionaryStream(
    T.inventoryItem,
    'Inventory items and services (read data_type 2, write dictionary_type 3).',
    {
      inventory_item_type: { enum: [0, 1, 2, 3] },
      unit_name: nstr,
      inventory_account: nstr,
    },
  ),
  ...masterDataTarget(T.inventoryItem, '', { inventory_item_type: 0 }, dictionarySchema(T.inventoryItem)),
  description:
    'Inventory items and services (read data_type 2, write dictionary_type 3 via save_dictionary).',
  identity: { key: T.inventoryItem.idField, version: 'modified_date' },
}

/** Vendors written with save_dictionary (dictionary_type 1, is_vendor). */
export const vendors = masterDataTarget(
  T.accountObject,
  'Vendors created or updated in AMIS with save_dictionary (dictionary_type 1); results arrive by callback.',
  {
    account_object_type: 0,
    is_vendor: true,
    is_customer: false,
    is_employee: false,
    pay_account: '331',
    country: 'Việt Nam',
  },
  {
    type: 'object',
    required: ['account_object_code', 'account_object_name'],
    properties: {
      account_object_id: str,
      account_object_code: { type: 'string', minLength: 1 },
      account_object_name: { type: 'string', minLength: 1 },
      account_object_type: { enum: [0, 1] },
      company_tax_code: str,
      address: str,
      pay_account: str,
      is_customer: { type: 'boolean' },
      inactive: { type: 'boolean' },
    },
    additionalProperties: true,
  },
)

/** Warehouses (data_type 3). */
export const stocks = dictionaryStream(T.stock, 'Stocks / warehouses (data_type 3).')
/** Units of measure (data_type 4). */
export const units = dictionaryStream(T.unit, 'Units of measure (data_type 4).')
/** Expense items, the cost-centre-like dimension (data_type 9). */
export const expenseItems = dictionaryStream(
  T.expenseItem,
  'Expense items ("khoản mục chi phí", data_type 9).',
)
/** Company, branches and departments (data_type 6; types 1 and 2 are valid branch_ids). */
export const branches = dictionaryStream(
  T.organizationUnit,
  'Organisation units (data_type 6): type 1 company, 2 branch, 3-4 departments.',
  {
    organization_unit_type_id: { type: 'integer' },
  },
)
/** Projects / construction works (data_type 10). */
export const projects = dictionaryStream(T.projectWork, 'Projects / construction works (data_type 10).')
