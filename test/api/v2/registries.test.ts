import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../helpers/app.js'

const PASSWORD = 'correct-horse-battery-staple'
const USERNAME = 'registry-user-7'

describe('/v2/registries', () => {
  let t: TestApp
  let alice: string
  let bob: string
  /** Every response body this suite saw, to prove credentials never leave the server. */
  const seen: string[] = []
  beforeAll(async () => {
    t = await createTestApp()
    alice = await t.key('alice')
    bob = await t.key('bob')
  })
  afterAll(() => t.close())

  const send = async (method: string, url: string, key: string, body?: unknown) => {
    const res = await t.request(method, url, { key, body })
    seen.push(res.raw)
    return res
  }
  const create = (name: string, key = alice) =>
    send('POST', '/v2/registries', key, { name, username: USERNAME, password: PASSWORD })

  it('creates (201), lists, gets and deletes (204) a credential', async () => {
    const res = await create('dockerhub')
    expect(res.status).toBe(201)
    expect(res.body).toEqual({ id: expect.stringMatching(/^c[a-z0-9]{24}$/), name: 'dockerhub' })
    const { id } = res.body
    expect((await send('GET', '/v2/registries', alice)).body.registries).toContainEqual(res.body)
    expect((await send('GET', `/v2/registries/${id}`, alice)).body).toEqual(res.body)
    expect((await send('DELETE', `/v2/registries/${id}`, alice)).status).toBe(204)
    expect((await send('GET', `/v2/registries/${id}`, alice)).status).toBe(404)
  })

  it('keeps the password sealed and openable for the runtime only', async () => {
    const { id } = (await create('sealed')).body
    const row = await t.db
      .selectFrom('container_registry_auths')
      .select('password_encrypted')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(row.password_encrypted).not.toContain(PASSWORD)
    expect(await t.ctx.registryAuths.password('alice', id)).toBe(PASSWORD)
  })

  it('keeps names unique per user (400) and credentials private (404)', async () => {
    const { id } = (await create('ghcr')).body
    const clash = await create('ghcr')
    expect(clash.status).toBe(400)
    expect(clash.body.detail).toContain('already have a container registry auth named "ghcr"')
    expect((await create('ghcr', bob)).status).toBe(201)
    expect((await send('GET', '/v2/registries', bob)).body.registries.map((r: any) => r.id)).not.toContain(id)
    for (const method of ['GET', 'DELETE']) {
      const res = await send(method, `/v2/registries/${id}`, bob)
      expect(res.status).toBe(404)
      expect(res.body.detail).toBe('container registry auth not found')
    }
  })

  it('refuses to delete a credential a pod pulls with (400)', async () => {
    const { id } = (await create('pulls')).body
    const pod = await send('POST', '/v1/pods', alice, {
      imageName: 'private/img',
      containerRegistryAuthId: id,
    })
    expect(pod.status).toBe(201)
    const refused = await send('DELETE', `/v2/registries/${id}`, alice)
    expect(refused.status).toBe(400)
    expect(refused.body.detail).toContain(`in use by pod ${pod.body.id}`)
    await send('DELETE', `/v1/pods/${pod.body.id}`, alice)
    expect((await send('DELETE', `/v2/registries/${id}`, alice)).status).toBe(204)
  })

  it('deletes a credential templates use; they lose the reference', async () => {
    const { id } = (await create('for-templates')).body
    const template = await send('POST', '/v2/templates', alice, {
      name: 'private-img',
      image: 'x',
      registry: id,
    })
    expect(template.body.registry).toBe(id)
    expect((await send('DELETE', `/v2/registries/${id}`, alice)).status).toBe(204)
    expect((await send('GET', `/v2/templates/${template.body.id}`, alice)).body.registry).toBeNull()
    const v1 = await send('GET', `/v1/templates/${template.body.id}`, alice)
    expect(v1.body).not.toHaveProperty('containerRegistryAuthId')
  })

  it.each([
    [{ name: 'x', username: 'u' }, "$: missing property 'password'"],
    [{ name: 'x', password: 'p' }, "$: missing property 'username'"],
    [{ name: 'x', username: 'u', password: '' }, '$.password: must NOT have fewer than 1 characters'],
    [
      { name: 'x', username: 'u', password: 'p', server: 'ghcr.io' },
      "$: additional properties 'server' not allowed",
    ],
    [{ name: 7, username: 'u', password: 'p' }, '$.name: must be string'],
  ])('refuses %j with 422 naming the field', async (body, error) => {
    const res = await send('POST', '/v2/registries', alice, body)
    expect(res.status).toBe(422)
    expect(res.body.errors).toContain(error)
  })

  describe('one credential, two wire formats', () => {
    it('shows a v1 auth in v2 and deletes it there', async () => {
      const v1 = await send('POST', '/v1/containerregistryauth', alice, {
        name: 'from-v1',
        username: USERNAME,
        password: PASSWORD,
      })
      const { id } = v1.body
      expect((await send('GET', `/v2/registries/${id}`, alice)).body).toEqual({ id, name: 'from-v1' })
      expect((await send('DELETE', `/v2/registries/${id}`, alice)).status).toBe(204)
      expect((await send('GET', `/v1/containerregistryauth/${id}`, alice)).status).toBe(404)
    })

    it('shows a v2 credential in v1 and lets a v1 template use it', async () => {
      const { id } = (await create('from-v2')).body
      expect((await send('GET', '/v1/containerregistryauth', alice)).body).toContainEqual({
        id,
        name: 'from-v2',
      })
      const template = await send('POST', '/v1/templates', alice, {
        name: 'v1-private',
        imageName: 'x',
        containerRegistryAuthId: id,
      })
      expect((await send('GET', `/v2/templates/${template.body.id}`, alice)).body.registry).toBe(id)
      expect((await send('DELETE', `/v1/containerregistryauth/${id}`, alice)).status).toBe(204)
    })
  })

  // Runs last: the suite's tests run in order.
  it('never returned a username or password in any response above', () => {
    expect(seen.length).toBeGreaterThan(20)
    const all = seen.join('\n')
    expect(all).not.toContain(PASSWORD)
    expect(all).not.toContain(USERNAME)
  })
})

