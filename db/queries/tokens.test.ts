import { describe, expect, it } from 'vitest'
import { bearerToken, machineToken } from './tokens'

const token = 'upt_0123456789abcdefghijklmnopqrstuv'
const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`

describe('the token a machine sends', () => {
  it('reads Bearer, Basic carrying the token itself, and Basic carrying it as the password', () => {
    expect(machineToken(`Bearer ${token}`)).toBe(token)
    // Backstage's generic analytics module sends its basicAuthToken verbatim after "Basic "
    expect(machineToken(`Basic ${token}`)).toBe(token)
    expect(machineToken(basic(`backstage:${token}`))).toBe(token)
    expect(machineToken(basic(`:${token}`))).toBe(token)
  })

  it('reads nothing else: no header, another scheme, a Basic password that is not an Upshot token', () => {
    expect(machineToken(null)).toBeNull()
    expect(machineToken(`Token ${token}`)).toBeNull()
    expect(machineToken(basic('backstage:hunter2'))).toBeNull()
    expect(machineToken(basic(token))).toBeNull() // base64 of the token with no user part is not Basic
    expect(machineToken('Basic')).toBeNull()
  })

  it('leaves people’s reads on Bearer alone', () => {
    expect(bearerToken(`Basic ${token}`)).toBeNull()
  })
})
