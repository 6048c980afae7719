import { describe, expect, it } from 'vitest'
import type { RoiResult } from '@/lib/roi/model'
import { compareReports, type ComparedMetric, type ComparedReport } from './compare'

const range = (likely: number) => ({ low: likely, likely, high: likely })

function metric(
  key: string,
  unit: ComparedMetric['unit'],
  scale: ComparedMetric['scale'],
  after: number | null,
  effect: number | null,
): ComparedMetric {
  return {
    key,
    label: key,
    unit,
    scale,
    figures: { pilotEvaluation: { value: after } },
    outcome: effect === null ? { state: 'not_enough_data' } : { state: 'estimate', estimate: { value: effect } },
  }
}

function report({
  tiles = [],
  headlines = [],
  metrics = [],
  money = { value: 500_000, cost: 200_000, roi: 150, payback: 4.8 },
}: {
  tiles?: { metric: ComparedMetric; label?: string; verdict?: string; keyless?: boolean }[]
  headlines?: { key?: string; sentence: string; verdict?: string }[]
  metrics?: ComparedMetric[]
  money?: { value: number; cost: number; roi: number | null; payback: number | null }
}): ComparedReport {
  const result: Pick<RoiResult, 'value' | 'cost' | 'net' | 'roiPercent' | 'paybackMonths'> = {
    value: range(money.value),
    cost: range(money.cost),
    net: range(money.value - money.cost),
    roiPercent: money.roi === null ? null : range(money.roi),
    paybackMonths: { best: money.payback, likely: money.payback, worst: money.payback },
  }
  return {
    report: {
      tiles: tiles.map((tile) => ({
        ...(tile.keyless ? {} : { key: tile.metric.key }),
        label: tile.label ?? tile.metric.label,
        verdict: tile.verdict ?? 'improved',
        metric: tile.metric,
      })),
      headlines: headlines.map((headline) => ({ verdict: 'improved', ...headline })),
      initiative: { metrics: [...tiles.map((tile) => tile.metric), ...metrics] },
      roi: { result },
    },
  }
}

const row = (rows: ReturnType<typeof compareReports>, key: string) => rows.find((one) => one.key === key)

