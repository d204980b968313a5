import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../helpers/app.js'
import { machine } from '../../helpers/machines.js'

describe('/v2/templates', () => {
  let t: TestApp
  let alice: string
  let bob: string
  beforeAll(async () => {
    t = await createTestApp({ machines: [machine({ gpu_count: 8, vcpu_count: 128, memory_gb: 512 })] })
    alice = await t.key('alice')
    bob = await t.key('bob')
  })
  afterAll(() => t.close())

  const create = (key: string, body: Record<string, unknown>) =>
    t.request('POST', '/v2/templates', { key, body })
  const ids = async (key: string, url = '/v2/templates') =>
    ((await t.request('GET', url, { key })).body.templates as { id: string }[]).map((x) => x.id)

  it('creates a template (201) with v2’s defaults and reads it back', async () => {
    const res = await create(alice, { name: 'plain', image: 'me/torch:1' })
    expect(res.status).toBe(201)
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[a-z0-9]{10}$/),
      name: 'plain',
      image: 'me/torch:1',
      args: '',
      disk: 50,
      mounts: {},
      ports: [],
      env: {},
      registry: null,
      serverless: false,
      public: false,
      category: 'NVIDIA',
      startSsh: true,
      startJupyter: true,
      allowedCudaVersions: [],
    })
    expect((await t.request('GET', `/v2/templates/${res.body.id}`, { key: alice })).body).toEqual(res.body)
  })

  it('keeps every v2 field: args, mounts, flags, CUDA versions, registry', async () => {
    const registry = await t.request('POST', '/v2/registries', {
      key: alice,
      body: { name: 'hub', username: 'me', password: 'pw' },
    })
    const body = {
      name: 'full',
      image: 'me/train:2',
      args: "python train.py --note 'two words'",
      disk: 30,
      mounts: { persistent: { size: 40, path: '/data' } },
      ports: ['8888/http', '22/tcp'],
      env: { A: '1' },
      registry: registry.body.id,
      category: 'AMD',
      public: false,
      serverless: false,
      startSsh: false,
      startJupyter: false,
      allowedCudaVersions: ['12.8', '12.6'],
    }
    const res = await create(alice, body)
    expect(res.status).toBe(201)
    expect(res.body).toEqual({ id: expect.any(String), ...body })
  })

  it('lists only the caller’s own templates, endpoint-bound ones included', async () => {
    const worker = (await create(alice, { name: 'worker', image: 'w', serverless: true })).body.id
    await t.request('POST', '/v1/endpoints', { key: alice, body: { templateId: worker, workersMin: 0 } })
    const shared = (await create(bob, { name: 'bob-shared', image: 'x', public: true })).body.id
    const own = await ids(alice)
    expect(own).toContain(worker)
    expect(own).not.toContain(shared)
    expect(own).not.toContain('runpod-torch-v240')
    expect(await ids(bob)).toEqual([shared])
  })

  it('reads public and official templates by id, without their registry', async () => {
    const registry = await t.request('POST', '/v2/registries', {
      key: bob,
      body: { name: 'bob-hub', username: 'b', password: 'pw' },
    })
    const shared = await create(bob, {
      name: 'bob-public',
      image: 'x',
      public: true,
      registry: registry.body.id,
    })
    expect(shared.body.registry).toBe(registry.body.id)
    const seen = await t.request('GET', `/v2/templates/${shared.body.id}`, { key: alice })
    expect(seen.status).toBe(200)
    expect(seen.body).toMatchObject({ name: 'bob-public', public: true, registry: null })
    const official = await t.request('GET', '/v2/templates/runpod-torch-v240', { key: alice })
    expect(official.body).toMatchObject({
      public: true,
      mounts: { persistent: { size: 50, path: '/workspace' } },
    })
  })

  it('hides another user’s private template behind a 404', async () => {
    const hidden = (await create(bob, { name: 'bob-private', image: 'x' })).body.id
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { name: 'mine' }],
      ['DELETE', undefined],
    ] as const) {
      const res = await t.request(method, `/v2/templates/${hidden}`, { key: alice, body })
      expect(res.status).toBe(404)
      expect(res.body.detail).toBe('template not found')
    }
  })

  it('answers 404 when changing public or official templates the caller does not own', async () => {
    const shared = (await create(bob, { name: 'bob-public-2', image: 'x', public: true })).body.id
    for (const id of [shared, 'runpod-torch-v240']) {
      const patch = await t.request('PATCH', `/v2/templates/${id}`, { key: alice, body: { name: 'mine' } })
      expect(patch.status).toBe(404)
      expect((await t.request('DELETE', `/v2/templates/${id}`, { key: alice })).status).toBe(404)
    }
  })

  it('patches only the fields sent; `{}` mounts and omitted fields stay as they were', async () => {
    const id = (
      await create(alice, {
        name: 'to-patch',
        image: 'x',
        args: 'serve',
        mounts: { persistent: { size: 20, path: '/workspace' } },
        env: { KEEP: '1' },
      })
    ).body.id
    const res = await t.request('PATCH', `/v2/templates/${id}`, {
      key: alice,
      body: { name: 'patched', mounts: {}, category: 'CPU', allowedCudaVersions: ['12.4'], startSsh: false },
    })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      name: 'patched',
      image: 'x',
      args: 'serve',
      mounts: { persistent: { size: 20, path: '/workspace' } },
      env: { KEEP: '1' },
      category: 'CPU',
      allowedCudaVersions: ['12.4'],
      startSsh: false,
      startJupyter: true,
    })
    const cleared = await t.request('PATCH', `/v2/templates/${id}`, {
      key: alice,
      body: { allowedCudaVersions: [], mounts: { persistent: { size: 60, path: '/vol' } } },
    })
    expect(cleared.body).toMatchObject({
      allowedCudaVersions: [],
      mounts: { persistent: { size: 60, path: '/vol' } },
    })
  })

  it('sets and clears a template’s registry', async () => {
    const registry = (
      await t.request('POST', '/v2/registries', {
        key: alice,
        body: { name: 'ghcr', username: 'u', password: 'p' },
      })
    ).body.id
    const id = (await create(alice, { name: 'private-image', image: 'ghcr.io/me/x' })).body.id
    const set = await t.request('PATCH', `/v2/templates/${id}`, { key: alice, body: { registry } })
    expect(set.body.registry).toBe(registry)
    const cleared = await t.request('PATCH', `/v2/templates/${id}`, { key: alice, body: { registry: null } })
    expect(cleared.body.registry).toBeNull()
  })

  it('turns a pod template serverless, dropping its pod volume', async () => {
    const id = (
      await create(alice, {
        name: 'becomes-worker',
        image: 'x',
        mounts: { persistent: { size: 20, path: '/w' } },
      })
    ).body.id
    const res = await t.request('PATCH', `/v2/templates/${id}`, { key: alice, body: { serverless: true } })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ serverless: true, mounts: {} })
  })

  it.each([
    [{ name: 'bad-port', image: 'x', ports: ['http'] }, 'ports: "http" is not a port'],
    [
      { name: 'bad-path', image: 'x', mounts: { persistent: { size: 20, path: 'rel' } } },
      'mounts.persistent.path:',
    ],
    [{ name: 'bad-args', image: 'x', args: "echo 'open" }, 'args: unterminated single quote'],
    [{ name: 'pub-worker', image: 'x', serverless: true, public: true }, 'public: serverless templates'],
    [
      { name: 'vol-worker', image: 'x', serverless: true, mounts: { persistent: { size: 20, path: '/w' } } },
      'mounts.persistent.size: serverless templates have no pod volume',
    ],
    [
      { name: 'no-registry', image: 'x', registry: 'nope' },
      'registry: container registry auth nope not found',
    ],
    [{ name: 'plain', image: 'x' }, 'name: you already have a template named "plain"'],
  ])('refuses rule violations with 400: %j', async (body, detail) => {
    const res = await create(alice, body)
    expect(res.status).toBe(400)
    expect(res.body.detail).toContain(detail)
  })

  it.each([
    [{ image: 'x' }, "$: missing property 'name'"],
    [{ name: 'x' }, "$: missing property 'image'"],
    [{ name: 'x', image: 'x', imageName: 'y' }, "$: additional properties 'imageName' not allowed"],
    [{ name: 'x', image: 'x', disk: 'big' }, '$.disk: must be integer'],
    [{ name: 'x', image: 'x', category: 'TPU' }, '$.category: must be one of CPU, NVIDIA, AMD'],
    [
      { name: 'x', image: 'x', mounts: { network: [] } },
      "$.mounts: additional properties 'network' not allowed",
    ],
    [
      { name: 'x', image: 'x', mounts: { persistent: { size: 5, path: '/w' } } },
      '$.mounts.persistent.size: must be >= 10',
    ],
    [
      { name: 'x', image: 'x', allowedCudaVersions: ['twelve'] },
      '$.allowedCudaVersions.0: must match pattern',
    ],
  ])('refuses contract violations with 422 naming the field: %j', async (body, error) => {
    const res = await create(alice, body)
    expect(res.status).toBe(422)
    expect(res.body.errors.join('\n')).toContain(error)
  })

  it('refuses unknown fields on PATCH with 422', async () => {
    const id = (await create(alice, { name: 'strict', image: 'x' })).body.id
    const res = await t.request('PATCH', `/v2/templates/${id}`, { key: alice, body: { readme: '# no' } })
    expect(res.status).toBe(422)
    expect(res.body.errors).toEqual(["$: additional properties 'readme' not allowed"])
  })

  it('deletes a template (204) unless a pod or an endpoint uses it', async () => {
    const gone = (await create(alice, { name: 'short-lived', image: 'x' })).body.id
    expect((await t.request('DELETE', `/v2/templates/${gone}`, { key: alice })).status).toBe(204)
    expect((await t.request('GET', `/v2/templates/${gone}`, { key: alice })).status).toBe(404)

    const used = (await create(alice, { name: 'pod-base', image: 'runpod/base:0.6.2' })).body.id
    const pod = await t.request('POST', '/v1/pods', { key: alice, body: { templateId: used } })
    expect(pod.status).toBe(201)
    const refused = await t.request('DELETE', `/v2/templates/${used}`, { key: alice })
    expect(refused.status).toBe(400)
    expect(refused.body.detail).toContain(`in use by pod ${pod.body.id}`)
    await t.request('DELETE', `/v1/pods/${pod.body.id}`, { key: alice })
    expect((await t.request('DELETE', `/v2/templates/${used}`, { key: alice })).status).toBe(204)

    const bound = (await create(alice, { name: 'bound-worker', image: 'w', serverless: true })).body.id
    await t.request('POST', '/v1/endpoints', { key: alice, body: { templateId: bound, workersMin: 0 } })
    const busy = await t.request('DELETE', `/v2/templates/${bound}`, { key: alice })
    expect(busy.status).toBe(400)
    expect(busy.body.detail).toContain('in use by endpoint')
    const unbind = await t.request('PATCH', `/v2/templates/${bound}`, {
      key: alice,
      body: { serverless: false },
    })
    expect(unbind.status).toBe(400)
    expect(unbind.body.detail).toMatch(/^serverless: .* in use by endpoint/)
  })

  it('answers 405 with Allow for a method the path does not take', async () => {
    const res = await t.request('PUT', '/v2/templates/abc', { key: alice, body: {} })
    expect(res.status).toBe(405)
    expect(res.headers.allow).toContain('PATCH')
  })

  describe('one template, two wire formats', () => {
    it('shows a v1 template in v2 and applies v2 changes seen back in v1', async () => {
      const v1 = await t.request('POST', '/v1/templates', {
        key: alice,
        body: {
          name: 'from-v1',
          imageName: 'me/app:1',
          dockerStartCmd: ['python', 'app.py', 'a b'],
          volumeInGb: 25,
          volumeMountPath: '/data',
          ports: ['8000/http'],
          env: { X: 'y' },
        },
      })
      const id = v1.body.id
      const v2 = await t.request('GET', `/v2/templates/${id}`, { key: alice })
      expect(v2.body).toMatchObject({
        name: 'from-v1',
        image: 'me/app:1',
        args: "python app.py 'a b'",
        disk: 50,
        mounts: { persistent: { size: 25, path: '/data' } },
        ports: ['8000/http'],
        env: { X: 'y' },
        startSsh: true,
        startJupyter: true,
      })
      expect(await ids(alice)).toContain(id)

      const patched = await t.request('PATCH', `/v2/templates/${id}`, {
        key: alice,
        body: { args: 'python "serve.py" --port 8000', disk: 80, public: true },
      })
      expect(patched.status).toBe(200)
      const back = await t.request('GET', `/v1/templates/${id}`, { key: alice })
      expect(back.body).toMatchObject({
        dockerStartCmd: ['python', 'serve.py', '--port', '8000'],
        containerDiskInGb: 80,
        isPublic: true,
        volumeInGb: 25,
      })
      expect((await t.request('DELETE', `/v1/templates/${id}`, { key: alice })).status).toBe(204)
      expect((await t.request('GET', `/v2/templates/${id}`, { key: alice })).status).toBe(404)
    })

    it('shows a v2 template in v1', async () => {
      const v2 = await create(alice, {
        name: 'from-v2',
        image: 'me/v2:1',
        args: 'run --fast',
        mounts: { persistent: { size: 30, path: '/ws' } },
        category: 'CPU',
      })
      const v1 = await t.request('GET', `/v1/templates/${v2.body.id}`, { key: alice })
      expect(v1.body).toMatchObject({
        name: 'from-v2',
        imageName: 'me/v2:1',
        dockerStartCmd: ['run', '--fast'],
        volumeInGb: 30,
        volumeMountPath: '/ws',
        category: 'CPU',
        ports: [],
      })
      const renamed = await t.request('PATCH', `/v1/templates/${v2.body.id}`, {
        key: alice,
        body: { name: 'v1-name' },
      })
      expect(renamed.status).toBe(200)
      expect((await t.request('GET', `/v2/templates/${v2.body.id}`, { key: alice })).body.name).toBe(
        'v1-name',
      )
    })
  })
})

