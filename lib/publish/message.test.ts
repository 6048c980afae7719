import { describe, expect, it } from 'vitest'
import {
  htmlBody,
  plainTextBody,
  SLACK_LIMITS,
  slackBlocks,
  slackFallbackText,
  type DeliveryContent,
  type SlackBlock,
} from '@/lib/publish/message'

const content = (over: Partial<DeliveryContent> = {}): DeliveryContent => ({
  title: 'Upshot one-pager: Golden path pilot – week 49, 2026',
  headlines: ['Ship frequency up 30%, lead time down 25%', 'Ramp-up shrank from 14 days to 5'],
  callouts: ['Goal met: lead time under 2 days'],
  moneyLine: 'Net value €1.2M a year; pays back in 4 months',
  link: 'https://upshot.example.com/share/12.1790000000.abc',
  pdf: Buffer.from('%PDF-1.7'),
  fileName: 'upshot-one-pager-2026-W49.pdf',
  ...over,
})

const textOf = (block: SlackBlock): string =>
  block.type === 'context' ? block.elements.map((e) => e.text).join(' ') : 'text' in block ? block.text.text : ''

describe('plainTextBody', () => {
  it('has the title, each headline, the call-outs, the money line, the file name and the link', () => {
    const text = plainTextBody(content())
    expect(text.startsWith('Upshot one-pager: Golden path pilot – week 49, 2026\n\n')).toBe(true)
    expect(text).toContain('- Ship frequency up 30%, lead time down 25%\n- Ramp-up shrank from 14 days to 5')
    expect(text).toContain('- Goal met: lead time under 2 days')
    expect(text).toContain('Net value €1.2M a year; pays back in 4 months')
    expect(text).toContain('upshot-one-pager-2026-W49.pdf')
    expect(text).toContain('Read it online: https://upshot.example.com/share/12.1790000000.abc')
  })

  it('leaves out what is missing, and a link that is not http(s)', () => {
    const text = plainTextBody(content({ callouts: [], moneyLine: null, link: 'javascript:alert(1)' }))
    expect(text).not.toContain('Goal')
    expect(text).not.toContain('javascript')
    expect(text).not.toContain('Read it online')
    expect(text).not.toMatch(/\n\n\n/)
  })
})

describe('htmlBody', () => {
  it('escapes every piece of the report, the link included', () => {
    const html = htmlBody(
      content({
        title: 'Pilot <script>alert(1)</script>',
        headlines: ['R&D "team" <b>up</b>'],
        callouts: ["Goal at risk: 'x' < 3"],
        moneyLine: '<img src=x onerror=alert(1)>',
        link: 'https://upshot.example.com/share/1?a=1&b="2"',
      }),
    )
    expect(html).not.toMatch(/<script|<img|<b>/)
    expect(html).toContain('Pilot &lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).toContain('R&amp;D &quot;team&quot; &lt;b&gt;up&lt;/b&gt;')
    expect(html).toContain('Goal at risk: &#39;x&#39; &lt; 3')
    expect(html).toContain('href="https://upshot.example.com/share/1?a=1&amp;b=%222%22"')
  })
})

describe('slackBlocks', () => {
  it('a header, one section per headline, the call-outs, the money line, and a context with the link', () => {
    const blocks = slackBlocks(content())
    expect(blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'section', 'section', 'context'])
    expect(blocks.map(textOf)).toEqual([
      'Upshot one-pager: Golden path pilot – week 49, 2026',
      'Ship frequency up 30%, lead time down 25%',
      'Ramp-up shrank from 14 days to 5',
      '• Goal met: lead time under 2 days',
      'Net value €1.2M a year; pays back in 4 months',
      '<https://upshot.example.com/share/12.1790000000.abc|Read the one-pager (PDF inside)>',
    ])
  })

  it('says the PDF is attached when it is, and where it is kept when there is neither file nor link', () => {
    expect(textOf(slackBlocks(content(), { attached: true }).at(-1) as SlackBlock)).toBe(
      'The PDF is attached: upshot-one-pager-2026-W49.pdf. <https://upshot.example.com/share/12.1790000000.abc|Read it online>',
    )
    expect(textOf(slackBlocks(content({ link: null })).at(-1) as SlackBlock)).toBe(
      'The PDF is kept in Upshot under Snapshots.',
    )
  })

  it("escapes Slack's control characters, so report text can neither mention @channel nor make a link", () => {
    const blocks = slackBlocks(
      content({ headlines: ['<!channel> R&D <https://evil.example|click>'], link: 'https://x.example/a?b=1&c=|>' }),
    )
    expect(textOf(blocks[1] as SlackBlock)).toBe('&lt;!channel&gt; R&amp;D &lt;https://evil.example|click&gt;')
    expect(textOf(blocks.at(-1) as SlackBlock)).toBe(
      '<https://x.example/a?b=1&amp;c=%7C%3E|Read the one-pager (PDF inside)>',
    )
  })

  it('stays within Block Kit limits: 50 blocks, a 150-character header, 3000-character sections', () => {
    const blocks = slackBlocks(
      content({
        title: 'T'.repeat(400),
        headlines: Array.from({ length: 80 }, (_, i) => `Headline ${i} ${'x'.repeat(i === 0 ? 5000 : 10)}`),
        callouts: Array.from({ length: 200 }, () => 'Goal at risk: '.padEnd(60, 'y')),
      }),
    )
    expect(blocks).toHaveLength(SLACK_LIMITS.blocks)
    const header = blocks[0]
    expect(header?.type === 'header' && Array.from(header.text.text).length).toBe(150)
    for (const block of blocks) if (block.type === 'section') expect(block.text.text.length).toBeLessThanOrEqual(3000)
    // 50 blocks: header, 46 headline sections (45 shown + "…and 35 more"), call-outs, money line, context
    expect(textOf(blocks[46] as SlackBlock)).toBe('…and 35 more in the one-pager.')
    expect(blocks.at(-1)?.type).toBe('context')
  })
})

describe('slackFallbackText', () => {
  it('the title and the first headline, escaped', () => {
    expect(slackFallbackText(content({ headlines: ['A <b> & c'] }))).toBe(
      'Upshot one-pager: Golden path pilot – week 49, 2026: A &lt;b&gt; &amp; c',
    )
    expect(slackFallbackText(content({ headlines: [] }))).toBe('Upshot one-pager: Golden path pilot – week 49, 2026')
  })
})
