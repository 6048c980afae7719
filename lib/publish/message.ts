// What a delivery says, the same in every channel: the one-pager's title, its headline sentences, the goal
// call-outs and the money line, with the PDF attached (e-mail, Slack bot) or a link to it (Slack webhook).
// Pure: text in, text and Block Kit out. Every piece of the report is data, so each output escapes it for its
// own syntax: HTML entities for the e-mail's HTML part, Slack's three control characters for mrkdwn.

export interface DeliveryContent {
  /** "Upshot one-pager: Golden path pilot – week 49, 2026" */
  title: string
  /** The one-pager's headline sentences, plain text. */
  headlines: string[]
  /** Goal call-outs ("Goal met: …", "Goal at risk: …"), may be empty. */
  callouts: string[]
  /** The ROI verdict line, plain text. */
  moneyLine: string | null
  /** An absolute URL where the snapshot can be read (a share link), or null. */
  link: string | null
  pdf: Buffer
  /** "upshot-one-pager-2026-W49.pdf" */
  fileName: string
}

export interface SlackText {
  type: 'plain_text' | 'mrkdwn'
  text: string
  emoji?: boolean
}

export type SlackBlock =
  | { type: 'header'; text: SlackText & { type: 'plain_text' } }
  | { type: 'section'; text: SlackText }
  | { type: 'context'; elements: SlackText[] }
  | { type: 'divider' }

// Block Kit's limits (docs.slack.dev/reference/block-kit/blocks): a message holds at most 50 blocks, a header's
// plain text at most 150 characters, a section's text at most 3000, a context at most 10 elements.
export const SLACK_LIMITS = { blocks: 50, header: 150, section: 3000 } as const

/** The link, if it is one a reader can open (http or https); anything else is left out rather than sent. */
function safeLink(link: string | null): string | null {
  if (!link) return null
  try {
    const url = new URL(link)
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null
  } catch {
    return null
  }
}

function truncate(text: string, max: number): string {
  const chars = Array.from(text)
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`
}

/** The e-mail's text part: the title, the headline sentences, the call-outs, the money line, where to read it. */
export function plainTextBody(content: DeliveryContent): string {
  const link = safeLink(content.link)
  const parts = [content.title, content.headlines.map((line) => `- ${line}`).join('\n')]
  if (content.callouts.length) parts.push(content.callouts.map((line) => `- ${line}`).join('\n'))
  if (content.moneyLine) parts.push(content.moneyLine)
  const footer = [`The one-pager is attached: ${content.fileName}.`]
  if (link) footer.push(`Read it online: ${link}`)
  parts.push(footer.join('\n'))
  return `${parts.filter((part) => part.length > 0).join('\n\n')}\n`
}

const htmlEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => htmlEntities[char] ?? char)
}

/** A small HTML part, every piece of the report escaped (a team or initiative name is user input). */
export function htmlBody(content: DeliveryContent): string {
  const link = safeLink(content.link)
  const list = (lines: string[]) => `<ul>${lines.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>`
  const body = [`<h1 style="font-size:18px">${escapeHtml(content.title)}</h1>`, list(content.headlines)]
  if (content.callouts.length) body.push(list(content.callouts))
  if (content.moneyLine) body.push(`<p><strong>${escapeHtml(content.moneyLine)}</strong></p>`)
  body.push(`<p style="color:#555">The one-pager is attached: ${escapeHtml(content.fileName)}.</p>`)
  if (link) body.push(`<p><a href="${escapeHtml(link)}">Read it online</a></p>`)
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(content.title)}</title></head><body style="font-family:sans-serif">${body.join('')}</body></html>`
}

/**
 * Slack's mrkdwn control characters escaped (docs.slack.dev "Formatting text for app surfaces": &, < and > and
 * nothing else), so a name in the report cannot mention @channel or make a link.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** A mrkdwn link `<url|label>`: the URL may hold neither `|` nor `>`, and Slack reads its `&` as an entity. */
function mrkdwnLink(url: string, label: string): string {
  const href = url.replace(/&/g, '&amp;').replace(/\|/g, '%7C').replace(/</g, '%3C').replace(/>/g, '%3E')
  return `<${href}|${escapeMrkdwn(label).replace(/\|/g, '/')}>`
}

const section = (text: string): SlackBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: truncate(text, SLACK_LIMITS.section) },
})

/**
 * The Block Kit message: a header, one section per headline, the call-outs, the money line and a context line
 * with the link. `attached`: the PDF travels with the message (a bot upload), else the link stands in for it
 * (an incoming webhook cannot attach a file). Within Block Kit's limits whatever the report holds.
 */
export function slackBlocks(content: DeliveryContent, options: { attached?: boolean } = {}): SlackBlock[] {
  const link = safeLink(content.link)
  const blocks: SlackBlock[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: truncate(content.title, SLACK_LIMITS.header) || 'Upshot one-pager',
        emoji: false,
      },
    },
  ]
  const tail: SlackBlock[] = []
  if (content.callouts.length) tail.push(section(content.callouts.map((line) => `• ${escapeMrkdwn(line)}`).join('\n')))
  if (content.moneyLine) tail.push(section(escapeMrkdwn(content.moneyLine)))
  const where: string[] = []
  if (options.attached) where.push(`The PDF is attached: ${escapeMrkdwn(content.fileName)}.`)
  if (link) where.push(mrkdwnLink(link, options.attached ? 'Read it online' : 'Read the one-pager (PDF inside)'))
  if (!options.attached && !link) where.push('The PDF is kept in Upshot under Snapshots.')
  tail.push({ type: 'context', elements: [{ type: 'mrkdwn', text: where.join(' ') }] })

  // the headlines take the room the other blocks leave; past it the last one says how many more the PDF holds
  const room = SLACK_LIMITS.blocks - blocks.length - tail.length
  const headlines = content.headlines.map(escapeMrkdwn)
  if (headlines.length > room) {
    const shown = headlines.slice(0, room - 1)
    blocks.push(...shown.map(section), section(`…and ${headlines.length - shown.length} more in the one-pager.`))
  } else blocks.push(...headlines.map(section))
  return [...blocks, ...tail]
}

/**
 * The message's `text`: what a notification and a screen reader show instead of the blocks (Slack asks for it
 * whenever blocks are sent). mrkdwn, so escaped the same way.
 */
export function slackFallbackText(content: DeliveryContent): string {
  const first = content.headlines[0]
  const text = first ? `${content.title}: ${first}` : content.title
  return truncate(escapeMrkdwn(text), SLACK_LIMITS.section)
}
