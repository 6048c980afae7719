// The docs find-time study on a real database: a study CSV and the stopwatch form feed the study kit's read model,
// whose figures equal an independent computation here; no figure before 5 participants a phase; bad files name
// line and column and write nothing; a re-import duplicates nothing; the ROI counts the docs benefit as money
// only when the study's interval excludes zero.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatProblem, importCsv } from '@/collectors/csv/import'
import type { ImportKind } from '@/collectors/csv/kinds'
import { getDataVersion } from '@/db/queries/data-version'
import { getRoi } from '@/lib/data/roi'
import { getStudyPage, removeStudyObservation, submitStudyObservation } from '@/lib/data/study'
import { engine, freshDatabase, type TestDatabase } from '@/tests/helpers/database'

const TASK = 'Find the runbook for the payments alert'
/** Seconds before and after for participants p1…p6 (p6 is added later): each saves 4 to 7 minutes. */
const BEFORE = [540, 600, 480, 660, 570, 630]
const AFTER = [180, 150, 120, 240, 150, 210]

const studyCsv = (participants: number[], task = TASK, before = BEFORE, after = AFTER) =>
  [
    'task,participant,phase,seconds,found',
    ...participants.flatMap((i) => [
      `${task},Person ${i},before,${before[i - 1]},${i === 2 ? 'no' : 'yes'}`,
      `${task},person ${i},after,${after[i - 1]},yes`,
    ]),
    '',
  ].join('\n')

