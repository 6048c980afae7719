import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  extrapolateStudy,
  MIN_PARTICIPANTS,
  notEnoughText,
  studyFigures,
  summarizeStudy,
  type StudyObservationRow,
} from './study'

const row = (
  task: string,
  participant: string,
  phase: 'before' | 'after',
  seconds: number,
  found = true,
): StudyObservationRow => ({ task, participant, phase, seconds, found })

/** `n` participants p0…, each timed before and after on `task`. */
const paired = (task: string, before: number[], after: number[]) =>
  before.flatMap((seconds, i) => [
    row(task, `p${i}`, 'before', seconds),
    row(task, `p${i}`, 'after', after[i] as number),
  ])

describe('docs find-time study', () => {
  it('withholds a task with 4 participants in a phase: "not enough data: 4 of 5 participants"', () => {
    const result = summarizeStudy([
      ...paired('find the runbook', [600, 540, 660, 720], [120, 180, 60, 90]),
      row('find the runbook', 'p9', 'before', 600),
    ])
    expect(result.tasks[0]?.outcome).toEqual({ state: 'not_enough', participants: 4 })
    expect(result.overall).toEqual({ state: 'not_enough', participants: 4, tasks: 0 })
    expect(notEnoughText(4)).toBe('not enough data: 4 of 5 participants')
    expect(result.participants).toEqual({ before: 5, after: 4 })
  })

  it('the overall interval resamples people, not tasks: four tasks where each person saves alike are no surer than one', () => {
    const before = [600, 300, 900, 420, 780, 360]
    const after = [120, 240, 150, 400, 200, 330]
    const one = summarizeStudy(paired('a', before, after))
    const four = summarizeStudy(['a', 'b', 'c', 'd'].flatMap((task) => paired(task, before, after)))
    const width = (result: ReturnType<typeof summarizeStudy>) =>
      result.overall.state === 'estimate' ? result.overall.saved.high - result.overall.saved.low : NaN
    expect(four.overall.state === 'estimate' && four.overall.saved.estimate).toBeCloseTo(
      one.overall.state === 'estimate' ? one.overall.saved.estimate : NaN,
      10,
    )
    // resampled task by task, the four copies would halve the width (1/√4): the same six people are not 24
    expect(width(four)).toBeGreaterThan(0.8 * width(one))
  })

  it('pairs participants who did both phases: mean of (before − after) = (8+6+10+9+7)/5 = 8 minutes saved', () => {
    const result = summarizeStudy(paired('t', [600, 480, 720, 600, 540], [120, 120, 120, 60, 120]))
    const task = result.tasks[0]
    expect(task?.design).toBe('paired')
    expect(task?.paired).toBe(5)
    expect(task?.outcome.state).toBe('estimate')
    if (task?.outcome.state !== 'estimate') return
    expect(task.outcome.saved.estimate).toBeCloseTo(8, 10)
    // every participant saved 6 to 10 minutes: the mean of any resample lies in [6, 10]
    expect(task.outcome.saved.low).toBeGreaterThanOrEqual(6)
    expect(task.outcome.saved.high).toBeLessThanOrEqual(10)
    expect(task.outcome.saved.verdict).toBe('saves')
  })

  it('unpaired when different people did each phase: mean before − mean after, each phase resampled apart', () => {
    const rows = [
      ...[300, 360, 420, 480, 540].map((seconds, i) => row('t', `b${i}`, 'before', seconds)),
      ...[60, 120, 180, 240, 300].map((seconds, i) => row('t', `a${i}`, 'after', seconds)),
    ]
    const task = summarizeStudy(rows).tasks[0]
    expect(task?.design).toBe('unpaired')
    if (task?.outcome.state !== 'estimate') throw new Error('expected an estimate')
    // (7 − 3) minutes
    expect(task.outcome.saved.estimate).toBeCloseTo(4, 10)
    // a resampled mean before lies in [5, 9] minutes and after in [1, 5]: their difference in [0, 8]
    expect(task.outcome.saved.low).toBeGreaterThanOrEqual(0)
    expect(task.outcome.saved.high).toBeLessThanOrEqual(8)
    expect(task.outcome.saved.high - task.outcome.saved.low).toBeGreaterThan(1)
  })

  it('counts an unfound task’s time (time lost) and reports the share found', () => {
    const rows = paired('t', [600, 600, 600, 600, 600], [60, 60, 60, 60, 60]).map((one) =>
      one.phase === 'before' && one.participant < 'p2' ? { ...one, found: false } : one,
    )
    const task = summarizeStudy(rows).tasks[0]
    expect(task?.before.foundShare).toBeCloseTo(3 / 5, 10)
    expect(task?.before.meanMinutes).toBeCloseTo(10, 10)
    if (task?.outcome.state !== 'estimate') throw new Error('expected an estimate')
    expect(task.outcome.saved.estimate).toBeCloseTo(9, 10)
  })

  it('an interval that spans zero is no clear change, never a saving', () => {
    const task = summarizeStudy(paired('t', [300, 120, 300, 120, 240], [120, 300, 120, 300, 240])).tasks[0]
    if (task?.outcome.state !== 'estimate') throw new Error('expected an estimate')
    expect(task.outcome.saved.low).toBeLessThan(0)
    expect(task.outcome.saved.high).toBeGreaterThan(0)
    expect(task.outcome.saved.verdict).toBe('no_clear_change')
  })

  it('overall: the mean of the tasks with a figure; a thin task is left out of it', () => {
    const result = summarizeStudy([
      ...paired('a', [600, 600, 600, 600, 600], [240, 240, 240, 240, 240]),
      ...paired('b', [300, 300, 300, 300, 300], [180, 180, 180, 180, 180]),
      ...paired('c', [900, 900], [60, 60]),
    ])
    expect(result.overall.state).toBe('estimate')
    expect(result.overall.tasks).toBe(2)
    if (result.overall.state !== 'estimate') return
    // (6 + 2) / 2, no spread at all
    expect(result.overall.saved).toEqual({ estimate: 4, low: 4, high: 4, verdict: 'saves' })
  })

  it('extrapolates: 4 min × 10 look-ups × 250 engineers × 46 weeks ÷ 60 = 7,666.7 hours = 4.17 FTEs at 1,840 h', () => {
    const out = extrapolateStudy(
      { estimate: 4, low: 2, high: 6, verdict: 'saves' },
      { lookupsPerEngineerWeek: 10, engineers: 250, workingWeeksPerYear: 46, hoursPerFteYear: 1840 },
    )
    expect(out.hoursPerYear.estimate).toBeCloseTo((4 * 10 * 250 * 46) / 60, 6)
    expect(out.hoursPerYear.low).toBeCloseTo((2 * 10 * 250 * 46) / 60, 6)
    expect(out.ftes.estimate).toBeCloseTo((4 * 10 * 250 * 46) / 60 / 1840, 6)
    expect(out.ftes.high).toBeCloseTo((6 * 10 * 250 * 46) / 60 / 1840, 6)
  })

  it('property: same data in any order give the same figures; low ≤ estimate ≤ high; a figure only from 5 per phase', () => {
    const observation = fc.record({
      task: fc.constantFrom('x', 'y'),
      participant: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'),
      phase: fc.constantFrom('before' as const, 'after' as const),
      seconds: fc.integer({ min: 1, max: 3600 }),
      found: fc.boolean(),
    })
    fc.assert(
      fc.property(
        fc.uniqueArray(observation, { selector: (o) => `${o.task}|${o.participant}|${o.phase}`, maxLength: 28 }),
        fc.infiniteStream(fc.integer()),
        (rows, stream) => {
          const result = summarizeStudy(rows)
          const shuffled = [...rows].map((one) => [stream.next().value, one] as const).sort((a, b) => a[0] - b[0])
          expect(summarizeStudy(shuffled.map(([, one]) => one))).toEqual(result)
          for (const task of result.tasks) {
            const enough = Math.min(task.before.participants, task.after.participants) >= MIN_PARTICIPANTS
            expect(task.outcome.state === 'estimate').toBe(enough)
            if (task.outcome.state === 'estimate') {
              const { low, estimate, high } = task.outcome.saved
              expect(low).toBeLessThanOrEqual(estimate)
              expect(estimate).toBeLessThanOrEqual(high)
              // the point estimate is the difference of the phases' means when unpaired
              if (task.design === 'unpaired')
                expect(estimate).toBeCloseTo((task.before.meanMinutes ?? 0) - (task.after.meanMinutes ?? 0), 9)
            }
          }
        },
      ),
      { numRuns: 60 },
    )
  })
})

