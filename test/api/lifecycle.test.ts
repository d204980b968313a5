import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../helpers/app.js'
import { expectAllocationsConsistent } from '../helpers/invariants.js'
import { machine } from '../helpers/machines.js'

const BOOT = 2000

describe('pod lifecycle', () => {
  let t: TestApp
  let key: string
  beforeEach(async () => {
    t = await createTestApp({ machines: [machine({ id: 'host', gpu_count: 2, disk_gb: 500 })], bootMs: BOOT })
    key = await t.key('alice')
  })
  afterEach(async () => {
    await expectAllocationsConsistent(t.db)
    await t.close()
  })

  const create = async (body: Record<string, unknown> = {}) => {
    const res = await t.request('POST', '/v1/pods', { key, body: { imageName: 'x', ...body } })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return res.body
  }
  const running = async (body: Record<string, unknown> = {}) => {
    const pod = await create(body)
    t.clock.advance(BOOT)
    return pod
  }
  const act = (id: string, action: string) => t.request('POST', `/v1/pods/${id}/${action}`, { key })
  const get = (id: string) => t.request('GET', `/v1/pods/${id}`, { key })
  const host = () =>
    t.db.selectFrom('machines').selectAll().where('id', '=', 'host').executeTakeFirstOrThrow()

  it('stop: RUNNING → EXITED, answering 200 with the pod and giving the GPUs back', async () => {
    const pod = await running()
    expect((await host()).gpu_used).toBe(1)
    const res = await act(pod.id, 'stop')
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ id: pod.id, desiredStatus: 'EXITED', publicIp: null, portMappings: {} })
    expect(res.body.lastStatusChange).toMatch(/^Exited by User: /)
    expect(await host()).toMatchObject({ gpu_used: 0, vcpu_used: 0, memory_used: 0, disk_used: 70 })
  })

  it('start: EXITED → RUNNING on the same machine, through a boot', async () => {
    const pod = await running()
    await act(pod.id, 'stop')
    t.clock.advance(60_000)
    const res = await act(pod.id, 'start')
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ desiredStatus: 'RUNNING', machineId: 'host', publicIp: null })
    expect(res.body.lastStartedAt).toBe(new Date(t.clock.now()).toISOString())
    t.clock.advance(BOOT)
    expect((await get(pod.id)).body.publicIp).not.toBeNull()
    expect((await host()).gpu_used).toBe(1)
  })

  it('start fails with RunPod’s message when the GPUs were taken meanwhile, changing nothing', async () => {
    const first = await running({ gpuCount: 2 })
    await act(first.id, 'stop')
    await running({ gpuCount: 2 })
    const res = await act(first.id, 'start')
    expect(res.status).toBe(400)
    expect(res.body.error).toBe('There are not enough free GPUs on the host machine to start this pod.')
    expect((await get(first.id)).body.desiredStatus).toBe('EXITED')
  })

  it('restart and reset take a running pod back through boot', async () => {
    const pod = await running()
    for (const [action, text] of [
      ['restart', 'Restarted by User'],
      ['reset', 'Reset by User'],
    ] as const) {
      const res = await act(pod.id, action)
      expect(res.status).toBe(200)
      expect(res.body).toMatchObject({ desiredStatus: 'RUNNING', publicIp: null, portMappings: {} })
      expect(res.body.lastStatusChange).toMatch(new RegExp(`^${text}: `))
      t.clock.advance(BOOT)
      expect((await get(pod.id)).body.publicIp).not.toBeNull()
    }
  })

  it.each([
    ['start', 'running', 'cannot start pod: pod is running'],
    ['restart', 'booting', 'cannot restart pod: pod is provisioning'],
    ['reset', 'booting', 'cannot reset pod: pod is provisioning'],
    ['restart', 'exited', 'cannot restart pod: pod is exited'],
    ['reset', 'exited', 'cannot reset pod: pod is exited'],
    ['stop', 'exited', 'cannot stop pod: pod is exited'],
  ])('refuses %s on a %s pod with 400', async (action, state, message) => {
    const pod = state === 'booting' ? await create() : await running()
    if (state === 'exited') await act(pod.id, 'stop')
    const before = await t.db
      .selectFrom('pods')
      .selectAll()
      .where('id', '=', pod.id)
      .executeTakeFirstOrThrow()
    const res = await act(pod.id, action)
    expect(res.status).toBe(400)
    expect(res.body.error).toBe(message)
    const after = await t.db.selectFrom('pods').selectAll().where('id', '=', pod.id).executeTakeFirstOrThrow()
    expect(after).toEqual(before)
  })

  it('lets a booting pod be stopped', async () => {
    const pod = await create()
    expect((await act(pod.id, 'stop')).body.desiredStatus).toBe('EXITED')
  })

  it('refuses to stop or reset a locked pod, but restarts it', async () => {
    const pod = await running({ locked: true })
    for (const action of ['stop', 'reset']) {
      const res = await act(pod.id, action)
      expect(res.status).toBe(400)
      expect(res.body.error).toBe(`cannot ${action} pod: pod is locked; set locked to false first`)
    }
    expect((await act(pod.id, 'restart')).status).toBe(200)
    t.clock.advance(BOOT)
    await t.request('PATCH', `/v1/pods/${pod.id}`, { key, body: { locked: false } })
    expect((await act(pod.id, 'stop')).status).toBe(200)
  })

  it('delete: 204 with no body, then the pod is gone and everything it held is free', async () => {
    const pod = await running({ containerDiskInGb: 100, volumeInGb: 50 })
    const res = await t.request('DELETE', `/v1/pods/${pod.id}`, { key })
    expect(res.status).toBe(204)
    expect(res.raw).toBe('')
    expect((await get(pod.id)).body).toEqual({ error: 'pod not found', status: 404 })
    expect((await t.request('DELETE', `/v1/pods/${pod.id}`, { key })).status).toBe(404)
    expect((await act(pod.id, 'start')).status).toBe(404)
    expect(await host()).toMatchObject({ gpu_used: 0, vcpu_used: 0, memory_used: 0, disk_used: 0 })
  })

  it('delete frees the disk of a stopped pod too', async () => {
    const pod = await running()
    await act(pod.id, 'stop')
    expect((await host()).disk_used).toBe(70)
    expect((await t.request('DELETE', `/v1/pods/${pod.id}`, { key })).status).toBe(204)
    expect((await host()).disk_used).toBe(0)
  })

  it('answers unknown pod ids with 404 on every route', async () => {
    for (const [method, url] of [
      ['GET', '/v1/pods/nope'],
      ['PATCH', '/v1/pods/nope'],
      ['POST', '/v1/pods/nope/update'],
      ['DELETE', '/v1/pods/nope'],
      ['POST', '/v1/pods/nope/stop'],
    ] as const) {
      const res = await t.request(method, url, {
        key,
        body: method === 'PATCH' || url.endsWith('update') ? { name: 'n' } : undefined,
      })
      expect(res.status).toBe(404)
      expect(res.body.error).toBe('pod not found')
    }
  })

  it('accepts an empty JSON body with a JSON content-type on actions', async () => {
    const pod = await running()
    const res = await t.request('POST', `/v1/pods/${pod.id}/stop`, {
      key,
      rawBody: '',
      headers: { 'content-type': 'application/json' },
    })
    expect(res.status).toBe(200)
  })
})

