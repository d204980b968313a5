import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../helpers/app.js'
import { insertNetworkVolume, insertRegistryAuth, insertTemplate } from '../helpers/fixtures.js'
import { machine } from '../helpers/machines.js'

describe('user isolation', () => {
  let t: TestApp
  let alice: string
  let bob: string
  let alicesPod: Record<string, any>

  beforeAll(async () => {
    t = await createTestApp({ machines: [machine({ gpu_count: 8, vcpu_count: 128, memory_gb: 512 })] })
    alice = await t.key('alice')
    bob = await t.key('bob')
    await insertTemplate(t.db, { id: 'alicetpl01', userId: 'alice' })
    await insertNetworkVolume(t.db, { id: 'alicevol01', userId: 'alice', dataCenterId: 'US-TX-3' })
    await insertRegistryAuth(t.db, { id: 'cauthalice000000000000001', userId: 'alice' })
    const res = await t.request('POST', '/v1/pods', {
      key: alice,
      body: {
        name: 'secret-project',
        templateId: 'alicetpl01',
        networkVolumeId: 'alicevol01',
        containerRegistryAuthId: 'cauthalice000000000000001',
      },
    })
    expect(res.status).toBe(201)
    alicesPod = res.body
  })
  afterAll(() => t.close())

  const snapshot = () =>
    t.db.selectFrom('pods').selectAll().where('id', '=', alicesPod.id).executeTakeFirstOrThrow()

  it('hides another user’s pod behind a 404 on every route, changing nothing', async () => {
    const before = await snapshot()
    const id = alicesPod.id
    for (const [method, url, body] of [
      ['GET', `/v1/pods/${id}`, undefined],
      ['GET', `/v1/pods/${id}?includeMachine=true&includeWorkers=true`, undefined],
      ['PATCH', `/v1/pods/${id}`, { name: 'pwned' }],
      ['POST', `/v1/pods/${id}/update`, { imageName: 'evil' }],
      ['POST', `/v1/pods/${id}/stop`, undefined],
      ['POST', `/v1/pods/${id}/start`, undefined],
      ['POST', `/v1/pods/${id}/restart`, undefined],
      ['POST', `/v1/pods/${id}/reset`, undefined],
      ['DELETE', `/v1/pods/${id}`, undefined],
    ] as const) {
      const res = await t.request(method, url, { key: bob, body })
      expect(res.status, `${method} ${url}`).toBe(404)
      expect(res.body).toEqual({ error: 'pod not found', status: 404 })
    }
    expect(await snapshot()).toEqual(before)
  })

  it('never lists another user’s pod, whatever the filter', async () => {
    const queries = [
      '',
      `?id=${alicesPod.id}`,
      '?name=secret-project',
      '?templateId=alicetpl01',
      '?networkVolumeId=alicevol01',
      '?gpuTypeId=NVIDIA+GeForce+RTX+4090&dataCenterId=US-TX-3&desiredStatus=RUNNING',
      '?includeWorkers=true&includeMachine=true&includeNetworkVolume=true&includeTemplate=true&includeSavingsPlans=true',
      '?desiredStatus=TERMINATED',
    ]
    for (const q of queries) {
      const res = await t.request('GET', `/v1/pods${q}`, { key: bob })
      expect(res.body, q).toEqual([])
    }
  })

  it('refuses to build a pod from another user’s private template, volume or registry auth', async () => {
    for (const [field, value] of [
      ['templateId', 'alicetpl01'],
      ['networkVolumeId', 'alicevol01'],
      ['containerRegistryAuthId', 'cauthalice000000000000001'],
    ]) {
      const res = await t.request('POST', '/v1/pods', { key: bob, body: { imageName: 'x', [field!]: value } })
      expect(res.status).toBe(400)
      expect(res.body.error).toContain(`${field}:`)
      expect(res.body.error).toContain('not found')
    }
    expect(await t.db.selectFrom('pods').selectAll().where('user_id', '=', 'bob').execute()).toEqual([])
  })

  it('still lets the owner see the pod with every include', async () => {
    const res = await t.request(
      'GET',
      `/v1/pods/${alicesPod.id}?includeNetworkVolume=true&includeTemplate=true&includeMachine=true`,
      { key: alice },
    )
    expect(res.body).toMatchObject({
      name: 'secret-project',
      networkVolume: { id: 'alicevol01' },
      template: { id: 'alicetpl01' },
    })
  })
})
