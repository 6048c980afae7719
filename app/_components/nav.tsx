'use client'

import Link from 'next/link'
import { usePathname, useSearchParams } from 'next/navigation'
import { Suspense } from 'react'
import { keptFilters } from '@/lib/data/filter-keys'
import { signOutAction } from '@/app/sign-in/actions'

const AREAS = [
  { href: '/', label: 'Overview' },
  { href: '/delivery', label: 'Delivery' },
  { href: '/flow', label: 'Flow' },
  { href: '/onboarding', label: 'Onboarding' },
  { href: '/experience', label: 'Experience' },
  { href: '/adoption', label: 'Adoption' },
  { href: '/initiatives', label: 'Initiatives' },
  { href: '/milestones', label: 'Milestones' },
  { href: '/study', label: 'Docs study' },
  { href: '/roi', label: 'ROI' },
  { href: '/report', label: 'One-pager' },
  { href: '/snapshots', label: 'Snapshots' },
  { href: '/subscriptions', label: 'Subscriptions', admin: true },
  { href: '/sources', label: 'Data sources', admin: true },
  { href: '/access', label: 'Access', admin: true },
] as const

export interface NavViewer {
  name: string
  role: 'viewer' | 'admin'
  kind: 'user' | 'token' | 'demo' | 'open'
}

export function Nav({ viewer }: { viewer: NavViewer }) {
  const areas = AREAS.filter((area) => !('admin' in area) || viewer.role === 'admin')
  return (
    <nav className="nav" aria-label="Main">
      {/* the links without the filters until the URL's search params are read (a page rendered ahead of its URL) */}
      <Suspense fallback={<NavLinks areas={areas} filters="" />}>
        <FilteredNavLinks areas={areas} />
      </Suspense>
      {viewer.kind === 'user' ? (
        <form action={signOutAction} className="who" data-testid="signed-in-as">
          <span>
            {viewer.name} <small>({viewer.role})</small>
          </span>
          <button type="submit" className="link-button">
            Sign out
          </button>
        </form>
      ) : null}
    </nav>
  )
}

type Area = (typeof AREAS)[number]

/**
 * The links carry the filters of the page shown (teams or group, weeks, comparison) and nothing else of its
 * URL, so the next page shows the same teams and weeks; a page the filters do not apply to says so and keeps
 * them in its own links.
 */
function FilteredNavLinks({ areas }: { areas: readonly Area[] }) {
  const searchParams = useSearchParams()
  return <NavLinks areas={areas} filters={keptFilters(new URLSearchParams(searchParams.toString()))} />
}

function NavLinks({ areas, filters }: { areas: readonly Area[]; filters: string }) {
  const pathname = usePathname()
  const href = (path: string) => (filters ? `${path}?${filters}` : path)
  return (
    <>
      <Link href={href('/')} className="brand">
        Upshot
      </Link>
      <ul>
        {areas.map((area) => (
          <li key={area.href}>
            <Link
              href={href(area.href)}
              aria-current={
                pathname === area.href || (area.href !== '/' && pathname.startsWith(`${area.href}/`))
                  ? 'page'
                  : undefined
              }
            >
              {area.label}
            </Link>
          </li>
        ))}
      </ul>
    </>
  )
}
