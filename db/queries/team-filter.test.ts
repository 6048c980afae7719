import { sql } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'
import { describe, expect, it } from 'vitest'
import { teamFilter } from './team-filter'

const dialect = new PgDialect()
const render = (teamIds: number[] | undefined) => dialect.sqlToQuery(sql`where ${teamFilter(sql`d.team_id`, teamIds)}`)

describe('teamFilter', () => {
  it('no list: every team (the condition is true)', () => {
    expect(render(undefined)).toMatchObject({ sql: 'where true', params: [] })
  })

  it('an empty list: no team at all, not every team', () => {
    expect(render([])).toMatchObject({ sql: 'where false', params: [] })
  })

  it('a list: the named column in the ids, each a parameter', () => {
    expect(render([3, 7])).toMatchObject({ sql: 'where d.team_id in ($1, $2)', params: [3, 7] })
  })
})
