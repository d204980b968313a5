import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../helpers/app.js'
import { machine } from '../helpers/machines.js'

describe('/v1/networkvolumes', () => {
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
    t.request('POST', '/v1/networkvolumes', { key, body })

  it('creates (200), lists, gets, renames and grows a volume', async () => {
    const res = await create({ name: 'datasets', size: 100, dataCenterId: 'EU-RO-1' })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[a-z0-9]{10}$/),
      name: 'datasets',
      size: 100,
      dataCenterId: 'EU-RO-1',
    })
    const id = res.body.id
    expect((await t.request('GET', '/v1/networkvolumes', { key: alice })).body).toEqual([res.body])
    expect((await t.request('GET', `/v1/networkvolumes/${id}`, { key: alice })).body).toEqual(res.body)
    const grown = await t.request('PATCH', `/v1/networkvolumes/${id}`, {
      key: alice,
      body: { size: 250, name: 'data' },
    })
    expect(grown.body).toMatchObject({ size: 250, name: 'data' })
    const posted = await t.request('POST', `/v1/networkvolumes/${id}/update`, {
      key: alice,
      body: { size: 300 },
    })
    expect(posted.body.size).toBe(300)
  })

  it('never shrinks a volume', async () => {
    const id = (await create({ name: 'v', size: 100, dataCenterId: 'US-TX-3' })).body.id
    const res = await t.request('PATCH', `/v1/networkvolumes/${id}`, { key: alice, body: { size: 50 } })
    expect(res.status).toBe(400)
    expect(res.body.error).toContain('can only grow')
  })

  it('places pods on the volume’s data center and refuses to delete a volume in use', async () => {
    const id = (await create({ name: 'shared', size: 50, dataCenterId: 'EU-RO-1' })).body.id
    const pod = await t.request('POST', '/v1/pods', {
      key: alice,
      body: { imageName: 'x', networkVolumeId: id },
    })
    expect(pod.status).toBe(201)
    const withVolume = await t.request('GET', `/v1/pods/${pod.body.id}?includeNetworkVolume=true`, {
      key: alice,
    })
    expect(withVolume.body.networkVolume).toEqual({ id, name: 'shared', size: 50, dataCenterId: 'EU-RO-1' })
    expect(withVolume.body).toMatchObject({ machineId: expect.any(String) })
    const refused = await t.request('DELETE', `/v1/networkvolumes/${id}`, { key: alice })
    expect(refused.status).toBe(400)
    expect(refused.body.error).toContain(`in use by pod ${pod.body.id}`)
    await t.request('DELETE', `/v1/pods/${pod.body.id}`, { key: alice })
    expect((await t.request('DELETE', `/v1/networkvolumes/${id}`, { key: alice })).status).toBe(204)
    expect((await t.request('GET', `/v1/networkvolumes/${id}`, { key: alice })).status).toBe(404)
  })

  it('keeps volumes private to their owner', async () => {
    const id = (await create({ name: 'private', size: 10, dataCenterId: 'US-TX-3' })).body.id
    expect((await t.request('GET', '/v1/networkvolumes', { key: bob })).body).toEqual([])
    for (const [method, url, body] of [
      ['GET', `/v1/networkvolumes/${id}`, undefined],
      ['PATCH', `/v1/networkvolumes/${id}`, { name: 'x' }],
      ['POST', `/v1/networkvolumes/${id}/update`, { size: 500 }],
      ['DELETE', `/v1/networkvolumes/${id}`, undefined],
    ] as const) {
      const res = await t.request(method, url, { key: bob, body })
      expect(res.status).toBe(404)
      expect(res.body.error).toBe('network volume not found')
    }
    const pod = await t.request('POST', '/v1/pods', {
      key: bob,
      body: { imageName: 'x', networkVolumeId: id },
    })
    expect(pod.status).toBe(400)
  })

  it.each([
    [{ name: 'v', size: 10 }, 'body dataCenterId is required'],
    [{ name: 'v', size: 10, dataCenterId: 'MARS-1' }, 'dataCenterId: unknown value "MARS-1"'],
    [{ name: 'v', size: 4001, dataCenterId: 'US-TX-3' }, 'size must be <= 4000'],
    [{ name: 'v', size: 'big', dataCenterId: 'US-TX-3' }, 'size must be integer'],
    [{ size: 10, dataCenterId: 'US-TX-3' }, 'body name is required'],
  ])('refuses %j with 400', async (body, message) => {
    const res = await create(body)
    expect(res.status).toBe(400)
    expect(res.body.error).toContain(message)
  })
})

