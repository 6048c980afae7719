// Where to go after signing in: a path on this site only (never `//evil.example` or `https://…`).

export function safeNextPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > 500) return '/'
  if (
    !value.startsWith('/') ||
    value.startsWith('//') ||
    value.startsWith('/\\') ||
    [...value].some((char) => char.charCodeAt(0) < 0x20)
  )
    return '/'
  if (value.startsWith('/sign-in') || value.startsWith('/api/')) return '/'
  return value
}
