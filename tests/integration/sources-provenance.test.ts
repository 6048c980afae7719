// The Data sources page's counts on a real database: each says how its rows arrived (sync, webhook, CSV import or
// the demo), and the demo's generated rows (its teams' people and survey answers included) are never counted as
// collected or imported.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { countCollected, type CollectedCount } from '@/db/queries/sources'
import { engine, freshDatabase, type TestDatabase } from '@/tests/helpers/database'

describe(`Data sources provenance (${engine})`, () => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await freshDatabase('sources_provenance')
    const sql = database.connection.sql
    await sql`insert into teams (slug, name, external_id, created_at) values
      ('payments', 'Payments', null, now()), ('demo-a', 'Demo A', 'demo-team-1', '2026-11-30T00:00:00Z')`
    await sql`insert into people (login) values ('ada'), ('grace'), ('demo-person')`
    await sql`insert into team_memberships (person_id, team_id, valid_from)
      select p.id, t.id, '2026-01-01' from people p join teams t on (t.slug = 'demo-a') = (p.login = 'demo-person')`
    await sql`insert into repositories (provider, external_id, owner, name, full_name) values ('csv', 'csv:acme/api', 'acme', 'api', 'acme/api')`
    const deployment = (source: string, id: string) =>
      sql`insert into deployments (source, external_id, environment, is_production, status, started_at, finished_at)
        values (${source}, ${id}, 'production', true, 'success', '2026-11-02T10:00:00Z', '2026-11-02T10:05:00Z')`
    await deployment('csv', 'c1')
    await deployment('csv', 'c2')
    await deployment('webhook', 'w1')
    await deployment('github_actions', 'g1')
    await deployment('demo', 'd1')
    await sql`insert into webhook_deliveries (delivery_id, event, payload, processed_at) values
      ('a', 'deployment_status', '{}', now()), ('b', 'pull_request', '{}', now()), ('c', 'pull_request', '{}', null),
      ('gitlab:d', 'gitlab:Deployment Hook', '{}', now())`
    await sql`insert into services (entity_ref, name, source) values
      ('component:default/api', 'api', 'backstage'), ('component:default/legacy', 'legacy', 'csv')`
    await sql`insert into study_observations (task, participant_key, phase, seconds, found, source) values
      ('find the runbook', 'p1', 'before', 300, true, 'csv'), ('find the runbook', 'p1', 'after', 60, true, 'form'),
      ('find the runbook', 'p2', 'after', 90, true, 'form')`
    await sql`insert into survey_waves (key, title, opens_on, closes_on) values ('2026-Q4', 'Pulse', '2026-10-01', '2026-10-14')`
    await sql`insert into survey_responses (wave_id, respondent_key, team_id, question, score, submitted_at)
      select w.id, t.slug, t.id, 'q', 7, '2026-10-02' from survey_waves w, teams t`
  })
  afterAll(async () => database?.close())

  const find = (items: CollectedCount[] | undefined, label: string) => items?.find((item) => item.label === label)

  it('counts each way rows arrived apart, with where they came from', async () => {
    const { counts, demoGeneratedAt } = await countCollected(database.connection.db)
    expect(find(counts.csv, 'deployments')).toEqual({ label: 'deployments', count: 2, via: ['import'] })
    expect(find(counts.csv, 'repositories')).toEqual({ label: 'repositories', count: 1, via: ['import'] })
    expect(find(counts.github, 'deployments')).toEqual({ label: 'deployments', count: 1, via: ['collector'] })
    expect(find(counts.github, 'deployments by webhook')).toEqual({
      label: 'deployments by webhook',
      count: 1,
      via: ['webhook'],
    })
    // the unprocessed delivery is not yet in the data; GitLab's are GitLab's
    expect(find(counts.github, 'webhook deliveries handled')?.count).toBe(2)
    expect(find(counts.gitlab, 'webhook deliveries handled')?.count).toBe(1)
    // a service the services file made is an import, not the catalog's
    expect(find(counts.backstage, 'catalog services')?.count).toBe(1)
    expect(find(counts.csv, 'services')).toEqual({ label: 'services', count: 1, via: ['import'] })
    expect(find(counts.csv, 'study timings')?.count).toBe(1)
    expect(find(counts.csv, 'study timings entered')).toEqual({
      label: 'study timings entered',
      count: 2,
      via: ['form'],
    })
    // the demo's team member and its team's answers are the demo's, not the roster's or a survey file's
    expect(find(counts.csv, 'people')?.count).toBe(2)
    expect(find(counts.csv, 'survey answers')?.count).toBe(1)
    expect(find(counts.demo, 'people')).toEqual({ label: 'people', count: 1, via: ['demo'] })
    expect(find(counts.demo, 'survey answers')?.count).toBe(1)
    expect(find(counts.demo, 'deployments')?.count).toBe(1)
    expect(demoGeneratedAt?.toISOString()).toBe('2026-11-30T00:00:00.000Z')
    // every count says how its rows came
    for (const items of Object.values(counts)) for (const item of items) expect(item.via.length).toBeGreaterThan(0)
  })
})
