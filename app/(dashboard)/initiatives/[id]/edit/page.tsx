import { notFound } from 'next/navigation'
import { getInitiativeFormData } from '@/lib/data/initiative-form'
import { InitiativeForm } from '@/app/(dashboard)/initiatives/initiative-form'
import { guardPage } from '@/lib/auth/guard'

export const metadata = { title: 'Edit initiative' }

export default async function EditInitiativePage({ params }: { params: Promise<{ id: string }> }) {
  await guardPage('admin')
  const { id } = await params
  if (!/^\d{1,9}$/.test(id)) notFound()
  const data = await getInitiativeFormData(Number(id))
  if (!data) notFound()
  return (
    <>
      <header className="page-header">
        <h1>Edit {data.defaults.name}</h1>
      </header>
      <InitiativeForm
        id={Number(id)}
        teams={data.teams}
        useCases={data.useCases}
        metrics={data.metrics}
        initial={data.defaults}
      />
    </>
  )
}
