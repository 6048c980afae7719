import { getInitiativeFormData } from '@/lib/data/initiative-form'
import { InitiativeForm } from '@/app/(dashboard)/initiatives/initiative-form'
import { guardPage } from '@/lib/auth/guard'

export const metadata = { title: 'New initiative' }

export default async function NewInitiativePage() {
  await guardPage('admin')
  const data = await getInitiativeFormData(null)
  if (!data) throw new Error('the form data of a new initiative is always there')
  const { teams, useCases, metrics, defaults } = data
  return (
    <>
      <header className="page-header">
        <h1>New initiative</h1>
        <p>
          Which teams pilot the portal for which use case, from when, which teams are the control, and the weeks to
          compare.
        </p>
      </header>
      <InitiativeForm id={null} teams={teams} useCases={useCases} metrics={metrics} initial={defaults} />
    </>
  )
}
