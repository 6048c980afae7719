import { describe, expect, it } from 'vitest'
import { addUtcDays, parseIsoDate } from '@/lib/dates'
import { comparableMetrics, type MetricKey } from './comparable'
import { goalStatus, type JudgedGoal } from './goal-status'
import { goalCallouts } from './goal-text'
import { goalLevel, judgeGoals } from './goals'
import { judgeInitiative, type InitiativeRows } from './initiative'
import type { Hire } from './onboarding'
import { pilotLevel } from './pilot-level'
import { simulateOrganisation, TYPICAL_EFFECTS } from './simulation'
import { emptyTeamWeek } from './team-weeks'

const NOW = new Date('2027-05-03T12:00:00Z')
const DUE = '2027-06-30'

describe('a goal’s status, read off its interval (days to first merged PR, lower is better, target 7)', () => {
  const lower = (low: number, high: number, now = NOW) =>
    goalStatus({ better: 'lower', target: 7, interval: { low, high }, dueOn: DUE, now })

  it('interval 5.9–7.0 days: the whole interval is at or under 7 → met (the target itself counts as reached)', () => {
    expect(lower(5.9, 7.0)).toBe('met')
  })
  it('interval 5.9–7.01 days: 7 is inside, just → on track', () => {
    expect(lower(5.9, 7.01)).toBe('on-track')
  })
  it('interval 7.0–9.0 days: 7 is the lower end, still inside → on track, not at risk', () => {
    expect(lower(7.0, 9.0)).toBe('on-track')
  })
  it('interval 7.01–9.0 days: the whole interval is over 7 → at risk', () => {
    expect(lower(7.01, 9.0)).toBe('at-risk')
  })
  it('no interval (below the minimum sample) → not yet known', () => {
    expect(goalStatus({ better: 'lower', target: 7, interval: null, dueOn: DUE, now: NOW })).toBe('not-yet-known')
  })
})

describe('a goal’s status where higher is better (DX score, target 7.5)', () => {
  const higher = (low: number, high: number) =>
    goalStatus({ better: 'higher', target: 7.5, interval: { low, high }, dueOn: DUE, now: NOW })
  it('7.5–8.2: the whole interval at or over 7.5 → met', () => expect(higher(7.5, 8.2)).toBe('met'))
  it('7.49–8.2: 7.5 inside → on track', () => expect(higher(7.49, 8.2)).toBe('on-track'))
  it('6.8–7.5: 7.5 is the upper end, inside → on track', () => expect(higher(6.8, 7.5)).toBe('on-track'))
  it('6.8–7.49: the whole interval under 7.5 → at risk', () => expect(higher(6.8, 7.49)).toBe('at-risk'))
})

describe('the due date (30 Jun 2027, the last day the goal may be reached on)', () => {
  const at = (now: string, interval: { low: number; high: number } | null) =>
    goalStatus({ better: 'lower', target: 7, interval, dueOn: DUE, now: new Date(now) })

  it('on 30 Jun 23:59 UTC an interval 6–8 is still on track; on 1 Jul 00:00 7 is still inside 6–8 → not shown by its date, not missed', () => {
    expect(at('2027-06-30T23:59:59Z', { low: 6, high: 8 })).toBe('on-track')
    expect(at('2027-07-01T00:00:00Z', { low: 6, high: 8 })).toBe('not-shown')
  })
  it('after the due date: 8–9 wholly over 7 → missed; 5–7 at or under 7 → met; no interval → not shown, not missed', () => {
    expect(at('2027-07-01T00:00:00Z', { low: 8, high: 9 })).toBe('missed')
    expect(at('2027-07-01T00:00:00Z', { low: 5, high: 7 })).toBe('met')
    expect(at('2027-07-01T00:00:00Z', null)).toBe('not-shown')
  })
  it('after the due date, interval 5.9–7.4 (point 6.5): 7 is inside → not shown by its date, not missed', () => {
    expect(at('2027-07-01T00:00:00Z', { low: 5.9, high: 7.4 })).toBe('not-shown')
  })
  it('after the due date, interval 7.01–9.0: the whole interval over 7 → missed; 7.0–9.0 starts at 7 → not shown', () => {
    expect(at('2027-07-01T00:00:00Z', { low: 7.01, high: 9 })).toBe('missed')
    expect(at('2027-07-01T00:00:00Z', { low: 7, high: 9 })).toBe('not-shown')
  })
  it('after the due date, higher is better (target 7.5): 6.8–7.49 wholly under → missed; 7.49–8.2 → not shown; 7.5–8.2 → met', () => {
    const higher = (low: number, high: number) =>
      goalStatus({ better: 'higher', target: 7.5, interval: { low, high }, dueOn: DUE, now: new Date('2027-07-01') })
    expect([higher(6.8, 7.49), higher(7.49, 8.2), higher(7.5, 8.2)]).toEqual(['missed', 'not-shown', 'met'])
  })
})

