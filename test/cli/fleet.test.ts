import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli, useServerProcess } from '../helpers/cli.js'

describe('podplane fleet and users (server-side CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'podplane-fleet-'))
  const env = { PODPLANE_DB: join(dir, 'podplane.db') }
  const json = (args: string[]) => {
    const res = runCli([...args, '-o', 'json'], env)
    expect(res.code, res.stderr).toBe(0)
    return JSON.parse(res.stdout)
  }
  beforeAll(() => {
    expect(runCli(['fleet', 'seed', '--machines', '12', '--seed', '3'], env).code).toBe(0)
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('creates, lists and revokes join tokens; the token is printed once and never listed', () => {
    const token = runCli(
      ['fleet', 'join-token', 'create', '--dc', 'EU-SE-1', '--expires', '7d', '--note', 'rack 4'],
      env,
    )
    expect(token.code, token.stderr).toBe(0)
    expect(token.stdout.trim()).toMatch(/^pjt_[A-Za-z0-9_-]{40}$/)
    const created = json([
      'fleet',
      'join-token',
      'create',
      '--dc',
      'EU-SE-1',
      '--expires',
      'never',
      '--community',
    ])
    expect(created.joinToken).toMatchObject({ dataCenterId: 'EU-SE-1', secureCloud: false, expiresAt: null })
    const listed = json(['fleet', 'join-token', 'ls'])
    expect(listed).toHaveLength(2)
    const weekly = listed.find((t: any) => t.note === 'rack 4')
    expect(Date.parse(weekly.expiresAt) - Date.parse(weekly.createdAt)).toBe(7 * 86_400_000)
    expect(JSON.stringify(listed)).not.toContain('pjt_')
    const table = runCli(['fleet', 'join-token', 'ls'], env).stdout
    expect(table.split('\n')[0]).toMatch(/^ID\s+DC\s+CLOUD\s+EXPIRES\s+REVOKED\s+NOTE/)
    expect(runCli(['fleet', 'join-token', 'rm', created.joinToken.id], env).code).toBe(0)
    expect(
      json(['fleet', 'join-token', 'ls']).find((t: any) => t.id === created.joinToken.id).revokedAt,
    ).not.toBeNull()
    const again = runCli(['fleet', 'join-token', 'rm', created.joinToken.id], env)
    expect(again.code).toBe(1)
    expect(again.stderr).toMatch(/join token not found/)
    const unknownDc = runCli(['fleet', 'join-token', 'create', '--dc', 'XX-9'], env)
    expect(unknownDc.code).toBe(1)
    expect(unknownDc.stderr).toMatch(/unknown value "XX-9"/)
    expect(runCli(['fleet', 'join-token', 'create', '--dc', 'EU-SE-1', '--expires', 'soon'], env).code).toBe(
      2,
    )
  })

  it('lists machines as a table and as JSON', () => {
    const table = runCli(['fleet', 'machines', 'ls'], env)
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+STATE\s+DRIVER\s+DC\s+CLOUD\s+GPU\s+GPUS\s+VCPUS/)
    expect(table.stdout.trim().split('\n')).toHaveLength(13)
    const machines = json(['fleet', 'machines', 'ls'])
    expect(machines).toHaveLength(12)
    expect(machines[0]).toHaveProperty('gpuAvailable')
  })

  it('adds, cordons, fails, recovers and removes a machine', () => {
    const added = json([
      'fleet',
      'machines',
      'add',
      '--dc',
      'EU-SE-1',
      '--gpu',
      'NVIDIA L40S',
      '--count',
      '4',
      '--vcpus',
      '64',
      '--memory',
      '512',
      '--disk',
      '4000',
      '--price',
      '0.7',
    ])
    expect(added).toMatchObject({
      dataCenterId: 'EU-SE-1',
      gpuTypeId: 'NVIDIA L40S',
      gpuCount: 4,
      pricePerGpu: 0.7,
      state: 'ready',
    })
    expect(json(['fleet', 'machines', 'cordon', added.id]).state).toBe('cordoned')
    expect(json(['fleet', 'machines', 'fail', added.id, '--reason', 'fan'])).toEqual({ stopped: [] })
    expect(json(['fleet', 'machines', 'ls', '--state', 'failed']).map((m: any) => m.id)).toEqual([added.id])
    expect(json(['fleet', 'machines', 'recover', added.id]).state).toBe('cordoned')
    expect(json(['fleet', 'machines', 'uncordon', added.id]).state).toBe('ready')
    const maintenance = json([
      'fleet',
      'machines',
      'set',
      added.id,
      '--maintenance-start',
      '2099-01-01T00:00:00Z',
      '--maintenance-note',
      'later',
    ])
    expect(maintenance).toMatchObject({
      maintenanceStart: '2099-01-01T00:00:00.000Z',
      maintenanceNote: 'later',
    })
    expect(runCli(['fleet', 'machines', 'rm', added.id], env).stdout).toBe(`removed ${added.id}\n`)
    expect(runCli(['fleet', 'machines', 'rm', added.id], env)).toMatchObject({
      code: 1,
      stderr: 'podplane: machine not found\n',
    })
  })

  it('lists and re-prices GPU types, lists data centers', () => {
    const types = json(['fleet', 'gpu-types', 'ls'])
    expect(types.find((t: any) => t.id === 'NVIDIA A40').securePrice).toBe(0.4)
    expect(
      runCli(['fleet', 'gpu-types', 'set-price', 'NVIDIA A40', '--secure', '0.45'], env).stdout,
    ).toContain('secure 0.45')
    expect(json(['fleet', 'datacenters', 'ls'])).toHaveLength(26)
  })

  it('makes admin keys, and lists, disables, limits and reports on users', () => {
    const admin = runCli(['keys', 'create', '--admin'], env)
    expect(admin.stdout).toMatch(/^rpa_/)
    expect(runCli(['keys', 'list'], env).stdout).toMatch(/admin\s+default\s+yes/)
    runCli(['keys', 'create', '--user', 'alice'], env)
    expect(json(['users', 'ls']).map((u: any) => u.id)).toEqual(['admin', 'alice'])
    expect(json(['users', 'disable', 'alice'])).toMatchObject({ id: 'alice', disabled: true })
    expect(json(['users', 'enable', 'alice']).disabled).toBe(false)
    expect(json(['users', 'usage', 'alice']).spend).toEqual({
      pods: 0,
      endpoints: 0,
      networkVolumes: 0,
      total: 0,
    })
    expect(json(['users', 'rate-limits', 'alice', '--minute', '600', '--day', '9000']).rateLimits).toEqual({
      minute: 600,
      hour: null,
      day: 9000,
    })
    expect(json(['users', 'rate-limits', 'alice', '--minute', 'default']).rateLimits.minute).toBeNull()
    expect(runCli(['users', 'rate-limits', 'alice', '--hour', '0'], env).code).toBe(2)
    expect(runCli(['users', 'disable', 'nobody'], env)).toMatchObject({
      code: 1,
      stderr: 'podplane: user not found\n',
    })
  })
})

