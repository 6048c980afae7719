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

  it('reads the delivery schedule as pg-boss will, and names a schedule it cannot read', () => {
    expect(parseEnv({}).UPSHOT_DELIVERY_CRON).toBe('*/5 * * * *')
    expect(parseEnv({ UPSHOT_DELIVERY_CRON: '0 8 * * MON-FRI' }).UPSHOT_DELIVERY_CRON).toBe('0 8 * * MON-FRI')
    for (const wrong of ['61 * * * *', '* 24 * * *', '* * * * MON-FUN', '*/x * * * *', '* * * *'])
      expect(() => parseEnv({ UPSHOT_DELIVERY_CRON: wrong }), wrong).toThrow(/UPSHOT_DELIVERY_CRON: must be a cron/)
  })
})
