import Link from 'next/link'
import { Section } from '@/app/_components/section'
import { FiltersIgnored } from '@/app/_components/page-filters'
import { guardPage } from '@/lib/auth/guard'
import { readStudyPage } from '@/lib/data/study'
import { filterQuery, type SearchParams } from '@/lib/data/page-filters'
import { formatCount, formatPercent, formatTime } from '@/lib/format'
import { MIN_PARTICIPANTS, notEnoughText, type SavedInterval, type StudyOutcome } from '@/lib/metrics/study'
import { DeleteForm } from '@/app/_components/delete-form'
import { deleteStudyObservationAction } from './actions'
import { StopwatchForm } from './stopwatch-form'

export const metadata = { title: 'Docs find-time study' }

const oneDecimal = (value: number) =>
  (Math.round(value * 10) / 10).toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })
const minutes = (value: number | null) => (value === null ? '—' : `${oneDecimal(value)} min`)

/** "3.4 min saved (95% interval 1.2 to 5.0)", or why there is no figure; never a saving the interval does not hold. */
function savedText(outcome: StudyOutcome): string {
  if (outcome.state === 'not_enough') return notEnoughText(outcome.participants)
  const { saved } = outcome
  const interval = `95% interval ${oneDecimal(saved.low)} to ${oneDecimal(saved.high)} min`
  if (saved.verdict === 'no_clear_change') return `no clear change (${interval})`
  return saved.verdict === 'saves'
    ? `${oneDecimal(saved.estimate)} min saved (${interval})`
    : `${oneDecimal(-saved.estimate)} min slower (${interval})`
}

const range = (figure: { estimate: number; low: number; high: number }, format: (value: number) => string) =>
  `${format(figure.estimate)} (95% interval ${format(figure.low)} to ${format(figure.high)})`

