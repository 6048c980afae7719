// The read models pages call, on the demo organisation: each checks a figure against the same figure
// computed here from the raw facts (by SQL of the test's own or by the pure metric functions).
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { connect, type Connection } from '@/db/client'
import { getAdoption } from '@/lib/data/adoption'
import { getDelivery } from '@/lib/data/delivery'
import { getExperience } from '@/lib/data/experience'
import type { Filters } from '@/lib/data/filters'
import { getFlow } from '@/lib/data/flow'
import { getOnboarding } from '@/lib/data/onboarding'
import { getOverview } from '@/lib/data/overview'
import { parseIsoDate } from '@/lib/dates'
import { changeLeadTimes, firstProductionDeployments } from '@/lib/metrics/dora'
import { flowSummary } from '@/lib/metrics/flow'
import { quantile } from '@/lib/stats/summary'
import { engine } from '@/tests/helpers/database'
import { loadFacts } from '@/tests/helpers/facts'

const now = new Date('2026-11-25T12:00:00Z')
const LAUNCH = parseIsoDate('2026-01-12')
const filters: Filters = {
  interval: { from: parseIsoDate('2026-05-25'), to: parseIsoDate('2026-11-23') },
  comparison: { from: parseIsoDate('2025-07-14'), to: LAUNCH },
}

