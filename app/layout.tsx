import type { Metadata } from 'next'
import './globals.css'

export const metadata: Metadata = {
  title: { default: 'Upshot', template: '%s · Upshot' },
  description: 'Was the developer portal worth it? DORA, onboarding, incidents and adoption, before and after.',
}

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  )
}