describe('the study’s finding', () => {
  const assumptions = { lookupsPerEngineerWeek: 10, engineers: 240, workingWeeksPerYear: 46, hoursPerFteYear: 1840 }

  it('states FTEs freed only when clear: 4 min × 10 × 240 × 46 ÷ 60 = 7,360 h = 4.0 FTEs', () => {
    const figures = studyFigures(paired('t', [480, 480, 480, 480, 480], [240, 240, 240, 240, 240]), assumptions)
    expect(figures.extrapolation?.hoursPerYear.estimate).toBeCloseTo(7360, 6)
    expect(figures.finding).toBe(
      'About 4.0 FTEs a year freed by central docs (95% interval 4.0 to 4.0): 4.0 minutes saved per look-up',
    )
  })

  it('says nothing when the interval spans zero, and has no figure before 5 participants', () => {
    expect(
      studyFigures(paired('t', [300, 120, 300, 120, 240], [120, 300, 120, 300, 240]), assumptions).finding,
    ).toBeNull()
    const thin = studyFigures(paired('t', [480, 480, 480, 480], [240, 240, 240, 240]), assumptions)
    expect(thin.extrapolation).toBeNull()
    expect(thin.finding).toBeNull()
  })

  it('on a page with other verdicts the finding has its share of the 5%: at 99% the interval is wider and says so', () => {
    const times = paired('t', [480, 420, 540, 450, 500, 470], [240, 300, 200, 260, 250, 230])
    const alone = studyFigures(times, assumptions)
    const shared = studyFigures(times, assumptions, 0.99)
    const width = (figures: typeof alone) =>
      figures.result.overall.state === 'estimate'
        ? figures.result.overall.saved.high - figures.result.overall.saved.low
        : 0
    expect(width(shared)).toBeGreaterThan(width(alone))
    expect(alone.finding).toMatch(/\(95% interval/)
    expect(shared.finding).toMatch(/\(99% interval/)
    expect(shared.confidence).toBe(0.99)
  })
})