describe('simultaneous intervals (Bonferroni over the initiative’s goals)', () => {
  it('1 goal: 1 − 0.05 = 95%; 2 goals: 1 − 0.05/2 = 97.5%; 4 goals: 1 − 0.05/4 = 98.75%', () => {
    expect([goalLevel(1), goalLevel(2), goalLevel(4)]).toEqual([0.95, 0.975, 0.9875])
  })
})

// A pilot (team 1) and a control (team 2), launched 1 Mar 2027, evaluated from then on.
const EVALUATION = { from: parseIsoDate('2027-03-01'), to: parseIsoDate('2027-09-01') }
const rowsWith = (hires: Hire[], now = NOW): InitiativeRows => ({
  roles: new Map([
    [1, 'pilot'],
    [2, 'control'],
  ]),
  baseline: { from: parseIsoDate('2026-09-01'), to: parseIsoDate('2027-03-01') },
  evaluation: EVALUATION,
  weeks: [],
  hires,
  answers: [],
  waveOpens: new Map(),
  services: [],
  now,
})
let person = 0
/** A hire of `teamId` starting on `start` whose first PR merges `days` later. */
const hire = (teamId: number, start: string, days: number): Hire => {
  const startDate = parseIsoDate(start)
  return { personId: ++person, teamId, startDate, mergedAt: [addUtcDays(startDate, days)] }
}
/** Hires of `teamId`, one a day from `from`, whose first PRs merge the given days after they start. */
const ramp = (teamId: number, from: string, days: readonly number[]) =>
  days.map((d, i) => hire(teamId, addUtcDays(parseIsoDate(from), i).toISOString().slice(0, 10), d))

const onboardingGoal = { metric: 'days_to_first_merge' as MetricKey, target: 7, dueOn: DUE }

