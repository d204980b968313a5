import type { CpuFlavor, GpuType } from '../fleet/catalog.js'
import type { CloudType } from './pod.js'

/** Prices are kept to a tenth of a cent so float noise never reaches the wire. */
export function roundMoney(amount: number): number {
  return Math.round(amount * 1000) / 1000
}

/** The hourly price of one GPU of `type` in `cloud`, on-demand or interruptible (spot). */
export function gpuPricePerHr(type: GpuType, cloud: CloudType, interruptible: boolean): number {
  if (cloud === 'SECURE') return interruptible ? type.secureSpotPrice : type.securePrice
  return interruptible ? type.communitySpotPrice : type.communityPrice
}

export function gpuPodCostPerHr(
  type: GpuType,
  gpuCount: number,
  cloud: CloudType,
  interruptible: boolean,
): number {
  return roundMoney(gpuPricePerHr(type, cloud, interruptible) * gpuCount)
}

export function cpuPodCostPerHr(flavor: CpuFlavor, vcpuCount: number): number {
  return roundMoney(flavor.pricePerVcpu * vcpuCount)
}

/**
 * What a pod costs per hour once savings plans apply: an active plan (started, not ended)
 * replaces the on-demand rate with the plan's own; with several, the cheapest wins.
 */
export function adjustedCostPerHr(
  costPerHr: number,
  plans: readonly { costPerHr: number; startTime: number; endTime: number }[],
  now: number,
): number {
  let cost = costPerHr
  for (const plan of plans) {
    if (plan.startTime <= now && now < plan.endTime && plan.costPerHr < cost) cost = plan.costPerHr
  }
  return roundMoney(cost)
}
