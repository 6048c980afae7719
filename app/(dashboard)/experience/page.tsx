import { cache, Suspense } from 'react'
import { LoadedFreshness } from '@/app/_components/freshness-note'
import { ChangeTable } from '@/app/_components/changes'
import { WeeklyChart } from '@/app/_components/charts/weekly-chart'
import { PageFilters } from '@/app/_components/page-filters'
import { Section, SectionSkeleton } from '@/app/_components/section'
import { questionLabel, readExperience, type Experience, type WaveView } from '@/lib/data/experience'
import { filterQuery, pageFilters, type SearchParams } from '@/lib/data/page-filters'
import { formatCount, formatPercent, formatValue } from '@/lib/format'
import type { GroupScore } from '@/lib/metrics/experience'
import { guardPage } from '@/lib/auth/guard'
import { firstTeams, TeamLimitNote } from '@/app/_components/team-limit'

export const metadata = { title: 'Experience' }

const loadExperience = cache(async (query: string) =>
  readExperience((await pageFilters(query)).filters, { standing: query === '' }),
)

const score = (result: GroupScore) => (result.withheld ? null : result.score)

function Score({ result, testId }: { result: GroupScore; testId?: string }) {
  if (result.withheld)
    return (
      <span className="withheld" title={result.reason}>
        withheld ({result.reason})
      </span>
    )
  return (
    <span className="value" data-testid={testId}>
      {formatValue('score', result.score)}
    </span>
  )
}

export default async function ExperiencePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await guardPage('viewer')
  const query = filterQuery(await searchParams)
  return (
    <>
      <header className="page-header">
        <h1>Experience</h1>
        <p>
          The developer-experience pulse survey: the score per wave and per question. A group of fewer than five
          respondents is withheld, so no answer can be traced to a person.
        </p>
      </header>
      <PageFilters query={query} />
      <Suspense fallback={null}>
        <LoadedFreshness load={() => loadExperience(query)} />
      </Suspense>
      <Suspense fallback={<SectionSkeleton title="DX score per wave" />}>
        <WavesSection query={query} />
      </Suspense>
    </>
  )
}

async function WavesSection({ query }: { query: string }) {
  const experience = await loadExperience(query)
  if (experience.waves.length === 0) {
    return (
      <Section title="DX score per wave" testId="experience-empty">
        <p className="empty">
          No survey wave opened in these weeks. Widen the weeks shown, or import survey answers on the Data sources
          page.
        </p>
      </Section>
    )
  }
  return (
    <>
      <Section
        title="DX score per wave"
        lede="Mean of each respondent’s mean answer, 1 to 10."
        testId="experience-waves"
      >
        <WeeklyChart
          points={experience.trend}
          series={[{ key: 'dxScore', name: 'DX score' }]}
          kind="lines"
          sparse
          unit="score"
          markers={experience.markers}
          testId="chart-waves"
          summary="DX score per survey wave, at the week each opened"
        />
        {experience.change ? (
          <ChangeTable changes={[{ key: 'dx_score', ...experience.change }]} testId="experience-changes" />
        ) : null}
        {/* focusable and named: on a phone the table scrolls sideways, and a keyboard must reach it (axe scrollable-region-focusable) */}
        <div className="table-wrap" role="region" aria-label="Survey waves" tabIndex={0}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Wave</th>
                <th scope="col">Respondents</th>
                <th scope="col">Response rate</th>
                <th scope="col">DX score</th>
              </tr>
            </thead>
            <tbody>
              {experience.waves.map((wave) => (
                <tr key={wave.id}>
                  <th scope="row">{wave.title}</th>
                  <td data-testid={`wave-${wave.key}-respondents`}>{formatCount(wave.respondents)}</td>
                  <td>{formatPercent(wave.responseRate, 0)}</td>
                  <td>
                    <Score result={wave.dxScore} testId={`wave-${wave.key}-score`} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>
      <QuestionsSection experience={experience} />
      {experience.waves.map((wave) => (
        <WaveDetail key={wave.id} wave={wave} />
      ))}
    </>
  )
}

function QuestionsSection({ experience }: { experience: Experience }) {
  const compared = experience.comparison !== null
  return (
    <Section
      title="Per question, before and now"
      lede={
        compared
          ? 'Each question’s mean answer over the waves compared with (before) and over the waves shown (now), 1 to 10.'
          : 'Each question’s mean answer over the waves shown, 1 to 10.'
      }
      testId="experience-questions"
    >
      <div className="table-wrap">
        <table className="table before-now">
          <thead>
            <tr>
              <th scope="col">Question</th>
              {compared ? (
                <th scope="col" className="before">
                  Before
                </th>
              ) : null}
              <th scope="col">Now</th>
            </tr>
          </thead>
          <tbody>
            {experience.questions.map((row) => (
              <tr key={row.question}>
                <th scope="row">{row.label}</th>
                {compared ? <td className="before">{row.before ? <Score result={row.before} /> : '—'}</td> : null}
                <td>
                  <Score result={row.now} testId={`question-${row.question}-now`} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Section>
  )
}

/** Lowest scores first (where to look); withheld groups last. */
const rank = (result: GroupScore) => score(result) ?? Infinity

function WaveDetail({ wave }: { wave: WaveView }) {
  const { shown, total } = firstTeams(wave.byTeam, (a, b) => rank(a.result) - rank(b.result) || 0)
  return (
    <Section title={`${wave.title}: per question and per team`} testId={`wave-${wave.key}`}>
      <div className="two-columns">
        <ScoreTable
          heading="Question"
          rows={wave.questions.map(({ question, result }) => ({
            key: question,
            label: questionLabel(question),
            result,
          }))}
        />
        <div>
          <ScoreTable
            heading="Team"
            rows={shown.map(({ teamId, name, result }) => ({ key: String(teamId), label: name, result }))}
          />
          <TeamLimitNote shown={shown.length} total={total} order="the lowest scores first" />
        </div>
      </div>
    </Section>
  )
}

function ScoreTable({
  heading,
  rows,
}: {
  heading: string
  rows: { key: string; label: string; result: GroupScore }[]
}) {
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">{heading}</th>
          <th scope="col">Score</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key}>
            <th scope="row">{row.label}</th>
            <td>
              <Score result={row.result} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
