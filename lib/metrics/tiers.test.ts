import { describe, expect, it } from 'vitest'
import { rateTiers } from './tiers'

describe('DORA performance levels', () => {
  const demoTeam = {
    deploymentsPerWeekPerService: 1.5,
    leadTimeMedianHours: 120,
    changeFailRate: 0.12,
    recoveryMedianHours: 0.8,
  }

  it('2023: 1.5 deploys/week → high; 120 h → high; 12% → medium (high is 10%); 0.8 h → elite; overall medium (the lowest)', () => {
    expect(rateTiers(demoTeam, 2023)).toEqual({
      year: 2023,
      keys: { deploymentFrequency: 'high', leadTime: 'high', changeFailRate: 'medium', recoveryTime: 'elite' },
      overall: 'medium',
    })
  })

  it('2024: 12% is High (≤ 20%), never Medium: Medium’s 10% is shadowed by High’s 20%, the monotone rule', () => {
    expect(rateTiers(demoTeam, 2024).keys.changeFailRate).toBe('high')
    expect(rateTiers({ ...demoTeam, changeFailRate: 0.08 }, 2024).keys.changeFailRate).toBe('high')
    expect(rateTiers({ ...demoTeam, changeFailRate: 0.05 }, 2024).keys.changeFailRate).toBe('elite')
    expect(rateTiers({ ...demoTeam, changeFailRate: 0.3 }, 2024).keys.changeFailRate).toBe('low')
  })

  it('2024 recovery: High and Medium share "less than one day", so 5 h is High and 3 days is Low', () => {
    expect(rateTiers({ ...demoTeam, recoveryMedianHours: 5 }, 2024).keys.recoveryTime).toBe('high')
    expect(rateTiers({ ...demoTeam, recoveryMedianHours: 72 }, 2024).keys.recoveryTime).toBe('low')
  })

  it('boundaries: exactly 1 deploy a week is High; 24 h lead time is not Elite (less than one day)', () => {
    expect(rateTiers({ ...demoTeam, deploymentsPerWeekPerService: 1 }, 2024).keys.deploymentFrequency).toBe('high')
    expect(rateTiers({ ...demoTeam, deploymentsPerWeekPerService: 0.99 }, 2024).keys.deploymentFrequency).toBe('medium')
    expect(rateTiers({ ...demoTeam, leadTimeMedianHours: 24 }, 2024).keys.leadTime).toBe('high')
    expect(rateTiers({ ...demoTeam, leadTimeMedianHours: 23.9 }, 2024).keys.leadTime).toBe('elite')
  })

  it('a key without data is not rated and does not drag the overall level down', () => {
    const rating = rateTiers(
      { deploymentsPerWeekPerService: 10, leadTimeMedianHours: 5, changeFailRate: null, recoveryMedianHours: null },
      2024,
    )
    expect(rating.keys.changeFailRate).toBeNull()
    expect(rating.overall).toBe('elite')
    expect(
      rateTiers(
        {
          deploymentsPerWeekPerService: null,
          leadTimeMedianHours: null,
          changeFailRate: null,
          recoveryMedianHours: null,
        },
        2023,
      ).overall,
    ).toBeNull()
  })
})
