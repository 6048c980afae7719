// npm run report -- --out onepager.pdf [--initiative <id>] [--paper a4|letter] [--url http://localhost:3000]
// Renders the one-pager of a running Upshot (npm run demo, or npm start) to a PDF or a PNG (by the file's
// extension), the same way GET /api/report.pdf does. Where sign-in is on, UPSHOT_API_TOKEN holds an API token
// with the report scope (`npm run collect -- token create report-cli --scope report`); it is read from the
// environment, not the command line, so it does not show in the process list.
import fs from 'node:fs'
import path from 'node:path'
import { Command, InvalidArgumentError } from 'commander'
import { RenderError, renderReport } from './render'

const program = new Command()
  .name('npm run report --')
  .description('Render the executive one-pager of a running Upshot to PDF or PNG.')
  .requiredOption('--out <file>', 'where to write it: a .pdf or a .png')
  .option('--initiative <id>', 'the initiative (default: the latest launched)', (value) => {
    if (!/^\d{1,9}$/.test(value)) throw new InvalidArgumentError('must be an initiative id (a number)')
    return value
  })
  .option(
    '--paper <size>',
    'a4 or letter',
    (value) => {
      if (value !== 'a4' && value !== 'letter') throw new InvalidArgumentError('must be a4 or letter')
      return value
    },
    'a4',
  )
  .option('--url <url>', 'where Upshot runs', process.env.UPSHOT_URL ?? 'http://localhost:3000')
  .action(async (options: { out: string; initiative?: string; paper: string; url: string }) => {
    const extension = path.extname(options.out).toLowerCase()
    if (extension !== '.pdf' && extension !== '.png')
      program.error(`--out must end in .pdf or .png, not "${extension || 'nothing'}"`)
    const params = new URLSearchParams({
      paper: options.paper,
      ...(options.initiative ? { initiative: options.initiative } : {}),
    })
    try {
      const token = process.env.UPSHOT_API_TOKEN
      const credentials: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {}
      const bytes = await renderReport({
        origin: options.url,
        path: `/report?${params}`,
        format: extension === '.pdf' ? 'pdf' : 'png',
        credentials,
      })
      fs.writeFileSync(options.out, bytes)
      console.log(`wrote ${options.out} (${Math.round(bytes.length / 1024)} KB) from ${options.url}`)
    } catch (error) {
      const reason = error instanceof RenderError ? error.message : String(error)
      console.error(
        `could not render the one-pager from ${options.url}: ${reason}. Is Upshot running there (npm run demo)? With sign-in on, set UPSHOT_API_TOKEN to a token with the report scope.`,
      )
      process.exitCode = 1
    }
  })

await program.parseAsync()