export default async function StudyPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const viewer = await guardPage('viewer')
  const query = filterQuery(await searchParams)
  const { figures, tasks, observations } = await readStudyPage()
  const { result, assumptions, extrapolation, finding } = figures
  const overall = result.overall
  const saved: SavedInterval | null = overall.state === 'estimate' ? overall.saved : null
  return (
    <>
      <header className="page-header">
        <h1>Docs find-time study</h1>
        <p>
          A small time-in-motion study: engineers time how long everyday look-ups take the old way and with the portal’s
          docs. The minutes saved per look-up, scaled to the organisation, are the docs benefit in the{' '}
          <Link href="/roi">ROI</Link> and the <Link href="/report">one-pager</Link>, counted as money only when the
          change is clear.
        </p>
      </header>
      <FiltersIgnored query={query} why="the study covers the whole organisation." />

      <Section
        title="Results"
        lede={`No figure until at least ${MIN_PARTICIPANTS} different participants timed a task in each phase; a change whose 95% interval includes zero is “no clear change”.`}
        testId="study-results"
      >
        <p className="figure" data-testid="study-overall" data-state={overall.state}>
          {overall.state === 'not_enough'
            ? `Minutes saved per look-up: ${notEnoughText(overall.participants)} in each phase, on any task.`
            : `Minutes saved per look-up, over ${overall.tasks} task${overall.tasks === 1 ? '' : 's'}: ${savedText(overall)}.`}
        </p>
        {finding ? (
          <p className="saved" data-testid="study-finding">
            {finding}.
          </p>
        ) : null}
        {extrapolation && saved ? (
          <dl className="facts" data-testid="study-extrapolation">
            <div>
              <dt>Engineer-hours a year</dt>
              <dd>
                {saved.verdict === 'no_clear_change' ? 'no clear change: ' : ''}
                {range(extrapolation.hoursPerYear, (value) => formatCount(Math.round(value)))}
              </dd>
            </div>
            <div>
              <dt>FTEs a year</dt>
              <dd>
                {saved.verdict === 'no_clear_change' ? 'no clear change: ' : ''}
                {range(extrapolation.ftes, oneDecimal)}
              </dd>
            </div>
          </dl>
        ) : null}
        <h3>Assumptions it is scaled with</h3>
        <dl className="facts" data-testid="study-assumptions">
          <div>
            <dt>Look-ups per engineer-week</dt>
            <dd>
              {formatCount(assumptions.lookupsPerEngineerWeek)} (an <Link href="/roi">ROI assumption</Link>)
            </dd>
          </div>
          <div>
            <dt>Engineers</dt>
            <dd>{formatCount(assumptions.engineers)} (engineers on the roster today)</dd>
          </div>
          <div>
            <dt>Working weeks per year</dt>
            <dd>{formatCount(assumptions.workingWeeksPerYear)}</dd>
          </div>
          <div>
            <dt>Hours per FTE-year</dt>
            <dd>
              {formatCount(assumptions.hoursPerFteYear)} (8 hours × 5 days × {assumptions.workingWeeksPerYear} weeks)
            </dd>
          </div>
        </dl>
        <p className="lede">
          Engineer-hours a year = minutes saved per look-up × look-ups per engineer-week × engineers × working weeks ÷
          60; FTEs = those hours ÷ hours per FTE-year. A task not found counts the time spent before giving up: it was
          lost all the same.
        </p>
        {result.tasks.length === 0 ? (
          <p className="empty">No time recorded yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="table stack" data-testid="study-tasks">
              <thead>
                <tr>
                  <th scope="col">Task</th>
                  <th scope="col">Before</th>
                  <th scope="col">After</th>
                  <th scope="col">Saved per look-up</th>
                  <th scope="col">Design</th>
                </tr>
              </thead>
              <tbody>
                {result.tasks.map((task) => (
                  <tr key={task.task} data-state={task.outcome.state}>
                    <th scope="row">{task.task}</th>
                    <td data-label="Before">
                      <PhaseCell phase={task.before} />
                    </td>
                    <td data-label="After">
                      <PhaseCell phase={task.after} />
                    </td>
                    <td data-label="Saved per look-up">{savedText(task.outcome)}</td>
                    <td data-label="Design">
                      {task.design === 'paired'
                        ? `paired: ${task.paired} did both`
                        : `unpaired (${task.paired} did both; ${MIN_PARTICIPANTS} needed to pair)`}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>

      <Section title="How to run the study" testId="study-how">
        <ol>
          <li>
            Pick at least {MIN_PARTICIPANTS} participants, engineers who look things up in their daily work; more gives
            a narrower interval.
          </li>
          <li>
            Choose the tasks: everyday questions the docs should answer (the form suggests some). Use the same tasks, in
            the same words, before and after.
          </li>
          <li>
            Before: each participant finds the answer the old way (wikis, chat, asking around). Start the stopwatch when
            they read the task, stop it when they have the answer or give up, and record whether they found it.
          </li>
          <li>
            After the portal’s docs are live, the same participants time the same tasks again. The same people in both
            phases make the comparison paired (each person’s own difference), which needs fewer people for a clear
            answer.
          </li>
          <li>Type the same name each time: it is stored only as a salted hash, which pairs the two phases.</li>
        </ol>
      </Section>

      <Section
        title="Record a time"
        lede="Each participant times one task at a time. Timing a task again in the same phase replaces the earlier time."
        testId="study-record"
      >
        <StopwatchForm tasks={tasks} />
      </Section>

      <Section title="Or import a CSV" testId="study-csv">
        <p>
          Times taken elsewhere can be imported as the <code>study</code> kind on the{' '}
          {viewer.role === 'admin' ? <Link href="/sources">Data sources</Link> : 'Data sources'} page (an admin’s) or
          with <code>npm run collect -- import study times.csv</code>: columns <code>task</code>,{' '}
          <code>participant</code>, <code>phase</code> (before or after), <code>seconds</code>, <code>found</code> (yes
          or no). Importing the file again changes nothing; a bad cell names its line and column, and nothing is
          written.
        </p>
        <pre>
          {`task,participant,phase,seconds,found
Find the runbook for a service’s on-call alert,ada@example.com,before,412,yes
Find the runbook for a service’s on-call alert,ada@example.com,after,95,yes`}
        </pre>
      </Section>

      <Section title="Recorded times" testId="study-observations">
        {observations.length === 0 ? (
          <p className="empty">None yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="table stack">
              <thead>
                <tr>
                  <th scope="col">Task</th>
                  <th scope="col">Participant</th>
                  <th scope="col">Phase</th>
                  <th scope="col">Time</th>
                  <th scope="col">Found</th>
                  <th scope="col">From</th>
                  <th scope="col">Recorded</th>
                  {viewer.role === 'admin' ? <th scope="col">Change</th> : null}
                </tr>
              </thead>
              <tbody>
                {observations.map((row) => (
                  <tr key={row.id}>
                    <th scope="row">{row.task}</th>
                    <td data-label="Participant">
                      <code>{row.participant}</code>
                    </td>
                    <td data-label="Phase">{row.phase}</td>
                    <td data-label="Time">{minutes(row.seconds / 60)}</td>
                    <td data-label="Found">{row.found ? 'yes' : 'no'}</td>
                    <td data-label="From">{row.source === 'csv' ? 'CSV' : 'stopwatch'}</td>
                    <td data-label="Recorded">{formatTime(row.recordedAt)}</td>
                    {viewer.role === 'admin' ? (
                      <td data-label="Change">
                        <DeleteForm
                          action={deleteStudyObservationAction}
                          id={row.id}
                          label={`${row.phase} time ${row.id} for ${row.task}`}
                        />
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
    </>
  )
}

/** A phase of a task: its mean time and share found, only once enough people timed it that no one's own time shows. */
function PhaseCell({
  phase,
}: {
  phase: { meanMinutes: number | null; participants: number; foundShare: number | null }
}) {
  if (phase.participants < MIN_PARTICIPANTS)
    return (
      <>
        {phase.participants} people (a figure from {MIN_PARTICIPANTS})
      </>
    )
  return (
    <>
      {minutes(phase.meanMinutes)} · {phase.participants} people · found {formatPercent(phase.foundShare, 0)}
    </>
  )
}
