// What npm test (tests/run.ts) reads from the JSON reports of vitest and Playwright: the counts, and each failed
// test named with the first line of its error, so the summary at the end of a long CI log says what failed.
import path from 'node:path'
import { stripVTControlCharacters } from 'node:util'

export interface VitestReport {
  numPassedTests: number
  numFailedTests: number
  numPendingTests: number
  numTodoTests: number
  testResults: {
    name: string
    /** set when the file failed outside any test (its setup, an import) */
    message?: string
    assertionResults: { status: string; fullName: string; failureMessages: string[] }[]
  }[]
}

interface PlaywrightSuite {
  suites?: PlaywrightSuite[]
  specs?: {
    title: string
    file: string
    line: number
    tests: { projectName: string; status: string; results: { error?: { message?: string } }[] }[]
  }[]
}

export interface PlaywrightReport {
  stats: { expected: number; unexpected: number; flaky: number; skipped: number }
  suites: PlaywrightSuite[]
  /** failures outside any test: a web server that did not start, a global setup */
  errors?: { message?: string }[]
}

/** The first line of an error, without colour codes. */
export const firstLine = (text: string | undefined): string =>
  stripVTControlCharacters(text ?? '')
    .trim()
    .split('\n')[0] ?? ''

/** Each failed vitest test, as `file › describe › title: first line of its error`. */
export function vitestFailures(report: VitestReport, root: string): string[] {
  return report.testResults.flatMap((file) => {
    const where = path.relative(root, file.name)
    const failed = file.assertionResults
      .filter((test) => test.status === 'failed')
      .map((test) => `${where} › ${test.fullName}: ${firstLine(test.failureMessages[0])}`)
    return failed.length === 0 && file.message ? [`${where}: ${firstLine(file.message)}`] : failed
  })
}

/**
 * Each end-to-end test that failed, as `[project] file:line › title: first line of its error`, after what failed
 * outside any test.
 */
export function playwrightFailures(report: PlaywrightReport): string[] {
  return [
    ...(report.errors ?? []).map((error) => `outside any test: ${firstLine(error.message)}`),
    ...failedSpecs(report.suites),
  ]
}

function failedSpecs(suites: PlaywrightSuite[]): string[] {
  return suites.flatMap((suite) => [
    ...(suite.specs ?? []).flatMap((spec) =>
      spec.tests
        .filter((test) => test.status === 'unexpected')
        .map(
          (test) =>
            `[${test.projectName}] ${spec.file}:${spec.line} › ${spec.title}: ${firstLine(test.results.at(-1)?.error?.message)}`,
        ),
    ),
    ...failedSpecs(suite.suites ?? []),
  ])
}
