// A worker thread of lib/data/compute-pool.ts: loads the read models' TypeScript through tsx (with the
// project's @/ paths) and answers one task at a time, { name, args } → the read model lib/data/questions.ts
// builds for it. Plain JavaScript, because Node starts it before any loader is registered.
import path from 'node:path'
import { pathToFileURL } from 'node:url'

const root = path.resolve(import.meta.dirname, '..', '..')
let answer
try {
  const { register } = await import('tsx/esm/api')
  register({ tsconfig: path.join(root, 'tsconfig.json') })
  ;({ answer } = await import(pathToFileURL(path.join(root, 'lib', 'data', 'questions.ts')).href))
} catch (error) {
  answer = () => {
    throw new Error(`compute-worker: cannot load the read models (${error instanceof Error ? error.message : error})`)
  }
}

export default function compute(task) {
  return answer(task)
}
