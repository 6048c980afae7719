import Link from 'next/link'
import { z } from 'zod'
import { Section } from '@/app/_components/section'
import { getMilestonesPage } from '@/lib/data/milestones'
import { parseIsoDate } from '@/lib/dates'
import { formatDate } from '@/lib/format'
import { guardPage } from '@/lib/auth/guard'
import { DeleteForm } from '@/app/_components/delete-form'
import { deleteMilestoneAction } from './actions'
import { MilestoneForm } from './milestone-form'
import { FiltersIgnored } from '@/app/_components/page-filters'
import { filterQuery } from '@/lib/data/page-filters'

export const metadata = { title: 'Milestones' }

const id = z
  .string()
  .regex(/^\d{1,9}$/)
  .transform(Number)
const paramsSchema = z.object({ edit: id.optional().catch(undefined), saved: id.optional().catch(undefined) })

export default async function MilestonesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>
}) {
  const viewer = await guardPage('viewer')
  const admin = viewer.role === 'admin'
  const raw = await searchParams
  const query = filterQuery(raw)
  const params = paramsSchema.parse({
    edit: typeof raw.edit === 'string' ? raw.edit : undefined,
    saved: typeof raw.saved === 'string' ? raw.saved : undefined,
  })
  const page = await getMilestonesPage({ edit: admin ? (params.edit ?? null) : null })
  const saved = page.milestones.find((milestone) => milestone.id === params.saved)
  const editing = page.milestones.find((milestone) => milestone.id === page.form.id)
  return (
    <>
      <header className="page-header">
        <h1>Milestones</h1>
        <p>
          Dated events on every chart’s time axis: the portal launch, which the Overview compares before and after, the
          launches of its parts, and anything else worth marking. Each is for every team, or for the teams named.
        </p>
      </header>
      <FiltersIgnored
        query={query}
        why="it lists every milestone, for every team, to edit them; the charts show those of the teams chosen."
      />
      {saved ? (
        <p className="saved" role="status">
          Saved “{saved.name}”.
        </p>
      ) : null}
      <Section title="All milestones" testId="milestones-list">
        {page.milestones.length === 0 ? (
          <p className="empty">
            No milestone yet.{' '}
            {admin
              ? 'Add the day the portal launched below: the Overview compares the weeks before it with the latest weeks.'
              : 'An admin adds them.'}
          </p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Name</th>
                  <th scope="col">Teams</th>
                  <th scope="col">Note</th>
                  {admin ? <th scope="col">Change</th> : null}
                </tr>
              </thead>
              <tbody>
                {page.milestones.map((milestone) => (
                  <tr key={milestone.id} data-testid={`milestone-${milestone.id}`}>
                    <td>{formatDate(parseIsoDate(milestone.occurredOn))}</td>
                    <td>
                      {milestone.kindLabel}
                      {milestone.id === page.launchId ? <span className="sample">the Overview’s launch</span> : null}
                    </td>
                    <th scope="row">{milestone.name}</th>
                    <td>
                      {milestone.teams.length === 0 ? 'All teams' : milestone.teams.map((team) => team.name).join(', ')}
                    </td>
                    <td>{milestone.description ?? ''}</td>
                    {admin ? (
                      <td>
                        <Link
                          href={`/milestones?edit=${milestone.id}#milestone-form`}
                          aria-label={`Edit ${milestone.name}`}
                        >
                          Edit
                        </Link>{' '}
                        <DeleteForm action={deleteMilestoneAction} id={milestone.id} label={milestone.name} />
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
      {admin ? (
        <section
          className="section"
          id="milestone-form"
          aria-label={editing ? `Edit ${editing.name}` : 'Add a milestone'}
        >
          <h2>{editing ? `Edit “${editing.name}”` : 'Add a milestone'}</h2>
          {page.missing !== null ? (
            <p className="notice">There is no milestone {page.missing} (any more); add a new one instead.</p>
          ) : null}
          <MilestoneForm
            // a fresh form after each save: the list it was saved into differs
            key={`${page.form.id ?? 'new'}:${page.milestones.map((milestone) => milestone.id).join(',')}`}
            id={page.form.id}
            teams={page.teams.map((team) => ({ id: team.id, name: team.name }))}
            kinds={page.kinds}
            initial={page.form.values}
          />
        </section>
      ) : null}
    </>
  )
}
