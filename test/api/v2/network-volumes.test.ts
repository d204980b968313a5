import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../helpers/app.js'
import { machine } from '../../helpers/machines.js'

describe('/v2/network-volumes', () => {
  let t: TestApp
  let alice: string
  let bob: string
  beforeAll(async () => {
    t = await createTestApp({
      machines: [
        machine({ data_center_id: 'US-TX-3' }),
        machine({ data_center_id: 'EU-RO-1', country_code: 'RO' }),
      ],
    })
    alice = await t.key('alice')
    bob = await t.key('bob')
  })
  afterAll(() => t.close())

  const create = (body: Record<string, unknown>, key = alice) =>
    t.request('POST', '/v2/network-volumes', { key, body })

  it('creates (201), lists, gets, renames and grows a volume', async () => {
    const res = await create({ name: 'datasets', size: 100, dataCenter: 'EU-RO-1', type: 'HIGH_PERFORMANCE' })
    expect(res.status).toBe(201)
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[a-z0-9]{10}$/),
      name: 'datasets',
      size: 100,
      dataCenter: 'EU-RO-1',
      type: 'HIGH_PERFORMANCE',
    })
    const { id } = res.body
    expect(
      (await t.request('GET', '/v2/network-volumes', { key: alice })).body.networkVolumes,
    ).toContainEqual(res.body)
    expect((await t.request('GET', `/v2/network-volumes/${id}`, { key: alice })).body).toEqual(res.body)
    const grown = await t.request('PATCH', `/v2/network-volumes/${id}`, {
      key: alice,
      body: { name: 'datasets-2', size: 200 },
    })
    expect(grown.status).toBe(200)
    expect(grown.body).toEqual({ ...res.body, name: 'datasets-2', size: 200 })
    const same = await t.request('PATCH', `/v2/network-volumes/${id}`, { key: alice, body: { size: 200 } })
    expect(same.status).toBe(200)
  })

  it('gives a volume created without a type its data center’s primary tier', async () => {
    const res = await create({ name: 'plain', size: 10, dataCenter: 'US-TX-3' })
    expect(res.body.type).toBe('STANDARD')
  })

  it('never shrinks a volume (400)', async () => {
    const id = (await create({ name: 'fixed', size: 50, dataCenter: 'US-TX-3' })).body.id
    const res = await t.request('PATCH', `/v2/network-volumes/${id}`, { key: alice, body: { size: 20 } })
    expect(res.status).toBe(400)
    expect(res.body.detail).toBe('size: a network volume can only grow (it is 50 GB)')
  })

  it('refuses to delete a volume a pod uses (400), then deletes it (204)', async () => {
    const id = (await create({ name: 'mounted', size: 50, dataCenter: 'EU-RO-1' })).body.id
    const pod = await t.request('POST', '/v1/pods', {
      key: alice,
      body: { imageName: 'x', networkVolumeId: id },
    })
    expect(pod.status).toBe(201)
    const refused = await t.request('DELETE', `/v2/network-volumes/${id}`, { key: alice })
    expect(refused.status).toBe(400)
    expect(refused.body.detail).toContain(`in use by pod ${pod.body.id}`)
    await t.request('DELETE', `/v1/pods/${pod.body.id}`, { key: alice })
    expect((await t.request('DELETE', `/v2/network-volumes/${id}`, { key: alice })).status).toBe(204)
    expect((await t.request('GET', `/v2/network-volumes/${id}`, { key: alice })).status).toBe(404)
  })

  it('hides another user’s volume behind a 404', async () => {
    const id = (await create({ name: 'alice-only', size: 10, dataCenter: 'US-TX-3' })).body.id
    expect((await t.request('GET', '/v2/network-volumes', { key: bob })).body).toEqual({ networkVolumes: [] })
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { size: 500 }],
      ['DELETE', undefined],
    ] as const) {
      const res = await t.request(method, `/v2/network-volumes/${id}`, { key: bob, body })
      expect(res.status).toBe(404)
      expect(res.body.detail).toBe('network volume not found')
    }
    expect((await t.request('GET', `/v2/network-volumes/${id}`, { key: alice })).body.size).toBe(10)
  })

  it('refuses a data center the catalog does not know with 400 naming dataCenter', async () => {
    const res = await create({ name: 'v', size: 10, dataCenter: 'MARS-1' })
    expect(res.status).toBe(400)
    expect(res.body.detail).toBe('dataCenter: unknown value "MARS-1"')
  })

  it.each([
    [{ name: 'v', size: 10 }, "$: missing property 'dataCenter'"],
    [{ name: 'v', size: 10, dataCenterId: 'US-TX-3' }, "$: additional properties 'dataCenterId' not allowed"],
    [{ name: 'v', size: 5, dataCenter: 'US-TX-3' }, '$.size: must be >= 10'],
    [{ name: 'v', size: 4097, dataCenter: 'US-TX-3' }, '$.size: must be <= 4096'],
    [{ name: 'v', size: '10', dataCenter: 'US-TX-3' }, '$.size: must be integer'],
    [
      { name: 'v', size: 10, dataCenter: 'US-TX-3', type: 'FAST' },
      '$.type: must be one of STANDARD, HIGH_PERFORMANCE',
    ],
    [{ name: '', size: 10, dataCenter: 'US-TX-3' }, '$.name: must NOT have fewer than 1 characters'],
  ])('refuses %j with 422 naming the field', async (body, error) => {
    const res = await create(body)
    expect(res.status).toBe(422)
    expect(res.body.errors).toContain(error)
  })

  it('refuses an empty or unknown PATCH with 422', async () => {
    const id = (await create({ name: 'patchy', size: 10, dataCenter: 'US-TX-3' })).body.id
    const empty = await t.request('PATCH', `/v2/network-volumes/${id}`, { key: alice, body: {} })
    expect(empty.status).toBe(422)
    expect(empty.body.errors[0]).toContain('$: must NOT have fewer than 1 properties')
    const moved = await t.request('PATCH', `/v2/network-volumes/${id}`, {
      key: alice,
      body: { type: 'STANDARD' },
    })
    expect(moved.status).toBe(422)
    expect(moved.body.errors).toContain("$: additional properties 'type' not allowed")
  })

  describe('one volume, two wire formats', () => {
    it('manages a v1 volume through v2 and sees the change in v1', async () => {
      const v1 = await t.request('POST', '/v1/networkvolumes', {
        key: alice,
        body: { name: 'from-v1', size: 20, dataCenterId: 'US-TX-3' },
      })
      const { id } = v1.body
      const seen = await t.request('GET', `/v2/network-volumes/${id}`, { key: alice })
      expect(seen.body).toEqual({ id, name: 'from-v1', size: 20, dataCenter: 'US-TX-3', type: 'STANDARD' })
      await t.request('PATCH', `/v2/network-volumes/${id}`, { key: alice, body: { size: 40 } })
      expect((await t.request('GET', `/v1/networkvolumes/${id}`, { key: alice })).body).toEqual({
        id,
        name: 'from-v1',
        size: 40,
        dataCenterId: 'US-TX-3',
      })
      const shrink = await t.request('PATCH', `/v1/networkvolumes/${id}`, { key: alice, body: { size: 30 } })
      expect(shrink.status).toBe(400)
    })

    it('manages a v2 volume through v1 and sees the change in v2', async () => {
      const v2 = await create({ name: 'from-v2', size: 30, dataCenter: 'EU-RO-1', type: 'HIGH_PERFORMANCE' })
      const { id } = v2.body
      expect((await t.request('GET', '/v1/networkvolumes', { key: alice })).body).toContainEqual({
        id,
        name: 'from-v2',
        size: 30,
        dataCenterId: 'EU-RO-1',
      })
      await t.request('PATCH', `/v1/networkvolumes/${id}`, { key: alice, body: { name: 'renamed-in-v1' } })
      expect((await t.request('GET', `/v2/network-volumes/${id}`, { key: alice })).body).toEqual({
        id,
        name: 'renamed-in-v1',
        size: 30,
        dataCenter: 'EU-RO-1',
        type: 'HIGH_PERFORMANCE',
      })
      expect((await t.request('DELETE', `/v1/networkvolumes/${id}`, { key: alice })).status).toBe(204)
      expect((await t.request('GET', `/v2/network-volumes/${id}`, { key: alice })).status).toBe(404)
    })
  })
})