describe('/v2/catalog/templates', () => {
  let t: TestApp
  let alice: string
  let bob: string
  beforeAll(async () => {
    t = await createTestApp()
    alice = await t.key('alice')
    bob = await t.key('bob')
  })
  afterAll(() => t.close())

  const catalog = async (key: string, query = '') =>
    (await t.request('GET', `/v2/catalog/templates${query}`, { key })).body.templates as any[]

  it('lists official templates by default, pod and serverless alike', async () => {
    const official = await catalog(alice)
    expect(official.map((x) => x.id)).toEqual(
      expect.arrayContaining(['runpod-torch-v240', 'runpod-worker-vllm']),
    )
    expect(official.some((x) => x.serverless)).toBe(true)
    expect(official.every((x) => x.public && x.registry === null)).toBe(true)
    expect(await catalog(alice, '?source=official')).toEqual(official)
  })

  it('lists other users’ public templates as community, never private ones', async () => {
    const shared = await t.request('POST', '/v2/templates', {
      key: bob,
      body: { name: 'community-pick', image: 'x', public: true },
    })
    await t.request('POST', '/v2/templates', { key: bob, body: { name: 'bob-secret', image: 'x' } })
    const community = (await catalog(alice, '?source=community')).map((x) => x.name)
    expect(community).toEqual(['community-pick'])
    expect(await catalog(bob, '?source=community')).toEqual([])
    expect(await catalog(alice, '?source=verified')).toEqual([])
    expect((await t.request('GET', `/v2/templates/${shared.body.id}`, { key: alice })).status).toBe(200)
  })

  it('refuses an unknown source with 422', async () => {
    const res = await t.request('GET', '/v2/catalog/templates?source=mine', { key: alice })
    expect(res.status).toBe(422)
    expect(res.body.errors[0]).toContain('query.source: must be one of official, verified, community')
  })
})
