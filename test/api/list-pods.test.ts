import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../helpers/app.js'
import { insertNetworkVolume, insertSavingsPlan, insertTemplate } from '../helpers/fixtures.js'
import { cpuMachine, machine } from '../helpers/machines.js'

interface WirePod {
  id: string
  name: string
  [key: string]: unknown
}

describe('GET /v1/pods', () => {
  let t: TestApp
  let alice: string
  let bob: string
  const pods: Record<string, WirePod> = {}

  const create = async (label: string, body: Record<string, unknown>, key = alice) => {
    const res = await t.request('POST', '/v1/pods', {
      key,
      body: { name: label, imageName: 'img/a', ...body },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    t.clock.advance(1000) // distinct creation times make "newest first" observable
    pods[label] = res.body
    return res.body as WirePod
  }
  const list = async (query = '', key = alice) => {
    const res = await t.request('GET', `/v1/pods${query}`, { key })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    return res.body as WirePod[]
  }
  const names = async (query = '', key = alice) => (await list(query, key)).map((p) => p.name)

  beforeAll(async () => {
    t = await createTestApp({
      machines: [
        machine({ id: 'tx4090', data_center_id: 'US-TX-3', gpu_count: 8, vcpu_count: 128, memory_gb: 512 }),
        machine({
          id: 'roa40',
          gpu_type_id: 'NVIDIA A40',
          data_center_id: 'EU-RO-1',
          country_code: 'RO',
          secure_cloud: 0,
        }),
        cpuMachine({ id: 'txcpu3c', cpu_flavor_id: 'cpu3c', data_center_id: 'US-TX-3' }),
        cpuMachine({ id: 'rocpu5g', cpu_flavor_id: 'cpu5g', data_center_id: 'EU-RO-1', country_code: 'RO' }),
      ],
    })
    alice = await t.key('alice')
    bob = await t.key('bob')
    await insertTemplate(t.db, { id: 'tplpytorch' })
    await insertNetworkVolume(t.db, { id: 'volro00001', userId: 'alice', dataCenterId: 'EU-RO-1' })

    await create('alpha', { gpuTypeIds: ['NVIDIA GeForce RTX 4090'] })
    await create('beta', { gpuTypeIds: ['NVIDIA A40'], cloudType: 'COMMUNITY', imageName: 'img/b' })
    await t.request('POST', `/v1/pods/${pods.beta!.id}/stop`, { key: alice })
    await create('gamma', { computeType: 'CPU', cpuFlavorIds: ['cpu3c'] })
    await create('delta', { computeType: 'CPU', cpuFlavorIds: ['cpu5g'], imageName: 'img/b' })
    await create('from-template', {
      templateId: 'tplpytorch',
      gpuTypeIds: ['NVIDIA GeForce RTX 4090'],
      imageName: undefined,
    })
    await create('on-volume', {
      networkVolumeId: 'volro00001',
      gpuTypeIds: ['NVIDIA A40'],
      cloudType: 'COMMUNITY',
    })
    await create('gone', { gpuTypeIds: ['NVIDIA GeForce RTX 4090'] })
    await t.request('DELETE', `/v1/pods/${pods.gone!.id}`, { key: alice })
    const worker = await t.ctx.pods.create(
      'alice',
      { name: 'worker', imageName: 'img/w' },
      { endpointId: 'ep00000001' },
    )
    pods.worker = { id: worker.id, name: 'worker' }
    await create('bobs', { gpuTypeIds: ['NVIDIA GeForce RTX 4090'] }, bob)
    await insertSavingsPlan(t.db, {
      id: 'cplan0000000000000000000001',
      userId: 'alice',
      podId: pods.alpha!.id,
      costPerHr: 0.5,
      start: t.clock.now() - 1000,
      end: t.clock.now() + 86_400_000,
    })
  })
  afterAll(() => t.close())

  it('lists the caller’s pods, newest first, without workers or terminated pods', async () => {
    expect(await names()).toEqual(['on-volume', 'from-template', 'delta', 'gamma', 'beta', 'alpha'])
    expect(await names('', bob)).toEqual(['bobs'])
  })

  it('filters by computeType', async () => {
    expect(await names('?computeType=CPU')).toEqual(['delta', 'gamma'])
    expect(await names('?computeType=GPU')).toEqual(['on-volume', 'from-template', 'beta', 'alpha'])
  })

  it('filters by cpuFlavorId, as repeated keys or one comma-separated value', async () => {
    expect(await names('?cpuFlavorId=cpu3c')).toEqual(['gamma'])
    expect(await names('?cpuFlavorId=cpu3c&cpuFlavorId=cpu5g')).toEqual(['delta', 'gamma'])
    expect(await names('?cpuFlavorId=cpu3c,cpu5g')).toEqual(['delta', 'gamma'])
  })

  it('filters by dataCenterId', async () => {
    expect(await names('?dataCenterId=EU-RO-1')).toEqual(['on-volume', 'delta', 'beta'])
    expect(await names('?dataCenterId=EU-RO-1,US-TX-3')).toHaveLength(6)
  })

  it('filters by desiredStatus, TERMINATED included', async () => {
    expect(await names('?desiredStatus=EXITED')).toEqual(['beta'])
    expect(await names('?desiredStatus=RUNNING')).toEqual([
      'on-volume',
      'from-template',
      'delta',
      'gamma',
      'alpha',
    ])
    const terminated = await list('?desiredStatus=TERMINATED')
    expect(terminated.map((p) => p.name)).toEqual(['gone'])
    expect(terminated[0]!.desiredStatus).toBe('TERMINATED')
  })

  it('filters by gpuTypeId with + or %20 for spaces', async () => {
    expect(await names('?gpuTypeId=NVIDIA+GeForce+RTX+4090')).toEqual(['from-template', 'alpha'])
    expect(await names('?gpuTypeId=NVIDIA%20A40&gpuTypeId=NVIDIA+GeForce+RTX+4090')).toHaveLength(4)
    expect(await names('?gpuTypeId=NVIDIA%20A40,NVIDIA%20GeForce%20RTX%204090')).toHaveLength(4)
  })

  it('filters by id, imageName, name, networkVolumeId and templateId', async () => {
    expect(await names(`?id=${pods.gamma!.id}`)).toEqual(['gamma'])
    expect(await names('?imageName=img/b')).toEqual(['delta', 'beta'])
    expect(await names('?name=alpha')).toEqual(['alpha'])
    expect(await names('?networkVolumeId=volro00001')).toEqual(['on-volume'])
    expect(await names('?templateId=tplpytorch')).toEqual(['from-template'])
    expect(await names(`?id=${pods.bobs!.id}`)).toEqual([])
  })

  it('shows serverless workers only with includeWorkers=true', async () => {
    expect(await names('?endpointId=ep00000001')).toEqual([])
    expect(await names('?endpointId=ep00000001&includeWorkers=true')).toEqual(['worker'])
    expect(await names('?includeWorkers=true')).toContain('worker')
    const [worker] = await list('?endpointId=ep00000001&includeWorkers=true')
    expect(worker).toMatchObject({ endpointId: 'ep00000001', aiApiId: 'ep00000001' })
  })

  it('combines filters with AND', async () => {
    expect(await names('?gpuTypeId=NVIDIA+A40&dataCenterId=EU-RO-1&desiredStatus=RUNNING')).toEqual([
      'on-volume',
    ])
    expect(await names('?computeType=CPU&dataCenterId=EU-RO-1&imageName=img/b')).toEqual(['delta'])
    expect(await names('?computeType=CPU&gpuTypeId=NVIDIA+A40')).toEqual([])
  })

  it('adds machine only with includeMachine=true', async () => {
    expect((await list()).every((p) => p.machine === undefined)).toBe(true)
    const withMachine = await list('?includeMachine=true')
    expect(withMachine.every((p) => typeof p.machine === 'object')).toBe(true)
    const alpha = withMachine.find((p) => p.name === 'alpha')!
    expect(alpha.machine).toMatchObject({
      gpuTypeId: 'NVIDIA GeForce RTX 4090',
      dataCenterId: 'US-TX-3',
      secureCloud: true,
      gpuAvailable: 4, // 8 minus alpha, from-template, the worker and bob's pod
      cpuCount: 128,
      currentPricePerGpu: 0.69,
    })
    const gamma = withMachine.find((p) => p.name === 'gamma')!
    expect(gamma.machine).toMatchObject({ dataCenterId: 'US-TX-3', gpuAvailable: 0 })
  })

  it('adds networkVolume only with includeNetworkVolume=true, and only to pods that have one', async () => {
    expect((await list()).find((p) => p.name === 'on-volume')!.networkVolume).toBeUndefined()
    const included = await list('?includeNetworkVolume=true')
    expect(included.find((p) => p.name === 'on-volume')!.networkVolume).toEqual({
      id: 'volro00001',
      name: 'volume volro00001',
      size: 100,
      dataCenterId: 'EU-RO-1',
    })
    expect(included.find((p) => p.name === 'alpha')!.networkVolume).toBeUndefined()
  })

  it('adds savingsPlans only with includeSavingsPlans=true; adjustedCostPerHr always reflects them', async () => {
    const plain = await list()
    expect(plain.every((p) => p.savingsPlans === undefined)).toBe(true)
    const alpha = plain.find((p) => p.name === 'alpha')!
    expect(alpha).toMatchObject({ costPerHr: 0.69, adjustedCostPerHr: 0.5 })
    const included = await list('?includeSavingsPlans=true')
    expect(included.find((p) => p.name === 'alpha')!.savingsPlans).toEqual([
      expect.objectContaining({ id: 'cplan0000000000000000000001', podId: alpha.id, costPerHr: 0.5 }),
    ])
    expect(included.find((p) => p.name === 'gamma')!.savingsPlans).toEqual([])
  })

  it('adds template only with includeTemplate=true', async () => {
    expect((await list()).find((p) => p.name === 'from-template')!.template).toBeUndefined()
    const included = await list('?includeTemplate=true')
    expect(included.find((p) => p.name === 'from-template')!.template).toMatchObject({
      id: 'tplpytorch',
      isRunpod: true,
      ports: ['8888/http', '22/tcp', '6006/http'],
    })
    expect(included.find((p) => p.name === 'alpha')!.template).toBeUndefined()
  })

  it('takes every include flag at once', async () => {
    const all = await list(
      '?includeMachine=true&includeNetworkVolume=true&includeSavingsPlans=true&includeTemplate=true',
    )
    expect(all).toHaveLength(6)
  })

  it.each([
    ['?computeType=TPU', 'computeType must be one of: GPU, CPU'],
    ['?desiredStatus=PAUSED', 'desiredStatus must be one of'],
    ['?includeMachine=yes', 'includeMachine must be boolean'],
    ['?includeWorkers=1', 'includeWorkers must be boolean'],
    [`?name=${'n'.repeat(192)}`, 'name must NOT have more than 191 characters'],
    [`?endpointId=${'e'.repeat(192)}`, 'endpointId must NOT have more than 191 characters'],
    ['?gpuTypeId=NVIDIA+GeForce+RTX+9999', 'unknown value "NVIDIA GeForce RTX 9999"'],
    ['?dataCenterId=MARS-1', 'dataCenterId has unknown value'],
    ['?cpuFlavorId=cpu9z', 'cpuFlavorId has unknown value'],
  ])('answers %s with 400 naming the parameter', async (query, message) => {
    const res = await t.request('GET', `/v1/pods${query}`, { key: alice })
    expect(res.status).toBe(400)
    expect(res.body.error).toContain(message)
  })

  it('ignores unknown query parameters such as limit and cursor', async () => {
    expect(await names('?limit=2&cursor=abc&foo=bar')).toHaveLength(6)
  })

  it('accepts a name of exactly 191 characters', async () => {
    expect(await names(`?name=${'n'.repeat(191)}`)).toEqual([])
  })
})
