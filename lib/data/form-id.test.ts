import { describe, expect, it } from 'vitest'
import { readFormId } from '@/lib/data/form-id'

const form = (id?: string) => {
  const data = new FormData()
  if (id !== undefined) data.set('id', id)
  return data
}

describe('the id a form names', () => {
  it('reads a positive whole number up to 2^31 - 1 (a Postgres integer)', () => {
    expect(readFormId(form('42'))).toBe(42)
    expect(readFormId(form('2147483647'))).toBe(2147483647)
  })

  it('is null when missing, empty, zero, negative, fractional, too large or not a number', () => {
    for (const id of [undefined, '', '0', '-3', '1.5', '2147483648', 'abc'])
      expect(readFormId(form(id)), String(id)).toBeNull()
  })
})
