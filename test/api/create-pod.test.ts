import { afterEach, describe, expect, it } from 'vitest'
import { HOST_PORT_END, HOST_PORT_FIRST } from '../../src/store/host-ports.js'
import { createTestApp, type TestApp } from '../helpers/app.js'
import { insertNetworkVolume, insertRegistryAuth, insertTemplate } from '../helpers/fixtures.js'
import { cpuMachine, machine } from '../helpers/machines.js'

const RTX4090 = 'NVIDIA GeForce RTX 4090'

describe('POST /v1/pods', () => {
  let t: TestApp
  afterEach(() => t?.close())

  async function setup(machines = [machine({ id: 'only' })], bootMs = 0) {
    t = await createTestApp({ machines, bootMs })
    return t.key('alice')
  }
  const create = (key: string, body: Record<string, unknown>) => t.request('POST', '/v1/pods', { key, body })

  it('creates a pod with RunPod’s defaults and answers 201 with it', async () => {
    const key = await setup([machine({ id: 'host', gpu_count: 4, vcpu_count: 64, memory_gb: 256 })])
    const res = await create(key, { imageName: 'runpod/base:0.6.2' })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({
      name: 'my pod',
      image: 'runpod/base:0.6.2',
      consumerUserId: 'alice',
      desiredStatus: 'RUNNING',
      machineId: 'host',
      ports: ['8888/http', '22/tcp'],
      containerDiskInGb: 50,
      volumeInGb: 20,
      volumeMountPath: '/workspace',
      env: {},
      dockerEntrypoint: [],
      dockerStartCmd: [],
      interruptible: false,
      locked: false,
      volumeEncrypted: false,
      slsVersion: 0,
      costPerHr: 0.69,
      adjustedCostPerHr: 0.69,
      vcpuCount: 16,
      memoryInGb: 64,
      gpu: { id: RTX4090, count: 1, displayName: 'RTX 4090', securePrice: 0.69 },
    })
    expect(res.body.id).toMatch(/^[a-z0-9]{14}$/)
    expect(res.body.lastStartedAt).toBe(new Date(t.clock.now()).toISOString())
    expect(res.body.lastStatusChange).toBe(
      'Rented by User: Thu Jan 01 2026 00:00:00 GMT+0000 (Coordinated Universal Time)',
    )
    for (const absent of ['templateId', 'endpointId', 'aiApiId', 'networkVolume', 'machine', 'cpuFlavorId']) {
      expect(res.body).not.toHaveProperty(absent)
    }
    const fetched = await t.request('GET', `/v1/pods/${res.body.id}`, { key })
    expect(fetched.body).toEqual(res.body)
  })

  it('honours every container field of PodCreateInput', async () => {
    const key = await setup()
    await insertRegistryAuth(t.db, { id: 'cauth000000000000000000001', userId: 'alice' })
    const body = {
      name: 'trainer',
      imageName: 'ghcr.io/acme/train:1.2',
      env: { WANDB_API_KEY: 'k', EPOCHS: '3' },
      ports: ['8888/http', '22/tcp', '7860/http', '5000/tcp'],
      dockerEntrypoint: ['/bin/bash', '-lc'],
      dockerStartCmd: ['python', 'train.py'],
      containerDiskInGb: 80,
      volumeInGb: 120,
      volumeMountPath: '/data',
      locked: true,
      volumeEncrypted: true,
      containerRegistryAuthId: 'cauth000000000000000000001',
    }
    const res = await create(key, body)
    expect(res.status).toBe(201)
    const { imageName, ...rest } = body
    expect(res.body).toMatchObject({ ...rest, image: imageName })
  })

  it('prices by cloud, spot and GPU count, and keeps the numbers as JSON numbers', async () => {
    const key = await setup([
      machine({ id: 'secure', gpu_count: 8, vcpu_count: 128, memory_gb: 1024 }),
      machine({ id: 'community', secure_cloud: 0, gpu_count: 8, vcpu_count: 128, memory_gb: 1024 }),
    ])
    const secure = await create(key, { imageName: 'x', gpuCount: 2 })
    expect(secure.body).toMatchObject({ machineId: 'secure', costPerHr: 1.38 })
    const spot = await create(key, { imageName: 'x', interruptible: true })
    expect(spot.body).toMatchObject({ costPerHr: 0.38, interruptible: true })
    const community = await create(key, { imageName: 'x', cloudType: 'COMMUNITY', gpuCount: 3 })
    expect(community.body).toMatchObject({ machineId: 'community', costPerHr: 1.02 })
    expect(secure.raw).toMatch(/"costPerHr":1\.38[,}]/)
    expect(Number.isInteger(community.body.memoryInGb)).toBe(true)
  })

  it('creates CPU pods from vcpuCount and the flavor’s RAM per vCPU', async () => {
    const key = await setup([
      cpuMachine({ id: 'c3m', cpu_flavor_id: 'cpu3m' }),
      cpuMachine({ id: 'c5c', cpu_flavor_id: 'cpu5c' }),
    ])
    const res = await create(key, {
      imageName: 'x',
      computeType: 'CPU',
      cpuFlavorIds: ['cpu3m'],
      vcpuCount: 4,
    })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({
      machineId: 'c3m',
      cpuFlavorId: 'cpu3m',
      vcpuCount: 4,
      memoryInGb: 32,
      costPerHr: 0.14,
    })
    expect(res.body).not.toHaveProperty('gpu')
    const ordered = await create(key, {
      imageName: 'x',
      computeType: 'CPU',
      cpuFlavorIds: ['cpu5c', 'cpu3m'],
      cpuFlavorPriority: 'custom',
    })
    expect(ordered.body).toMatchObject({ machineId: 'c5c', vcpuCount: 2 })
  })

  it('places by every constraint of PodCreateInput', async () => {
    const key = await setup([
      machine({ id: 'cheap-a40', gpu_type_id: 'NVIDIA A40', data_center_id: 'EU-RO-1', country_code: 'RO' }),
      machine({ id: 'tx-4090', data_center_id: 'US-TX-3' }),
      machine({ id: 'is-4090', data_center_id: 'EUR-IS-1', country_code: 'IS' }),
      machine({
        id: 'fast',
        data_center_id: 'US-KS-2',
        disk_throughput_mbps: 9000,
        upload_mbps: 9000,
        download_mbps: 9000,
      }),
      machine({ id: 'cuda118', data_center_id: 'US-GA-1', cuda_version: '11.8' }),
      machine({
        id: 'fat',
        data_center_id: 'CA-MTL-1',
        country_code: 'CA',
        vcpu_count: 256,
        memory_gb: 2048,
      }),
      machine({
        id: 'no-ip',
        secure_cloud: 0,
        support_public_ip: 0,
        data_center_id: 'EU-SE-1',
        country_code: 'SE',
      }),
    ])
    const placedOn = async (body: Record<string, unknown>) => {
      const res = await create(key, { imageName: 'x', ...body })
      expect(res.status, JSON.stringify(res.body)).toBe(201)
      await t.request('DELETE', `/v1/pods/${res.body.id}`, { key })
      return res.body.machineId as string
    }
    expect(await placedOn({ gpuTypeIds: ['NVIDIA A40'] })).toBe('cheap-a40')
    // availability: the cheaper type wins whatever the list order; custom: the list order wins.
    expect(await placedOn({ gpuTypeIds: [RTX4090, 'NVIDIA A40'] })).toBe('cheap-a40')
    expect(await placedOn({ gpuTypeIds: [RTX4090, 'NVIDIA A40'], gpuTypePriority: 'custom' })).not.toBe(
      'cheap-a40',
    )
    expect(
      await placedOn({
        gpuTypeIds: [RTX4090],
        dataCenterIds: ['EUR-IS-1', 'US-TX-3'],
        dataCenterPriority: 'custom',
      }),
    ).toBe('is-4090')
    expect(await placedOn({ dataCenterIds: ['US-TX-3'] })).toBe('tx-4090')
    expect(await placedOn({ countryCodes: ['IS'] })).toBe('is-4090')
    expect(await placedOn({ minDiskBandwidthMBps: 5000 })).toBe('fast')
    expect(await placedOn({ minUploadMbps: 5000 })).toBe('fast')
    expect(await placedOn({ minDownloadMbps: 5000 })).toBe('fast')
    expect(await placedOn({ allowedCudaVersions: ['11.8'] })).toBe('cuda118')
    expect(await placedOn({ minRAMPerGPU: 200 })).toBe('fat')
    expect(await placedOn({ minVCPUPerGPU: 40 })).toBe('fat')
    expect(await placedOn({ cloudType: 'COMMUNITY' })).toBe('no-ip')
    expect(await placedOn({ cloudType: 'ALL', gpuTypeIds: [RTX4090], countryCodes: ['SE'] })).toBe('no-ip')
    const none = await create(key, { imageName: 'x', cloudType: 'COMMUNITY', supportPublicIp: true })
    expect(none.status).toBe(500)
  })

  it('answers RunPod’s 500 "no instances" when nothing fits', async () => {
    const key = await setup([machine({ gpu_count: 2 })])
    for (const body of [
      { gpuCount: 3 },
      { gpuTypeIds: ['NVIDIA H100 80GB HBM3'] },
      { dataCenterIds: ['AP-JP-1'] },
    ]) {
      const res = await create(key, { imageName: 'x', ...body })
      expect(res.status).toBe(500)
      expect(res.body).toEqual({
        error: 'create pod: There are no instances currently available',
        status: 500,
      })
    }
  })

  it('fills a pod from a template, letting the request override', async () => {
    const key = await setup()
    await insertTemplate(t.db, { id: 'tplofficial' })
    const res = await create(key, { templateId: 'tplofficial', env: { EXTRA: '1' } })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({
      templateId: 'tplofficial',
      image: 'runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04',
      ports: ['8888/http', '22/tcp', '6006/http'],
      containerDiskInGb: 30,
      volumeInGb: 40,
      dockerStartCmd: ['bash', '-c', 'start.sh'],
      env: { JUPYTER_PASSWORD: 'secret', EXTRA: '1' },
    })
    const overridden = await create(key, {
      templateId: 'tplofficial',
      imageName: 'mine:1',
      ports: ['22/tcp'],
      volumeInGb: 5,
    })
    expect(overridden.body).toMatchObject({
      image: 'mine:1',
      ports: ['22/tcp'],
      volumeInGb: 5,
      containerDiskInGb: 30,
    })
  })

  it('places a pod with a network volume in the volume’s data center only', async () => {
    const key = await setup([
      machine({ id: 'tx' }),
      machine({ id: 'ro', data_center_id: 'EU-RO-1', country_code: 'RO' }),
    ])
    await insertNetworkVolume(t.db, { id: 'volro00001', userId: 'alice', dataCenterId: 'EU-RO-1' })
    const res = await create(key, { imageName: 'x', networkVolumeId: 'volro00001' })
    expect(res.body).toMatchObject({ machineId: 'ro', volumeInGb: 0 })
    const conflicting = await create(key, {
      imageName: 'x',
      networkVolumeId: 'volro00001',
      dataCenterIds: ['US-TX-3'],
    })
    expect(conflicting.status).toBe(400)
    expect(conflicting.body.error).toContain('EU-RO-1')
  })

  it('offers global networking only to on-demand secure GPU pods in data centers that have it', async () => {
    const key = await setup([
      machine({ id: 'se', data_center_id: 'EU-SE-1' }),
      machine({ id: 'ro', data_center_id: 'EU-RO-1' }),
    ])
    expect((await create(key, { imageName: 'x', globalNetworking: true })).body.machineId).toBe('ro')
    for (const body of [
      { interruptible: true },
      { cloudType: 'COMMUNITY' },
      { computeType: 'CPU' },
      { dataCenterIds: ['EU-SE-1'] },
    ]) {
      const res = await create(key, { imageName: 'x', globalNetworking: true, ...body })
      expect(res.status).toBe(400)
      expect(res.body.error).toContain('globalNetworking')
    }
  })

  it('shows public IP and tcp port mappings only once the simulated boot completes', async () => {
    const key = await setup([machine({ id: 'host', public_ip: '38.1.2.3', next_port: 20000 })], 5000)
    const res = await create(key, { imageName: 'x', ports: ['8888/http', '22/tcp', '9000/tcp'] })
    expect(res.body).toMatchObject({ desiredStatus: 'RUNNING', publicIp: null, portMappings: {} })
    t.clock.advance(4999)
    expect((await t.request('GET', `/v1/pods/${res.body.id}`, { key })).body.publicIp).toBeNull()
    t.clock.advance(1)
    const running = await t.request('GET', `/v1/pods/${res.body.id}`, { key })
    expect(running.body).toMatchObject({ publicIp: '38.1.2.3', portMappings: { 22: 20000, 9000: 20001 } })
    const second = await create(key, { imageName: 'x', ports: ['22/tcp'] })
    t.clock.advance(5000)
    expect((await t.request('GET', `/v1/pods/${second.body.id}`, { key })).body.portMappings).toEqual({
      22: 20002,
    })
  })

  it('hands out host ports no live pod on the machine holds, also after its ports wrapped around', async () => {
    const key = await setup([machine({ id: 'host', public_ip: '38.1.2.3', gpu_count: 8 })])
    const pod = async (tcp: number) => {
      const ports = Array.from({ length: tcp }, (_, i) => `${22 + i}/tcp`)
      const created = await create(key, { imageName: 'x', ports })
      expect(created.status).toBe(201)
      return created.body.id as string
    }
    const hostPorts = async (id: string) =>
      Object.values((await t.request('GET', `/v1/pods/${id}`, { key })).body.portMappings as object)
    const stopped = await pod(1) // 10000, still held once stopped
    const gone = await pod(2) // 10001-10002, free again once terminated
    const kept = await pod(1) // 10003
    expect(await hostPorts(kept)).toEqual([HOST_PORT_FIRST + 3])
    expect((await t.request('POST', `/v1/pods/${stopped}/stop`, { key })).status).toBe(200)
    expect((await t.request('DELETE', `/v1/pods/${gone}`, { key })).status).toBe(204)
    // Fifty thousand ports later, the counter is about to wrap.
    await t.db
      .updateTable('machines')
      .set({ next_port: HOST_PORT_END - 2 })
      .where('id', '=', 'host')
      .execute()
    await t.store.fleet.reload(['host'])

    const last = await pod(2)
    expect(await hostPorts(last)).toEqual([HOST_PORT_END - 2, HOST_PORT_END - 1])
    const wrapped = await pod(2) // 10000 is held: the first free pair after it
    expect(await hostPorts(wrapped)).toEqual([HOST_PORT_FIRST + 1, HOST_PORT_FIRST + 2])
    const after = await pod(2) // 10003 is held: sequence goes on past it
    expect(await hostPorts(after)).toEqual([HOST_PORT_FIRST + 4, HOST_PORT_FIRST + 5])
    const live = (await t.request('GET', '/v1/pods', { key })).body as { portMappings: object }[]
    const held = live.flatMap((p) => Object.values(p.portMappings))
    expect(new Set(held).size).toBe(held.length)
  })

  it('gives no public IP on a machine without one', async () => {
    const key = await setup([machine({ secure_cloud: 0, support_public_ip: 0 })])
    const res = await create(key, { imageName: 'x', cloudType: 'COMMUNITY' })
    expect(res.body).toMatchObject({ publicIp: null, portMappings: {} })
  })

  it.each([
    [{ imageName: 'x', ports: ['8888'] }, 'ports: "8888" is not a port'],
    [{ imageName: 'x', ports: ['8888/udp'] }, 'is not a port'],
    [{ imageName: 'x', ports: ['70000/tcp'] }, 'is not a port'],
    [{ imageName: 'x', ports: ['22/tcp', '22/http'] }, 'port 22 is listed twice'],
    [{ imageName: 'x', volumeMountPath: 'workspace' }, 'volumeMountPath'],
    [{ imageName: 'x', gpuTypeIds: ['NVIDIA GeForce RTX 9999'] }, 'gpuTypeIds: unknown value'],
    [{ imageName: 'x', dataCenterIds: ['MARS-1'] }, 'dataCenterIds: unknown value'],
    [{ imageName: 'x', computeType: 'CPU', cpuFlavorIds: ['cpu9'] }, 'cpuFlavorIds: unknown value'],
    [{ imageName: 'x', templateId: 'nope' }, 'templateId: template nope not found'],
    [{ imageName: 'x', networkVolumeId: 'nope' }, 'networkVolumeId: network volume nope not found'],
    [{ imageName: 'x', containerRegistryAuthId: 'nope' }, 'containerRegistryAuthId'],
    [{ name: 'no image' }, 'imageName is required'],
    [{ imageName: 'x', gpuCount: 0 }, 'gpuCount must be >= 1'],
    [{ imageName: 'x', gpuCount: 1.5 }, 'gpuCount must be integer'],
    [{ imageName: 'x', gpuCount: '2' }, 'gpuCount must be integer'],
    [{ imageName: 'x', cloudType: 'PRIVATE' }, 'cloudType must be one of'],
    [{ imageName: 'x', allowedCudaVersions: ['10.2'] }, 'allowedCudaVersions.0 must be one of'],
    [{ imageName: 'x', env: { A: 1 } }, 'env.A must be string'],
    [{ imageName: 'x', name: 'n'.repeat(192) }, 'name must NOT have more than 191 characters'],
    [{ imageName: 'x', interruptible: 'yes' }, 'interruptible must be boolean'],
  ])('refuses %j with 400', async (body, message) => {
    const key = await setup()
    const res = await create(key, body)
    expect(res.status).toBe(400)
    expect(res.body.error).toContain(message)
    expect(await t.db.selectFrom('pods').selectAll().execute()).toEqual([])
    expect((await t.db.selectFrom('machines').select('gpu_used').executeTakeFirstOrThrow()).gpu_used).toBe(0)
  })

  it('reads empty id lists as "any"', async () => {
    const key = await setup()
    const res = await create(key, {
      imageName: 'x',
      gpuTypeIds: [],
      dataCenterIds: [],
      countryCodes: [],
      allowedCudaVersions: [],
    })
    expect(res.status).toBe(201)
  })

  it('ignores unknown body fields, as RunPod does', async () => {
    const key = await setup()
    const res = await create(key, { imageName: 'x', gpuTypeId: 'legacy singular', somethingNew: true })
    expect(res.status).toBe(201)
  })
})
