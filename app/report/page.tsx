import Link from 'next/link'
import { notFound } from 'next/navigation'
import { z } from 'zod'
import { IntervalPlot } from '../_components/interval-plot'
import { readReport } from '../../lib/data/report'
import { useCaseLabels } from '../../lib/domain'
import { formatDate, formatInterval } from '../../lib/format'
import { RoiBox, RoiVerdictLine } from './roi-box'
import { PilotControl, WeeklyDeployments } from './mini-charts'
import './report.css'
import { guardPage } from '../../lib/auth/guard'

export const metadata = { title: 'One-pager' }
export const dynamic = 'force-dynamic'

const paramsSchema = z.object({
  initiative: z.string().regex(/^\d{1,9}$/, 'must be an initiative id').optional(),
  paper: z.enum(['a4', 'letter']).default('a4'),
})

const TILE_WORDS = { improved: 'better', worsened: 'worse', not_confirmed: 'not confirmed', no_clear_change: 'no clear change' } as const

export default async function ReportPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await guardPage('viewer', { tokenScope: 'report' })
  const raw = await searchParams
  const parsed = paramsSchema.safeParse({ initiative: typeof raw.initiative === 'string' ? raw.initiative : undefined, paper: typeof raw.paper === 'string' ? raw.paper : undefined })
  if (!parsed.success) notFound()
  const report = await readReport({ initiativeId: parsed.data.initiative ? Number(parsed.data.initiative) : undefined })
  const pageStyle = `@page { size: ${parsed.data.paper === 'letter' ? 'letter' : 'A4'}; margin: 9mm 11mm; }`
  if (report.state !== 'ready') {
    if (parsed.data.initiative) notFound()
    return (
      <main className="report" data-report-ready="empty">
        <style>{pageStyle}</style>
        <h1>Nothing to report yet</h1>
        <p>The one-pager reports on an initiative: pilot teams against control teams. Create one on the Initiatives page first.</p>
      </main>
    )
  }
  const { initiative, headlines, notYetClear, tiles, roi, control } = report
  const pilots = initiative.teams.filter((team) => team.role === 'pilot').map((team) => team.name)
  const controls = initiative.teams.filter((team) => team.role === 'control').map((team) => team.name)
  const lead = headlines[0] ? tiles.find((tile) => tile.key === headlines[0]?.key) : tiles[0]
  const whenKnown = notYetClear.filter((item) => item.whenKnown)
  const exportQuery = (paper: string) => `?${new URLSearchParams({ initiative: String(initiative.id), paper })}`
  return (
    <>
    <nav className="report-toolbar" aria-label="One-pager">
      <Link href="/">← Dashboard</Link>
      <a href={`/api/report.pdf${exportQuery('a4')}`}>PDF (A4)</a>
      <a href={`/api/report.pdf${exportQuery('letter')}`}>PDF (Letter)</a>
      <a href={`/api/report.png${exportQuery(parsed.data.paper)}`}>PNG</a>
      <a href={`/api/report.csv${exportQuery(parsed.data.paper)}`}>CSV of the figures</a>
      <Link href="/roi">Assumptions</Link>
    </nav>
    <main className="report" data-report-ready="ready" data-testid="report">
      <style>{pageStyle}</style>
      <header className="report-header">
        <div>
          <p className="kicker">Upshot · developer portal one-pager · {formatDate(report.generatedAt)}</p>
          <h1>{initiative.name}</h1>
          <p className="meta">
            {useCaseLabels[initiative.useCase]} · launched {formatDate(initiative.launchDate)} · pilot: {pilots.join(', ')} · control: {controls.join(', ')} · before {formatInterval(initiative.baseline)}, after{' '}
            {formatInterval(initiative.evaluation)}
          </p>
        </div>
      </header>
      <RoiVerdictLine roi={roi} />

      <section className="report-section">
        <h2>What changed</h2>
        {headlines.length > 0 ? (
          <ul className="headlines" data-testid="report-headlines">
            {headlines.map((headline) => (
              <li key={headline.key} className={headline.verdict} data-key={headline.key}>
                {headline.primary ? <strong>Primary. </strong> : null}
                {headline.sentence}
              </li>
            ))}
          </ul>
        ) : (
          <p>No change is clear enough to state yet.</p>
        )}
        {notYetClear.length > 0 ? (
          <p className="unclear" data-testid="report-not-yet-clear">
            <strong>Not yet clear:</strong> {notYetClear.map((item) => `${item.label} (${item.why})`).join('; ')}.
          </p>
        ) : null}
        {whenKnown.length > 0 ? (
          <p className="unclear" data-testid="report-when-known">
            <strong>When we will know:</strong> {whenKnown.map((item) => `${item.label}: ${item.whenKnown}`).join('; ')}.
          </p>
        ) : null}
      </section>

      <section className="tiles" aria-label="Key figures">
        {tiles.map((tile) => (
          <article key={tile.key} className={`tile ${tile.verdict}`} data-testid={`report-tile-${tile.key}`}>
            <h3>{tile.label}</h3>
            <p className="move">
              {tile.before} → <strong>{tile.after}</strong>
            </p>
            <p className="effect">
              {tile.effect} vs control · {TILE_WORDS[tile.verdict]}
            </p>
            <IntervalPlot outcome={tile.metric.outcome} label={`${tile.label}: ${tile.effect}, 95% interval ${tile.interval}`} tone={tile.verdict === 'not_confirmed' ? 'unconfirmed' : undefined} />
            <p className="interval">95% interval {tile.interval}</p>
          </article>
        ))}
      </section>

      <section className="charts">
        <figure>
          <figcaption>Production deployments per week, all teams</figcaption>
          <WeeklyDeployments weeks={report.weekly} launchWeek={report.launchWeek} />
        </figure>
        {lead ? (
          <figure>
            <figcaption>
              {lead.label}
              {lead.metric.unit === 'per_service_week' ? ' (per service-week)' : lead.metric.unit === 'per_engineer_week' ? ' (per engineer-week)' : ''}: pilot and control, before and after
            </figcaption>
            <PilotControl
              label={lead.label}
              unit={lead.metric.unit}
              values={{
                pilotBefore: lead.metric.figures.pilotBaseline.value,
                pilotAfter: lead.metric.figures.pilotEvaluation.value,
                controlBefore: lead.metric.figures.controlBaseline.value,
                controlAfter: lead.metric.figures.controlEvaluation.value,
              }}
            />
          </figure>
        ) : null}
      </section>

      <RoiBox roi={roi} />

      <footer className="method">
        <strong>How this was measured.</strong> Each change is the pilot teams’ change from before to after minus the control teams’ over the same weeks
        (difference-in-differences), with a 95% interval from resampling whole weeks or people (seeded). A change is stated only when confirmed: the{' '}
        {control.primary} primary metric{control.primary === 1 ? ' is' : 's are'} tested first (Holm), the {control.secondary} others only once every primary one is
        confirmed{control.gateOpen ? '' : ' (not yet)'}, so the chance that any statement here is false is at most 5%; its interval must exclude no change, and pilot and
        control must have moved alike before the launch. Money counts confirmed effects only; an unconfirmed one adds its interval to the range, nothing to the likely
        value. Data as of {formatDate(report.generatedAt)}: latest deployment {report.latest.deployment ? formatDate(report.latest.deployment) : 'none'}, pull request{' '}
        {report.latest.pullRequest ? formatDate(report.latest.pullRequest) : 'none'}, incident {report.latest.incident ? formatDate(report.latest.incident) : 'none'}.
        Definitions: docs/metrics.md.
      </footer>
    </main>
    </>
  )
}
