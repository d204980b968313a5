import { type Kysely, type Migration, type MigrationResultSet, Migrator } from 'kysely'
import * as init from './migrations/0001-init.js'
import * as usage from './migrations/0002-usage.js'
import * as leases from './migrations/0003-leases.js'
import * as fleetOperations from './migrations/0004-fleet-operations.js'
import * as machineRemoval from './migrations/0005-machine-removal.js'
import * as podHeads from './migrations/0006-pod-heads.js'
import * as resourceVersions from './migrations/0007-resource-versions.js'
import * as fewerPodIndexes from './migrations/0008-fewer-pod-indexes.js'
import * as podChangeNumbers from './migrations/0009-pod-change-numbers.js'
import * as interruptiblePods from './migrations/0010-interruptible-pods.js'
import * as v2Account from './migrations/0011-v2-account.js'

/** The migration history, in order. Both dialects run the same list. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-init': init,
  '0002-usage': usage,
  '0003-leases': leases,
  '0004-fleet-operations': fleetOperations,
  '0005-machine-removal': machineRemoval,
  '0006-pod-heads': podHeads,
  '0007-resource-versions': resourceVersions,
  '0008-fewer-pod-indexes': fewerPodIndexes,
  '0009-pod-change-numbers': podChangeNumbers,
  '0010-interruptible-pods': interruptiblePods,
  '0011-v2-account': v2Account,
}

export function migrator(db: Kysely<unknown>): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } })
}

/** Applies every pending migration; throws with the failing migration's error. */
export async function migrateToLatest(db: Kysely<unknown>): Promise<MigrationResultSet> {
  const result = await migrator(db).migrateToLatest()
  if (result.error) throw result.error
  return result
}
