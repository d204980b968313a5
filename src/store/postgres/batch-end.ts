import { CompiledQuery, type Kysely } from 'kysely'
import type { BatchEnd } from '../batcher.js'
import type { FleetCache } from '../fleet-cache.js'
import type { NewPodRows } from '../pods.js'
import type { Database } from '../schema.js'
import { BatchClaims, CLAIMED, CLAIMS_CHECKED, type ClaimedColumns, ClaimsRefused } from './batch-claims.js'
import { insertNewPods, newPodsCtes } from './new-pods.js'

const CLAIMS_ONLY = `with ${CLAIMED}\n${CLAIMS_CHECKED}`
/** Statement texts by the new pods' CTEs (a handful: one per set of columns the pods give). */
const texts = new Map<string, string>()
function withPods(ctes: string): string {
  let text = texts.get(ctes)
  if (!text) {
    text = `with ${CLAIMED},\n  ${ctes}\n${CLAIMS_CHECKED}`
    texts.set(ctes, text)
  }
  return text
}

/**
 * PostgreSQL: what a batch's writes leave to its end — new pods' machine claims, judged on the
 * fleet cache as they were made, and the new pods themselves — written in one statement. A batch
 * whose writes sent nothing else sends only that statement, without BEGIN and COMMIT
 * (`WriteBatcher`): a batch of several creates is one round trip (a lone create claims as it goes,
 * `BatchAttempt.shared`).
 */
export class PostgresBatchEnd implements BatchEnd {
  readonly claims = new BatchClaims()
  readonly #pods: NewPodRows[] = []

  constructor(private readonly cache: FleetCache) {}

  addPod(rows: NewPodRows): void {
    this.#pods.push(rows)
  }

  /** The claims so far, written now: before another statement reads or writes those machines. */
  async writeClaims(trx: Kysely<Database>): Promise<void> {
    await this.write(trx, [])
  }

  async finish(trx: Kysely<Database>): Promise<void> {
    await this.write(trx, this.#pods.splice(0))
  }

  private async write(trx: Kysely<Database>, pods: readonly NewPodRows[]): Promise<void> {
    if (this.claims.size === 0) {
      if (pods.length > 0) await insertNewPods(trx, pods)
      return
    }
    const params = this.claims.take()
    let text = CLAIMS_ONLY
    if (pods.length > 0) {
      const inserts = newPodsCtes(pods, params.length + 1)
      text = withPods(inserts.ctes)
      params.push(...inserts.params)
    }
    let claimed: ClaimedColumns[]
    try {
      const { rows } = await trx.executeQuery<{ claimed: ClaimedColumns[] }>(CompiledQuery.raw(text, params))
      claimed = rows[0]!.claimed
    } catch (error) {
      throw ClaimsRefused.from(error)
    }
    // The claims change only the columns they return: cached rows take them (as the database has
    // them, with any other replica's claims), the rest stays as the batch found it.
    for (const changes of claimed) this.cache.update(changes.id, changes)
  }
}
