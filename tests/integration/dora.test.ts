// The DORA keys as the database computes them, on a week whose answers are worked out by hand. Every case
// has a row just outside the window (a deployment at the window's end, a first deployment before it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { summarizeDora } from '@/db/queries/dora'
import { drainDirtyWeeks } from '@/db/queries/rollups'
import { listTeamWeeks } from '@/db/queries/team-weeks'
import { summarizeTeamWeeks } from '@/lib/metrics/team-weeks'
import { engine, freshDatabase, type TestDatabase } from '@/tests/helpers/database'

const WEEK = { from: new Date('2026-03-02T00:00:00Z'), to: new Date('2026-03-09T00:00:00Z') }

describe(`DORA keys in SQL (${engine})`, () => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await freshDatabase('dora')
    const sql = database.connection.sql
    await sql`insert into teams (id, slug, name) values (1, 'alpha', 'Alpha'), (2, 'beta', 'Beta')`
    await sql`insert into repositories (id, external_id, owner, name, full_name, team_id) values
      (1, 'R1', 'acme', 'alpha', 'acme/alpha', 1), (2, 'R2', 'acme', 'beta', 'acme/beta', 2)`
    await sql`insert into services (id, entity_ref, name, owner_team_id, repository_id) values
      (1, 'component:default/s1', 's1', 1, 1), (2, 'component:default/s2', 's2', 1, 1), (3, 'component:default/s3', 's3', 2, 2)`
    await sql`insert into pull_requests (id, external_id, repository_id, number, team_id, state, first_commit_at, opened_at, merged_at) values
      (1, 'PR1', 1, 1, 1, 'merged', '2026-03-03T15:00Z', '2026-03-03T18:00Z', '2026-03-04T10:00Z'),
      (2, 'PR2', 1, 2, 1, 'merged', '2026-03-02T10:00Z', '2026-03-02T12:00Z', '2026-03-02T20:00Z'),
      (3, 'PR3', 1, 3, 1, 'merged', '2026-02-20T09:00Z', '2026-02-21T09:00Z', '2026-02-26T09:00Z')`
    // id, service, environment, status, finished, rollback, hotfix
    const deployments: [number, number, string, string, string, boolean, boolean][] = [
      [10, 1, 'production', 'success', '2026-02-27T10:00Z', false, false], // D0: before the week, first to ship PR3
      [11, 1, 'production', 'success', '2026-03-03T10:00Z', false, false], // A: raises incident 1 → failure, recovered in 100 min
      [12, 2, 'production', 'success', '2026-03-04T12:00Z', false, false], // B: rolled back 30 min later → failure
      [13, 2, 'production', 'success', '2026-03-04T12:30Z', true, false], //  R: the rollback
      [14, 1, 'production', 'success', '2026-03-05T15:00Z', false, false], // C: ships PR1 and PR3 again
      [15, 2, 'production', 'success', '2026-03-05T10:00Z', false, false], // E: hot-fixed 25 h later → not a failure
      [16, 2, 'production', 'success', '2026-03-06T11:00Z', false, true], //  K: that hotfix
      [17, 1, 'production', 'failure', '2026-03-06T09:00Z', false, false], // F: failed to deploy → not counted
      [18, 1, 'staging', 'success', '2026-03-06T10:00Z', false, false], //    G: staging → not counted
      [19, 1, 'production', 'success', '2026-03-09T00:00Z', false, false], // H: at the window's end → outside
      [20, 3, 'production', 'success', '2026-03-03T09:00Z', false, false], // X: team beta, incident never resolved
    ]
    for (const [id, service, environment, status, finished, rollback, hotfix] of deployments) {
      await sql`insert into deployments (id, source, external_id, service_id, repository_id, team_id, environment, is_production, status, started_at, finished_at, is_rollback, is_hotfix)
        values (${id}, 'csv', ${`D${id}`}, ${service}, ${service === 3 ? 2 : 1}, ${service === 3 ? 2 : 1}, ${environment}, ${environment === 'production'}, ${status},
          ${finished}::timestamptz - interval '8 minutes', ${finished}, ${rollback}, ${hotfix})`
    }
    await sql`insert into deployment_pull_requests (deployment_id, pull_request_id) values (10, 3), (11, 2), (14, 1), (14, 3)`
    await sql`insert into incidents (id, source, external_id, service_id, team_id, status, opened_at, resolved_at, caused_by_deployment_id) values
      (1, 'csv', 'I1', 1, 1, 'resolved', '2026-03-03T10:10Z', '2026-03-03T11:40Z', 11),
      (2, 'csv', 'I2', 3, 2, 'acknowledged', '2026-03-03T09:30Z', null, 20)`
  })
  afterAll(async () => database?.close())

  it('team alpha, week of 2 Mar: 6 deployments / 1 week = 6.0 per week (failed, staging and the one at the end excluded)', async () => {
    const summary = await summarizeDora(database.connection.db, { ...WEEK, teamIds: [1] })
    expect(summary.deployments).toBe(6)
    expect(summary.deploymentsPerWeek).toBeCloseTo(6, 10)
  })

  it('lead time: PR2 24 h and PR1 48 h → median 36 h; PR3 first shipped before the week is not counted', async () => {
    const summary = await summarizeDora(database.connection.db, { ...WEEK, teamIds: [1] })
    expect(summary.leadTimeChanges).toBe(2)
    expect(summary.leadTimeMedianHours).toBeCloseTo(36, 10)
  })

  it('change fail rate: A (incident) and B (rollback within 24 h) of 6 = 33.3%; E, hot-fixed after 25 h, is not a failure', async () => {
    const summary = await summarizeDora(database.connection.db, { ...WEEK, teamIds: [1] })
    expect(summary.changeFailures).toBe(2)
    expect(summary.changeFailRate).toBeCloseTo(2 / 6, 10)
  })

  it('recovery: A 100 min (incident resolved), B 30 min (rollback) → median 65 min', async () => {
    const summary = await summarizeDora(database.connection.db, { ...WEEK, teamIds: [1] })
    expect(summary.recoveries).toBe(2)
    expect(summary.recoveryMedianMinutes).toBeCloseTo(65, 10)
  })

  it('whole organisation: 7 deployments, 3 failures (beta’s X is one, not yet recovered), still 2 recoveries', async () => {
    const summary = await summarizeDora(database.connection.db, WEEK)
    expect(summary).toMatchObject({ deployments: 7, changeFailures: 3, recoveries: 2, leadTimeChanges: 2 })
    expect(summary.changeFailRate).toBeCloseTo(3 / 7, 10)
    expect(summary.recoveryMedianMinutes).toBeCloseTo(65, 10)
  })

  it('an empty team list means no teams, not all teams', async () => {
    const summary = await summarizeDora(database.connection.db, { ...WEEK, teamIds: [] })
    expect(summary).toMatchObject({
      deployments: 0,
      changeFailRate: null,
      leadTimeMedianHours: null,
      recoveryMedianMinutes: null,
    })
  })

  it('rolls the week up per team with the same rules, and a second refresh of a week changes nothing', async () => {
    const db = database.connection.db
    const read = () => database.connection.sql`
      select team_id::int, to_char(week_start, 'YYYY-MM-DD') as week, merged_pull_requests, deployments, change_failures,
        rework_deployments, lead_time_hours, recovery_minutes, deploy_hours, incidents, restore_minutes
      from rollups_team_weeks order by week_start, team_id`
    await drainDirtyWeeks(db) // the facts' writes queued their weeks
    const first = await read()
    expect(first).toEqual([
      // week of 23 Feb: PR3 merged and deployed by D0 (lead 7 days + 1 h = 169 h from its first commit 20 Feb 09:00 to 27 Feb 10:00; deploy phase 25 h)
      {
        team_id: 1,
        week: '2026-02-23',
        merged_pull_requests: 1,
        deployments: 1,
        change_failures: 0,
        rework_deployments: 0,
        lead_time_hours: [169],
        recovery_minutes: [],
        deploy_hours: [25],
        incidents: 0,
        restore_minutes: [],
      },
      // week of 2 Mar: PR1 (deployed by C 29 h after merge), PR2 (by A 14 h after); A B R C E K; A, B failed (100 and 30 min); R, K rework; incident 1 restored in 90 min
      {
        team_id: 1,
        week: '2026-03-02',
        merged_pull_requests: 2,
        deployments: 6,
        change_failures: 2,
        rework_deployments: 2,
        lead_time_hours: [24, 48],
        recovery_minutes: [30, 100],
        deploy_hours: [14, 29],
        incidents: 1,
        restore_minutes: [90],
      },
      {
        team_id: 2,
        week: '2026-03-02',
        merged_pull_requests: 0,
        deployments: 1,
        change_failures: 1,
        rework_deployments: 0,
        lead_time_hours: [],
        recovery_minutes: [],
        deploy_hours: [],
        incidents: 1,
        restore_minutes: [],
      },
      // week of 9 Mar, the last with a fact (the deployment at the end): the rollups cover every week from the first fact to the last, quiet teams included
      {
        team_id: 1,
        week: '2026-03-09',
        merged_pull_requests: 0,
        deployments: 1,
        change_failures: 0,
        rework_deployments: 0,
        lead_time_hours: [],
        recovery_minutes: [],
        deploy_hours: [],
        incidents: 0,
        restore_minutes: [],
      },
      {
        team_id: 2,
        week: '2026-03-09',
        merged_pull_requests: 0,
        deployments: 0,
        change_failures: 0,
        rework_deployments: 0,
        lead_time_hours: [],
        recovery_minutes: [],
        deploy_hours: [],
        incidents: 0,
        restore_minutes: [],
      },
    ])
    await database.connection.sql`insert into dirty_weeks (from_week, to_week) values ('2026-03-02', '2026-03-02')`
    expect((await drainDirtyWeeks(db)).ranges).toEqual([{ from: '2026-03-02', to: '2026-03-02' }])
    expect(await read()).toEqual(first)
    const [week] = summarizeTeamWeeks(
      await listTeamWeeks(db, { from: new Date('2026-03-02T00:00:00Z'), to: new Date('2026-03-09T00:00:00Z') }),
      'week',
    )
    // the organisation's week: 7 deployments, 3 failures, PR1 and PR2 merged; lead times [24, 48] → median 36 h
    expect(week).toMatchObject({
      key: '2026-03-02',
      deployments: 7,
      changeFailures: 3,
      mergedPullRequests: 2,
      leadTimeHours: { count: 2, median: 36 },
    })
  })
})
