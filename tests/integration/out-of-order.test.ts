// References that arrive before what they name are kept and linked when the other side arrives: an incident
// whose caused_by_deployment names a deployment imported later (by id, by commit SHA, or by the linking
// rule), and a pull request stored after the deployment that shipped it was linked. The weekly figures follow.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describePending, importCsv } from '@/collectors/csv/import'
import type { ImportKind } from '@/collectors/csv/kinds'
import { upsertPullRequests } from '@/db/queries/delivery'
import { linkLatePullRequests } from '@/db/queries/deployment-links'
import { engine, freshDatabase, type TestDatabase } from '@/tests/helpers/database'

describe(`references that arrive out of order (${engine})`, () => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await freshDatabase('out_of_order')
    await run('roster', 'roster.csv', 'login,team\nada,payments\nben,search\n')
  })
  afterAll(async () => database?.close())
  const run = (kind: ImportKind, file: string, text: string, dryRun = false) =>
    importCsv(database.connection.db, {
      kind,
      file,
      bytes: Buffer.from(text),
      dryRun,
      today: '2026-11-24',
      linkIncidentsWithinHours: 2,
    })
  const sql = () => database.connection.sql
  const week = async (slug: string, weekStart: string) =>
    (
      await sql()<{ deployments: number; failures: number }[]>`
        select coalesce(sum(r.deployments), 0)::int as deployments, coalesce(sum(r.change_failures), 0)::int as failures
        from rollups_team_weeks r join teams t on t.id = r.team_id where t.slug = ${slug} and r.week_start = ${weekStart}`
    )[0]

  it('an incident naming a deployment not imported yet is kept (1 pending); importing the deployment links it and counts the change failure', async () => {
    const incidents =
      'id,team,title,opened_at,resolved_at,caused_by_deployment\ni-1,payments,Checkout errors,2026-03-03T10:40:00Z,2026-03-03T11:30:00Z,d-late\ni-2,payments,Slow search,2026-03-03T12:00:00Z,,\n'
    const dry = await run('incidents', 'incidents.csv', incidents, true)
    expect(dry).toMatchObject({ inserted: 2, problems: [], pendingReferences: { incidentsWithoutDeployment: 1 } })
    expect(describePending(dry)).toBe(
      '1 incident would name a deployment not imported yet (caused_by_deployment): kept, and linked when that deployment arrives.',
    )
    const report = await run('incidents', 'incidents.csv', incidents)
    expect(report).toMatchObject({ inserted: 2, pendingReferences: { incidentsWithoutDeployment: 1 } })
    expect(describePending(report)).toBe(
      '1 incident names a deployment not imported yet (caused_by_deployment): kept, and linked when that deployment arrives.',
    )
    expect(await sql()`select external_id, deployment_ref, caused_by_deployment_id from incidents order by 1`).toEqual([
      { external_id: 'i-1', deployment_ref: 'd-late', caused_by_deployment_id: null },
      { external_id: 'i-2', deployment_ref: null, caused_by_deployment_id: null },
    ])

    const deployments =
      'id,team,environment,status,started_at,finished_at\nd-late,payments,production,success,2026-03-03T10:00:00Z,2026-03-03T10:20:00Z\nd-other,payments,production,success,2026-03-03T11:50:00Z,2026-03-03T11:55:00Z\n'
    const deployed = await run('deployments', 'deployments.csv', deployments)
    expect(deployed).toMatchObject({ inserted: 2, problems: [] })
    expect(
      await sql()`select i.external_id, d.external_id as deployment from incidents i left join deployments d on d.id = i.caused_by_deployment_id order by 1`,
    ).toEqual([
      { external_id: 'i-1', deployment: 'd-late' },
      // no service: the rule (its service's last deployment) cannot apply
      { external_id: 'i-2', deployment: null },
    ])
    // the week of 2026-03-02: two production deployments, one of them a change failure
    expect(await week('payments', '2026-03-02')).toEqual({ deployments: 2, failures: 1 })
    // importing the incidents again: nothing pending any more
    expect(await run('incidents', 'incidents.csv', incidents, true)).toMatchObject({
      inserted: 0,
      pendingReferences: { incidentsWithoutDeployment: 0 },
    })
  })

  it('by commit SHA (its first characters will do, in any case), and by the rule for an incident of a service that names nothing', async () => {
    const [team] = await sql()<{ id: number }[]>`select id::int from teams where slug = 'search'`
    await sql()`insert into services (entity_ref, name, owner_team_id) values ('component:default/search-api', 'search-api', ${team?.id ?? null})`
    const incidents =
      'id,service,title,opened_at,caused_by_deployment\n' +
      'i-10,component:default/search-api,Search down,2026-04-07T09:30:00Z,0badc0de1\n' +
      'i-11,component:default/search-api,Search slow,2026-04-14T09:30:00Z,\n'
    expect(await run('incidents', 'search.csv', incidents)).toMatchObject({
      inserted: 2,
      pendingReferences: { incidentsWithoutDeployment: 1 },
    })
    expect(await week('search', '2026-04-06')).toEqual({ deployments: 0, failures: 0 })
    const deployments =
      'id,service,started_at,finished_at,commit_sha\n' +
      's-1,component:default/search-api,2026-04-07T09:00:00Z,2026-04-07T09:10:00Z,0BADC0DE1234567890abcdef1234567890abcdef\n' +
      's-2,component:default/search-api,2026-04-14T08:00:00Z,2026-04-14T08:30:00Z,1111111\n'
    expect(await run('deployments', 'search-deploys.csv', deployments)).toMatchObject({ inserted: 2, problems: [] })
    expect(
      await sql()`select i.external_id, d.external_id as deployment from incidents i left join deployments d on d.id = i.caused_by_deployment_id where i.external_id like 'i-1_' order by 1`,
    ).toEqual([
      { external_id: 'i-10', deployment: 's-1' },
      { external_id: 'i-11', deployment: 's-2' },
    ])
    expect(await week('search', '2026-04-06')).toEqual({ deployments: 1, failures: 1 })
    expect(await week('search', '2026-04-13')).toEqual({ deployments: 1, failures: 1 })
  })

  it('a pull request stored after the deployment of its merge commit was linked is linked to it; the weeks of both are refreshed', async () => {
    const [repository] = await sql()<{ id: number }[]>`
      insert into repositories (external_id, owner, name, full_name) values ('R_1', 'acme', 'shop', 'acme/shop') returning id::int`
    const repositoryId = repository?.id as number
    const [team] = await sql()<{ id: number }[]>`select id::int from teams where slug = 'payments'`
    // two deployments already linked to what they shipped (the first ships nothing: nothing came before it)
    await sql()`
      insert into deployments (source, external_id, repository_id, team_id, environment, is_production, status, started_at, finished_at, commit_sha, changes_linked)
      values ('github_deployments', 'DE_1', ${repositoryId}, ${team?.id ?? null}, 'production', true, 'success', '2026-05-04T09:00:00Z', '2026-05-04T09:10:00Z', ${'a'.repeat(40)}, true),
             ('github_deployments', 'DE_2', ${repositoryId}, ${team?.id ?? null}, 'production', true, 'success', '2026-05-05T09:00:00Z', '2026-05-05T09:10:00Z', ${'b'.repeat(40)}, true)`
    const pullRequest = (number: number, mergeCommitSha: string | null) => ({
      provider: 'github',
      externalId: `PR_${number}`,
      repositoryId,
      number,
      title: `change ${number}`,
      teamId: team?.id ?? null,
      state: 'merged' as const,
      openedAt: new Date('2026-05-04T12:00:00Z'),
      mergedAt: new Date('2026-05-05T08:00:00Z'),
      mergeCommitSha,
    })
    const written = await upsertPullRequests(database.connection.db, [
      pullRequest(1, 'b'.repeat(40)),
      pullRequest(2, 'c'.repeat(40)),
      pullRequest(3, 'a'.repeat(40)),
    ])
    expect(
      await database.connection.db.transaction((tx) =>
        linkLatePullRequests(tx, { pullRequestIds: [...written.ids.values()] }),
      ),
    ).toBe(1)
    // #1 shipped by DE_2 (its merge commit); #2's commit was never deployed; #3's by the first deployment, which ships nothing
    expect(
      await sql()`select p.number, d.external_id from deployment_pull_requests dp join pull_requests p on p.id = dp.pull_request_id join deployments d on d.id = dp.deployment_id`,
    ).toEqual([{ number: 1, external_id: 'DE_2' }])
    // again: already linked, nothing changes
    expect(
      await database.connection.db.transaction((tx) =>
        linkLatePullRequests(tx, { pullRequestIds: [...written.ids.values()] }),
      ),
    ).toBe(0)
  })
})
