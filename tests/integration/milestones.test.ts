// Milestones as an input, on a real database: saved, edited and deleted with their teams (the query layer,
// the page's form, and `npm run db -- milestones` as a separate process against DATABASE_URL); the milestones
// CSV all or nothing with each problem's line and column, and a re-run that duplicates nothing; and the
// Overview and the Delivery page using them (which launch, which milestones a team filter shows).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatProblem, importCsv } from '@/collectors/csv/import'
import { deleteMilestone, listMilestones, saveMilestone } from '@/db/queries/milestones'
import { listTeams } from '@/db/queries/organisation'
import { parseIsoDate } from '@/lib/dates'
import { getDelivery } from '@/lib/data/delivery'
import { submitMilestoneForm } from '@/lib/data/milestones'
import { getOverview } from '@/lib/data/overview'
import { engine, freshDatabase, type TestDatabase } from '@/tests/helpers/database'
import { runTs } from '@/tests/helpers/processes'

const ROSTER =
  'login,team,team_name,start_date\nana,checkout,Checkout,2025-01-06\nbo,payments,Payments,2025-01-06\ncy,search,Search,2025-01-06\n'

describe(`milestones (${engine})`, () => {
  let database: TestDatabase
  const team: Record<string, number> = {}
  beforeAll(async () => {
    database = await freshDatabase('milestones')
    await importCsv(database.connection.db, {
      kind: 'roster',
      file: 'roster.csv',
      bytes: Buffer.from(ROSTER),
      dryRun: false,
      today: '2026-11-24',
    })
    for (const row of await listTeams(database.connection.db)) team[row.name] = row.id
  })
  afterAll(async () => database?.close())
  const db = () => database.connection.db
  const sql = () => database.connection.sql
  const clear = () => sql()`delete from milestones`
  const form = (fields: Record<string, string | string[]>) => {
    const data = new FormData()
    for (const [key, value] of Object.entries(fields)) for (const one of [value].flat()) data.append(key, one)
    return data
  }

  it('saves a milestone for two teams, edits it to every team, and deletes it with its team list; one kind on one day is one milestone', async () => {
    await clear()
    const input = {
      kind: 'catalog_launch' as const,
      name: 'Catalog for the pilots',
      occurredOn: '2026-03-02',
      description: 'catalog and search',
      teamIds: [team.Payments as number, team.Checkout as number],
    }
    const id = await saveMilestone(db(), { id: null, input })
    expect(await listMilestones(db())).toEqual([
      expect.objectContaining({
        id,
        kind: 'catalog_launch',
        name: 'Catalog for the pilots',
        occurredOn: '2026-03-02',
        description: 'catalog and search',
        teamIds: [team.Checkout, team.Payments].sort((a, b) => (a ?? 0) - (b ?? 0)),
      }),
    ])

    await saveMilestone(db(), { id, input: { ...input, name: 'Catalog for everyone', description: null, teamIds: [] } })
    expect(await listMilestones(db())).toEqual([
      expect.objectContaining({ id, name: 'Catalog for everyone', description: null, teamIds: [] }),
    ])
    expect(await sql()`select count(*)::int as n from milestone_teams`).toEqual([{ n: 0 }])

    await expect(saveMilestone(db(), { id: null, input: { ...input, name: 'Again' } })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('already a Catalog launch milestone on 2026-03-02'),
    })
    await expect(saveMilestone(db(), { id: id + 1000, input })).rejects.toMatchObject({ code: 'not_found' })
    // the refused save wrote nothing: still one milestone, still for every team
    expect(await listMilestones(db())).toEqual([
      expect.objectContaining({ id, name: 'Catalog for everyone', teamIds: [] }),
    ])

    await saveMilestone(db(), { id, input: { ...input, teamIds: [team.Search as number] } })
    expect(await deleteMilestone(db(), { id })).toBe(true)
    expect(await deleteMilestone(db(), { id })).toBe(false)
    expect(
      await sql()`select (select count(*)::int from milestones) as milestones, (select count(*)::int from milestone_teams) as links`,
    ).toEqual([{ milestones: 0, links: 0 }])
  })

  it('the form refuses each wrong field with what to change and saves nothing; a valid one saves with its teams', async () => {
    await clear()
    const refused = await submitMilestoneForm(
      null,
      form({ kind: 'launch', occurredOn: '2026-02-30', name: '  ', description: '', scope: 'some' }),
      { db: db() },
    )
    expect(refused).toEqual({
      ok: false,
      state: {
        values: { kind: 'launch', occurredOn: '2026-02-30', name: '  ', description: '', scope: 'some', teams: '' },
        errors: {
          kind: 'Choose what kind of milestone it is',
          occurredOn: 'Give the day it happened, such as 6 Apr 2026',
          name: 'Give it a name: the charts label the milestone with it',
          teams: 'Choose at least one team, or “All teams”',
        },
        message: 'Nothing was saved: fix the fields marked below.',
      },
    })
    expect(await listMilestones(db())).toEqual([])

    // the day as the app writes it, stored as ISO (the next submission's ISO day is the same day)
    const saved = await submitMilestoneForm(
      null,
      form({
        kind: 'techdocs_launch',
        occurredOn: ' 6 Apr 2026',
        name: 'TechDocs',
        description: ' docs in the portal ',
        scope: 'some',
        teams: [String(team.Search), String(team.Checkout)],
      }),
      { db: db() },
    )
    if (!saved.ok) throw new Error(JSON.stringify(saved.state))
    expect(await listMilestones(db())).toEqual([
      expect.objectContaining({
        id: saved.id,
        kind: 'techdocs_launch',
        occurredOn: '2026-04-06',
        description: 'docs in the portal',
        teamIds: [team.Checkout, team.Search].sort((a, b) => (a ?? 0) - (b ?? 0)),
      }),
    ])

    // "All teams" wins over boxes left checked; the same kind on the same day is refused on the date
    const again = await submitMilestoneForm(
      null,
      form({
        kind: 'techdocs_launch',
        occurredOn: '2026-04-06',
        name: 'TechDocs again',
        scope: 'all',
        teams: [String(team.Search)],
      }),
      { db: db() },
    )
    expect(again.ok ? null : again.state.errors).toEqual({
      occurredOn: expect.stringContaining('already a TechDocs launch milestone on 2026-04-06'),
    })
    const edited = await submitMilestoneForm(
      saved.id,
      form({
        kind: 'techdocs_launch',
        occurredOn: '2026-04-06',
        name: 'TechDocs',
        scope: 'all',
        teams: [String(team.Search)],
      }),
      { db: db() },
    )
    expect(edited).toEqual({ ok: true, id: saved.id })
    expect(await listMilestones(db())).toEqual([
      expect.objectContaining({ id: saved.id, teamIds: [], description: null }),
    ])
  })

  it('the Overview counts from the portal launch for every team, else the earliest portal launch; the Delivery page shows a team’s milestones only where its teams are shown', async () => {
    await clear()
    const now = new Date('2026-11-25T12:00:00Z')
    expect(await getOverview({ db: db(), now, replicates: 20 })).toEqual({ state: 'no-launch' })
    const pilot = await saveMilestone(db(), {
      id: null,
      input: {
        kind: 'portal_launch',
        name: 'Pilot launch',
        occurredOn: '2026-01-14',
        description: null,
        teamIds: [team.Checkout as number],
      },
    })
    const overview = await getOverview({ db: db(), now, replicates: 20 })
    if (overview.state !== 'ready') throw new Error(`expected a ready overview, got ${overview.state}`)
    expect(overview.launch).toEqual({ name: 'Pilot launch', date: parseIsoDate('2026-01-14'), teams: ['Checkout'] })

    await saveMilestone(db(), {
      id: null,
      input: { kind: 'portal_launch', name: 'Portal launch', occurredOn: '2026-05-04', description: null, teamIds: [] },
    })
    await saveMilestone(db(), {
      id: null,
      input: {
        kind: 'scaffolder_launch',
        name: 'Templates',
        occurredOn: '2026-06-01',
        description: null,
        teamIds: [team.Payments as number],
      },
    })
    await saveMilestone(db(), {
      id: null,
      input: { kind: 'other', name: 'Reorganisation', occurredOn: '2026-07-06', description: null, teamIds: [] },
    })
    const later = await getOverview({ db: db(), now, replicates: 20 })
    if (later.state !== 'ready') throw new Error(`expected a ready overview, got ${later.state}`)
    expect(later.launch).toEqual({ name: 'Portal launch', date: parseIsoDate('2026-05-04'), teams: [] })
    expect(later.windows.before).toEqual({ from: parseIsoDate('2025-11-03'), to: parseIsoDate('2026-05-04') })
    // the Overview is every team's: every milestone, labelled with its kind and any teams it is for
    expect(later.milestones.map((milestone) => [milestone.label, milestone.weekStart])).toEqual([
      ['Portal launch: Pilot launch (Checkout)', '2026-01-12'],
      ['Portal launch', '2026-05-04'],
      ['Scaffolder launch: Templates (Payments)', '2026-06-01'],
      ['Reorganisation', '2026-07-06'],
    ])

    const interval = { from: parseIsoDate('2025-12-01'), to: parseIsoDate('2026-11-23') }
    const labels = async (teamIds: number[] | undefined) =>
      (await getDelivery({ teamIds, interval }, { db: db(), replicates: 20 })).milestones.map(
        (milestone) => milestone.label,
      )
    expect(await labels(undefined)).toEqual([
      'Portal launch: Pilot launch (Checkout)',
      'Portal launch',
      'Scaffolder launch: Templates (Payments)',
      'Reorganisation',
    ])
    expect(await labels([team.Search as number])).toEqual(['Portal launch', 'Reorganisation'])
    expect(await labels([team.Search as number, team.Payments as number])).toEqual([
      'Portal launch',
      'Scaffolder launch: Templates (Payments)',
      'Reorganisation',
    ])
    expect(await deleteMilestone(db(), { id: pilot })).toBe(true)
  })

  describe('the milestones CSV', () => {
    const run = (bytes: string, dryRun = false) =>
      importCsv(db(), {
        kind: 'milestones',
        file: 'milestones.csv',
        bytes: Buffer.from(bytes),
        dryRun,
        today: '2026-11-24',
      })
    const good = [
      'kind,occurred_on,name,teams,note',
      'portal_launch,2026-03-02,Portal launch,,for everybody',
      'catalog_launch,2026-04-06,Catalog,Checkout; payments|SEARCH,',
      'other,2026-05-04,Reorganisation,Payments,two teams merged',
    ].join('\n')
    const stored = () => sql()`
      select m.kind::text, m.occurred_on::text as on, m.name, m.description, coalesce(string_agg(t.name, ', ' order by t.name), '') as teams
      from milestones m left join milestone_teams mt on mt.milestone_id = m.id left join teams t on t.id = mt.team_id
      group by m.id order by m.occurred_on`

    it('refuses a file with any bad row, naming each line and column, and writes none of it', async () => {
      await clear()
      const bad = [
        'kind,occurred_on,name,teams',
        'portal_launch,2026-03-02,Portal launch,',
        'catalog_launch,2026-04-06,Catalog,Checkout;Chekout',
        'launch,2026-04-31,Something,',
        'portal_launch,2026-03-02,Portal launch again,',
      ].join('\n')
      const expected = [
        'milestones.csv:3: teams: "Chekout" is not a team (neither a team name nor a slug; import the roster first)',
        'milestones.csv:4: kind: "launch" must be one of portal_launch, catalog_launch, techdocs_launch, scaffolder_launch, other',
        'milestones.csv:4: occurred_on: "2026-04-31" is not a real date',
        'milestones.csv:5: the same kind and occurred_on as line 2 (each may appear once)',
      ]
      for (const dryRun of [true, false]) {
        const report = await run(bad, dryRun)
        expect(report.problems.map((problem) => formatProblem('milestones.csv', problem))).toEqual(expected)
        expect(report).toMatchObject({ inserted: 0, updated: 0, rejected: 3 })
      }
      expect(await stored()).toEqual([])
      const [last] = await sql()<
        { status: string }[]
      >`select status from sync_runs where source = 'csv:milestones' order by id desc limit 1`
      expect(last?.status).toBe('failed')
    })

    it('imports all rows with their teams (by name or slug, any case); a re-run changes nothing; a changed team list replaces the old one', async () => {
      await clear()
      expect(await run(good, true)).toMatchObject({ rows: 3, inserted: 3, updated: 0, unchanged: 0, problems: [] })
      expect(await stored()).toEqual([])
      expect(await run(good)).toMatchObject({ rows: 3, inserted: 3, updated: 0, unchanged: 0, problems: [] })
      const expected = [
        { kind: 'portal_launch', on: '2026-03-02', name: 'Portal launch', description: 'for everybody', teams: '' },
        {
          kind: 'catalog_launch',
          on: '2026-04-06',
          name: 'Catalog',
          description: null,
          teams: 'Checkout, Payments, Search',
        },
        { kind: 'other', on: '2026-05-04', name: 'Reorganisation', description: 'two teams merged', teams: 'Payments' },
      ]
      expect(await stored()).toEqual(expected)

      expect(await run(good)).toMatchObject({ inserted: 0, updated: 0, unchanged: 3 })
      expect(await stored()).toEqual(expected)

      const changed = good
        .replace('Checkout; payments|SEARCH', 'search')
        .replace('Reorganisation,Payments,', 'Reorganisation,,')
      expect(await run(changed)).toMatchObject({ inserted: 0, updated: 2, unchanged: 1 })
      expect(await stored()).toEqual([expected[0], { ...expected[1], teams: 'Search' }, { ...expected[2], teams: '' }])
      expect(
        await sql()`select status, created, updated, skipped from sync_runs where source = 'csv:milestones' and status = 'success' order by id`,
      ).toEqual([
        { status: 'success', created: 3, updated: 0, skipped: 0 },
        { status: 'success', created: 0, updated: 0, skipped: 3 },
        { status: 'success', created: 0, updated: 2, skipped: 1 },
      ])
    })
  })

  describe('npm run db -- milestones', () => {
    const cli = async (...args: string[]) => {
      const child = runTs('db/cli.ts', ['milestones', ...args], { DATABASE_URL: database.url })
      const code = await child.exited
      return { code, output: child.output() }
    }

    it('adds, lists, edits and deletes; a bad flag is named, and nothing is written', async () => {
      await clear()
      const added = await cli(
        'add',
        '--kind',
        'portal_launch',
        '--on',
        '2026-03-02',
        '--name',
        'Portal launch',
        '--teams',
        'Checkout, payments',
        '--note',
        'the pilot',
      )
      expect(added).toMatchObject({
        code: 0,
        output: expect.stringMatching(
          /^added milestone \d+: Portal launch \(portal_launch\) on 2026-03-02 for Checkout, Payments$/m,
        ),
      })
      const id = Number(/added milestone (\d+)/.exec(added.output)?.[1])
      const listed = await cli('list')
      expect(listed.code).toBe(0)
      expect(listed.output).toContain(
        `${String(id).padStart(4)}  2026-03-02  portal_launch      Portal launch  [Checkout, Payments]  the pilot`,
      )

      const refusals = []
      for (const args of [
        ['add', '--kind', 'launch', '--on', '2026-02-30', '--name', 'Bad'],
        ['add', '--kind', 'other', '--on', '2026-03-09', '--name', 'Bad', '--teams', 'Nowhere'],
        ['add', '--on', '2026-03-09'],
        ['add', '--kind', 'portal_launch', '--on', '2026-03-02', '--name', 'Twice'],
        ['edit', 'x1', '--name', 'Bad'],
      ]) {
        // one at a time: each is a Node process, and the machine has two cores
        refusals.push(await cli(...args))
      }
      expect(refusals.map((refusal) => refusal.code)).toEqual([1, 1, 1, 1, 1])
      expect(refusals[0]?.output).toContain(
        '--kind: "launch" is not a kind: use portal_launch, catalog_launch, techdocs_launch, scaffolder_launch, other',
      )
      expect(refusals[0]?.output).toContain('--on: "2026-02-30" is not a date as YYYY-MM-DD')
      expect(refusals[1]?.output).toContain('--teams: "Nowhere" is not a team')
      expect(refusals[2]?.output).toContain(
        '--kind is required (portal_launch, catalog_launch, techdocs_launch, scaffolder_launch, other)',
      )
      expect(refusals[2]?.output).toContain('--name is required')
      expect(refusals[3]?.output).toContain('There is already a Portal launch milestone on 2026-03-02')
      expect(refusals[4]?.output).toContain('<id>: "x1" is not a milestone\'s number')
      expect(await listMilestones(db())).toEqual([expect.objectContaining({ id, name: 'Portal launch' })])

      const edited = await cli('edit', String(id), '--all-teams', '--name', 'Portal launch for everyone')
      expect(edited).toMatchObject({
        code: 0,
        output: expect.stringContaining(
          `changed milestone ${id}: Portal launch for everyone (portal_launch) on 2026-03-02 for every team`,
        ),
      })
      expect(await listMilestones(db())).toEqual([
        expect.objectContaining({ id, name: 'Portal launch for everyone', description: 'the pilot', teamIds: [] }),
      ])

      expect(await cli('delete', String(id))).toMatchObject({
        code: 0,
        output: expect.stringContaining(`deleted milestone ${id}`),
      })
      expect(await cli('delete', String(id))).toMatchObject({
        code: 1,
        output: expect.stringContaining(`There is no milestone ${id}`),
      })
      expect(await listMilestones(db())).toEqual([])
    })
  })
})
