import { describe, expect, it } from 'vitest'
import { crossFieldProblems, initiativeFormSchema } from './initiative-form'

const good = {
  launchDate: '2026-04-06',
  baselineStart: '2026-01-05',
  baselineEnd: '2026-04-06',
  evaluationStart: '2026-04-06',
  evaluationEnd: '2026-07-06',
  teams: [{ role: 'pilot' }, { role: 'control' }],
}

describe('initiative form rules', () => {
  it('accepts windows of 13 weeks either side of the launch with a pilot and a control', () => {
    expect(crossFieldProblems(good)).toEqual({})
  })

  it('names the field of each broken rule', () => {
    expect(crossFieldProblems({ ...good, baselineEnd: '2026-05-04' })).toEqual({
      baselineEnd: 'The baseline must end on or before the launch',
    })
    // 2026-03-16 → 2026-04-06 is 21 days < 28
    expect(crossFieldProblems({ ...good, baselineStart: '2026-03-16' }).baselineEnd).toMatch(/at least 4 weeks/)
    expect(crossFieldProblems({ ...good, evaluationStart: '2026-03-30' })).toEqual({
      evaluationStart: 'The evaluation must start on or after the launch',
    })
    expect(crossFieldProblems({ ...good, evaluationEnd: '2026-04-06' }).evaluationEnd).toBe(
      'The evaluation must end after it starts',
    )
    expect(crossFieldProblems({ ...good, teams: [{ role: 'control' }] }).teams).toBe('Choose at least one pilot team')
    expect(crossFieldProblems({ ...good, teams: [{ role: 'pilot' }] }).teams).toMatch(
      /^Choose at least one control team/,
    )
  })

  it('skips a rule whose dates are not dates (the field itself says so)', () => {
    expect(crossFieldProblems({ ...good, launchDate: '' })).toEqual({})
    expect(
      initiativeFormSchema
        .safeParse({ ...good, name: 'ab', useCase: 'x', description: '', teams: [], primaryMetrics: ['lead_time'] })
        .error?.issues.map((issue) => issue.path[0]),
    ).toEqual(['name', 'useCase'])
  })

  it('takes up to 3 primary metrics, each a known metric (none: the use case’s usual ones, filled in at save)', () => {
    const valid = {
      ...good,
      name: 'Docs pilot',
      useCase: 'docs',
      description: '',
      teams: [{ teamId: 1, role: 'pilot' }],
    }
    const problems = (primaryMetrics: string[]) =>
      initiativeFormSchema
        .safeParse({ ...valid, primaryMetrics })
        .error?.issues.map((issue) => `${String(issue.path[0])}: ${issue.message}`) ?? []
    expect(problems(['docs_score'])).toEqual([])
    expect(problems([])).toEqual([])
    expect(problems(['docs_score', 'dx_score', 'lead_time', 'cycle_time'])).toEqual([
      expect.stringMatching(/^primaryMetrics: Choose at most 3 primary metrics/),
    ])
    expect(problems(['uptime'])).toHaveLength(1)
  })
})
