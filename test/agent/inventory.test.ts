import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  chooseModel,
  collectInventory,
  parseCudaVersion,
  parseGpuDeclaration,
  parseNvidiaSmiGpus,
} from '../../src/agent/inventory.js'
import type { Logger } from '../../src/agent/logger.js'

const SMI_BANNER = `Sat Nov 28 10:00:00 2026
+-----------------------------------------------------------------------------------------+
| NVIDIA-SMI 550.54.15              Driver Version: 550.54.15      CUDA Version: 12.4     |
|-----------------------------------------+------------------------+----------------------+`

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = []
  return { info: () => {}, error: () => {}, warn: (m) => warnings.push(m), warnings }
}

describe('the inventory', () => {
  it('takes declared GPUs as NAME:COUNT, names with spaces and colons included', () => {
    expect(parseGpuDeclaration('NVIDIA GeForce RTX 4090:8')).toEqual({
      name: 'NVIDIA GeForce RTX 4090',
      count: 8,
    })
    expect(parseGpuDeclaration('Vendor: Model X : 2')).toEqual({ name: 'Vendor: Model X', count: 2 })
  })

  it.each(['NVIDIA A40', 'NVIDIA A40:', ':4', 'NVIDIA A40:0', 'NVIDIA A40:65', 'NVIDIA A40:1.5'])(
    'refuses the GPU declaration %j with the expected form',
    (value) => {
      expect(() => parseGpuDeclaration(value)).toThrow(/expected --gpus NAME:COUNT/)
    },
  )

  it('reads nvidia-smi: one line per GPU, memory in MiB, and the CUDA version from the banner', () => {
    const csv = 'NVIDIA GeForce RTX 4090, 24564\nNVIDIA GeForce RTX 4090, 24564\n\n'
    expect(parseNvidiaSmiGpus(csv)).toEqual([
      { name: 'NVIDIA GeForce RTX 4090', memoryInGb: 24 },
      { name: 'NVIDIA GeForce RTX 4090', memoryInGb: 24 },
    ])
    expect(parseCudaVersion(SMI_BANNER)).toBe('12.4')
    expect(parseCudaVersion('NVIDIA-SMI has failed')).toBeNull()
  })

  it('offers the most numerous model of a mixed host, with its device indices, and warns', () => {
    const logger = recordingLogger()
    const chosen = chooseModel(
      [
        { name: 'NVIDIA A40', memoryInGb: 48 },
        { name: 'NVIDIA L4', memoryInGb: 24 },
        { name: 'NVIDIA L4', memoryInGb: 24 },
      ],
      logger,
    )
    expect(chosen).toEqual({ model: { name: 'NVIDIA L4', count: 2, memoryInGb: 24 }, deviceIndices: [1, 2] })
    expect(logger.warnings).toEqual([
      'mixed GPU models (1x NVIDIA A40, 2x NVIDIA L4): offering only NVIDIA L4',
    ])
    expect(chooseModel([], logger)).toEqual({ model: null, deviceIndices: [] })
  })

  it('describes the host: CPUs, memory, disk of the data dir and the runtime', async () => {
    const dataDir = await mkdtemp(join(os.tmpdir(), 'podplane-inventory-'))
    try {
      const inventory = await collectInventory({
        gpus: { model: null, deviceIndices: [], nvidia: false, cudaVersion: null },
        runtime: { name: 'podman', version: '4.3.1' },
        dataDir,
        agentVersion: '0.1.0',
      })
      expect(inventory).toMatchObject({
        hostname: os.hostname(),
        gpus: [],
        cudaVersion: null,
        vcpuCount: os.availableParallelism(),
        memoryInGb: Math.floor(os.totalmem() / 1024 ** 3),
        runtime: { name: 'podman', version: '4.3.1' },
        agentVersion: '0.1.0',
      })
      expect(inventory.diskInGb).toBeGreaterThanOrEqual(1)
    } finally {
      await rm(dataDir, { recursive: true, force: true })
    }
  })
})