describe('judging an initiative’s goals from its rows', () => {
  const slow = ramp(1, '2027-03-01', [13, 14, 14, 15, 13, 14, 16, 14])
  const fast = ramp(1, '2027-03-15', [4, 3, 4, 5, 4, 4, 3, 5, 4, 4, 3, 4, 5, 4, 4, 3, 4, 5, 4, 3, 4, 4, 5, 4])

  it('4 pilot hires: under the minimum of 5 → not yet known, and why', () => {
    const [goal] = judgeGoals(rowsWith(slow.slice(0, 4)), [onboardingGoal], { seedPrefix: 't' })
    expect(goal).toMatchObject({
      status: 'not-yet-known',
      low: null,
      high: null,
      sample: '4 hires',
      reason: 'The pilot teams’ evaluation window has 4 hires; at least 5 hires are needed',
      callout: null,
    })
  })

  it('8 pilot hires at 13–16 days: median 14, the whole interval over 7 → at risk; 24 more at 3–5 days: median 4, the whole interval under 7 → met', () => {
    const first = judgeGoals(rowsWith(slow), [onboardingGoal], { seedPrefix: 't' })[0] as JudgedGoal
    expect(first).toMatchObject({ status: 'at-risk', value: 14, level: 0.95, sample: '8 hires' })
    expect(first.low).toBeGreaterThan(7)
    const later = judgeGoals(rowsWith([...slow, ...fast]), [onboardingGoal], { seedPrefix: 't' })[0] as JudgedGoal
    expect(later).toMatchObject({ status: 'met', value: 4, sample: '32 hires' })
    expect(later.high).toBeLessThanOrEqual(7)
  })

  it('only the pilot’s hires of the evaluation window count: control hires and baseline hires are left out', () => {
    const others = [...ramp(2, '2027-03-01', [40, 40, 40, 40, 40, 40]), hire(1, '2027-02-01', 40)]
    const [goal] = judgeGoals(rowsWith([...slow, ...others]), [onboardingGoal], { seedPrefix: 't' })
    expect(goal).toMatchObject({ value: 14, sample: '8 hires' })
  })

  it('two goals: each interval at 97.5%, and no narrower than the same goal’s 95% interval alone', () => {
    const rows = rowsWith([...slow, ...fast])
    const [alone] = judgeGoals(rows, [onboardingGoal], { seedPrefix: 't' })
    const [together, other] = judgeGoals(rows, [onboardingGoal, { metric: 'dx_score', target: 7, dueOn: DUE }], {
      seedPrefix: 't',
    })
    expect([together?.level, other?.level]).toEqual([0.975, 0.975])
    expect(together?.low).toBeLessThanOrEqual(alone?.low as number)
    expect(together?.high).toBeGreaterThanOrEqual(alone?.high as number)
    expect(other).toMatchObject({ status: 'not-yet-known', sample: '0 respondents' })
  })

  it('is reproducible: the same rows and seed give the same intervals', () => {
    const rows = rowsWith([...slow, ...fast])
    expect(judgeGoals(rows, [onboardingGoal], { seedPrefix: 't' })).toEqual(
      judgeGoals(rows, [onboardingGoal], { seedPrefix: 't' }),
    )
  })
})

