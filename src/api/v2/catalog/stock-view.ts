import { compareCuda } from '../../../domain/availability.js'
import type { Catalog } from '../../../fleet/catalog.js'
import { type AvailabilityLevel, availabilityLevel, type Stock } from '../../../scheduler/availability.js'

export interface StockView {
  availability: AvailabilityLevel
  dataCenters?: { id: string; name: string; availability: AvailabilityLevel }[]
}

/**
 * A GPU type's or CPU flavor's availability, overall and by data center: every data center that
 * offers it (full ones as NONE), in catalog order, or no list at all when nothing is free anywhere.
 */
export function stockView(stock: Stock, catalog: Catalog): StockView {
  const availability = availabilityLevel(stock.pods)
  if (availability === 'NONE') return { availability }
  const dataCenters = [...catalog.dataCenters.values()]
    .filter((dc) => stock.byDataCenter.has(dc.id))
    .map((dc) => ({
      id: dc.id,
      name: dc.name,
      availability: availabilityLevel(stock.byDataCenter.get(dc.id)!),
    }))
  return { availability, dataCenters }
}

/** The CUDA versions on offer, oldest first, each with whether a pod fits on it now; none when no machine reports one. */
export function cudaVersionsView(stock: Stock): { version: string; available: boolean }[] | undefined {
  if (stock.byCudaVersion.size === 0) return undefined
  return [...stock.byCudaVersion]
    .sort(([a], [b]) => compareCuda(a, b))
    .map(([version, pods]) => ({ version, available: pods > 0 }))
}
