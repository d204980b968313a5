import type { Static } from 'typebox'
import type { AdminMachine, User } from '../../src/api/admin/schemas.js'

/** The operator API's shapes, from the server's own schemas (the typed client covers v1 and v2). */
export type Machine = Static<typeof AdminMachine>
export type FleetUser = Static<typeof User>
export type MachineAction = 'cordon' | 'uncordon' | 'drain' | 'fail' | 'recover'

/** A call to /admin/v1 with the admin key; errors carry the server's message. */
export async function adminCall<T>(apiKey: string, method: 'GET' | 'POST', path: string): Promise<T> {
  const res = await fetch(`/admin/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${apiKey}`,
      ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
    },
    ...(method === 'POST' ? { body: '{}' } : {}),
  })
  const body = (await res.json().catch(() => null)) as { error?: string } | null
  if (!res.ok) throw new Error(body?.error ?? `${method} /admin/v1${path} failed with ${res.status}`)
  return body as T
}

/** GPUs used and free per group (data center or GPU type), for the utilization charts. */
export function utilizationBy(machines: readonly Machine[], groupOf: (m: Machine) => string | null) {
  const groups = new Map<string, { used: number; total: number }>()
  for (const m of machines) {
    const name = groupOf(m)
    if (name === null || m.gpuCount === 0) continue
    const row = groups.get(name) ?? { used: 0, total: 0 }
    row.used += m.gpuUsed
    row.total += m.gpuCount
    groups.set(name, row)
  }
  return [...groups.entries()]
    .map(([name, { used, total }]) => ({ name, used, free: total - used }))
    .sort((a, b) => a.name.localeCompare(b.name))
}
