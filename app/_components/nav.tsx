'use client'

import Link from 'next/link'
import { usePathname } from 'next/navigation'

const AREAS = [
  { href: '/', label: 'Overview' },
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
            <Link href={area.href} aria-current={pathname === area.href ? 'page' : undefined}>
              {area.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  )
}
