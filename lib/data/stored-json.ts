// Read models as text and back, losing nothing JSON would: dates stay dates, and NaN, ±Infinity and -0 stay
// themselves (JSON writes them as null or 0). Maps and Sets are refused rather than silently emptied. A stored
// answer revived by `fromStoredJson` is deep-equal to the one computed (lib/data/read-cache.test.ts holds it to that).

const TAG = '$upshot'

type Tagged = { [TAG]: 'date'; at: string } | { [TAG]: 'number'; value: 'NaN' | 'Infinity' | '-Infinity' | '-0' }

export function toStoredJson(value: unknown): string {
  return JSON.stringify(value, function replace(this: Record<string, unknown>, key: string, converted: unknown) {
    const raw = this[key]
    if (raw instanceof Date) return { [TAG]: 'date', at: raw.toISOString() } satisfies Tagged
    if (typeof raw === 'number' && (!Number.isFinite(raw) || Object.is(raw, -0)))
      return { [TAG]: 'number', value: Object.is(raw, -0) ? '-0' : String(raw) } as Tagged
    if (raw instanceof Map || raw instanceof Set)
      throw new Error(
        `a read model holds a ${raw instanceof Map ? 'Map' : 'Set'} at "${key}": store plain objects and arrays`,
      )
    return converted
  })
}

export function fromStoredJson<T>(text: string): T {
  return JSON.parse(text, (_key, value: unknown) => {
    if (value === null || typeof value !== 'object' || !(TAG in value)) return value
    const tagged = value as Tagged
    if (tagged[TAG] === 'date') return new Date(tagged.at)
    return tagged.value === '-0' ? -0 : Number(tagged.value)
  }) as T
}