describe('/v1/containerregistryauth', () => {
  let t: TestApp
  let alice: string
  let bob: string
  beforeAll(async () => {
    t = await createTestApp()
    alice = await t.key('alice')
    bob = await t.key('bob')
  })
  afterAll(() => t.close())

  it('creates (200), lists, gets and deletes; never returns the username or password', async () => {
    const res = await t.request('POST', '/v1/containerregistryauth', {
      key: alice,
      body: { name: 'ghcr', username: 'octo', password: 'hunter2-very-secret' },
    })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ id: expect.stringMatching(/^c[a-z0-9]{24}$/), name: 'ghcr' })
    const id = res.body.id
    const list = await t.request('GET', '/v1/containerregistryauth', { key: alice })
    expect(list.body).toEqual([{ id, name: 'ghcr' }])
    const one = await t.request('GET', `/v1/containerregistryauth/${id}`, { key: alice })
    for (const r of [res, list, one]) {
      expect(r.raw).not.toContain('hunter2')
      expect(r.raw).not.toContain('octo')
    }
    expect((await t.request('DELETE', `/v1/containerregistryauth/${id}`, { key: alice })).status).toBe(204)
    expect((await t.request('GET', `/v1/containerregistryauth/${id}`, { key: alice })).status).toBe(404)
  })

  it('stores the password encrypted and can open it for the runtime', async () => {
    const res = await t.request('POST', '/v1/containerregistryauth', {
      key: alice,
      body: { name: 'dockerhub', username: 'me', password: 'p@ss-in-clear' },
    })
    const row = await t.db
      .selectFrom('container_registry_auths')
      .selectAll()
      .where('id', '=', res.body.id)
      .executeTakeFirstOrThrow()
    expect(row.password_encrypted).not.toContain('p@ss')
    expect(row.password_encrypted).toMatch(/^v1\./)
    expect(await t.ctx.registryAuths.password('alice', res.body.id)).toBe('p@ss-in-clear')
  })

  it('keeps names unique per user and auths private', async () => {
    const first = await t.request('POST', '/v1/containerregistryauth', {
      key: alice,
      body: { name: 'ecr', username: 'a', password: 'b' },
    })
    const again = await t.request('POST', '/v1/containerregistryauth', {
      key: alice,
      body: { name: 'ecr', username: 'a', password: 'b' },
    })
    expect(again.status).toBe(400)
    expect(again.body.error).toContain('already have')
    expect(
      (
        await t.request('POST', '/v1/containerregistryauth', {
          key: bob,
          body: { name: 'ecr', username: 'a', password: 'b' },
        })
      ).status,
    ).toBe(200)
    expect((await t.request('GET', `/v1/containerregistryauth/${first.body.id}`, { key: bob })).status).toBe(
      404,
    )
    expect(
      (await t.request('DELETE', `/v1/containerregistryauth/${first.body.id}`, { key: bob })).status,
    ).toBe(404)
  })

  it('refuses to delete an auth a pod uses', async () => {
    const auth = await t.request('POST', '/v1/containerregistryauth', {
      key: alice,
      body: { name: 'used', username: 'a', password: 'b' },
    })
    const pod = await t.request('POST', '/v1/pods', {
      key: alice,
      body: { imageName: 'private/img', containerRegistryAuthId: auth.body.id },
    })
    expect(pod.body.containerRegistryAuthId).toBe(auth.body.id)
    const refused = await t.request('DELETE', `/v1/containerregistryauth/${auth.body.id}`, { key: alice })
    expect(refused.status).toBe(400)
    expect(refused.body.error).toContain(`pod ${pod.body.id}`)
  })

  it.each([
    [{ name: 'x', username: 'u' }, 'body password is required'],
    [{ name: 'x', password: 'p' }, 'body username is required'],
    [{ username: 'u', password: 'p' }, 'body name is required'],
    [{ name: 'x', username: 'u', password: '' }, 'password must NOT have fewer than 1 characters'],
  ])('refuses %j with 400', async (body, message) => {
    const res = await t.request('POST', '/v1/containerregistryauth', { key: alice, body })
    expect(res.status).toBe(400)
    expect(res.body.error).toContain(message)
  })
})

describe('secret key', () => {
  it('is generated beside the SQLite file with mode 0600 and reused', async () => {
    const { loadSecret } = await import('../../src/secret.js')
    const { mkdtempSync, statSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    const dir = mkdtempSync(join(tmpdir(), 'podplane-secret-'))
    const db = join(dir, 'sub', 'podplane.db')
    const first = loadSecret(db, {})
    expect(first).toMatch(/^[0-9a-f]{64}$/)
    expect(statSync(join(dir, 'sub', 'secret.key')).mode & 0o777).toBe(0o600)
    expect(loadSecret(db, {})).toBe(first)
    expect(readFileSync(join(dir, 'sub', 'secret.key'), 'utf8').trim()).toBe(first)
    expect(loadSecret(db, { PODPLANE_SECRET: 'from-env' })).toBe('from-env')
    expect(() => loadSecret('postgres://localhost/x', {})).toThrow(/PODPLANE_SECRET/)
  })
})
