import type { Kysely } from 'kysely'
import { hostPortsOf } from '../host-ports.js'

/** The columns this migration reads and writes, as they are at this point of the history. */
interface Tables {
  machines: { id: string; next_port: number; host_ports_wrapped: number }
  pods: { machine_id: string; status: string; port_mappings: string }
}

/**
 * A machine's host ports are handed out in sequence and wrap around at the end of the range. From
 * its first wrap on, each new range must skip the ports that pods handed out earlier still hold
 * (`MachineRepository.claim`); this flag says which machines have wrapped.
 */
export async function up(schemaless: Kysely<unknown>): Promise<void> {
  const db = schemaless as Kysely<Tables>
  await db.schema
    .alterTable('machines')
    .addColumn('host_ports_wrapped', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  // Machines that wrapped before this flag existed: a live pod holds a port at or past the counter.
  const held = await db
    .selectFrom('pods')
    .innerJoin('machines', 'machines.id', 'pods.machine_id')
    .select(['pods.machine_id', 'pods.port_mappings', 'machines.next_port'])
    .where('pods.status', '!=', 'TERMINATED')
    .where('pods.port_mappings', '!=', '{}')
    .execute()
  const wrapped = new Set<string>()
  for (const row of held) {
    if (hostPortsOf(row.port_mappings).some((port) => port >= row.next_port)) wrapped.add(row.machine_id)
  }
  const ids = [...wrapped]
  for (let i = 0; i < ids.length; i += 500) {
    await db
      .updateTable('machines')
      .set({ host_ports_wrapped: 1 })
      .where('id', 'in', ids.slice(i, i + 500))
      .execute()
  }
}