describe('/v2/registries/delegations', () => {
  let t: TestApp
  let alice: string
  let bob: string
  beforeAll(async () => {
    t = await createTestApp()
    alice = await t.key('alice')
    bob = await t.key('bob')
  })
  afterAll(() => t.close())

  const ARN = 'arn:aws:ecr:us-east-2:418399314813:repository/runpod/deployment'
  const create = (body: Record<string, unknown>, key = alice) =>
    t.request('POST', '/v2/registries/delegations', { key, body })

  it('registers (201), lists and revokes (204) a delegation', async () => {
    const res = await create({ resource: ARN, name: 'deploy' })
    expect(res.status).toBe(201)
    expect(res.body).toEqual({
      id: expect.any(String),
      name: 'deploy',
      delegatorUserId: 'alice',
      awsUser: '418399314813',
      repository: 'runpod/deployment',
      tag: 'latest',
      awsRegion: 'us-east-2',
      dockerRegistryUri: '418399314813.dkr.ecr.us-east-2.amazonaws.com',
      createdAt: '2026-01-01T00:00:00.000Z',
    })
    const list = await t.request('GET', '/v2/registries/delegations', { key: alice })
    expect(list.body).toEqual({ delegations: [res.body] })
    expect(
      (await t.request('DELETE', `/v2/registries/delegations/${res.body.id}`, { key: alice })).status,
    ).toBe(204)
    expect((await t.request('GET', '/v2/registries/delegations', { key: alice })).body.delegations).toEqual(
      [],
    )
  })

  it('takes a tag after the repository and a null name', async () => {
    const res = await create({ resource: `${ARN}-gpu:v1.2`, name: null })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ name: null, repository: 'runpod/deployment-gpu', tag: 'v1.2' })
  })

  it('refuses a malformed ARN or a repeated one with 400', async () => {
    const malformed = await create({ resource: 'arn:aws:s3:::my-bucket' })
    expect(malformed.status).toBe(400)
    expect(malformed.body.detail).toMatch(/^resource: .* is not an ECR repository ARN/)
    expect((await create({ resource: `${ARN}/again` })).status).toBe(201)
    const repeated = await create({ resource: `${ARN}/again` })
    expect(repeated.status).toBe(400)
    expect(repeated.body.detail).toContain('already delegated')
  })

  it('refuses bad bodies with 422', async () => {
    const missing = await create({ name: 'x' })
    expect(missing.status).toBe(422)
    expect(missing.body.errors).toContain("$: missing property 'resource'")
    const extra = await create({ resource: ARN, role: 'admin' })
    expect(extra.body.errors).toContain("$: additional properties 'role' not allowed")
  })

  it('keeps delegations private: another user’s is a 404', async () => {
    const { id } = (await create({ resource: `${ARN}/private` })).body
    expect((await t.request('GET', '/v2/registries/delegations', { key: bob })).body.delegations).toEqual([])
    const res = await t.request('DELETE', `/v2/registries/delegations/${id}`, { key: bob })
    expect(res.status).toBe(404)
    expect(res.body.detail).toBe('delegation not found')
    expect((await t.request('DELETE', '/v2/registries/delegations/nope', { key: alice })).status).toBe(404)
  })
})
