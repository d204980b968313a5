import { execFile } from 'node:child_process'
import { statfs } from 'node:fs/promises'
import os from 'node:os'
import { promisify } from 'node:util'
import type { Logger } from './logger.js'
import type { Inventory, InventoryGpu } from './protocol.js'
import type { RuntimeInfo } from './runtime.js'

const run = promisify(execFile)
const GiB = 1024 ** 3

/** The GPUs pods may be given on this host. */
export interface HostGpus {
  /** The one model the machine offers, or null on a CPU host. */
  model: InventoryGpu | null
  /** nvidia-smi indices of that model's devices, the ones pods are handed out from. */
  deviceIndices: number[]
  /** True when nvidia-smi found them, so containers get real devices; false when declared. */
  nvidia: boolean
  cudaVersion: string | null
}

/** `--gpus "NVIDIA GeForce RTX 4090:8"` → the model and its count; the name may hold spaces. */
export function parseGpuDeclaration(value: string): InventoryGpu {
  const at = value.lastIndexOf(':')
  const name = value.slice(0, at).trim()
  const count = Number(value.slice(at + 1).trim())
  if (at < 0 || !name || name.length > 191 || !Number.isInteger(count) || count < 1 || count > 64)
    throw new Error(
      `expected --gpus NAME:COUNT with a count from 1 to 64 (e.g. "NVIDIA A40:4"), got "${value}"`,
    )
  return { name, count }
}

/** One GPU per line of `nvidia-smi --query-gpu=name,memory.total --format=csv,noheader,nounits`. */
export function parseNvidiaSmiGpus(csv: string): { name: string; memoryInGb: number }[] {
  return csv
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      // The memory is the last field; a name would not hold a comma, but split from the right anyway.
      const at = line.lastIndexOf(',')
      const mib = Number(line.slice(at + 1).trim())
      return { name: line.slice(0, at).trim(), memoryInGb: Number.isFinite(mib) ? Math.round(mib / 1024) : 0 }
    })
    .filter((gpu) => gpu.name)
}

/** `CUDA Version: 12.4` from nvidia-smi's banner. */
export function parseCudaVersion(banner: string): string | null {
  return /CUDA Version:\s*(\d{1,3}\.\d{1,3})/.exec(banner)?.[1] ?? null
}

/**
 * A machine offers one GPU model: on a mixed host the most numerous wins (the first seen on a tie)
 * and the rest stay unused.
 */
export function chooseModel(
  gpus: { name: string; memoryInGb: number }[],
  logger: Logger,
): Pick<HostGpus, 'model' | 'deviceIndices'> {
  const indicesByName = new Map<string, number[]>()
  for (const [index, gpu] of gpus.entries())
    indicesByName.set(gpu.name, [...(indicesByName.get(gpu.name) ?? []), index])
  const [name, deviceIndices] = [...indicesByName].reduce<[string, number[]] | [null, number[]]>(
    (best, entry) => (entry[1].length > best[1].length ? entry : best),
    [null, []],
  )
  if (name === null) return { model: null, deviceIndices: [] }
  if (indicesByName.size > 1)
    logger.warn(
      `mixed GPU models (${[...indicesByName].map(([n, i]) => `${i.length}x ${n}`).join(', ')}): offering only ${name}`,
    )
  const memoryInGb = gpus[deviceIndices[0] ?? 0]?.memoryInGb
  return {
    model: { name, count: deviceIndices.length, ...(memoryInGb ? { memoryInGb } : {}) },
    deviceIndices,
  }
}

/** The declared GPUs, else what nvidia-smi finds, else none. */
export async function detectGpus(declared: InventoryGpu | undefined, logger: Logger): Promise<HostGpus> {
  if (declared)
    return { model: declared, deviceIndices: range(declared.count), nvidia: false, cudaVersion: null }
  let csv: string
  let banner: string
  try {
    csv = (await run('nvidia-smi', ['--query-gpu=name,memory.total', '--format=csv,noheader,nounits'])).stdout
    banner = (await run('nvidia-smi', [])).stdout
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOENT')
      logger.warn(`nvidia-smi failed, offering no GPUs: ${(error as Error).message}`)
    return { model: null, deviceIndices: [], nvidia: false, cudaVersion: null }
  }
  const chosen = chooseModel(parseNvidiaSmiGpus(csv), logger)
  return { ...chosen, nvidia: chosen.model !== null, cudaVersion: parseCudaVersion(banner) }
}

export interface InventoryInput {
  gpus: HostGpus
  runtime: RuntimeInfo
  dataDir: string
  publicIp?: string
  agentVersion: string
}

export async function collectInventory(input: InventoryInput): Promise<Inventory> {
  const disk = await statfs(input.dataDir)
  return {
    hostname: os.hostname().slice(0, 191) || 'localhost',
    gpus: input.gpus.model ? [input.gpus.model] : [],
    cudaVersion: input.gpus.cudaVersion,
    vcpuCount: os.availableParallelism(),
    memoryInGb: Math.max(1, Math.floor(os.totalmem() / GiB)),
    diskInGb: Math.max(1, Math.floor((disk.blocks * disk.bsize) / GiB)),
    publicIp: input.publicIp ?? firstExternalIpv4(),
    runtime: { name: input.runtime.name.slice(0, 64), version: input.runtime.version.slice(0, 64) },
    agentVersion: input.agentVersion,
  }
}

function firstExternalIpv4(): string | null {
  const addresses = Object.values(os.networkInterfaces()).flatMap((list) => list ?? [])
  return addresses.find((a) => a.family === 'IPv4' && !a.internal)?.address ?? null
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i)
}
