import { Nav } from '@/app/_components/nav'
import { guardPage } from '@/lib/auth/guard'

// Every dashboard page reads the database at request time; nothing is prerendered at build.
export const dynamic = 'force-dynamic'

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  // each page checks its own role too: a layout is not re-run on every navigation
  const viewer = await guardPage('viewer')
  return (
    <div className="shell">
      <Nav viewer={{ name: viewer.name, role: viewer.role, kind: viewer.kind }} />
      <main className="content">
        {viewer.kind === 'demo' ? (
          <p className="banner" role="note" data-testid="demo-banner">
            <strong>Demo</strong> · a generated organisation, no sign-in · answers only on this machine (localhost)
          </p>
        ) : null}
        {viewer.kind === 'open' ? (
          <p className="banner warning" role="note" data-testid="open-banner">
            <strong>Sign-in is off</strong> (UPSHOT_NO_SIGN_IN=1): everyone who reaches this server is an admin.
          </p>
        ) : null}
        {children}
      </main>
    </div>
  )
}
