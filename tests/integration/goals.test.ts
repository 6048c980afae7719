// Goals on a real database, read through the read models the initiative page and the one-pager use: an
// onboarding goal (days to first merged PR, at most 7) is at risk while the pilot's first hires take about two
// weeks, missed if nothing changes by its due date (the whole interval of the data up to that day still over 7),
// and met once the hires that follow merge within days, by its date and after it; setting a goal again replaces
// it, removing it removes it, and a metric Upshot does not know is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importCsv } from '@/collectors/csv/import'
import type { ImportKind } from '@/collectors/csv/kinds'
import { listGoals, upsertGoal } from '@/db/queries/goals'
import { saveInitiative } from '@/db/queries/initiatives'
import { listTeams } from '@/db/queries/organisation'
import { addUtcDays, parseIsoDate, toIsoDate } from '@/lib/dates'
import { removeGoal, submitGoalForm } from '@/lib/data/goals'
import { getInitiative, type InitiativeView } from '@/lib/data/initiative'
import { getReport } from '@/lib/data/report'
import { engine, freshDatabase, type TestDatabase } from '@/tests/helpers/database'

const TODAY = '2026-12-01'
const DUE = '2027-03-31'

/** Hires of a team, one every other day from `from`, each merging a first PR `days` after starting. */
function hires(prefix: string, team: string, from: string, days: readonly number[]) {
  return days.map((d, i) => {
    const start = addUtcDays(parseIsoDate(from), 2 * i)
    return { login: `${prefix}${i}`, team, start: toIsoDate(start), merged: addUtcDays(start, d) }
  })
}
type Hire = ReturnType<typeof hires>[number]

const rosterCsv = (people: Hire[]) =>
  `login,team,team_name,start_date\n${people.map((p) => `${p.login},${p.team},${p.team === 'checkout' ? 'Checkout' : 'Payments'},${p.start}`).join('\n')}\n`
let pr = 0
const pullRequestsCsv = (people: Hire[]) =>
  `id,repository,author,created_at,merged_at\n${people
    .map((p) => {
      const opened = new Date(p.merged.getTime() - 3_600_000)
      return `${++pr},acme/${p.team},${p.login},${opened.toISOString()},${p.merged.toISOString()}`
    })
    .join('\n')}\n`

