import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PodplaneError } from '../../src/client/index.js'
import { cpuMachine, machine } from '../helpers/machines.js'
import { rejection, type ServedApp, serveTestApp } from './server.js'

const RTX_4090 = 'NVIDIA GeForce RTX 4090'
const A40 = 'NVIDIA A40'

describe('the client on /v1, against a real server', () => {
  let s: ServedApp
  const urls: string[] = []
  beforeEach(async () => {
    s = await serveTestApp({
      machines: [
        machine({ id: 'tx', gpu_count: 8 }),
        machine({ id: 'ro', gpu_count: 8, data_center_id: 'EU-RO-1', gpu_type_id: A40, country_code: 'RO' }),
        cpuMachine({ id: 'cpu' }),
      ],
    })
    urls.length = 0
  })
  afterEach(() => s.close())

  const client = () => s.clientFor({ onResponse: (info) => urls.push(info.url) })

  it('creates, lists with every kind of filter, reads with includes, changes and deletes pods', async () => {
    const c = client()
    const tx = await c.v1.pods.create({ name: 'tx', imageName: 'runpod/base:0.6.2', gpuTypeIds: [RTX_4090] })
    s.t.clock.advance(1000)
    const ro = await c.v1.pods.create({
      name: 'ro',
      imageName: 'runpod/base:0.6.2',
      gpuTypeIds: [A40],
      dataCenterIds: ['EU-RO-1'],
      ports: ['22/tcp'],
    })
    expect(tx).toMatchObject({ name: 'tx', desiredStatus: 'RUNNING', gpu: { id: RTX_4090, count: 1 } })

    expect((await c.v1.pods.list()).map((p) => p.id)).toEqual([ro.id, tx.id])
    const both = await c.v1.pods.list({ dataCenterId: ['US-TX-3', 'EU-RO-1'], gpuTypeId: [RTX_4090, A40] })
    expect(both).toHaveLength(2)
    // Arrays go out as repeated keys, as RunPod's v1 takes them.
    expect(urls.at(-1)).toContain('dataCenterId=US-TX-3&dataCenterId=EU-RO-1')
    expect((await c.v1.pods.list({ dataCenterId: ['EU-RO-1'] })).map((p) => p.id)).toEqual([ro.id])
    expect((await c.v1.pods.list({ gpuTypeId: [RTX_4090], name: 'tx' })).map((p) => p.id)).toEqual([tx.id])
    expect(await c.v1.pods.list({ computeType: 'CPU' })).toEqual([])
    const withMachine = await c.v1.pods.list({ id: ro.id, includeMachine: true, includeTemplate: false })
    expect(withMachine[0]?.machine).toMatchObject({ dataCenterId: 'EU-RO-1' })
    expect(urls.at(-1)).toContain('includeMachine=true')

    expect((await c.v1.pods.get(ro.id, { includeMachine: true })).machine?.gpuTypeId).toBe(A40)
    expect((await c.v1.pods.get(ro.id)).machine).toBeUndefined()
    expect(await c.v1.pods.update(ro.id, { name: 'renamed' })).toMatchObject({ id: ro.id, name: 'renamed' })

    expect((await c.v1.pods.stop(ro.id)).desiredStatus).toBe('EXITED')
    expect(await c.v1.pods.list({ desiredStatus: 'EXITED' })).toHaveLength(1)
    expect((await c.v1.pods.start(ro.id)).desiredStatus).toBe('RUNNING')
    expect((await c.v1.pods.restart(ro.id)).desiredStatus).toBe('RUNNING')
    expect((await c.v1.pods.reset(ro.id)).desiredStatus).toBe('RUNNING')

    await expect(c.v1.pods.delete(ro.id)).resolves.toBeUndefined()
    expect((await c.v1.pods.list()).map((p) => p.id)).toEqual([tx.id])
    expect(await c.v1.pods.list({ desiredStatus: 'TERMINATED' })).toHaveLength(1)
  })

  it('types a v1 error with status, message, request id and body', async () => {
    const error = await rejection(s.client.v1.pods.get('nope'))
    expect(error).toBeInstanceOf(PodplaneError)
    expect(error).toMatchObject({
      status: 404,
      message: 'pod not found',
      body: { error: 'pod not found', status: 404 },
      errors: [],
      method: 'GET',
    })
    expect((error as PodplaneError).requestId).toMatch(/\S/)

    const bad = await rejection(s.client.v1.pods.create({ imageName: 'x', gpuCount: '2' as never }))
    expect(bad).toMatchObject({ status: 400, message: expect.stringContaining('gpuCount') })

    const anonymous = await rejection(s.clientFor({ apiKey: 'rpa_wrong' }).v1.pods.list())
    expect(anonymous).toMatchObject({ status: 401 })
  })

  it('manages templates, network volumes and container registry auths', async () => {
    const c = s.client
    const template = await c.v1.templates.create({ name: 'tpl', imageName: 'me/app:1', ports: ['8888/http'] })
    expect(template).toMatchObject({ name: 'tpl', imageName: 'me/app:1', isServerless: false })
    expect((await c.v1.templates.list()).map((x) => x.id)).toEqual([template.id])
    expect((await c.v1.templates.list({ includeRunpodTemplates: true })).length).toBeGreaterThan(1)
    expect(await c.v1.templates.get(template.id)).toEqual(template)
    expect((await c.v1.templates.update(template.id, { imageName: 'me/app:2' })).imageName).toBe('me/app:2')
    await c.v1.templates.delete(template.id)
    expect(await rejection(c.v1.templates.get(template.id))).toMatchObject({ status: 404 })

    const volume = await c.v1.networkVolumes.create({ name: 'data', size: 100, dataCenterId: 'EU-RO-1' })
    expect(volume).toMatchObject({ name: 'data', size: 100, dataCenterId: 'EU-RO-1' })
    expect(await c.v1.networkVolumes.list()).toEqual([volume])
    expect(await c.v1.networkVolumes.get(volume.id)).toEqual(volume)
    expect(await c.v1.networkVolumes.update(volume.id, { size: 200 })).toMatchObject({ size: 200 })
    await c.v1.networkVolumes.delete(volume.id)
    expect(await c.v1.networkVolumes.list()).toEqual([])

    const auth = await c.v1.containerRegistryAuths.create({ name: 'hub', username: 'me', password: 'secret' })
    expect(auth).toEqual({ id: expect.any(String), name: 'hub' })
    expect(await c.v1.containerRegistryAuths.list()).toEqual([auth])
    expect(await c.v1.containerRegistryAuths.get(auth.id)).toEqual(auth)
    await c.v1.containerRegistryAuths.delete(auth.id)
    expect(await c.v1.containerRegistryAuths.list()).toEqual([])
  })

  it('manages serverless endpoints and reads billing', async () => {
    const c = s.client
    const template = await c.v1.templates.create({ name: 'w', imageName: 'me/worker:1', isServerless: true })
    const endpoint = await c.v1.endpoints.create({
      templateId: template.id,
      name: 'inference',
      gpuTypeIds: [RTX_4090],
      workersMin: 1,
    })
    expect(endpoint).toMatchObject({ name: 'inference', templateId: template.id, workersMin: 1 })
    expect((await c.v1.endpoints.list()).map((e) => e.id)).toEqual([endpoint.id])
    const detailed = await c.v1.endpoints.get(endpoint.id, { includeTemplate: true, includeWorkers: true })
    expect(detailed.template?.id).toBe(template.id)
    expect(detailed.workers).toHaveLength(1)
    expect(await c.v1.endpoints.update(endpoint.id, { name: 'renamed' })).toMatchObject({ name: 'renamed' })

    await c.v1.pods.create({ imageName: 'runpod/base:0.6.2', gpuTypeIds: [RTX_4090] })
    await c.v1.networkVolumes.create({ name: 'data', size: 100, dataCenterId: 'US-TX-3' })
    s.t.clock.advance(2 * 3_600_000)
    const byPod = await c.v1.billing.pods({ grouping: 'podId', bucketSize: 'day' })
    expect(byPod.length).toBeGreaterThan(0)
    expect(byPod.every((r) => typeof r.amount === 'number' && r.podId !== undefined)).toBe(true)
    const byEndpoint = await c.v1.billing.endpoints({ gpuTypeId: [RTX_4090], dataCenterId: ['US-TX-3'] })
    expect(byEndpoint.some((r) => r.endpointId === endpoint.id)).toBe(true)
    const volumes = await c.v1.billing.networkVolumes({ bucketSize: 'hour' })
    expect(volumes.length).toBeGreaterThan(0)
    expect(volumes[0]).toHaveProperty('highPerformanceStorageAmount')

    await c.v1.endpoints.delete(endpoint.id)
    expect(await c.v1.endpoints.list()).toEqual([])
  })
})