describe('PATCH /v1/pods/{podId}', () => {
  let t: TestApp
  let key: string
  beforeEach(async () => {
    t = await createTestApp({ machines: [machine({ id: 'host', disk_gb: 300 })], bootMs: BOOT })
    key = await t.key('alice')
  })
  afterEach(async () => {
    await expectAllocationsConsistent(t.db)
    await t.close()
  })

  const running = async () => {
    const res = await t.request('POST', '/v1/pods', { key, body: { imageName: 'x' } })
    t.clock.advance(BOOT)
    return res.body
  }
  const patch = (id: string, body: unknown) => t.request('PATCH', `/v1/pods/${id}`, { key, body })

  it('renames and locks in place, without a reset', async () => {
    const pod = await running()
    const res = await patch(pod.id, { name: 'renamed', locked: true })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      name: 'renamed',
      locked: true,
      publicIp: pod.publicIp ?? expect.any(String),
    })
    expect(res.body.lastStatusChange).toBe(pod.lastStatusChange)
  })

  it('resets a running pod when the container changes, and boots it with the new settings', async () => {
    const pod = await running()
    const res = await t.request('POST', `/v1/pods/${pod.id}/update`, {
      key,
      body: {
        imageName: 'y:2',
        env: { A: 'b' },
        dockerStartCmd: ['sleep', 'infinity'],
        ports: ['22/tcp', '3000/tcp'],
      },
    })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      image: 'y:2',
      env: { A: 'b' },
      ports: ['22/tcp', '3000/tcp'],
      publicIp: null,
    })
    expect(res.body.lastStatusChange).toMatch(/^Reset by User: /)
    t.clock.advance(BOOT)
    const booted = await t.request('GET', `/v1/pods/${pod.id}`, { key })
    expect(Object.keys(booted.body.portMappings)).toEqual(['22', '3000'])
  })

  it('changes a stopped pod without starting it', async () => {
    const pod = await running()
    await t.request('POST', `/v1/pods/${pod.id}/stop`, { key })
    const res = await patch(pod.id, { imageName: 'y:2' })
    expect(res.body).toMatchObject({ image: 'y:2', desiredStatus: 'EXITED' })
  })

  it('grows disks within the machine, and refuses to shrink the volume or outgrow the disk', async () => {
    const pod = await running()
    expect((await patch(pod.id, { volumeInGb: 100, containerDiskInGb: 20 })).body).toMatchObject({
      volumeInGb: 100,
      containerDiskInGb: 20,
    })
    const host = () => t.db.selectFrom('machines').select('disk_used').executeTakeFirstOrThrow()
    expect((await host()).disk_used).toBe(120)
    const shrink = await patch(pod.id, { volumeInGb: 10 })
    expect(shrink.status).toBe(400)
    expect(shrink.body.error).toContain('volumeInGb')
    const huge = await patch(pod.id, { containerDiskInGb: 1000 })
    expect(huge.status).toBe(400)
    expect(huge.body.error).toContain('disk')
    expect((await host()).disk_used).toBe(120)
  })

  it.each([
    [{ name: 'n'.repeat(192) }, 'name must NOT have more than 191 characters'],
    [{ ports: ['80/ftp'] }, 'is not a port'],
    [{ locked: 'true' }, 'locked must be boolean'],
    [{ volumeMountPath: 'rel' }, 'volumeMountPath'],
    [{ containerRegistryAuthId: 'nope' }, 'containerRegistryAuthId'],
  ])('refuses %j with 400 and changes nothing', async (body, message) => {
    const pod = await running()
    const before = await t.db.selectFrom('pods').selectAll().executeTakeFirstOrThrow()
    const res = await patch(pod.id, body)
    expect(res.status).toBe(400)
    expect(res.body.error).toContain(message)
    expect(await t.db.selectFrom('pods').selectAll().executeTakeFirstOrThrow()).toEqual(before)
  })
})
