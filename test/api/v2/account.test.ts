import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../helpers/app.js'

const ED25519 =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILXGDN/SclOozk1xsDztpmhGiKkkrfQB9SKoO8dSIQQZ me@example.com'
const RSA = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 laptop'
const ECDSA = 'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTY='
const SECURITY_KEY = 'sk-ssh-ed25519@openssh.com AAAAGnNrLXNzaC1lZDI1NTE5QG9wZW5zc2guY29t yubikey\twork'

describe('/v2/account/ssh-keys', () => {
  let t: TestApp
  let alice: string
  let bob: string
  beforeAll(async () => {
    t = await createTestApp()
    alice = await t.key('alice')
    bob = await t.key('bob')
  })
  afterAll(() => t.close())

  const put = (keys: unknown, key = alice) =>
    t.request('PUT', '/v2/account/ssh-keys', { key, body: { keys } })
  const get = async (key = alice) => (await t.request('GET', '/v2/account/ssh-keys', { key })).body

  it('starts with no keys', async () => {
    expect(await get()).toEqual({ keys: [] })
  })

  it('replaces the whole set and answers with it', async () => {
    const first = await put([ED25519, RSA])
    expect(first.status).toBe(200)
    expect(first.body).toEqual({ keys: [ED25519, RSA] })
    expect(await get()).toEqual({ keys: [ED25519, RSA] })
    expect((await put([ECDSA, SECURITY_KEY])).body).toEqual({ keys: [ECDSA, SECURITY_KEY] })
    expect(await get()).toEqual({ keys: [ECDSA, SECURITY_KEY] })
  })

  it('removes every key with []', async () => {
    await put([ED25519])
    expect((await put([])).body).toEqual({ keys: [] })
    expect(await get()).toEqual({ keys: [] })
  })

  it('keeps each account’s keys to itself', async () => {
    await put([ED25519], alice)
    await put([RSA], bob)
    expect(await get(alice)).toEqual({ keys: [ED25519] })
    expect(await get(bob)).toEqual({ keys: [RSA] })
  })

  it.each([
    ['a key without its type', ['AAAAC3NzaC1lZDI1NTE5AAAAI me@example.com']],
    ['a type RunPod does not accept', ['dsa-foo AAAA']],
    ['a type alone', ['ssh-ed25519']],
    ['a second line', [`${ED25519}\n${RSA}`]],
    ['leading whitespace', [` ${ED25519}`]],
  ])('refuses %s with 422 and keeps the old set', async (_, keys) => {
    await put([ED25519])
    const res = await put([RSA, ...keys])
    expect(res.status).toBe(422)
    expect(res.body.errors).toEqual([expect.stringMatching(/^\$\.keys\.1: must match pattern/)])
    expect(await get()).toEqual({ keys: [ED25519] })
  })

  it.each([
    [{}, "$: missing property 'keys'"],
    [{ keys: ED25519 }, '$.keys: must be array'],
    [{ keys: [42] }, '$.keys.0: must be string'],
    [{ keys: [], replace: true }, "$: additional properties 'replace' not allowed"],
  ])('refuses the body %j with 422 naming the field', async (body, error) => {
    const res = await t.request('PUT', '/v2/account/ssh-keys', { key: alice, body })
    expect(res.status).toBe(422)
    expect(res.body.errors).toContain(error)
  })

  it('needs a key (401) and answers 405 for other methods', async () => {
    expect((await t.request('GET', '/v2/account/ssh-keys')).status).toBe(401)
    const res = await t.request('POST', '/v2/account/ssh-keys', { key: alice, body: { keys: [] } })
    expect(res.status).toBe(405)
    expect(res.headers.allow).toBe('GET, HEAD, PUT')
  })
})
