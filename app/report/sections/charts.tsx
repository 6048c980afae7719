import type { LeadChart } from '@/lib/data/report'
import { PilotControl, WeeklyDeployments } from '@/app/report/mini-charts'

/** The two small charts: deployments per week for the teams chosen, with the launch; pilot and control on the lead metric. */
export function ReportCharts({
  weekly,
  launchWeek,
  scope,
  lead,
}: {
  weekly: { weekStart: string; deployments: number }[]
  launchWeek: string
  scope: string
  lead: LeadChart | null
}) {
  return (
    <section className="charts">
      <figure>
        <figcaption>Production deployments per week, {scope}</figcaption>
        <WeeklyDeployments weeks={weekly} launchWeek={launchWeek} />
      </figure>
      {lead ? (
        <figure>
          <figcaption>{lead.caption}</figcaption>
          <PilotControl label={lead.label} unit={lead.unit} values={lead.values} />
        </figure>
      ) : null}
    </section>
  )
}
