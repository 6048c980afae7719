import { describe, expect, it } from 'vitest'
import type { ReportDocumentData } from '@/lib/data/report-page'
import { defaultAssumptions } from '@/lib/roi/assumptions'
import { roiModel } from '@/lib/roi/model'
import { roiVerdict } from '@/lib/roi/verdict'
import { deliverySummary } from './summary'

/** Nothing measured: the portal's cost and no benefit. */
const result = roiModel({
  assumptions: { ...defaultAssumptions, cost_preset: 0 },
  effects: {
    daysToFirstMerge: null,
    timeToRestoreMinutes: null,
    throughputRelative: null,
    docsMinutesSavedPerLookup: null,
  },
  counts: {
    engineers: 250,
    hiresPerYear: 70,
    incidentsPerYear: 300,
    servicesFromTemplatesPerYear: 12,
    setupHoursSavedPerService: 840,
  },
})

/** Only the parts of a one-pager a delivery's words come from. */
function documentWith(parts: {
  headlines?: string[]
  finding?: string | null
  callouts?: (string | null)[]
  goals?: boolean
}): ReportDocumentData {
  return {
    report: {
      headlines: (parts.headlines ?? []).map((sentence, i) => ({
        key: `k${i}`,
        sentence,
        verdict: 'improved',
        primary: i === 0,
      })),
      roi: {
        study: parts.finding === undefined ? undefined : { finding: parts.finding },
        result,
      },
      ...(parts.goals === false ? {} : { goals: (parts.callouts ?? []).map((callout) => ({ callout })) }),
    },
  } as unknown as ReportDocumentData
}

describe('what a delivery says', () => {
  it('the headline sentences as printed, each ending in a full stop, then the docs finding when clear', () => {
    const summary = deliverySummary(
      documentWith({
        headlines: ['Lead time fell 25%', 'Ramp-up shrank from 15 days to 5.'],
        finding: 'About 2 FTEs freed',
      }),
    )
    expect(summary.headlines).toEqual([
      'Lead time fell 25%.',
      'Ramp-up shrank from 15 days to 5.',
      'About 2 FTEs freed.',
    ])
    // the money sentence is the one-pager's verdict line
    expect(summary.moneyLine).toBe(`${roiVerdict(result).sentence}.`)
  })

  it('nothing clear: says so rather than sending an empty list', () => {
    expect(deliverySummary(documentWith({ finding: null })).headlines).toEqual([
      'No change is clear enough to state yet.',
    ])
  })

  it('goal call-outs only where a goal has one; a snapshot kept before goals existed has none', () => {
    expect(deliverySummary(documentWith({ callouts: ['Goal met: x.', null, 'Goal at risk: y.'] })).callouts).toEqual([
      'Goal met: x.',
      'Goal at risk: y.',
    ])
    expect(deliverySummary(documentWith({ goals: false })).callouts).toEqual([])
  })
})
