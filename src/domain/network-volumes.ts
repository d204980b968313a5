import type { Clock } from '../clock.js'
import type { Catalog } from '../fleet/catalog.js'
import { newCuid, newVolumeId } from '../ids.js'
import type { Store } from '../store/store.js'
import { badRequest, notFound } from './errors.js'
import type { NetworkVolume, VolumeType } from './resources.js'
import { volumeUsage } from './usage.js'

export const networkVolumeNotFound = () => notFound('network volume')

/**
 * The tier a volume gets when none is asked for: a data center's primary one. The catalog records
 * no tiers per data center, so every data center offers all of VOLUME_TYPES, standard first.
 */
const PRIMARY_VOLUME_TYPE: VolumeType = 'STANDARD'

export interface NetworkVolumeServiceOptions {
  readonly store: Store
  readonly clock: Clock
  readonly catalog: () => Catalog
}

/** Network volumes: storage in one data center that pods there can mount. Billed by size × time. */
export class NetworkVolumeService {
  constructor(private readonly o: NetworkVolumeServiceOptions) {}

  list(userId: string): Promise<NetworkVolume[]> {
    return this.o.store.networkVolumes.list(userId)
  }

  async get(userId: string, id: string): Promise<NetworkVolume> {
    const volume = await this.o.store.networkVolumes.get(userId, id)
    if (!volume) throw networkVolumeNotFound()
    return volume
  }

  async create(
    userId: string,
    input: { name: string; size: number; dataCenterId: string; type?: VolumeType },
  ): Promise<NetworkVolume> {
    if (!this.o.catalog().dataCenters.has(input.dataCenterId)) {
      throw badRequest(`dataCenterId: unknown value "${input.dataCenterId}"`)
    }
    const now = this.o.clock.now()
    const volume: NetworkVolume = {
      id: newVolumeId(),
      userId,
      name: input.name,
      size: input.size,
      dataCenterId: input.dataCenterId,
      type: input.type ?? PRIMARY_VOLUME_TYPE,
      createdAt: now,
    }
    await this.o.store.transaction(async (tx) => {
      await tx.networkVolumes.insert(volume)
      await tx.usage.open(volumeUsage(volume, newCuid(), now))
    })
    return volume
  }

  /** Renames and grows a volume; a volume never shrinks (its data would not fit). */
  async update(userId: string, id: string, input: { name?: string; size?: number }): Promise<NetworkVolume> {
    const current = await this.get(userId, id)
    if (input.size !== undefined && input.size < current.size) {
      throw badRequest(`size: a network volume can only grow (it is ${current.size} GB)`)
    }
    const next: NetworkVolume = {
      ...current,
      name: input.name ?? current.name,
      size: input.size ?? current.size,
    }
    const now = this.o.clock.now()
    await this.o.store.transaction(async (tx) => {
      await tx.networkVolumes.update(next)
      if (next.size !== current.size) {
        await tx.usage.close({ networkVolumeId: id }, now)
        await tx.usage.open(volumeUsage(next, newCuid(), now))
      }
    })
    return next
  }

  async delete(userId: string, id: string): Promise<void> {
    await this.get(userId, id)
    const [pods, endpoints] = await Promise.all([
      this.o.store.networkVolumes.podsUsing(userId, id),
      this.o.store.endpoints.usingVolume(userId, id),
    ])
    if (pods.length > 0)
      throw badRequest(`network volume ${id} is in use by pod ${pods.join(', ')}; terminate it first`)
    if (endpoints.length > 0) {
      throw badRequest(
        `network volume ${id} is in use by endpoint ${endpoints.map((e) => e.id).join(', ')}; detach it first`,
      )
    }
    const now = this.o.clock.now()
    await this.o.store.transaction(async (tx) => {
      await tx.networkVolumes.delete(userId, id)
      await tx.usage.close({ networkVolumeId: id }, now)
    })
  }
}