describe('a goal past its due date (31 Mar 2027) is judged on the evaluation data up to the end of that day', () => {
  const due31Mar = { ...onboardingGoal, dueOn: '2027-03-31' }
  const judge = (hires: Hire[], now: string, goals = [due31Mar]) =>
    judgeGoals(rowsWith(hires, new Date(now)), goals, { seedPrefix: 't' })
  const slowMarch = ramp(1, '2027-03-01', [13, 14, 14, 15, 13, 14, 16, 14])
  const fastMarch = ramp(1, '2027-03-01', [4, 3, 4, 5, 4, 4, 3, 5, 4, 4, 3, 4, 5, 4, 4, 3, 4, 5, 4, 3, 4, 4, 5, 4])

  it('reached only after its date: 8 March hires at 13–16 days, then 24 from May at 3–5 days; on 1 Jul the 8 of March count, median 14, the whole interval over 7 → missed, not met', () => {
    const fastMay = ramp(1, '2027-05-03', [4, 3, 4, 5, 4, 4, 3, 5, 4, 4, 3, 4, 5, 4, 4, 3, 4, 5, 4, 3, 4, 4, 5, 4])
    const [goal] = judge([...slowMarch, ...fastMay], '2027-07-01T12:00:00Z')
    expect(goal).toMatchObject({ status: 'missed', value: 14, sample: '8 hires', byDueDate: true })
    expect(goal?.low).toBeGreaterThan(7)
    expect(goal?.callout).toMatch(
      /^Goal missed: the pilot teams’ days to first merged PR by 31 Mar 2027 was 14\.0 days \(95% interval .+\), the whole interval short of a target of 7\.0 days by 31 Mar 2027\.$/,
    )
  })

  it('met by its date, regressed after: 24 March hires at 3–5 days, then 30 from May at 13–16 days; on 1 Aug the 24 of March count, median 4, the whole interval at or under 7 → still met', () => {
    const slowMay = ramp(
      1,
      '2027-05-03',
      [...Array(30).keys()].map((i) => 13 + (i % 4)),
    )
    const [goal] = judge([...fastMarch, ...slowMay], '2027-08-01T12:00:00Z')
    expect(goal).toMatchObject({ status: 'met', value: 4, sample: '24 hires', byDueDate: true })
    expect(goal?.high).toBeLessThanOrEqual(7)
  })

  it('the target inside the interval after its date: 12 March hires at 5–9 days (median 7); on 1 Jul 7 lies inside the interval → not shown by its date, not missed, no call-out', () => {
    const around = ramp(1, '2027-03-01', [5, 9, 6, 8, 7, 5, 9, 6, 8, 7, 6, 8])
    const [goal] = judge(around, '2027-07-01T12:00:00Z')
    expect(goal).toMatchObject({ status: 'not-shown', value: 7, sample: '12 hires', callout: null })
    expect(goal?.low).toBeLessThanOrEqual(7)
    expect(goal?.high).toBeGreaterThan(7)
  })

  it('too little data by its date: 4 March hires (under the minimum of 5) and 24 from May; on 1 Jul → not shown by its date, not missed, and why', () => {
    const fastMay = ramp(1, '2027-05-03', [4, 3, 4, 5, 4, 4, 3, 5, 4, 4, 3, 4, 5, 4, 4, 3, 4, 5, 4, 3, 4, 4, 5, 4])
    const [goal] = judge([...slowMarch.slice(0, 4), ...fastMay], '2027-07-01T12:00:00Z')
    expect(goal).toMatchObject({
      status: 'not-shown',
      low: null,
      high: null,
      sample: '4 hires',
      reason: 'The pilot teams’ evaluation window up to the due date has 4 hires; at least 5 hires are needed',
      callout: null,
    })
  })

  it('a merge after the date is not seen: 8 hires from 20 Mar, each merging 14 days later (3–10 Apr); on 1 Jul none had merged by 31 Mar → not shown, not missed on the later merges', () => {
    const late = ramp(1, '2027-03-20', [14, 14, 14, 14, 14, 14, 14, 14])
    const [goal] = judge(late, '2027-07-01T12:00:00Z')
    expect(goal).toMatchObject({ status: 'not-shown', value: null, sample: '8 hires' })
    // before the date the same hires are judged as they stand: on 30 Mar none has merged yet either
    expect(judge(late, '2027-03-30T12:00:00Z')[0]).toMatchObject({ status: 'not-yet-known', byDueDate: false })
  })

  it('weekly metrics count the whole weeks that end by the date: due Wed 31 Mar, pilot teams 1 and 3 with 2 services each deploying 10 a week in the 4 weeks from 1 Mar (5 per service-week) and 100 in the week of 29 Mar; on 1 Jul 80 ÷ 16 = 5.0, not (80 + 200) ÷ 20 = 14', () => {
    const weeks = ['2027-03-01', '2027-03-08', '2027-03-15', '2027-03-22', '2027-03-29'].flatMap((weekStart) =>
      [1, 3].map((teamId) => ({
        ...emptyTeamWeek(teamId, weekStart),
        engineers: 4,
        liveServices: 2,
        deployments: weekStart === '2027-03-29' ? 100 : 10,
      })),
    )
    const rows: InitiativeRows = {
      ...rowsWith([], new Date('2027-07-01T12:00:00Z')),
      roles: new Map([
        [1, 'pilot'],
        [2, 'control'],
        [3, 'pilot'],
      ]),
      weeks,
    }
    const [goal] = judgeGoals(rows, [{ metric: 'deployment_frequency', target: 5, dueOn: '2027-03-31' }], {
      seedPrefix: 't',
    })
    expect(goal).toMatchObject({ value: 5, sample: '16 service-weeks', status: 'met', byDueDate: true })
  })

  it('on the due date itself (31 Mar 23:59 UTC) a goal is judged on the evaluation window so far, May’s hires not yet there', () => {
    const [goal] = judge(fastMarch, '2027-03-31T23:59:59Z')
    expect(goal).toMatchObject({ status: 'met', value: 4, sample: '24 hires', byDueDate: false })
  })
})

