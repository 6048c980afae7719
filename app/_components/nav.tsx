'use client'

import Link from 'next/link'
import { usePathname } from 'next/navigation'

const AREAS = [
  { href: '/', label: 'Overview' },
  { href: '/delivery', label: 'Delivery' },
  { href: '/flow', label: 'Flow' },
  { href: '/onboarding', label: 'Onboarding' },
  { href: '/experience', label: 'Experience' },
  { href: '/adoption', label: 'Adoption' },
  { href: '/initiatives', label: 'Initiatives' },
  { href: '/roi', label: 'ROI' },
  { href: '/report', label: 'One-pager' },
  { href: '/sources', label: 'Data sources' },
] as const

export function Nav() {
  const pathname = usePathname()
  return (
    <nav className="nav" aria-label="Main">
      <Link href="/" className="brand">
        Upshot
      </Link>
      <ul>
        {AREAS.map((area) => (
          <li key={area.href}>
            <Link href={area.href} aria-current={pathname === area.href || (area.href !== '/' && pathname.startsWith(`${area.href}/`)) ? 'page' : undefined}>
              {area.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  )
}
