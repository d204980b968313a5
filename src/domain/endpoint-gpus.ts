import type { Catalog } from '../fleet/catalog.js'
import { badRequest } from './errors.js'
import { GPU_POOLS, poolOf } from './gpu-pools.js'

/*
 * An endpoint stores the cards it may run on (`gpuTypeIds`, as v1 sets them); v2 reads and
 * writes that selection as pools minus excluded cards.
 */

/** The catalog's cards in `pool`; a card outside every pool stands for itself. */
function cardsOf(pool: string, catalog: Catalog): string[] {
  const members = GPU_POOLS[pool]
  if (members) return members.filter((t) => catalog.gpuTypes.has(t))
  return catalog.gpuTypes.has(pool) && poolOf(pool) === null ? [pool] : []
}

/**
 * The cards a pool selection means: every card of the pools, minus the excluded ones. Pools
 * are RunPod's pool ids; a card that no pool holds may be named by its own id, so a selection
 * made in v1 reads back and writes back unchanged.
 */
export function cardsOfPools(
  pools: readonly string[],
  excludedTypes: readonly string[],
  catalog: Catalog,
): string[] {
  const cards: string[] = []
  for (const pool of pools) {
    if (!GPU_POOLS[pool] && cardsOf(pool, catalog).length === 0) {
      throw badRequest(`gpu.pools: unknown pool "${pool}"`)
    }
    for (const card of cardsOf(pool, catalog)) if (!cards.includes(card)) cards.push(card)
  }
  const excluded = new Set(excludedTypes.map((t) => t.trim()))
  for (const card of excluded) {
    if (!cards.includes(card)) throw badRequest(`gpu.excludedTypes: "${card}" is not a GPU type in gpu.pools`)
  }
  const selected = cards.filter((c) => !excluded.has(c))
  if (selected.length === 0) throw badRequest('gpu.excludedTypes: the selection leaves no GPU type')
  return selected
}

/** A card selection as pools and exclusions; no cards means any card, so every pool. */
export function poolsOfCards(
  gpuTypeIds: readonly string[],
  catalog: Catalog,
): { pools: string[]; excludedTypes: string[] } {
  if (gpuTypeIds.length === 0) {
    return { pools: Object.keys(GPU_POOLS).filter((p) => cardsOf(p, catalog).length > 0), excludedTypes: [] }
  }
  const pools: string[] = []
  for (const card of gpuTypeIds) {
    const pool = poolOf(card) ?? card
    if (!pools.includes(pool)) pools.push(pool)
  }
  const selected = new Set(gpuTypeIds)
  const excludedTypes = pools.flatMap((p) => cardsOf(p, catalog).filter((c) => !selected.has(c)))
  return { pools, excludedTypes }
}
