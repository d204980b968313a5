import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../helpers/app.js'
import { machine } from '../helpers/machines.js'

describe('/v1/templates', () => {
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
    t.request('POST', '/v1/templates', { key, body })
  const ids = async (key: string, query = '') =>
    ((await t.request('GET', `/v1/templates${query}`, { key })).body as { id: string }[]).map((x) => x.id)

  it('creates a template with RunPod’s defaults (200) and reads it back', async () => {
    const res = await create(alice, { name: 'my-torch', imageName: 'me/torch:1' })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[a-z0-9]{10}$/),
      name: 'my-torch',
      imageName: 'me/torch:1',
      category: 'NVIDIA',
      containerDiskInGb: 50,
      volumeInGb: 20,
      volumeMountPath: '/workspace',
      ports: ['8888/http', '22/tcp'],
      env: {},
      dockerEntrypoint: [],
      dockerStartCmd: [],
      readme: '',
      isPublic: false,
      isRunpod: false,
      isServerless: false,
      earned: 0,
      runtimeInMin: 0,
    })
    expect((await t.request('GET', `/v1/templates/${res.body.id}`, { key: alice })).body).toEqual(res.body)
  })

  it('lists own templates; public, official and endpoint-bound ones only when asked', async () => {
    const mine = (await create(alice, { name: 'private', imageName: 'x' })).body.id
    const shared = (await create(bob, { name: 'shared', imageName: 'x', isPublic: true })).body.id
    const serverless = (await create(alice, { name: 'worker', imageName: 'w', isServerless: true })).body.id
    await t.request('POST', '/v1/endpoints', { key: alice, body: { templateId: serverless, workersMin: 0 } })

    const own = await ids(alice)
    expect(own).toContain(mine)
    expect(own).not.toContain(shared)
    expect(own).not.toContain(serverless)
    expect(own).not.toContain('runpod-torch-v240')
    expect(await ids(alice, '?includePublicTemplates=true')).toContain(shared)
    expect(await ids(alice, '?includeRunpodTemplates=true')).toEqual(
      expect.arrayContaining(['runpod-torch-v240', 'runpod-comfyui']),
    )
    expect(await ids(alice, '?includeEndpointBoundTemplates=true')).toContain(serverless)
    expect(await ids(bob)).toEqual([shared])
    expect((await t.request('GET', `/v1/templates/${mine}`, { key: bob })).status).toBe(404)
    expect((await t.request('GET', '/v1/templates/runpod-torch-v240', { key: bob })).status).toBe(404)
    expect(
      (await t.request('GET', '/v1/templates/runpod-torch-v240?includeRunpodTemplates=true', { key: bob }))
        .status,
    ).toBe(200)
  })

  it('seeds useful official templates with realistic ports and disks', async () => {
    const res = await t.request('GET', '/v1/templates?includeRunpodTemplates=true', { key: bob })
    const official = (res.body as any[]).filter((x) => x.isRunpod)
    const images = official.map((x) => x.imageName).join(' ')
    for (const kind of ['pytorch', 'tensorflow', 'comfyui', 'vllm', 'base']) expect(images).toContain(kind)
    expect(official.find((x) => x.id === 'runpod-comfyui')).toMatchObject({
      ports: ['8188/http', '8888/http', '22/tcp'],
    })
    expect(official.filter((x) => x.isServerless).length).toBeGreaterThan(0)
  })

  it('updates by PATCH and POST …/update; names stay unique per user', async () => {
    const id = (await create(alice, { name: 'to-change', imageName: 'x' })).body.id
    const patched = await t.request('PATCH', `/v1/templates/${id}`, {
      key: alice,
      body: { imageName: 'y', env: { A: '1' } },
    })
    expect(patched.body).toMatchObject({ id, imageName: 'y', env: { A: '1' } })
    const posted = await t.request('POST', `/v1/templates/${id}/update`, {
      key: alice,
      body: { readme: '# hi' },
    })
    expect(posted.body).toMatchObject({ imageName: 'y', readme: '# hi' })
    const clash = await t.request('PATCH', `/v1/templates/${id}`, { key: alice, body: { name: 'my-torch' } })
    expect(clash.status).toBe(400)
    expect(clash.body.error).toContain('already have a template named "my-torch"')
    expect((await create(bob, { name: 'my-torch', imageName: 'x' })).status).toBe(200)
  })

  it('refuses changes to official and other users’ templates', async () => {
    const official = await t.request('PATCH', '/v1/templates/runpod-torch-v240', {
      key: alice,
      body: { name: 'mine now' },
    })
    expect(official.status).toBe(403)
    const shared = (await create(bob, { name: 'bobs-public', imageName: 'x', isPublic: true })).body.id
    expect((await t.request('DELETE', `/v1/templates/${shared}`, { key: alice })).status).toBe(403)
    const hidden = (await create(bob, { name: 'bobs-private', imageName: 'x' })).body.id
    expect((await t.request('DELETE', `/v1/templates/${hidden}`, { key: alice })).status).toBe(404)
    expect(
      (await t.request('PATCH', `/v1/templates/${hidden}`, { key: alice, body: { name: 'z' } })).status,
    ).toBe(404)
  })

  it('deletes a template (204) unless an endpoint runs on it', async () => {
    const id = (await create(alice, { name: 'short-lived', imageName: 'x' })).body.id
    expect((await t.request('DELETE', `/v1/templates/${id}`, { key: alice })).status).toBe(204)
    expect((await t.request('GET', `/v1/templates/${id}`, { key: alice })).status).toBe(404)
    const bound = (await create(alice, { name: 'bound', imageName: 'w', isServerless: true })).body.id
    await t.request('POST', '/v1/endpoints', { key: alice, body: { templateId: bound } })
    const refused = await t.request('DELETE', `/v1/templates/${bound}`, { key: alice })
    expect(refused.status).toBe(400)
    expect(refused.body.error).toContain('in use by endpoint')
  })

  it('gives pods the template’s settings, and official templates to every user', async () => {
    const res = await t.request('POST', '/v1/pods', { key: bob, body: { templateId: 'runpod-comfyui' } })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({
      templateId: 'runpod-comfyui',
      ports: ['8188/http', '8888/http', '22/tcp'],
      volumeInGb: 100,
    })
    const embedded = await t.request('GET', `/v1/pods/${res.body.id}?includeTemplate=true`, { key: bob })
    expect(embedded.body.template).toMatchObject({ id: 'runpod-comfyui', isRunpod: true })
  })

  it.each([
    [{ imageName: 'x' }, 'body name is required'],
    [{ name: 'n' }, 'body imageName is required'],
    [{ name: 'n', imageName: 'x', category: 'TPU' }, 'category must be one of: NVIDIA, AMD, CPU'],
    [{ name: 'n', imageName: 'x', ports: ['80'] }, 'is not a port'],
    [
      { name: 'n', imageName: 'x', isServerless: true, isPublic: true },
      'serverless templates cannot be public',
    ],
    [{ name: 'n', imageName: 'x', containerRegistryAuthId: 'nope' }, 'containerRegistryAuthId'],
    [{ name: 'n'.repeat(192), imageName: 'x' }, 'name must NOT have more than 191 characters'],
    [{ name: 'n', imageName: 'x', volumeInGb: -1 }, 'volumeInGb must be >= 0'],
  ])('refuses %j with 400', async (body, message) => {
    const res = await create(alice, body)
    expect(res.status).toBe(400)
    expect(res.body.error).toContain(message)
  })
})
