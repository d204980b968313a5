import { afterEach, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../helpers/app.js'
import { expectAllocationsConsistent } from '../../helpers/invariants.js'
import { machine } from '../../helpers/machines.js'

const RTX4090 = 'NVIDIA GeForce RTX 4090'
const NOW = Date.parse('2026-01-01T00:00:00Z')
const HOUR = 3_600_000

const romania = { data_center_id: 'EU-RO-1', location: 'Romania', country_code: 'RO' }
const canada = { data_center_id: 'CA-MTL-1', location: 'Canada', country_code: 'CA' }
const sweden = { data_center_id: 'EU-SE-1', location: 'Sweden', country_code: 'SE' }
const kansas = { data_center_id: 'US-KS-2' }

/** Several data centers, each with a different reason to have (or lack) room. */
const fleet = () => [
  machine({ id: 'tx-4', gpu_count: 4 }),
  machine({ id: 'tx-3', gpu_count: 3 }),
  machine({ id: 'ro-community-8', ...romania, secure_cloud: 0, gpu_count: 8 }),
  machine({ id: 'mtl-cordoned', ...canada, cordoned: 1 }),
  machine({ id: 'mtl-failed', ...canada, failed_at: NOW - HOUR }),
  machine({ id: 'se-maintenance', ...sweden, maintenance_start: NOW - HOUR, maintenance_end: NOW + HOUR }),
  // Disk for two default pods (70 GB each) although four GPUs are free.
  machine({ id: 'ks-small-disk', ...kansas, disk_gb: 150 }),
]

const DATA_CENTERS = ['US-TX-3', 'EU-RO-1', 'CA-MTL-1', 'EU-SE-1', 'US-KS-2']

describe('v2 catalog availability tells the truth about pod creates', () => {
  let t: TestApp
  let key: string
  afterEach(async () => {
    await expectAllocationsConsistent(t.db)
    await t.close()
  })

  async function setup(machines = fleet()) {
    t = await createTestApp({ machines })
    key = await t.key('alice')
  }

  /** The level the catalog shows for the data center, NONE when it does not list it. */
  async function levelIn(dataCenterId: string, cloud: string, count: number): Promise<string> {
    const res = await t.request(
      'GET',
      `/v2/catalog/gpus/${encodeURIComponent(RTX4090)}?include=AVAILABILITY&product=POD&count=${count}&cloud=${cloud}`,
      { key },
    )
    expect(res.status).toBe(200)
    const listed = (res.body.dataCenters ?? []).find((dc: { id: string }) => dc.id === dataCenterId)
    return listed?.availability ?? 'NONE'
  }

  const create = (dataCenterId: string, cloudType: string, gpuCount: number) =>
    t.request('POST', '/v1/pods', {
      key,
      body: {
        imageName: 'runpod/base:0.6.2',
        gpuTypeIds: [RTX4090],
        gpuCount,
        dataCenterIds: [dataCenterId],
        cloudType,
      },
    })

  /** Creates pods one by one until the catalog says NONE, checking each create against what it said. */
  async function drain(dataCenterId: string, cloud: string, count: number): Promise<string[]> {
    const levels: string[] = []
    for (let i = 0; i < 20; i++) {
      const level = await levelIn(dataCenterId, cloud, count)
      levels.push(level)
      const res = await create(dataCenterId, cloud, count)
      if (level === 'NONE') {
        expect(res.status, `${dataCenterId} ${cloud} ×${count} said NONE`).toBe(500)
        expect(res.body.error).toBe('create pod: There are no instances currently available')
        return levels
      }
      expect(res.status, `${dataCenterId} ${cloud} ×${count} said ${level}`).toBe(201)
    }
    throw new Error(`${dataCenterId} never ran out`)
  }

  it('lets a create succeed wherever it shows stock and fail wherever it shows none', async () => {
    await setup()
    const seen: Record<string, string[]> = {}
    for (const dc of DATA_CENTERS) {
      for (const cloud of ['SECURE', 'COMMUNITY']) {
        for (const count of [2, 1]) seen[`${dc} ${cloud} ×${count}`] = await drain(dc, cloud, count)
      }
    }
    expect(seen).toEqual({
      // 4 + 3 GPUs: three pairs, then the GPU left over.
      'US-TX-3 SECURE ×2': ['MEDIUM', 'LOW', 'LOW', 'NONE'],
      'US-TX-3 SECURE ×1': ['LOW', 'NONE'],
      'US-TX-3 COMMUNITY ×2': ['NONE'],
      'US-TX-3 COMMUNITY ×1': ['NONE'],
      'EU-RO-1 SECURE ×2': ['NONE'],
      'EU-RO-1 SECURE ×1': ['NONE'],
      'EU-RO-1 COMMUNITY ×2': ['MEDIUM', 'MEDIUM', 'LOW', 'LOW', 'NONE'],
      'EU-RO-1 COMMUNITY ×1': ['NONE'],
      'CA-MTL-1 SECURE ×2': ['NONE'],
      'CA-MTL-1 SECURE ×1': ['NONE'],
      'CA-MTL-1 COMMUNITY ×2': ['NONE'],
      'CA-MTL-1 COMMUNITY ×1': ['NONE'],
      'EU-SE-1 SECURE ×2': ['NONE'],
      'EU-SE-1 SECURE ×1': ['NONE'],
      'EU-SE-1 COMMUNITY ×2': ['NONE'],
      'EU-SE-1 COMMUNITY ×1': ['NONE'],
      'US-KS-2 SECURE ×2': ['LOW', 'LOW', 'NONE'],
      'US-KS-2 SECURE ×1': ['NONE'],
      'US-KS-2 COMMUNITY ×2': ['NONE'],
      'US-KS-2 COMMUNITY ×1': ['NONE'],
    })
  })

  it('steps down from HIGH as pods take a big machine', async () => {
    await setup([machine({ id: 'ro-community-8', ...romania, secure_cloud: 0, gpu_count: 8 })])
    expect(await drain('EU-RO-1', 'COMMUNITY', 1)).toEqual([
      'HIGH',
      'MEDIUM',
      'MEDIUM',
      'MEDIUM',
      'MEDIUM',
      'MEDIUM',
      'LOW',
      'LOW',
      'NONE',
    ])
  })

  it('lists data centers that are full or out of service as NONE while stock remains elsewhere', async () => {
    await setup()
    const res = await t.request(
      'GET',
      `/v2/catalog/gpus/${encodeURIComponent(RTX4090)}?include=AVAILABILITY&product=POD`,
      {
        key,
      },
    )
    expect(res.body.availability).toBe('HIGH') // 4 + 3 + 2 one-GPU pods in Secure Cloud
    expect(res.body.dataCenters).toEqual([
      { id: 'CA-MTL-1', name: 'CA-MTL-1', availability: 'NONE' },
      { id: 'EU-SE-1', name: 'EU-SE-1', availability: 'NONE' },
      { id: 'US-TX-3', name: 'US-TX-3', availability: 'MEDIUM' },
      { id: 'US-KS-2', name: 'US-KS-2', availability: 'LOW' },
    ])
  })

  it('marks a CUDA version full once its machines are, and a create held to it fails', async () => {
    await setup([
      machine({ id: 'old', gpu_count: 1, cuda_version: '11.8' }),
      machine({ id: 'new', cuda_version: '12.8' }),
    ])
    const read = async () =>
      (
        await t.request(
          'GET',
          `/v2/catalog/gpus/${encodeURIComponent(RTX4090)}?include=AVAILABILITY&product=POD`,
          { key },
        )
      ).body.cudaVersions
    const createOn = (allowedCudaVersions: string[]) =>
      t.request('POST', '/v1/pods', {
        key,
        body: { imageName: 'img', gpuTypeIds: [RTX4090], allowedCudaVersions },
      })
    expect(await read()).toEqual([
      { version: '11.8', available: true },
      { version: '12.8', available: true },
    ])
    expect((await createOn(['11.8'])).status).toBe(201)
    expect(await read()).toEqual([
      { version: '11.8', available: false },
      { version: '12.8', available: true },
    ])
    expect((await createOn(['11.8'])).status).toBe(500)
  })
})
