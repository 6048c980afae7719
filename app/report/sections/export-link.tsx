'use client'

import { useState, type MouseEvent } from 'react'

/** The file name the answer gives (content-disposition), else the link's last path segment. */
function fileName(response: Response, href: string): string {
  const named = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1]
  return named ?? new URL(href, window.location.href).pathname.split('/').pop() ?? 'download'
}

/**
 * An export link that shows it is working: a PDF or PNG is rendered by Chromium, which takes seconds the first
 * time. A plain click fetches the file (the link says "Preparing the PDF…" and is aria-busy meanwhile), then
 * saves it; a refusal (503 when no browser could render) is shown under the toolbar instead of a page of JSON.
 * Without JavaScript, or with a modifier key (new tab, save as), it is the plain link it always was.
 */
export function ExportLink({ href, label, preparing }: { href: string; label: string; preparing: string }) {
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)

  async function onClick(event: MouseEvent<HTMLAnchorElement>) {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
    event.preventDefault()
    if (busy) return
    setBusy(true)
    setProblem(null)
    try {
      const response = await fetch(href, { credentials: 'same-origin' })
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as { message?: string } | null
        setProblem(body?.message ?? `The export failed (HTTP ${response.status}).`)
        return
      }
      const url = URL.createObjectURL(await response.blob())
      const save = document.createElement('a')
      save.href = url
      save.download = fileName(response, href)
      document.body.append(save)
      save.click()
      save.remove()
      // the download has started from the object URL; free it once the browser has it
      setTimeout(() => URL.revokeObjectURL(url), 60_000)
    } catch {
      // the network failed mid-way: let the browser try the plain link
      window.location.assign(href)
    } finally {
      setBusy(false)
    }
  }

  return (
    <span className="export-link">
      <a
        href={href}
        onClick={(event) => void onClick(event)}
        aria-busy={busy}
        aria-disabled={busy || undefined}
        data-busy={busy || undefined}
      >
        {busy ? preparing : label}
      </a>
      {problem ? (
        <span className="export-problem" role="alert">
          {problem}
        </span>
      ) : null}
    </span>
  )
}
