import { describe, expect, it } from 'vitest'
import { InvalidEnvError, parseEnv } from './env'

describe('environment', () => {
  it('defaults to the embedded database in .data', () => {
    const env = parseEnv({})
    expect(env.DATABASE_URL).toBeUndefined()
    expect(env.UPSHOT_DATA_DIR).toBe('.data')
  })

  it('treats an empty variable as unset', () => {
    expect(parseEnv({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined()
  })

  it('accepts postgres URLs and names the variable it rejects', () => {
    expect(parseEnv({ DATABASE_URL: 'postgresql://u@db:5432/x' }).DATABASE_URL).toBe('postgresql://u@db:5432/x')
    expect(() => parseEnv({ DATABASE_URL: 'mysql://u@db/x' })).toThrow(InvalidEnvError)
    expect(() => parseEnv({ DATABASE_URL: 'mysql://u@db/x' })).toThrow(/DATABASE_URL: must be a postgres/)
    expect(() => parseEnv({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/)
  })
})
