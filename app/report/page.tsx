import Link from 'next/link'
import { notFound } from 'next/navigation'
import { z } from 'zod'
import { IntervalPlot } from '../_components/interval-plot'
import { readReport } from '../../lib/data/report'
import { assumptionSpecs, costPresets, type AssumptionKey } from '../../lib/roi/assumptions'
import type { Range } from '../../lib/roi/model'
import { useCaseLabels } from '../../lib/domain'
import { formatCount, formatDate, formatInterval, formatMoney } from '../../lib/format'
import { PilotControl, WeeklyDeployments } from './mini-charts'
import './report.css'
import { guardPage } from '../../lib/auth/guard'

export const metadata = { title: 'One-pager' }
export const dynamic = 'force-dynamic'

const paramsSchema = z.object({
  initiative: z.string().regex(/^\d{1,9}$/, 'must be an initiative id').optional(),
  paper: z.enum(['a4', 'letter']).default('a4'),
})

/** The measured metric behind each benefit, to say when that measurement is not yet clear. */
const BENEFIT_METRIC: Partial<Record<string, string>> = { onboarding: 'days_to_first_merge', incident_response: 'time_to_restore', throughput: 'throughput' }

const money = (range: Range) => `${formatMoney(range.low)} – ${formatMoney(range.high)}`
const months = (value: number | null) => (value === null ? 'never' : `${value.toFixed(1)} months`)
const percent = (value: number) => `${value < 0 ? '−' : ''}${Math.abs(Math.round(value))}%`

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
  const { initiative, headlines, notYetClear, tiles, roi } = report
  const pilots = initiative.teams.filter((team) => team.role === 'pilot').map((team) => team.name)
  const controls = initiative.teams.filter((team) => team.role === 'control').map((team) => team.name)
  const lead = headlines[0] ? tiles.find((tile) => tile.key === headlines[0]?.key) : tiles[0]
  const unclearKeys = new Set<string>(notYetClear.map((item) => item.key))
  const used = new Set<AssumptionKey>([...roi.result.costUses, ...roi.result.benefits.filter((b) => b.value).flatMap((b) => b.uses)])
  const assumptionsUsed = roi.assumptions.list.filter((one) => used.has(one.key))
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

      <section className="report-section">
        <h2>What changed</h2>
        {headlines.length > 0 ? (
          <ul className="headlines" data-testid="report-headlines">
            {headlines.map((headline) => (
              <li key={headline.key} className={headline.verdict} data-key={headline.key}>
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
      </section>

      <section className="tiles" aria-label="Key figures">
        {tiles.map((tile) => (
          <article key={tile.key} className={`tile ${tile.verdict}`} data-testid={`report-tile-${tile.key}`}>
            <h3>{tile.label}</h3>
            <p className="move">
              {tile.before} → <strong>{tile.after}</strong>
            </p>
            <p className="effect">
              {tile.effect} vs control · {tile.verdict === 'improved' ? 'better' : tile.verdict === 'worsened' ? 'worse' : 'no clear change'}
            </p>
            <IntervalPlot outcome={tile.metric.outcome} label={`${tile.label}: ${tile.effect}, 95% interval ${tile.interval}`} />
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

      <section className="roi" data-testid="report-roi">
        <h2>What it is worth, a year</h2>
        <div className="roi-grid">
          <p>
            <span className="label">Value</span>
            <strong>{formatMoney(roi.result.value.likely)}</strong>
            <span className="range">{money(roi.result.value)}</span>
          </p>
          <p>
            <span className="label">Cost</span>
            <strong>{formatMoney(roi.result.cost.likely)}</strong>
            <span className="range">{roi.result.costLabel}</span>
          </p>
          <p>
            <span className="label">Net</span>
            <strong>{formatMoney(roi.result.net.likely)}</strong>
            <span className="range">{money(roi.result.net)}</span>
          </p>
          <p>
            <span className="label">ROI</span>
            <strong>{roi.result.roiPercent ? percent(roi.result.roiPercent.likely) : '—'}</strong>
            <span className="range">{roi.result.roiPercent ? `${percent(roi.result.roiPercent.low)} to ${percent(roi.result.roiPercent.high)}` : 'no cost entered'}</span>
          </p>
          <p>
            <span className="label">Payback</span>
            <strong>{months(roi.result.paybackMonths.likely)}</strong>
            <span className="range">
              {months(roi.result.paybackMonths.best)} at best, {months(roi.result.paybackMonths.worst)} at worst
            </span>
          </p>
        </div>
        <ul className="benefits">
          {roi.result.benefits.map((benefit) => (
            <li key={benefit.key}>
              <strong>{benefit.label}:</strong> {benefit.value ? `${formatMoney(benefit.value.likely)} (${money(benefit.value)}) = ${benefit.formula}` : `not counted: ${benefit.reason}`}
              {benefit.value && unclearKeys.has(BENEFIT_METRIC[benefit.key] ?? '') ? ' (its effect is not yet clear: the range says how unsure)' : ''}.
            </li>
          ))}
        </ul>
        <p className="assumptions" data-testid="report-assumptions">
          <strong>Assumptions used:</strong>{' '}
          {assumptionsUsed
            .map((one) => `${one.label}: ${one.key === 'cost_preset' ? costPresets[one.value as 0 | 1 | 2 | 3]?.name : formatCount(one.value)} ${one.key === 'cost_preset' ? '' : assumptionSpecs[one.key].unit} (${one.set ? `set by ${one.set.by} on ${formatDate(one.set.at)}` : 'default'})`)
            .join('; ')}
          . Counts from the last year of data: {formatCount(roi.counts.engineers)} engineers, {formatCount(roi.counts.hiresPerYear)} hires, {formatCount(roi.counts.incidentsPerYear)} incidents,{' '}
          {formatCount(roi.counts.servicesFromTemplatesPerYear)} services from templates.
        </p>
      </section>

      <footer className="method">
        <strong>How this was measured.</strong> Each change is the pilot teams’ change from before to after minus the control teams’ change over the same weeks
        (difference-in-differences), so what changed for everyone (hiring, seasons) is taken out. The 95% intervals come from resampling whole weeks or people
        (seeded, reproducible); a change is stated only when its interval excludes no change, and a group too small to judge says so. Money ranges take the
        ends of those intervals. Data as of {formatDate(report.generatedAt)}: latest deployment {report.latest.deployment ? formatDate(report.latest.deployment) : 'none'}, latest pull request{' '}
        {report.latest.pullRequest ? formatDate(report.latest.pullRequest) : 'none'}, latest incident {report.latest.incident ? formatDate(report.latest.incident) : 'none'}. Definitions: docs/metrics.md.
      </footer>
    </main>
    </>
  )
}