describe('the pilot’s level is the comparison’s “pilot, after” figure', () => {
  it('for every metric (team-weeks, hires, respondents, new services), on a simulated organisation', () => {
    const { rows } = simulateOrganisation(3, TYPICAL_EFFECTS)
    const judged = judgeInitiative(rows, { primary: [], seedPrefix: 'x', replicates: 20 })
    const kinds = new Set<string>()
    for (const metric of comparableMetrics) {
      const level = pilotLevel(rows, metric.key, { level: 0.95, seed: 1, replicates: 50 })
      const figure = judged.find((m) => m.key === metric.key)?.figures.pilotEvaluation
      expect({ key: metric.key, value: level.value, sample: level.sample }).toEqual({
        key: metric.key,
        value: figure?.value,
        sample: figure?.sample,
      })
      if (level.value !== null) kinds.add(metric.clusters)
    }
    expect([...kinds].sort()).toEqual(['hire', 'respondent', 'service', 'team-week'])
  })
})

describe('call-outs for the next delivery', () => {
  const base = {
    metric: 'days_to_first_merge' as MetricKey,
    label: 'Days to first merged PR',
    unit: 'days' as const,
    better: 'lower' as const,
    target: 7,
    dueOn: DUE,
    level: 0.95,
    byDueDate: false,
    sample: '24 hires',
    reason: null,
  }
  it('met, at risk and missed each get a sentence with the value, its interval and the target; on track, not yet known and not shown none', () => {
    expect(
      goalCallouts([
        { ...base, status: 'met', value: 6.5, low: 5.9, high: 7.0 },
        { ...base, status: 'on-track', value: 7.2, low: 6.1, high: 8.0 },
        { ...base, status: 'at-risk', value: 14, low: 12.1, high: 16.3, level: 0.975 },
        {
          ...base,
          status: 'not-yet-known',
          value: null,
          low: null,
          high: null,
          sample: '3 hires',
          reason: 'too few',
        },
        { ...base, status: 'not-shown', byDueDate: true, value: 6.5, low: 5.9, high: 7.4 },
        { ...base, status: 'missed', byDueDate: true, value: 14, low: 12.1, high: 16.3 },
      ]),
    ).toEqual([
      'Goal met: the pilot teams’ days to first merged PR is 6.5 days (95% interval 5.9 days to 7.0 days), against a target of 7.0 days by 30 Jun 2027.',
      'Goal at risk: the pilot teams’ days to first merged PR is 14.0 days (97.5% interval 12.1 days to 16.3 days), the whole interval short of a target of 7.0 days by 30 Jun 2027.',
      'Goal missed: the pilot teams’ days to first merged PR by 30 Jun 2027 was 14.0 days (95% interval 12.1 days to 16.3 days), the whole interval short of a target of 7.0 days by 30 Jun 2027.',
    ])
  })

  it('past the due date a met goal says its level was by that date', () => {
    expect(goalCallouts([{ ...base, status: 'met', byDueDate: true, value: 4, low: 3, high: 5 }])).toEqual([
      'Goal met: the pilot teams’ days to first merged PR by 30 Jun 2027 was 4.0 days (95% interval 3.0 days to 5.0 days), against a target of 7.0 days by 30 Jun 2027.',
    ])
  })
})

describe('goals on a page with other verdicts', () => {
  it('share their part of the page’s 5%: 3 goals with 1% between them are each at 1 − 0.01/3 ≈ 99.67%', () => {
    expect(goalLevel(3, 0.01)).toBeCloseTo(1 - 0.01 / 3, 12)
    expect(goalLevel(1)).toBe(0.95)
  })
})
