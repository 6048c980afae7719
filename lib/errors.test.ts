import { describe, expect, it } from 'vitest'
import { databaseErrorCode, describeError, isRetryableDatabaseError, isUniqueViolation, UpshotError } from './errors'

/** What drizzle throws: "Failed query: <the statement>", the driver's Postgres error as its cause. */
const failedQuery = (code: string, message: string, detail?: string) =>
  new Error(
    `Failed query: insert into rollups_team_weeks (team_id, week_start) values ($1, $2)\nparams: 1,2026-03-02`,
    {
      cause: Object.assign(new Error(message), { code, ...(detail ? { detail } : {}) }),
    },
  )

describe('describeError', () => {
  it('gives Postgres’ message, code and detail, never the statement', () => {
    const error = failedQuery(
      '23505',
      'duplicate key value violates unique constraint "rollups_team_weeks_team_id_week_start_pk"',
      'Key (team_id, week_start)=(1, 2026-03-02) already exists.',
    )
    const described = describeError(error)
    expect(described).toBe(
      'database: duplicate key value violates unique constraint "rollups_team_weeks_team_id_week_start_pk" (23505: Key (team_id, week_start)=(1, 2026-03-02) already exists.)',
    )
    expect(described).not.toMatch(/insert into|params/)
  })

  it('knows the codes however the error is wrapped, and leaves other errors as they are', () => {
    expect(databaseErrorCode(failedQuery('40P01', 'deadlock detected'))).toBe('40P01')
    expect(isRetryableDatabaseError(failedQuery('40P01', 'deadlock detected'))).toBe(true)
    expect(isRetryableDatabaseError(failedQuery('23505', 'duplicate key'))).toBe(false)
    expect(isUniqueViolation(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(true)
    expect(databaseErrorCode(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBeNull()
    expect(databaseErrorCode(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))).toBeNull()
    expect(describeError(new Error('The roster has no login column.'))).toBe('The roster has no login column.')
    expect(describeError('a string')).toBe('a string')
    // our own message, not the database error it was made from
    expect(
      describeError(
        new UpshotError('conflict', 'There is already a Portal launch milestone on 2026-03-02.', {
          cause: failedQuery('23505', 'duplicate key'),
        }),
      ),
    ).toBe('There is already a Portal launch milestone on 2026-03-02.')
  })
})
