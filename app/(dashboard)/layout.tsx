import { Nav } from '../_components/nav'

// Every dashboard page reads the database at request time; nothing is prerendered at build.
export const dynamic = 'force-dynamic'

export default function DashboardLayout({ children }: { children: React.ReactNode }) {
  return (
    <div className="shell">
      <Nav />
      <main className="content">{children}</main>
    </div>
  )
}