describe(`read models on the demo organisation (${engine})`, () => {
  let database: Connection
  let facts: Awaited<ReturnType<typeof loadFacts>>
  beforeAll(async () => {
    database = connect(inject('demoDatabaseUrl'), { max: 2 })
    facts = await loadFacts(database.sql)
  })
  afterAll(async () => database?.close())

  describe('getDelivery', () => {
    it('counts the successful production deployments of the last 26 weeks as raw SQL does, and their lead time as the pure functions do', async () => {
      const delivery = await getDelivery(filters, { db: database.db, replicates: 200 })
      const [raw] = await database.sql<{ n: number }[]>`
        select count(*)::int as n from deployments where is_production and status = 'success'
          and finished_at >= '2026-05-25T00:00:00Z' and finished_at < '2026-11-23T00:00:00Z'`
      expect(delivery.current.deployments).toBe(raw?.n)
      expect(delivery.current.deploymentsPerWeek).toBeCloseTo((raw?.n ?? 0) / 26, 9)
      const hours = changeLeadTimes(
        facts.pullRequests,
        firstProductionDeployments(facts.deployments, facts.links),
        delivery.interval,
      )
      expect(delivery.current.leadTimeHours.count).toBe(hours.length)
      expect(delivery.current.leadTimeHours.median).toBeCloseTo(quantile(hours, 0.5) as number, 6)
      expect(delivery.current.leadTimeHours.p85).toBeCloseTo(quantile(hours, 0.85) as number, 6)
    })

    it('rates every team on the 2023 and 2024 performance levels, and compares six keys with the comparison weeks', async () => {
      const delivery = await getDelivery(filters, { db: database.db, replicates: 200 })
      expect(delivery.byTeam).toHaveLength(12)
      for (const row of delivery.byTeam) expect(row.tiers[2024].overall).not.toBeNull()
      expect(delivery.tiers[2024].keys.leadTime).toBe('high') // a few days, "between one day and one week"
      expect(delivery.weekly).toHaveLength(26)
      expect(delivery.changes.map((change) => change.key)).toEqual([
        'deployment_frequency',
        'lead_time',
        'change_fail_rate',
        'recovery_time',
        'rework_rate',
        'time_to_restore',
      ])
      expect(delivery.changes.find((change) => change.key === 'lead_time')?.outcome).toMatchObject({
        state: 'estimate',
        verdict: 'improved',
      })
    })

    it('gives deployments per service per week: the services’ counts add up to the total, and per week = count / 26', async () => {
      const delivery = await getDelivery(filters, { db: database.db, replicates: 50 })
      expect(delivery.byService.reduce((sum, service) => sum + service.deployments, 0)).toBe(
        delivery.current.deployments,
      )
      const [top] = delivery.byService
      expect(top?.perWeek).toBeCloseTo((top?.deployments ?? 0) / 26, 12)
      expect(delivery.byService.length).toBeGreaterThan(60)
    })

    it('narrows to the selected teams', async () => {
      const delivery = await getDelivery({ ...filters, teamIds: [1, 2, 3] }, { db: database.db, replicates: 100 })
      const [raw] = await database.sql<{ n: number }[]>`
        select count(*)::int as n from deployments where is_production and status = 'success' and team_id in (1, 2, 3)
          and finished_at >= '2026-05-25T00:00:00Z' and finished_at < '2026-11-23T00:00:00Z'`
      expect(delivery.current.deployments).toBe(raw?.n)
      expect(delivery.byTeam.map((row) => row.team.id)).toEqual([1, 2, 3])
    })
  })

  describe('getFlow', () => {
    it('gives each phase’s median of the pull requests merged in the weeks, as the pure flow functions do', async () => {
      const flow = await getFlow(filters, { db: database.db, replicates: 100 })
      const deployed = new Map(
        [...firstProductionDeployments(facts.deployments, facts.links)].map(([id, deployment]) => [
          id,
          deployment.finishedAt,
        ]),
      )
      const expected = flowSummary(facts.pullRequests, deployed, flow.interval)
      expect(flow.current.merged).toBe(expected.merged)
      for (const phase of ['coding', 'pickup', 'review', 'deploy', 'cycle'] as const) {
        expect(flow.current[phase].count).toBe(expected.phases[phase].count)
        expect(flow.current[phase].median).toBeCloseTo(expected.phases[phase].medianHours as number, 6)
      }
      expect(flow.current.throughputPerEngineerWeek).toBeCloseTo(flow.current.merged / flow.current.engineerWeeks, 12)
      expect(flow.byTeam).toHaveLength(12)
    })
  })

  describe('getOnboarding', () => {
    it('groups the hires of the weeks by start month, withholding cohorts under five', async () => {
      const onboarding = await getOnboarding(filters, { db: database.db, now, replicates: 100 })
      const [raw] = await database.sql<
        { n: number }[]
      >`select count(*)::int as n from people where start_date >= '2026-05-25' and start_date < '2026-11-23'`
      expect(onboarding.cohorts.reduce((sum, cohort) => sum + cohort.hires, 0)).toBe(raw?.n)
      for (const cohort of onboarding.cohorts) {
        if (cohort.hires < 5) expect(cohort.first).toMatchObject({ withheld: true })
        else expect(cohort.first).toMatchObject({ withheld: false })
      }
      expect(onboarding.current.first).toMatchObject({ withheld: false })
    })

    it('counts a hire who has not merged yet as censored, not dropped', async () => {
      const onboarding = await getOnboarding(
        { interval: { from: parseIsoDate('2026-11-02'), to: parseIsoDate('2026-11-23') } },
        { db: database.db, now, replicates: 50 },
      )
      const [raw] = await database.sql<{ hires: number; merged: number }[]>`
        select count(*)::int as hires, count(*) filter (where exists (select 1 from pull_requests p where p.author_person_id = people.id and p.merged_at is not null))::int as merged
        from people where start_date >= '2026-11-02' and start_date < '2026-11-23'`
      const current = onboarding.current.first
      if (current.withheld) expect(current.hires).toBe(raw?.hires)
      else
        expect({ hires: current.hires, notYet: current.notYet }).toEqual({
          hires: raw?.hires,
          notYet: (raw?.hires ?? 0) - (raw?.merged ?? 0),
        })
    })
  })

  describe('getExperience', () => {
    it('scores each wave as the mean of respondents’ mean answers, with the response rate, and never shows a group under five', async () => {
      const experience = await getExperience(filters, { db: database.db, replicates: 100 })
      expect(experience.waves.map((wave) => wave.key)).toEqual(['2026-Q3', '2026-Q4'])
      const wave = experience.waves[0]
      const [raw] = await database.sql<{ score: number; respondents: number }[]>`
        select avg(person_mean)::float8 as score, count(*)::int as respondents
        from (select respondent_key, avg(score) as person_mean from survey_responses where wave_id = ${wave?.id ?? 0} group by respondent_key) x`
      expect(wave?.dxScore).toMatchObject({ withheld: false, respondents: raw?.respondents })
      expect(wave?.dxScore.withheld === false && wave.dxScore.score).toBeCloseTo(raw?.score as number, 9)
      expect(wave?.responseRate).toBeGreaterThan(0.5)
      for (const group of [...(wave?.byTeam ?? []), ...(wave?.questions ?? [])]) {
        const result = group.result
        if (result.respondents < 5)
          expect(result).toEqual({
            withheld: true,
            respondents: result.respondents,
            reason: 'fewer than 5 respondents',
          })
        else expect(result.withheld).toBe(false)
      }
      expect(experience.change?.outcome).toMatchObject({ state: 'estimate', verdict: 'improved' }) // everyone has the portal now
    })
  })

  describe('getAdoption', () => {
    it('counts weekly active portal users per engineer as raw SQL does, and catalog coverage', async () => {
      const adoption = await getAdoption(filters, { db: database.db })
      const [week] = adoption.weekly
      // active engineers: people on the roster that Monday with a portal event that week (never over 100%)
      const [raw] = await database.sql<{ active: number; engineers: number }[]>`
        select count(distinct m.person_id) filter (where exists (select 1 from portal_events e where e.person_id = m.person_id
            and e.occurred_at >= '2026-05-25T00:00:00Z' and e.occurred_at < '2026-06-01T00:00:00Z'))::int as active,
          count(*)::int as engineers
        from team_memberships m where m.valid_from <= '2026-05-25' and (m.valid_to is null or m.valid_to > '2026-05-25')`
      expect(week).toMatchObject({ weekStart: '2026-05-25', activeEngineers: raw?.active, engineers: raw?.engineers })
      expect(week?.activeShare).toBeCloseTo((raw?.active ?? 0) / (raw?.engineers ?? 1), 12)
      const [catalog] = await database.sql<{ services: number; owned: number; docs: number }[]>`
        select count(*)::int as services, count(owner_team_id)::int as owned, count(*) filter (where has_docs)::int as docs from services`
      expect(adoption.catalog).toMatchObject({
        services: catalog?.services,
        owned: catalog?.owned,
        withDocs: catalog?.docs,
      })
      expect(adoption.monthly.activeShare).toBeGreaterThan(0.3)
      expect(adoption.funnel).toHaveLength(12)
      expect(adoption.newServices.template.services + adoption.newServices.manual.services).toBeGreaterThan(0)
    })
  })

  describe('getOverview', () => {
    it('gives the four keys before and after the launch with a verdict each, from the rollups', async () => {
      const overview = await getOverview({ db: database.db, now, replicates: 200 })
      if (overview.state !== 'ready') throw new Error(overview.state)
      expect(overview.keys.map((key) => key.change?.state)).toEqual(['estimate', 'estimate', 'estimate', 'estimate'])
      const [raw] = await database.sql<{ n: number }[]>`
        select count(*)::int as n from deployments where is_production and status = 'success' and finished_at >= '2025-07-14' and finished_at < '2026-01-12'`
      expect(overview.keys[0]?.before).toEqual({ value: (raw?.n ?? 0) / 26, sample: raw?.n })
    })
  })
})
