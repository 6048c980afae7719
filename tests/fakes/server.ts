// What every fake upstream shares: scripted faults (a status, a hang, a truncated body) matched on
// "METHOD /path", and a server on 127.0.0.1 that closes without waiting for the requests it left hanging.
import type http from 'node:http'

export interface Fault {
  /** Which requests: a regex on the fake's request signature ("METHOD /path", some add the query). */
  match: RegExp
  /** Skip this many matching requests first. */
  after?: number
  /** How many matching requests fail (default 1). */
  times?: number
  answer:
    | { kind: 'status'; status: number; headers?: Record<string, string>; body?: unknown }
    | { kind: 'hang' }
    | { kind: 'malformed' }
}

export interface Faults {
  /** The fault that answers this request, if any: each fault counts every request it matches, the first in its range answers. */
  due(faults: Fault[], signature: string): Fault | undefined
  /**
   * Answers a hang (the response is held until close) or a malformed fault (a 200 whose JSON is cut short);
   * returns false for a status fault, which the fake sends in its own error shape.
   */
  answerBroken(
    res: http.ServerResponse,
    entry: { status: number },
    fault: Fault,
    malformed: { contentType: string; body: string },
  ): boolean
  /** Starts listening on a free loopback port. */
  listen(server: http.Server): Promise<{ url: string; close(): Promise<void> }>
}

export function faults(): Faults {
  const seen = new Map<Fault, number>()
  const hanging = new Set<http.ServerResponse>()
  return {
    due(list, signature) {
      const due = list.filter((fault) => {
        if (!fault.match.test(signature)) return false
        const count = seen.get(fault) ?? 0
        seen.set(fault, count + 1)
        return count >= (fault.after ?? 0) && count < (fault.after ?? 0) + (fault.times ?? 1)
      })
      return due[0]
    },
    answerBroken(res, entry, fault, malformed) {
      if (fault.answer.kind === 'hang') {
        entry.status = -1
        hanging.add(res)
        return true
      }
      if (fault.answer.kind === 'malformed') {
        entry.status = 200
        res.writeHead(200, { 'content-type': malformed.contentType })
        res.end(malformed.body)
        return true
      }
      return false
    },
    async listen(server) {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
      const address = server.address()
      if (!address || typeof address === 'string') throw new Error('the fake server has no address')
      return {
        url: `http://127.0.0.1:${address.port}`,
        close: async () => {
          for (const res of hanging) res.destroy()
          server.closeAllConnections()
          await new Promise<void>((resolve) => server.close(() => resolve()))
        },
      }
    },
  }
}
