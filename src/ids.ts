import { randomFillSync } from 'node:crypto'

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789'

/** Random bytes drawn in blocks: one call into the CSPRNG per block, not one per id. */
const pool = Buffer.alloc(4096)
let used = pool.length

function randomByte(): number {
  if (used === pool.length) {
    randomFillSync(pool)
    used = 0
  }
  return pool[used++]!
}

/**
 * Bytes from here up are drawn again: 256 is not a multiple of 36, and mapping them too would make
 * the first four characters more likely than the rest.
 */
const UNBIASED_LIMIT = 256 - (256 % LOWER_ALNUM.length)

/** A random id over [a-z0-9], the shape RunPod uses for pods ("xedezhzb9la3ye"), machines and volumes. */
export function randomId(length: number): string {
  let id = ''
  while (id.length < length) {
    const byte = randomByte()
    if (byte < UNBIASED_LIMIT) id += LOWER_ALNUM[byte % LOWER_ALNUM.length]
  }
  return id
}

export const newPodId = (): string => randomId(14)
export const newMachineId = (): string => randomId(12)
export const newVolumeId = (): string => randomId(10)
export const newTemplateId = (): string => randomId(10)
export const newEndpointId = (): string => randomId(14)
/** cuid-like ids (25 chars, starting with "c") as RunPod uses for savings plans and registry auths. */
export const newCuid = (): string => `c${randomId(24)}`