describe('comparing two one-pagers figure by figure', () => {
  it('deployment frequency 2.00 → 2.50 per service-week: change +0.50; effect +29% → +35%: change +6 pp', () => {
    const a = report({ tiles: [{ metric: metric('deployment_frequency', 'per_service_week', 'relative', 2, 0.29) }] })
    const b = report({ tiles: [{ metric: metric('deployment_frequency', 'per_service_week', 'relative', 2.5, 0.35) }] })
    const rows = compareReports(a, b)
    expect(row(rows, 'deployment_frequency:value')).toMatchObject({
      group: 'metric',
      a: '2.00 per service-week',
      b: '2.50 per service-week',
      change: '+0.50',
      note: null,
    })
    expect(row(rows, 'deployment_frequency:effect')).toMatchObject({ a: '+29%', b: '+35%', change: '+6 pp' })
  })

  it('ramp-up 12.5 → 9.0 days: change −3.5 days; effect −3.9 → −3.9 days: no change; improved → not confirmed is noted', () => {
    const a = report({ tiles: [{ metric: metric('days_to_first_merge', 'days', 'absolute', 12.5, -3.9) }] })
    const b = report({
      tiles: [{ metric: metric('days_to_first_merge', 'days', 'absolute', 9, -3.9), verdict: 'not_confirmed' }],
    })
    const rows = compareReports(a, b)
    expect(row(rows, 'days_to_first_merge:value')).toMatchObject({
      a: '12.5 days',
      b: '9.0 days',
      change: '−3.5 days',
      note: 'improved → not confirmed',
    })
    expect(row(rows, 'days_to_first_merge:effect')).toMatchObject({
      a: '−3.9 days',
      b: '−3.9 days',
      change: 'no change',
    })
  })

  it('a metric only one of them showed reads "only in A" / "only in B", its other side "—"', () => {
    const a = report({ tiles: [{ metric: metric('lead_time', 'hours', 'relative', 30, -0.2) }] })
    const b = report({ tiles: [{ metric: metric('dx_score', 'score', 'absolute', 7.4, 0.8) }] })
    const rows = compareReports(a, b)
    expect(rows.filter((one) => one.group === 'metric').map((one) => [one.key, one.a, one.b, one.change])).toEqual([
      ['lead_time:value', '30.0 hours', '—', 'only in A'],
      ['lead_time:effect', '−20%', '—', 'only in A'],
      ['dx_score:value', '—', '7.4 / 10', 'only in B'],
      ['dx_score:effect', '—', '+0.8 points', 'only in B'],
    ])
  })

  it('a metric without data on one side: "not enough data", change "not comparable"', () => {
    const a = report({ tiles: [{ metric: metric('dx_score', 'score', 'absolute', 7.4, 0.8) }] })
    const b = report({ tiles: [{ metric: metric('dx_score', 'score', 'absolute', null, null) }] })
    const rows = compareReports(a, b)
    expect(row(rows, 'dx_score:value')).toMatchObject({ a: '7.4 / 10', b: '—', change: 'not comparable' })
    expect(row(rows, 'dx_score:effect')).toMatchObject({ b: 'not enough data', change: 'not comparable' })
  })

  it('tiles without a key are matched by their label; a headline-only metric is drawn from the initiative’s list', () => {
    const a = report({
      tiles: [{ metric: metric('x', 'count', 'absolute', 10, 1), label: 'Services created', keyless: true }],
      headlines: [{ key: 'time_to_restore', sentence: 'Restore fell' }],
      metrics: [metric('time_to_restore', 'minutes', 'absolute', 55, -35)],
    })
    const b = report({
      tiles: [{ metric: metric('y', 'count', 'absolute', 14, 3), label: 'Services created', keyless: true }],
    })
    const rows = compareReports(a, b)
    expect(row(rows, 'Services created:value')).toMatchObject({ a: '10', b: '14', change: '+4.00' })
    expect(row(rows, 'time_to_restore:value')).toMatchObject({ a: '55 min', b: '—', change: 'only in A' })
  })

  it('money: value $500k → $620k = +$120k; cost $200k → $200k = no change; net $300k → $420k = +$120k; ROI 150% → 210% = +60 pp; payback 4.8 → 3.9 months = −0.9 months', () => {
    const a = report({})
    const b = report({ money: { value: 620_000, cost: 200_000, roi: 210, payback: 3.9 } })
    expect(
      compareReports(a, b)
        .filter((one) => one.group === 'money')
        .map((one) => [one.key, one.a, one.b, one.change]),
    ).toEqual([
      ['value', '$500k', '$620k', '+$120k'],
      ['cost', '$200k', '$200k', 'no change'],
      ['net', '$300k', '$420k', '+$120k'],
      ['roi', '150%', '210%', '+60 pp'],
      ['payback', '4.8 months', '3.9 months', '−0.9 months'],
    ])
  })

  it('money going negative: net $300k → −$50k = −$350k; payback 4.8 months → never; no cost entered → ROI "—"', () => {
    const a = report({})
    const b = report({ money: { value: 150_000, cost: 200_000, roi: null, payback: null } })
    const rows = compareReports(a, b)
    expect(row(rows, 'net')).toMatchObject({ a: '$300k', b: '−$50k', change: '−$350k' })
    expect(row(rows, 'payback')).toMatchObject({ a: '4.8 months', b: 'never', change: '4.8 months → never' })
    expect(row(rows, 'roi')).toMatchObject({ a: '150%', b: '—', change: 'not comparable' })
  })

  it('headlines: the sentence both said is left out; one said only by A, one only by B', () => {
    const a = report({ headlines: [{ sentence: 'Ship frequency up 30%' }, { sentence: 'Lead time down 25%' }] })
    const b = report({
      headlines: [{ sentence: 'Ship frequency up 30%' }, { sentence: 'MTTR fell from 90 to 55 min' }],
    })
    expect(
      compareReports(a, b)
        .filter((one) => one.group === 'headline')
        .map((one) => [one.a, one.b, one.change]),
    ).toEqual([
      ['Lead time down 25%', '—', 'only in A'],
      ['—', 'MTTR fell from 90 to 55 min', 'only in B'],
    ])
  })
})
