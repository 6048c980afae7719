// The only barrel: every table and enum, for drizzle-kit and for `drizzle(client, { schema })`.
export * from './enums'
export * from './organisation'
export * from './delivery'
export * from './experience'
export * from './evidence'
export * from './operations'
export * from './access'
export * from './publishing'