describe('podplane fleet and users, beside a server whose users run pods', () => {
  const dir = mkdtempSync(join(tmpdir(), 'podplane-fleet-pods-'))
  const env = {
    PODPLANE_DB: join(dir, 'podplane.db'),
    PODPLANE_SIM_BOOT_MS: '0',
    PODPLANE_SEED_MACHINES: '12',
  }
  // Registered first, so it runs after the server has stopped.
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const { api } = useServerProcess(env)
  const json = (args: string[]) => {
    const res = runCli([...args, '-o', 'json'], env)
    expect(res.code, res.stderr).toBe(0)
    return JSON.parse(res.stdout)
  }

  it('lists users with their running pods and cost, as a table and as JSON', async () => {
    const pod = (await api('POST', '/v1/pods', { imageName: 'x', gpuCount: 2 })).body
    expect(pod.desiredStatus).toBe('RUNNING')
    const table = runCli(['users', 'ls'], { ...env, NO_COLOR: '1' })
    expect(table.code, table.stderr).toBe(0)
    const [header, ...rows] = table.stdout.trimEnd().split('\n')
    expect(header).toMatch(/^ID\s+DISABLED\s+KEYS\s+RUNNINGPODS\s+\$\/HR\s+LIMITS$/)
    expect(rows).toHaveLength(1)
    expect(rows[0]!.split(/\s{2,}/)).toEqual([
      'alice',
      'no',
      '1',
      '1',
      String(pod.costPerHr),
      'minute=default hour=default day=default',
    ])
    expect(json(['users', 'ls'])).toEqual([
      {
        id: 'alice',
        createdAt: expect.any(String),
        disabled: false,
        disabledAt: null,
        liveKeys: 1,
        runningPods: 1,
        runningCostPerHr: pod.costPerHr,
        rateLimits: { minute: null, hour: null, day: null },
      },
    ])
  })

  it('drains a machine, stopping its pods with the reason, and will not remove it while they are placed', async () => {
    const pod = (await api('POST', '/v1/pods', { imageName: 'x' })).body
    const drained = json(['fleet', 'machines', 'drain', pod.machineId, '--reason', 'PSU swap'])
    expect(drained.stopped).toContain(pod.id)
    expect(drained.moved).toEqual([])
    const after = (await api('GET', `/v1/pods/${pod.id}`)).body
    expect(after.desiredStatus).toBe('EXITED')
    expect(after.lastStatusChange).toMatch(/^Drained by operator \(PSU swap\): \w{3} \w{3} \d\d \d{4} /)
    expect(json(['fleet', 'machines', 'ls', '--state', 'cordoned']).map((m: any) => m.id)).toEqual([
      pod.machineId,
    ])

    const placed = json(['fleet', 'machines', 'ls']).find((m: any) => m.id === pod.machineId).podCount
    expect(runCli(['fleet', 'machines', 'rm', pod.machineId], env)).toEqual({
      code: 1,
      stdout: '',
      stderr: `podplane: machine ${pod.machineId} still has ${placed} pod(s) placed; drain it and delete them first\n`,
    })
    expect(json(['fleet', 'machines', 'ls']).map((m: any) => m.id)).toContain(pod.machineId)
    for (const id of drained.stopped) expect((await api('DELETE', `/v1/pods/${id}`)).status).toBe(204)
    expect(runCli(['fleet', 'machines', 'rm', pod.machineId], env).stdout).toBe(`removed ${pod.machineId}\n`)
  })
})