describe(`initiative goals (${engine})`, () => {
  let database: TestDatabase
  let initiativeId: number
  const db = () => database.connection.db
  const load = async (kind: ImportKind, text: string) => {
    const report = await importCsv(db(), {
      kind,
      file: `${kind}.csv`,
      bytes: Buffer.from(text),
      dryRun: false,
      today: TODAY,
    })
    expect(report.problems).toEqual([])
  }
  const view = async (now: string) =>
    (await getInitiative(initiativeId, { db: db(), now: new Date(now), replicates: 400 })) as InitiativeView
  const goal = async (now: string) => (await view(now)).goals.find((g) => g.metric === 'days_to_first_merge')

  // the pilot's first eight hires (June 2026) take 13–16 days to their first merged PR
  const slow = hires('slow', 'checkout', '2026-06-01', [13, 14, 14, 15, 13, 14, 16, 14])
  // the 24 that follow (September on) take 3–5 days
  const fast = hires(
    'fast',
    'checkout',
    '2026-09-01',
    [4, 3, 4, 5, 4, 4, 3, 5, 4, 4, 3, 4, 5, 4, 4, 3, 4, 5, 4, 3, 4, 4, 5, 4],
  )
  const control = hires('ctl', 'payments', '2026-06-01', [12, 13, 14, 12, 15, 13])

  beforeAll(async () => {
    database = await freshDatabase('goals')
    // an engineer who was there before: the data begin with her first pull request (December 2025)
    const veteran: Hire = {
      login: 'vera',
      team: 'checkout',
      start: '2025-01-06',
      merged: new Date('2025-12-02T10:00:00Z'),
    }
    await load('roster', rosterCsv([veteran, ...slow, ...control]))
    await load('repositories', 'repository,team\nacme/checkout,checkout\nacme/payments,payments\n')
    await load('pull-requests', pullRequestsCsv([veteran, ...slow, ...control]))
    const teams = new Map((await listTeams(db())).map((team) => [team.name, team.id]))
    initiativeId = await saveInitiative(db(), {
      id: null,
      input: {
        name: 'Onboarding pilot',
        useCase: 'onboarding',
        description: null,
        launchDate: '2026-06-01',
        baselineStart: '2025-12-01',
        baselineEnd: '2026-06-01',
        evaluationStart: '2026-06-01',
        evaluationEnd: '2027-06-01',
        teams: [
          { teamId: teams.get('Checkout') as number, role: 'pilot' },
          { teamId: teams.get('Payments') as number, role: 'control' },
        ],
        primaryMetrics: ['days_to_first_merge'],
      },
    })
  })
  afterAll(async () => database?.close())

  const form = (fields: Record<string, string>) => {
    const data = new FormData()
    for (const [key, value] of Object.entries(fields)) data.append(key, value)
    return data
  }

  it('the form refuses an unknown metric, a target that is not a number and a day that does not exist, and saves nothing', async () => {
    const refused = await submitGoalForm(
      initiativeId,
      form({ metric: 'happiness', target: 'seven', dueOn: '2027-02-30' }),
      { db: db(), setBy: 'Ada' },
    )
    expect(refused).toEqual({
      ok: false,
      state: {
        values: { metric: 'happiness', target: 'seven', dueOn: '2027-02-30' },
        errors: {
          metric: 'Choose one of the initiative’s metrics',
          target: 'Give the value to reach as a number, such as 7 or 2.5',
          dueOn: 'Give the day it is due, such as 30 Jun 2027',
        },
        message: 'Nothing was saved: fix the fields marked below.',
      },
    })
    const share = await submitGoalForm(initiativeId, form({ metric: 'change_fail_rate', target: '120', dueOn: DUE }), {
      db: db(),
      setBy: 'Ada',
    })
    expect(share).toMatchObject({
      ok: false,
      state: { errors: { target: 'A target for Change fail rate is at most 100 %' } },
    })
    expect(await listGoals(db(), { initiativeId })).toEqual([])
  })

  it('June’s 8 pilot hires at 13–16 days: median 14 days, the whole 99% interval (the goals’ 1% of the page’s 5%) over the target of 7 → at risk; the one-pager calls it out', async () => {
    const saved = await submitGoalForm(
      initiativeId,
      form({ metric: 'days_to_first_merge', target: '7', dueOn: '31 Mar 2027' }),
      {
        db: db(),
        setBy: 'Ada',
      },
    )
    expect(saved).toEqual({ ok: true, metric: 'days_to_first_merge' })
    const atRisk = await goal('2026-08-01T12:00:00Z')
    expect(atRisk).toMatchObject({
      status: 'at-risk',
      target: 7,
      dueOn: DUE,
      value: 14,
      level: 0.99,
      sample: '8 hires',
      setBy: 'Ada',
    })
    expect(atRisk?.low).toBeGreaterThan(7)
    const report = await getReport({ initiativeId, db: db(), now: new Date('2026-08-01T12:00:00Z') })
    expect(report.state === 'ready' && report.goals).toEqual([
      expect.objectContaining({
        metric: 'days_to_first_merge',
        status: 'at-risk',
        callout: expect.stringMatching(
          /^Goal at risk: the pilot teams’ days to first merged PR is 14\.0 days \(99% interval .+\), the whole interval short of a target of 7\.0 days by 31 Mar 2027\.$/,
        ),
      }),
    ])
  })

  it('the same data on 1 Apr 2027, the day after the goal was due: by 31 Mar median 14 days, the whole interval still over 7 → missed', async () => {
    const missed = await goal('2027-04-01T00:00:00Z')
    expect(missed).toMatchObject({ status: 'missed', value: 14, sample: '8 hires', byDueDate: true })
    expect(missed?.low).toBeGreaterThan(7)
    expect(missed?.callout).toMatch(
      /^Goal missed: the pilot teams’ days to first merged PR by 31 Mar 2027 was 14\.0 days \(99% interval .+\), the whole interval short of a target of 7\.0 days by 31 Mar 2027\.$/,
    )
  })

  it('24 more pilot hires from September at 3–5 days: median 4 days, the whole interval at or under 7 → met', async () => {
    await load('roster', rosterCsv(fast))
    await load('pull-requests', pullRequestsCsv(fast))
    const met = await goal('2026-12-01T12:00:00Z')
    expect(met).toMatchObject({ status: 'met', value: 4, sample: '32 hires' })
    expect(met?.high).toBeLessThanOrEqual(7)
    expect(met?.callout).toMatch(/^Goal met: the pilot teams’ days to first merged PR is 4\.0 days \(99% interval/)
    // after the due date it is judged on the same 32 hires, all of them in by 31 Mar, and stays met
    const after = await goal('2027-04-01T00:00:00Z')
    expect(after).toMatchObject({ status: 'met', value: 4, sample: '32 hires', byDueDate: true })
    expect(after?.high).toBeLessThanOrEqual(7)
  })

  it('two goals are judged together at 99.5% each (Bonferroni over their 1%); setting one again replaces it; removing it removes it', async () => {
    await submitGoalForm(initiativeId, form({ metric: 'dx_score', target: '7.5', dueOn: DUE }), {
      db: db(),
      setBy: 'Ada',
    })
    const judged = await view('2026-12-01T12:00:00Z')
    // the page's 5%: 1% to the goals, the rest to the changes (no study here), and every claim held to its share
    expect(judged.budget).toEqual({ changes: 0.05 - 0.01, docs: 0, goals: 0.01 })
    expect(Math.max(...judged.metrics.map((metric) => metric.claim.level ?? 0))).toBeLessThanOrEqual(0.04)
    let goals = judged.goals
    expect(goals.map((g) => [g.metric, g.level, g.status])).toEqual([
      ['days_to_first_merge', 0.995, 'met'],
      ['dx_score', 0.995, 'not-yet-known'],
    ])

    await upsertGoal(db(), { initiativeId, metric: 'days_to_first_merge', target: 3, dueOn: '2027-05-31', setBy: 'Bo' })
    const rows = await listGoals(db(), { initiativeId })
    expect(rows.map((row) => [row.metric, row.target, row.dueOn, row.setBy])).toEqual([
      ['days_to_first_merge', 3, '2027-05-31', 'Bo'],
      ['dx_score', 7.5, DUE, 'Ada'],
    ])
    goals = (await view('2026-12-01T12:00:00Z')).goals
    // a stricter target of 3 days: the whole interval around 4 days lies over it
    const stricter = goals.find((g) => g.metric === 'days_to_first_merge')
    expect(stricter).toMatchObject({ target: 3, dueOn: '2027-05-31', status: 'at-risk', setBy: 'Bo' })
    expect(stricter?.low).toBeGreaterThan(3)

    expect(await removeGoal(initiativeId, form({ metric: 'dx_score' }), { db: db() })).toEqual({
      ok: true,
      message: 'Goal removed.',
    })
    expect(await removeGoal(initiativeId, form({ metric: 'dx_score' }), { db: db() })).toEqual({
      ok: false,
      message: 'That goal was already removed.',
    })
    expect(await removeGoal(initiativeId, form({ metric: 'happiness' }), { db: db() })).toEqual({
      ok: false,
      message: 'Choose a goal to remove.',
    })
    goals = (await view('2026-12-01T12:00:00Z')).goals
    expect(goals.map((g) => [g.metric, g.level])).toEqual([['days_to_first_merge', 0.99]])
  })

  it('a goal for an initiative that does not exist is refused', async () => {
    await expect(
      upsertGoal(db(), { initiativeId: initiativeId + 1000, metric: 'dx_score', target: 7, dueOn: DUE, setBy: 'Ada' }),
    ).rejects.toMatchObject({ code: 'not_found' })
    expect(
      await submitGoalForm(initiativeId + 1000, form({ metric: 'dx_score', target: '7', dueOn: DUE }), {
        db: db(),
        setBy: 'Ada',
      }),
    ).toMatchObject({ ok: false, state: { message: 'This initiative was deleted meanwhile; nothing was saved.' } })
  })
})
