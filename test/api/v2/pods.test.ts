import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../helpers/app.js'
import { expectAllocationsConsistent } from '../../helpers/invariants.js'
import { cpuMachine, machine } from '../../helpers/machines.js'

const BOOT = 2000
const GPU = { id: 'NVIDIA GeForce RTX 4090', count: 1 }

describe('v2 pods', () => {
  let t: TestApp
  let key: string
  beforeEach(async () => {
    t = await createTestApp({
      machines: [machine({ id: 'host', gpu_count: 4, cuda_version: '12.8' }), cpuMachine({ id: 'cpu-host' })],
      bootMs: BOOT,
    })
    key = await t.key('alice')
  })
  afterEach(async () => {
    await expectAllocationsConsistent(t.db)
    await t.close()
  })

  const create = async (body: Record<string, unknown> = {}) => {
    const res = await t.request('POST', '/v2/pods', {
      key,
      body: { name: 'p', image: 'img', gpu: GPU, ...body },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return res.body
  }
  const act = (id: string, action: string) =>
    t.request('POST', `/v2/pods/${id}/action`, { key, body: { action } })
  const get = (id: string) => t.request('GET', `/v2/pods/${id}`, { key })

  it('creates a GPU pod that provisions, then runs with ports, SSH and live metrics', async () => {
    const pod = await create({
      ports: ['8888/http', '22/tcp'],
      env: { A: '1' },
      args: "python -c 'print(1)'",
    })
    expect(pod).toMatchObject({
      name: 'p',
      image: 'img',
      status: 'PROVISIONING',
      actions: ['stop', 'terminate'],
      gpu: { id: GPU.id, count: 1 },
      cloud: 'SECURE',
      dataCenterId: 'US-TX-3',
      cudaVersion: '12.8',
      env: { A: '1' },
      args: "python -c 'print(1)'",
      mounts: {},
      registry: null,
      template: null,
      runtime: null,
      locked: false,
      globalNetworking: { enabled: false },
      startedAt: pod.createdAt,
    })
    expect(pod.cost).toBeGreaterThan(0)
    expect(pod.ssh.proxy.host).toBe('ssh.runpod.io')
    expect(pod.ssh.direct).toBeNull()
    expect(pod.cpu).toBeUndefined()

    t.clock.advance(BOOT + 30_000)
    const running = (await get(pod.id)).body
    expect(running.status).toBe('RUNNING')
    expect(running.actions).toEqual(['stop', 'restart', 'terminate'])
    expect(running.runtime.uptime).toBe(30)
    expect(running.runtime.gpus).toHaveLength(1)
    const [http, tcp] = running.runtime.ports
    expect(http).toEqual({ private: 8888, public: null, type: 'http', ip: null })
    expect(tcp).toMatchObject({ private: 22, type: 'tcp', ip: expect.stringMatching(/^38\./) })
    expect(running.ssh.direct).toEqual({
      host: tcp.ip,
      port: tcp.public,
      username: 'root',
      command: `ssh root@${tcp.ip} -p ${tcp.public}`,
    })
  })

  it('creates a CPU pod with a memory derived from its flavor', async () => {
    const res = await t.request('POST', '/v2/pods', {
      key,
      body: { name: 'c', image: 'img', cpu: { id: 'cpu3c', vcpuCount: 4 } },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(res.body).toMatchObject({ cpu: { id: 'cpu3c', vcpuCount: 4, memory: 8 }, cudaVersion: null })
    expect(res.body.gpu).toBeUndefined()
  })

  it('answers rule violations with 400 and contract violations with 422 naming each field', async () => {
    const post = (body: unknown) => t.request('POST', '/v2/pods', { key, body })
    const both = await post({ name: 'x', image: 'i', gpu: GPU, cpu: { id: 'cpu3c', vcpuCount: 2 } })
    expect(both.status).toBe(400)
    expect(both.body.detail).toMatch(/exactly one of gpu or cpu/)
    expect((await post({ name: 'x', image: 'i' })).status).toBe(400)
    const mounts = await post({
      name: 'x',
      image: 'i',
      gpu: GPU,
      mounts: { persistent: { size: 20, path: '/w' }, network: [{ volumeId: 'v', path: '/n' }] },
    })
    expect(mounts.status).toBe(400)
    const cpuVolume = await post({
      name: 'x',
      image: 'i',
      cpu: { id: 'cpu3c', vcpuCount: 2 },
      mounts: { persistent: { size: 20, path: '/w' } },
    })
    expect(cpuVolume.status).toBe(400)
    expect((await post({ name: 'x', image: 'i', cpu: { id: 'cpu3c', vcpuCount: 6 } })).status).toBe(400)
    const cuda = await post({
      name: 'x',
      image: 'i',
      gpu: { ...GPU, allowedCudaVersions: ['12.8'], minCudaVersion: '12.1' },
    })
    expect(cuda.status).toBe(400)

    const unknown = await post({ name: 'x', image: 'i', gpu: { ...GPU, colour: 'red' }, bogus: 1 })
    expect(unknown.status).toBe(422)
    expect(unknown.body.errors).toEqual(
      expect.arrayContaining([
        "$: additional properties 'bogus' not allowed",
        "$.gpu: additional properties 'colour' not allowed",
      ]),
    )
    const types = await post({ name: '', image: 'i', gpu: { id: GPU.id, count: '2' } })
    expect(types.status).toBe(422)
    expect(types.body.errors.join('\n')).toMatch(/\$\.name: .*fewer than 1/)
    expect(types.body.errors.join('\n')).toMatch(/\$\.gpu\.count: must be integer/)
    const noImage = await post({ name: 'x', gpu: GPU })
    expect(noImage.status).toBe(422)
    expect(noImage.body.errors).toContain("$: missing property 'image'")
    const longName = await post({ name: 'n'.repeat(300), image: 'i', gpu: GPU })
    expect(longName.status).toBe(422)
    const malformed = await t.request('POST', '/v2/pods', { key, rawBody: '{"name":' })
    expect(malformed.status).toBe(400)
    expect(malformed.body.detail).toMatch(/malformed JSON/)
    expect((await t.db.selectFrom('pods').select('id').execute()).length).toBe(0)
  })

  it('answers a create no machine can take with 400, as v2 does for capacity', async () => {
    const res = await t.request('POST', '/v2/pods', {
      key,
      body: { name: 'x', image: 'i', gpu: { ...GPU, count: 8 } },
    })
    expect(res.status).toBe(400)
    expect(res.body.detail).toMatch(/no instances/i)
    const cuda = await t.request('POST', '/v2/pods', {
      key,
      body: { name: 'x', image: 'i', gpu: { ...GPU, minCudaVersion: '12.9' } },
    })
    expect(cuda.status).toBe(400)
    const ok = await t.request('POST', '/v2/pods', {
      key,
      body: { name: 'x', image: 'i', gpu: { ...GPU, minCudaVersion: '12.4' } },
    })
    expect(ok.status).toBe(201)
  })

  it('moves through stop, start, restart and terminate, refusing what the status does not allow', async () => {
    const pod = await create()
    t.clock.advance(BOOT)
    const stopped = await act(pod.id, 'stop')
    expect(stopped.status).toBe(200)
    expect(stopped.body).toMatchObject({
      status: 'EXITED',
      actions: ['start', 'terminate'],
      cost: 0,
      runtime: null,
    })
    const again = await act(pod.id, 'stop')
    expect(again.status).toBe(409)
    expect(again.body.detail).toMatch(/cannot stop pod: pod is exited/)
    expect((await act(pod.id, 'restart')).status).toBe(409)
    const started = await act(pod.id, 'start')
    expect(started.status).toBe(200)
    expect(started.body.status).toBe('STARTING')
    t.clock.advance(BOOT)
    const restarted = await act(pod.id, 'restart')
    expect(restarted.body).toMatchObject({
      status: 'STARTING',
      startedAt: new Date(t.clock.now()).toISOString(),
    })
    const unknown = await act(pod.id, 'reset')
    expect(unknown.status).toBe(422)
    expect(unknown.body.errors[0]).toMatch(/\$\.action: must be one of start, stop, restart, terminate/)
    const terminated = await act(pod.id, 'terminate')
    expect(terminated.status).toBe(204)
    expect((await get(pod.id)).status).toBe(404)
    expect((await act(pod.id, 'start')).status).toBe(404)
  })

  it('refuses to stop a locked pod with 409', async () => {
    const pod = await create()
    await t.request('PATCH', `/v2/pods/${pod.id}`, { key, body: { locked: true } })
    const res = await act(pod.id, 'stop')
    expect(res.status).toBe(409)
    expect(res.body.detail).toMatch(/locked/)
  })

  it('updates container settings and keeps v2’s mount rules', async () => {
    const pod = await create({ mounts: { persistent: { size: 20, path: '/workspace' } }, ports: ['22/tcp'] })
    expect(pod.mounts).toEqual({ persistent: { size: 20, path: '/workspace' } })
    const res = await t.request('PATCH', `/v2/pods/${pod.id}`, {
      key,
      body: {
        name: 'renamed',
        args: 'sleep infinity',
        env: { B: '2' },
        ports: ['22/tcp', '8888/http'],
        mounts: { persistent: { size: 40, path: '/data' } },
      },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body).toMatchObject({
      name: 'renamed',
      args: 'sleep infinity',
      env: { B: '2' },
      ports: ['22/tcp', '8888/http'],
      mounts: { persistent: { size: 40, path: '/data' } },
    })
    const shrink = await t.request('PATCH', `/v2/pods/${pod.id}`, {
      key,
      body: { mounts: { persistent: { size: 30, path: '/data' } } },
    })
    expect(shrink.status).toBe(400)
    const network = await t.request('PATCH', `/v2/pods/${pod.id}`, {
      key,
      body: { mounts: { network: [{ volumeId: 'v', path: '/n' }] } },
    })
    expect(network.status).toBe(400)
    const partial = await t.request('PATCH', `/v2/pods/${pod.id}`, {
      key,
      body: { mounts: { persistent: { size: 50 } } },
    })
    expect(partial.status).toBe(422)
    const unknown = await t.request('PATCH', `/v2/pods/${pod.id}`, { key, body: { imageName: 'x' } })
    expect(unknown.status).toBe(422)
    expect((await t.request('PATCH', '/v2/pods/nope', { key, body: { name: 'x' } })).status).toBe(404)
  })

  it('builds a pod from a template, merging env per key and keeping no link to it', async () => {
    const template = await t.request('POST', '/v1/templates', {
      key,
      body: {
        name: 'tpl',
        imageName: 'tpl-image',
        env: { A: 'template', B: 'template' },
        ports: ['8888/http'],
        containerDiskInGb: 33,
        volumeInGb: 15,
        volumeMountPath: '/tpl',
        dockerStartCmd: ['serve', '--port', '8888'],
      },
    })
    expect(template.status).toBe(200)
    const res = await t.request('POST', '/v2/pods', {
      key,
      body: { name: 'from-template', templateId: template.body.id, gpu: GPU, env: { B: 'body' } },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(res.body).toMatchObject({
      image: 'tpl-image',
      env: { A: 'template', B: 'body' },
      ports: ['8888/http'],
      disk: 33,
      mounts: { persistent: { size: 15, path: '/tpl' } },
      args: 'serve --port 8888',
      template: null,
    })
    const missing = await t.request('POST', '/v2/pods', {
      key,
      body: { name: 'x', templateId: 'nope', gpu: GPU },
    })
    expect(missing.status).toBe(404)
  })

  it('provisions SSH keys and a Jupyter password into the environment when asked', async () => {
    await t.store.account.setSshKeys('alice', ['ssh-ed25519 AAAA alice@laptop', 'ssh-rsa BBBB alice@desk'])
    const pod = await create({ startSsh: true, startJupyter: true })
    expect(pod.env.PUBLIC_KEY).toBe('ssh-ed25519 AAAA alice@laptop\nssh-rsa BBBB alice@desk')
    expect(pod.env.JUPYTER_PASSWORD).toMatch(/^[\w-]{16}$/)
    const own = await create({
      startSsh: true,
      startJupyter: true,
      env: { PUBLIC_KEY: 'mine', JUPYTER_PASSWORD: 'pw' },
    })
    expect(own.env).toMatchObject({ PUBLIC_KEY: 'mine', JUPYTER_PASSWORD: 'pw' })
    const plain = await create()
    expect(plain.env).toEqual({})
  })

  it('hides another user’s pod behind a 404 for every verb', async () => {
    const pod = await create()
    const bob = await t.key('bob')
    for (const [method, url, body] of [
      ['GET', `/v2/pods/${pod.id}`, undefined],
      ['PATCH', `/v2/pods/${pod.id}`, { name: 'x' }],
      ['DELETE', `/v2/pods/${pod.id}`, undefined],
      ['POST', `/v2/pods/${pod.id}/action`, { action: 'stop' }],
    ] as const) {
      const res = await t.request(method, url, { key: bob, body })
      expect(res.status, `${method} ${url}`).toBe(404)
      expect(res.body.detail).toBe('pod not found')
    }
    expect((await t.request('GET', '/v2/pods', { key: bob })).body.pods).toEqual([])
    expect((await get(pod.id)).body.status).toBe('PROVISIONING')
  })

  it('answers a known path with a wrong method with 405 and Allow', async () => {
    const res = await t.request('PUT', '/v2/pods', { key, body: {} })
    expect(res.status).toBe(405)
    expect(res.headers.allow).toBe('GET, HEAD, POST')
    const one = await t.request('POST', '/v2/pods/abc', { key, body: {} })
    expect(one.status).toBe(405)
    expect(one.headers.allow).toBe('DELETE, GET, HEAD, PATCH')
  })
})

describe('v2 and v1 over one pod', () => {
  let t: TestApp
  let key: string
  beforeEach(async () => {
    t = await createTestApp({ machines: [machine({ id: 'host' })], bootMs: BOOT })
    key = await t.key('alice')
  })
  afterEach(() => t.close())

  it('creates via v1, acts via v2, observes via v1', async () => {
    const created = await t.request('POST', '/v1/pods', {
      key,
      body: { name: 'v1-pod', imageName: 'img', gpuTypeIds: [GPU.id], dockerStartCmd: ['sleep', '1 h'] },
    })
    expect(created.status).toBe(201)
    t.clock.advance(BOOT)
    const seen = await t.request('GET', `/v2/pods/${created.body.id}`, { key })
    expect(seen.body).toMatchObject({ name: 'v1-pod', status: 'RUNNING', args: "sleep '1 h'" })
    expect(seen.body.mounts).toEqual({ persistent: { size: 20, path: '/workspace' } })
    expect(
      (await t.request('POST', `/v2/pods/${created.body.id}/action`, { key, body: { action: 'stop' } }))
        .status,
    ).toBe(200)
    const v1 = await t.request('GET', `/v1/pods/${created.body.id}`, { key })
    expect(v1.body).toMatchObject({ desiredStatus: 'EXITED', dockerStartCmd: ['sleep', '1 h'] })
  })

  it('creates via v2, acts via v1, observes via v2', async () => {
    const created = await t.request('POST', '/v2/pods', {
      key,
      body: { name: 'v2-pod', image: 'img', gpu: GPU, args: 'train --epochs 3' },
    })
    const v1 = await t.request('GET', `/v1/pods/${created.body.id}`, { key })
    expect(v1.body).toMatchObject({
      name: 'v2-pod',
      image: 'img',
      desiredStatus: 'RUNNING',
      dockerStartCmd: ['train', '--epochs', '3'],
      volumeInGb: 0,
    })
    await t.request('POST', `/v1/pods/${created.body.id}/stop`, { key })
    const listed = await t.request('GET', '/v2/pods', { key })
    expect(listed.body.pods.map((p: { id: string; status: string }) => [p.id, p.status])).toEqual([
      [created.body.id, 'EXITED'],
    ])
    await t.request('DELETE', `/v1/pods/${created.body.id}`, { key })
    expect((await t.request('GET', `/v2/pods/${created.body.id}`, { key })).status).toBe(404)
  })
})
