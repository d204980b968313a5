import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CPU_FLAVORS, DATA_CENTERS, GPU_TYPES } from '../../../src/fleet/catalog-data.js'
import { createTestApp, type TestApp } from '../../helpers/app.js'
import { cpuMachine, machine } from '../../helpers/machines.js'

const RTX4090 = 'NVIDIA GeForce RTX 4090'
const H100 = 'NVIDIA H100 80GB HBM3'
const MI300X = 'AMD Instinct MI300X OAM'
const gpuPath = (id: string, query = '') => `/v2/catalog/gpus/${encodeURIComponent(id)}${query}`

const romania = { data_center_id: 'EU-RO-1', location: 'Romania', country_code: 'RO' }

describe('v2 catalog', () => {
  let t: TestApp
  let key: string
  beforeAll(async () => {
    t = await createTestApp({
      machines: [
        machine({ id: 'tx', gpu_count: 4, cuda_version: '12.4' }),
        machine({ id: 'ro', ...romania, secure_cloud: 0, gpu_count: 8, cuda_version: '12.8' }),
        machine({
          id: 'h100',
          gpu_type_id: H100,
          gpu_count: 8,
          cuda_version: '12.8',
          vcpu_count: 128,
          memory_gb: 1024,
        }),
        machine({
          id: 'amd',
          gpu_type_id: MI300X,
          gpu_count: 8,
          cuda_version: null,
          vcpu_count: 128,
          memory_gb: 1024,
        }),
        cpuMachine({ id: 'cpu', cpu_flavor_id: 'cpu5c', vcpu_count: 48 }),
      ],
    })
    key = await t.key('alice')
  })
  afterAll(() => t.close())

  const get = (url: string) => t.request('GET', url, { key })

  describe('GET /v2/catalog/gpus', () => {
    it('lists every GPU type with prices, pool and what the fleet has in each cloud, without stock', async () => {
      const res = await get('/v2/catalog/gpus')
      expect(res.status).toBe(200)
      expect(res.body.gpus.map((g: { id: string }) => g.id)).toEqual(GPU_TYPES.map((g) => g.id))
      const rtx = res.body.gpus.find((g: { id: string }) => g.id === RTX4090)
      expect(rtx).toEqual({
        id: RTX4090,
        name: 'RTX 4090',
        pool: 'ADA_24',
        manufacturer: 'NVIDIA',
        memory: 24,
        secure: true,
        community: true,
        price: { secure: 0.69, community: 0.34 },
        maxCount: { secure: 4, community: 8 },
      })
      const amd = res.body.gpus.find((g: { id: string }) => g.id === MI300X)
      expect(amd).toMatchObject({ manufacturer: 'AMD', pool: null, secure: true, community: false })
      const none = res.body.gpus.find((g: { id: string }) => g.id === 'NVIDIA A40')
      expect(none).toMatchObject({ secure: false, community: false, maxCount: { secure: 0, community: 0 } })
    })

    it('adds overall, per data center and per CUDA version stock with include=AVAILABILITY', async () => {
      const res = await get('/v2/catalog/gpus?include=AVAILABILITY&product=POD')
      const rtx = res.body.gpus.find((g: { id: string }) => g.id === RTX4090)
      expect(rtx).toMatchObject({
        availability: 'MEDIUM',
        dataCenters: [{ id: 'US-TX-3', name: 'US-TX-3', availability: 'MEDIUM' }],
        cudaVersions: [{ version: '12.4', available: true }],
      })
      const h100 = res.body.gpus.find((g: { id: string }) => g.id === H100)
      expect(h100.availability).toBe('HIGH')
      const amd = res.body.gpus.find((g: { id: string }) => g.id === MI300X)
      expect(amd.availability).toBe('HIGH')
      expect(amd).not.toHaveProperty('cudaVersions')
      const a40 = res.body.gpus.find((g: { id: string }) => g.id === 'NVIDIA A40')
      expect(a40.availability).toBe('NONE')
      expect(a40).not.toHaveProperty('dataCenters')
      expect(a40).not.toHaveProperty('cudaVersions')
    })

    it('scopes stock by count, cloud and product', async () => {
      const rtx = async (query: string) =>
        (await get(gpuPath(RTX4090, `?include=AVAILABILITY&${query}`))).body
      expect((await rtx('product=POD&cloud=COMMUNITY')).dataCenters).toEqual([
        { id: 'EU-RO-1', name: 'EU-RO-1', availability: 'HIGH' },
      ])
      expect((await rtx('product=POD&count=4')).availability).toBe('LOW')
      expect(await rtx('product=POD&count=5')).toMatchObject({
        availability: 'NONE',
        maxCount: { secure: 4 },
      })
      expect((await rtx('product=POD,SERVERLESS')).availability).toBe('MEDIUM')
      // Clusters run in Secure Cloud, where a data center holds 2 or more of the pods side by side.
      const cluster = await rtx('product=CLUSTER')
      expect(cluster.availability).toBe('MEDIUM')
      expect(cluster.dataCenters).toEqual([{ id: 'US-TX-3', name: 'US-TX-3', availability: 'MEDIUM' }])
      const wide = await rtx('product=CLUSTER&count=4')
      expect(wide.availability).toBe('NONE')
      expect(wide).not.toHaveProperty('dataCenters')
    })

    it('narrows to countries: the list drops types offered elsewhere, a single type shows NONE', async () => {
      const list = await get(
        '/v2/catalog/gpus?include=AVAILABILITY&product=POD&cloud=COMMUNITY&countryCodes=RO,FR',
      )
      expect(list.body.gpus.map((g: { id: string }) => g.id)).toEqual([RTX4090])
      const inUs = await get('/v2/catalog/gpus?include=AVAILABILITY&product=POD&countryCodes=US')
      expect(inUs.body.gpus.map((g: { id: string }) => g.id)).toEqual([RTX4090, H100, MI300X])
      const single = await get(gpuPath(H100, '?include=AVAILABILITY&product=POD&countryCodes=FR'))
      expect(single.status).toBe(200)
      expect(single.body.availability).toBe('NONE')
      expect(single.body).not.toHaveProperty('dataCenters')
    })

    it('scopes stock to exact CUDA versions or a floor', async () => {
      const rtx = async (query: string) =>
        (await get(gpuPath(RTX4090, `?include=AVAILABILITY&product=POD&cloud=COMMUNITY&${query}`))).body
      expect((await rtx('cudaVersions=12.8')).cudaVersions).toEqual([{ version: '12.8', available: true }])
      expect((await rtx('cudaVersions=12.4,12.6')).availability).toBe('NONE')
      expect((await rtx('minCudaVersion=12')).availability).toBe('HIGH')
      expect((await rtx('minCudaVersion=12.9')).availability).toBe('NONE')
      expect((await rtx('minCudaVersion=13')).availability).toBe('NONE')
    })
  })

  describe('GET /v2/catalog/gpus/{id}', () => {
    it('answers one GPU type, and 404 for one that does not exist', async () => {
      const res = await get(gpuPath(RTX4090))
      expect(res.status).toBe(200)
      expect(res.body).toMatchObject({ id: RTX4090, pool: 'ADA_24' })
      expect(res.body).not.toHaveProperty('availability')
      const missing = await get(gpuPath('NVIDIA GeForce RTX 9999'))
      expect(missing.status).toBe(404)
      expect(missing.body.detail).toBe('GPU type not found')
    })
  })

  describe('GPU query rules', () => {
    const rejected = async (query: string, status: number) => {
      for (const url of [`/v2/catalog/gpus?${query}`, gpuPath(RTX4090, `?${query}`)]) {
        const res = await get(url)
        expect(res.status, `${url}: ${JSON.stringify(res.body)}`).toBe(status)
      }
      return (await get(`/v2/catalog/gpus?${query}`)).body
    }

    it('requires product with include=AVAILABILITY, and availability parameters only with it (400)', async () => {
      expect((await rejected('include=AVAILABILITY', 400)).detail).toBe(
        'product is required with include=AVAILABILITY',
      )
      for (const param of [
        'product=POD',
        'count=2',
        'cloud=SECURE',
        'countryCodes=US',
        'cudaVersions=12.8',
        'minCudaVersion=12',
      ]) {
        const name = param.split('=')[0]
        expect((await rejected(param, 400)).detail).toBe(`${name} is valid only with include=AVAILABILITY`)
      }
      expect((await rejected('count=2&cloud=SECURE', 400)).detail).toBe(
        'count is valid only with include=AVAILABILITY; cloud is valid only with include=AVAILABILITY',
      )
    })

    it('takes cudaVersions or minCudaVersion, not both (400)', async () => {
      const body = await rejected('include=AVAILABILITY&product=POD&cudaVersions=12.8&minCudaVersion=12', 400)
      expect(body.detail).toMatch(/mutually exclusive/)
    })

    it('answers 422 naming each malformed value', async () => {
      const body = await rejected(
        'include=STOCK&product=PODS&count=0&cloud=ALL&countryCodes=us&cudaVersions=12&minCudaVersion=12.x',
        422,
      )
      expect(body.errors).toEqual([
        'query.include.0: must be one of AVAILABILITY',
        'query.product.0: must be one of POD, CLUSTER, SERVERLESS',
        'query.count: must be >= 1',
        'query.cloud: must be one of SECURE, COMMUNITY',
        'query.countryCodes.0: must match pattern "^[A-Z]{2}$"',
        'query.cudaVersions.0: must match pattern "^\\d+\\.\\d+$"',
        'query.minCudaVersion: must match pattern "^\\d+(\\.\\d+)?$"',
      ])
      expect((await rejected('include=AVAILABILITY,AVAILABILITY&product=POD', 422)).errors).toEqual([
        'query.include: must NOT have more than 1 items',
      ])
    })
  })

  describe('GET /v2/catalog/cpus', () => {
    it('lists every CPU flavor with vCPU range and prices', async () => {
      const res = await get('/v2/catalog/cpus')
      expect(res.status).toBe(200)
      expect(res.body.cpus.map((c: { id: string }) => c.id)).toEqual(CPU_FLAVORS.map((c) => c.id))
      expect(res.body.cpus.find((c: { id: string }) => c.id === 'cpu5c')).toEqual({
        id: 'cpu5c',
        name: 'Compute-Optimized',
        group: 'Gen 5',
        vcpu: { min: 2, max: 32 },
        ramGbPerVcpu: 2,
        price: { securePerVcpu: 0.028, serverlessPerVcpu: 0.028 },
      })
    })

    it('adds stock for the asked vCPU count', async () => {
      const cpus = async (query: string) =>
        (await get(`/v2/catalog/cpus?include=AVAILABILITY&${query}`)).body.cpus
      const cpu5c = (await cpus('product=POD')).find((c: { id: string }) => c.id === 'cpu5c')
      expect(cpu5c).toMatchObject({
        availability: 'HIGH',
        dataCenters: [{ id: 'US-TX-3', name: 'US-TX-3', availability: 'HIGH' }],
      })
      const big = (await cpus('product=SERVERLESS&vcpuCount=16')).find(
        (c: { id: string }) => c.id === 'cpu5c',
      )
      expect(big.availability).toBe('LOW')
      const cpu3c = (await cpus('product=POD')).find((c: { id: string }) => c.id === 'cpu3c')
      expect(cpu3c.availability).toBe('NONE')
      expect(cpu3c).not.toHaveProperty('dataCenters')
    })

    it('answers one flavor, 404 for an unknown one, and keeps the query rules', async () => {
      expect((await get('/v2/catalog/cpus/cpu5c')).body).toMatchObject({ id: 'cpu5c', group: 'Gen 5' })
      expect((await get('/v2/catalog/cpus/cpu9x')).status).toBe(404)
      const cases: [string, number, string][] = [
        ['include=AVAILABILITY', 400, 'product is required with include=AVAILABILITY'],
        ['vcpuCount=4', 400, 'vcpuCount is valid only with include=AVAILABILITY'],
        ['include=AVAILABILITY&product=POD&vcpuCount=6', 400, 'vcpuCount must be a power of two'],
        ['include=AVAILABILITY&product=CLUSTER', 422, 'Request validation failed.'],
        ['include=AVAILABILITY&product=POD&vcpuCount=1', 422, 'Request validation failed.'],
      ]
      for (const [query, status, detail] of cases) {
        for (const url of [`/v2/catalog/cpus?${query}`, `/v2/catalog/cpus/cpu5c?${query}`]) {
          const res = await get(url)
          expect(res.status, url).toBe(status)
          expect(res.body.detail).toBe(detail)
        }
      }
    })
  })

  describe('GET /v2/catalog/datacenters', () => {
    it('lists every data center with region, tiers, compliance and global networking', async () => {
      const res = await get('/v2/catalog/datacenters')
      expect(res.status).toBe(200)
      expect(res.body.dataCenters.map((d: { id: string }) => d.id)).toEqual(DATA_CENTERS.map((d) => d.id))
      expect(res.body.dataCenters[0]).toEqual({
        id: 'EU-RO-1',
        name: 'EU-RO-1',
        region: 'EUROPE',
        globalNetwork: true,
        networkVolumeTypes: ['STANDARD'],
        compliance: [],
      })
    })

    it('filters by regions (any), tiers and compliance (all) and global networking', async () => {
      const ids = async (query: string) =>
        (await get(`/v2/catalog/datacenters?${query}`)).body.dataCenters.map((d: { id: string }) => d.id)
      expect(await ids('regions=OCEANIA,ASIA')).toEqual(['OC-AU-1', 'AP-JP-1'])
      expect(await ids('regions=EUROPE&globalNetwork=true')).toEqual(['EU-RO-1', 'EUR-IS-1'])
      expect((await ids('globalNetwork=false')).length).toBe(
        DATA_CENTERS.filter((d) => !d.globalNetworking).length,
      )
      expect((await ids('networkVolumeTypes=STANDARD')).length).toBe(DATA_CENTERS.length)
      expect(await ids('networkVolumeTypes=STANDARD,HIGH_PERFORMANCE')).toEqual([])
      expect(await ids('compliance=GDPR')).toEqual([])
      const bad = await get('/v2/catalog/datacenters?regions=MARS&compliance=SOC2&globalNetwork=maybe')
      expect(bad.status).toBe(422)
      expect(bad.body.errors).toHaveLength(3)
    })

    it('adds the GPUs and CPU flavors each data center offers, with their stock', async () => {
      const res = await get('/v2/catalog/datacenters?include=GPU_AVAILABILITY,CPU_AVAILABILITY')
      const byId = new Map(res.body.dataCenters.map((d: { id: string }) => [d.id, d]))
      expect(byId.get('US-TX-3')).toMatchObject({
        gpuAvailability: [
          { id: RTX4090, name: 'RTX 4090', availability: 'MEDIUM' },
          { id: H100, name: 'H100 SXM', availability: 'HIGH' },
          { id: MI300X, name: 'MI300X', availability: 'HIGH' },
        ],
        cpuAvailability: [{ id: 'cpu5c', name: 'Compute-Optimized', availability: 'HIGH' }],
      })
      expect(byId.get('EU-RO-1')).toMatchObject({
        gpuAvailability: [{ id: RTX4090, name: 'RTX 4090', availability: 'HIGH' }],
      })
      expect(byId.get('EU-RO-1')).not.toHaveProperty('cpuAvailability')
      expect(byId.get('AP-JP-1')).not.toHaveProperty('gpuAvailability')
    })
  })

  describe('GET /v2/catalog/datacenters/{id}', () => {
    it('answers one data center, with stock on request, and 404 for an unknown one', async () => {
      const plain = await get('/v2/catalog/datacenters/US-TX-3')
      expect(plain.body).toEqual({
        id: 'US-TX-3',
        name: 'US-TX-3',
        region: 'NORTH_AMERICA',
        globalNetwork: true,
        networkVolumeTypes: ['STANDARD'],
        compliance: [],
      })
      const withGpus = await get('/v2/catalog/datacenters/EU-RO-1?include=GPU_AVAILABILITY')
      expect(withGpus.body.gpuAvailability).toEqual([{ id: RTX4090, name: 'RTX 4090', availability: 'HIGH' }])
      expect(withGpus.body).not.toHaveProperty('cpuAvailability')
      expect((await get('/v2/catalog/datacenters/MARS-1')).status).toBe(404)
      expect((await get('/v2/catalog/datacenters/US-TX-3?include=AVAILABILITY')).status).toBe(422)
    })
  })

  it('answers 405 with Allow for other methods, and 401 without a key', async () => {
    const res = await t.request('POST', '/v2/catalog/gpus', { key, body: {} })
    expect(res.status).toBe(405)
    expect(res.headers.allow).toBe('GET, HEAD')
    expect((await t.request('GET', '/v2/catalog/datacenters')).status).toBe(401)
  })
})
