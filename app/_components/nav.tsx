'use client'

import Link from 'next/link'
import { usePathname } from 'next/navigation'
import { signOutAction } from '../sign-in/actions'

const AREAS = [
  { href: '/', label: 'Overview' },
  { href: '/delivery', label: 'Delivery' },
  { href: '/flow', label: 'Flow' },
  { href: '/onboarding', label: 'Onboarding' },
  { href: '/experience', label: 'Experience' },
  { href: '/adoption', label: 'Adoption' },
  { href: '/initiatives', label: 'Initiatives' },
  { href: '/milestones', label: 'Milestones' },
  { href: '/roi', label: 'ROI' },
  { href: '/report', label: 'One-pager' },
  { href: '/sources', label: 'Data sources', admin: true },
  { href: '/access', label: 'Access', admin: true },
] as const

export interface NavViewer {
  name: string
  role: 'viewer' | 'admin'
  kind: 'user' | 'token' | 'demo' | 'open'
}

export function Nav({ viewer }: { viewer: NavViewer }) {
  const pathname = usePathname()
  const areas = AREAS.filter((area) => !('admin' in area) || viewer.role === 'admin')
  return (
    <nav className="nav" aria-label="Main">
      <Link href="/" className="brand">
        Upshot
      </Link>
      <ul>
        {areas.map((area) => (
          <li key={area.href}>
            <Link href={area.href} aria-current={pathname === area.href || (area.href !== '/' && pathname.startsWith(`${area.href}/`)) ? 'page' : undefined}>
              {area.label}
            </Link>
          </li>
        ))}
      </ul>
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