describe(`docs find-time study (${engine})`, () => {
  let database: TestDatabase
  const db = () => database.connection.db
  const sql = () => database.connection.sql
  const run = (kind: ImportKind, file: string, text: string, dryRun = false) =>
    importCsv(db(), { kind, file, bytes: Buffer.from(text), dryRun, today: '2026-11-24' })
  const count = async () => (await sql()<{ n: number }[]>`select count(*)::int as n from study_observations`)[0]?.n

  beforeAll(async () => {
    database = await freshDatabase('study')
    // 4 engineers and a designer: the ROI model and the study count engineers only
    const roster =
      'login,team,start_date,is_engineer\nada,payments,2025-01-06,true\nben,payments,2025-01-06,true\nchen,search,2025-01-06,true\ndee,search,2025-01-06,true\nzoe,design,2025-01-06,false\n'
    expect(await run('roster', 'roster.csv', roster)).toMatchObject({ inserted: 5, rejected: 0 })
  })
  afterAll(async () => database?.close())

  it('4 participants: no figure anywhere, "not enough data: 4 of 5", and the ROI counts no docs benefit', async () => {
    const version = await getDataVersion(db())
    expect(await run('study', 'study.csv', studyCsv([1, 2, 3, 4]))).toMatchObject({ inserted: 8, rejected: 0 })
    expect(await getDataVersion(db())).toBeGreaterThan(version)
    // participants are stored as salted hashes, never the name
    const keys = await sql()<{ key: string }[]>`select distinct participant_key as key from study_observations`
    expect(keys).toHaveLength(4)
    expect(keys.every(({ key }) => /^[0-9a-f]{20}$/.test(key))).toBe(true)
    const page = await getStudyPage({ db: db() })
    expect(page.figures.result.tasks[0]?.outcome).toEqual({ state: 'not_enough', participants: 4 })
    expect(page.figures.result.overall).toEqual({ state: 'not_enough', participants: 4, tasks: 0 })
    expect(page.figures.extrapolation).toBeNull()
    expect(page.figures.finding).toBeNull()
    const roi = await getRoi([], { db: db() })
    expect(roi.result.benefits.find((benefit) => benefit.key === 'docs')).toMatchObject({
      value: null,
      reason: 'no docs find-time study with 5 participants in each phase yet',
    })
  })

  it('a 5th participant by the stopwatch form (any case of the same name pairs): the figures equal a computation by hand', async () => {
    const refused = new FormData()
    for (const [name, value] of Object.entries({ participant: '', task: TASK, phase: 'during', seconds: 'soon' }))
      refused.set(name, value)
    const state = await submitStudyObservation(refused, { db: db() })
    expect(state.saved).toBe(false)
    expect(Object.keys(state.errors).sort()).toEqual(['found', 'participant', 'phase', 'seconds'])
    expect(await count()).toBe(8)
    for (const [phase, seconds] of [
      ['before', BEFORE[4]],
      ['after', AFTER[4]],
    ] as const) {
      const form = new FormData()
      for (const [name, value] of Object.entries({
        participant: phase === 'before' ? 'Person 5' : '  PERSON   5 ',
        task: TASK,
        phase,
        seconds: String(seconds),
        found: 'yes',
      }))
        form.set(name, value)
      expect(await submitStudyObservation(form, { db: db() })).toMatchObject({ saved: true, errors: {} })
    }
    expect(
      await sql()`select source, count(*)::int as n from study_observations group by source order by source`,
    ).toEqual([
      { source: 'csv', n: 8 },
      { source: 'form', n: 2 },
    ])

    const page = await getStudyPage({ db: db() })
    const task = page.figures.result.tasks[0]
    expect(task).toMatchObject({ design: 'paired', paired: 5 })
    // by hand: each participant's own before − after, in minutes, averaged
    const savings = [0, 1, 2, 3, 4].map((i) => ((BEFORE[i] as number) - (AFTER[i] as number)) / 60)
    const expected = savings.reduce((sum, value) => sum + value, 0) / savings.length
    expect(task?.before).toMatchObject({ participants: 5, foundShare: 4 / 5 })
    expect(task?.before.meanMinutes).toBeCloseTo(BEFORE.slice(0, 5).reduce((a, b) => a + b, 0) / 5 / 60, 9)
    const overall = page.figures.result.overall
    if (overall.state !== 'estimate') throw new Error('expected a figure with 5 participants')
    expect(overall.saved.estimate).toBeCloseTo(expected, 9)
    // a resampled mean of these savings lies between the smallest and the largest
    expect(overall.saved.low).toBeGreaterThanOrEqual(Math.min(...savings) - 1e-9)
    expect(overall.saved.high).toBeLessThanOrEqual(Math.max(...savings) + 1e-9)
    expect(overall.saved.verdict).toBe('saves')
    // scaled: 10 look-ups per engineer-week (the default) × 4 engineers × 46 weeks ÷ 60; an FTE-year is 8 × 5 × 46 hours
    const hours = (expected * 10 * 4 * 46) / 60
    expect(page.figures.assumptions).toEqual({
      lookupsPerEngineerWeek: 10,
      engineers: 4,
      workingWeeksPerYear: 46,
      hoursPerFteYear: 1840,
    })
    expect(page.figures.extrapolation?.hoursPerYear.estimate).toBeCloseTo(hours, 6)
    expect(page.figures.extrapolation?.ftes.estimate).toBeCloseTo(hours / 1840, 9)
    expect(page.figures.finding).toMatch(/^About \d+\.\d FTEs a year freed by central docs \(95% interval /)

    // the ROI counts it at its estimate: hours × $100 an hour ($800 a day ÷ 8)
    const roi = await getRoi([], { db: db() })
    const docs = roi.result.benefits.find((benefit) => benefit.key === 'docs')
    expect(docs?.confirmed).toBe(true)
    expect(docs?.value?.likely).toBeCloseTo(hours * 100, 4)
    expect(docs?.value?.low).toBeCloseTo(((overall.saved.low * 10 * 4 * 46) / 60) * 100, 4)
    expect(roi.result.value.likely).toBeCloseTo(hours * 100, 4)
    expect(roi.study.finding).toBe(page.figures.finding)
  })

  it('importing the same file again duplicates nothing; a changed time replaces the one before', async () => {
    const again = await run('study', 'study.csv', studyCsv([1, 2, 3, 4]))
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 8 })
    expect(await count()).toBe(10)
    const changed = studyCsv([1, 2, 3, 4]).replace(`Person 1,before,${BEFORE[0]}`, 'Person 1,before,555')
    expect(await run('study', 'study.csv', changed)).toMatchObject({ inserted: 0, updated: 1, unchanged: 7 })
    expect(await count()).toBe(10)
  })

  it('bad files: each problem names its line and column, and nothing is written (dry run or not)', async () => {
    const bad = [
      'task,participant,phase,seconds,found',
      `${TASK},Person 7,during,60,yes`,
      `${TASK},Person 7,before,-4,yes`,
      `${TASK},Person 8,after,90,maybe`,
      `${TASK},,after,90,yes`,
      `${TASK},Person 9,after,ten,yes`,
      `${TASK},person 9,after,80,no`,
      '',
    ].join('\n')
    const rows = await sql()`select * from study_observations order by id`
    for (const dryRun of [true, false]) {
      const report = await run('study', 'bad.csv', bad, dryRun)
      expect(report.problems.map((problem) => formatProblem('bad.csv', problem))).toEqual([
        'bad.csv:2: phase: "during" must be before or after',
        'bad.csv:3: seconds: "-4" must be more than 0',
        'bad.csv:4: found: "maybe" must be yes or no',
        expect.stringMatching(/^bad\.csv:5: participant: /),
        'bad.csv:6: seconds: "ten" must be a number of seconds',
      ])
      expect(report).toMatchObject({ inserted: 0, updated: 0 })
    }
    const duplicate = `task,participant,phase,seconds,found\n${TASK},Person 9,after,90,yes\n${TASK},person  9,after,80,no\n`
    const report = await run('study', 'dup.csv', duplicate)
    expect(report.problems.map((problem) => formatProblem('dup.csv', problem))).toEqual([
      'dup.csv:3: the same task, participant and phase as line 2 (each may appear once)',
    ])
    expect(await sql()`select * from study_observations order by id`).toEqual(rows)
  })

  it('an interval that spans zero: no finding, and the ROI counts $0 in likely, the interval only in the range', async () => {
    // a new task where half the participants got faster and half slower, by the same amounts
    const noisy = studyCsv(
      [1, 2, 3, 4, 5, 6],
      'Find the staging credentials',
      [300, 120, 300, 120, 300, 120],
      [120, 300, 120, 300, 120, 300],
    )
    for (const { id } of await sql()<{ id: number }[]>`select id::int from study_observations`) {
      const form = new FormData()
      form.set('id', String(id))
      expect(await removeStudyObservation(form, { db: db() })).toEqual({ ok: true, message: 'Time deleted.' })
    }
    expect(await run('study', 'noisy.csv', noisy)).toMatchObject({ inserted: 12, rejected: 0 })
    const page = await getStudyPage({ db: db() })
    const overall = page.figures.result.overall
    if (overall.state !== 'estimate') throw new Error('expected a figure with 6 participants')
    expect(overall.saved.estimate).toBeCloseTo(0, 9)
    expect(overall.saved.low).toBeLessThan(0)
    expect(overall.saved.high).toBeGreaterThan(0)
    expect(overall.saved.verdict).toBe('no_clear_change')
    expect(page.figures.finding).toBeNull()
    const roi = await getRoi([], { db: db() })
    const docs = roi.result.benefits.find((benefit) => benefit.key === 'docs')
    expect(docs?.confirmed).toBe(false)
    expect(docs?.value?.likely).toBe(0)
    expect(docs?.value?.low).toBeLessThan(0)
    expect(docs?.value?.high).toBeGreaterThan(0)
    expect(roi.result.value.likely).toBe(0)
  })
})
