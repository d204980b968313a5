/**
 * RunPod's serverless GPU pools, by GPU type id: a v2 endpoint picks pools and its workers land
 * on any card of them; the catalog names each card's pool.
 */
export const GPU_POOLS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  AMPERE_16: [
    'NVIDIA RTX A4000',
    'NVIDIA RTX 4000 Ada Generation',
    'NVIDIA RTX 4000 SFF Ada Generation',
    'NVIDIA RTX 2000 Ada Generation',
  ],
  AMPERE_24: ['NVIDIA RTX A4500', 'NVIDIA RTX A5000', 'NVIDIA GeForce RTX 3090'],
  ADA_24: ['NVIDIA L4', 'NVIDIA GeForce RTX 4090'],
  ADA_32_PRO: ['NVIDIA GeForce RTX 5090'],
  AMPERE_48: ['NVIDIA A40', 'NVIDIA RTX A6000'],
  ADA_48_PRO: ['NVIDIA L40S', 'NVIDIA L40', 'NVIDIA RTX 6000 Ada Generation'],
  AMPERE_80: ['NVIDIA A100 80GB PCIe', 'NVIDIA A100-SXM4-80GB'],
  ADA_80_PRO: ['NVIDIA H100 PCIe', 'NVIDIA H100 80GB HBM3'],
  HOPPER_141: ['NVIDIA H200'],
  BLACKWELL_96: [
    'NVIDIA RTX PRO 6000 Blackwell Server Edition',
    'NVIDIA RTX PRO 6000 Blackwell Workstation Edition',
  ],
  BLACKWELL_180: ['NVIDIA B200'],
})

const POOL_OF = new Map(Object.entries(GPU_POOLS).flatMap(([pool, types]) => types.map((t) => [t, pool])))

/** The serverless pool a GPU type belongs to, or null when it is in none. */
export function poolOf(gpuTypeId: string): string | null {
  return POOL_OF.get(gpuTypeId) ?? null
}
