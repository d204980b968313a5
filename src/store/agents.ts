import { type Kysely, type Selectable, sql } from 'kysely'
import type { Pod } from '../domain/pod.js'
import { toPod } from './pods.js'
import type { Database, JoinTokensTable, MachineAgentsTable } from './schema.js'

export type JoinTokenRow = Selectable<JoinTokensTable>
export type MachineAgentRow = Selectable<MachineAgentsTable>

export interface StoredLogLine {
  readonly seq: number
  readonly ts: number
  readonly source: 'container' | 'system'
  readonly line: string
}

/** A pod keeps at most this many stored log lines; older ones are dropped as new ones arrive. */
export const LOG_LINES_KEPT = 10_000

/** Join tokens, the agents of agent-run machines, and the log lines their pods produce. */
export class AgentRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insertJoinToken(row: JoinTokenRow): Promise<void> {
    await this.db.insertInto('join_tokens').values(row).execute()
  }

  async joinTokenByHash(hash: string): Promise<JoinTokenRow | undefined> {
    return this.db.selectFrom('join_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst()
  }

  async joinTokens(): Promise<JoinTokenRow[]> {
    return this.db.selectFrom('join_tokens').selectAll().orderBy('created_at', 'desc').execute()
  }

  async revokeJoinToken(id: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('join_tokens')
      .set({ revoked_at: now })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
    return result.numUpdatedRows > 0n
  }

  async insertAgent(row: MachineAgentRow): Promise<void> {
    await this.db.insertInto('machine_agents').values(row).execute()
  }

  /** The machine whose agent holds this credential, unless the machine was removed. */
  async machineOfCredential(hash: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('machine_agents as a')
      .innerJoin('machines as m', 'm.id', 'a.machine_id')
      .select('a.machine_id')
      .where('a.credential_hash', '=', hash)
      .where('m.removed_at', 'is', null)
      .executeTakeFirst()
    return row?.machine_id
  }

  async update(machineId: string, changes: Partial<Omit<MachineAgentRow, 'machine_id'>>): Promise<void> {
    await this.db.updateTable('machine_agents').set(changes).where('machine_id', '=', machineId).execute()
  }

  /** Agents of machines that are up (not failed, not removed) whose last heartbeat is older than `before`. */
  async silentSince(before: number): Promise<MachineAgentRow[]> {
    return this.db
      .selectFrom('machine_agents as a')
      .innerJoin('machines as m', 'm.id', 'a.machine_id')
      .selectAll('a')
      .where('a.last_heartbeat_at', '<', before)
      .where('m.failed_at', 'is', null)
      .where('m.removed_at', 'is', null)
      .execute()
  }

  /** The machine's pods that are not terminated: what its agent must run or keep stopped. */
  async podsOn(machineId: string): Promise<Pod[]> {
    const rows = await this.db
      .selectFrom('pods')
      .selectAll()
      .where('machine_id', '=', machineId)
      .where('status', '!=', 'TERMINATED')
      .orderBy('created_at')
      .execute()
    return rows.map(toPod)
  }

  /**
   * Changes whenever a pod arrives on, changes on, or leaves the machine: the number of its pods,
   * the sum of their versions (every pod write bumps its pod's) and their highest change number.
   * The sum, not the highest number alone: PostgreSQL hands change numbers out as statements run,
   * so a write committing after one with a higher number leaves the highest unchanged.
   */
  async revision(machineId: string): Promise<string> {
    const row = await this.db
      .selectFrom('pods')
      .select((eb) => [
        eb.fn.countAll<number>().as('n'),
        eb.fn.sum<number>('version').as('versions'),
        eb.fn.max('change_seq').as('seq'),
      ])
      .where('machine_id', '=', machineId)
      .executeTakeFirst()
    return `${Number(row?.n ?? 0)}.${Number(row?.versions ?? 0)}.${Number(row?.seq ?? 0)}`
  }

  /** Appends lines after the pod's last one, dropping what falls beyond `LOG_LINES_KEPT`. */
  async appendLogs(podId: string, lines: readonly Omit<StoredLogLine, 'seq'>[]): Promise<void> {
    if (lines.length === 0) return
    const last = await this.db
      .selectFrom('pod_log_lines')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('pod_id', '=', podId)
      .executeTakeFirst()
    const first = Number(last?.seq ?? 0) + 1
    await this.db
      .insertInto('pod_log_lines')
      .values(
        lines.map((l, i) => ({ pod_id: podId, seq: first + i, ts: l.ts, source: l.source, line: l.line })),
      )
      .execute()
    const keepFrom = first + lines.length - LOG_LINES_KEPT
    if (keepFrom > 1) {
      await this.db
        .deleteFrom('pod_log_lines')
        .where('pod_id', '=', podId)
        .where('seq', '<', keepFrom)
        .execute()
    }
  }

  /** The pod's stored lines in arrival order; with `fromTs`, only those stamped at or after it. */
  async logsOf(podId: string, fromTs?: number): Promise<StoredLogLine[]> {
    let query = this.db
      .selectFrom('pod_log_lines')
      .select(['seq', 'ts', 'source', 'line'])
      .where('pod_id', '=', podId)
    if (fromTs !== undefined) query = query.where('ts', '>=', fromTs)
    const rows = await query.orderBy('seq').execute()
    return rows.map((r) => ({
      seq: Number(r.seq),
      ts: Number(r.ts),
      source: r.source as StoredLogLine['source'],
      line: r.line,
    }))
  }

  /** The time of each pod's newest stored line (absent when it has none). */
  async lastLogTimes(podIds: readonly string[]): Promise<Map<string, number>> {
    if (podIds.length === 0) return new Map()
    const rows = await this.db
      .selectFrom('pod_log_lines')
      .select(['pod_id', sql<number>`max(ts)`.as('ts')])
      .where('pod_id', 'in', podIds)
      .groupBy('pod_id')
      .execute()
    return new Map(rows.map((r) => [r.pod_id, Number(r.ts)]))
  }
}
