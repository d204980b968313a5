import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli, useServerProcess } from '../helpers/cli.js'

/** `podplane savings-plans` works on the store; the server that shares it shows the discount. */
describe('podplane savings-plans', () => {
  const dir = mkdtempSync(join(tmpdir(), 'podplane-savings-'))
  const env = {
    PODPLANE_DB: join(dir, 'podplane.db'),
    PODPLANE_SIM_BOOT_MS: '0',
    PODPLANE_SEED_MACHINES: '60',
    NO_COLOR: '1',
  }
  // Registered first, so it runs after the server has stopped.
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const server = useServerProcess(env)
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await server.api(method, path, body)
    expect(res.status, path).toBeLessThan(300)
    return res.body
  }
  const cli = (...args: string[]) => runCli(args, env)

  it('buys a plan for a GPU pod, lists it, and the pod’s rate drops to the plan’s', async () => {
    const pod = await api('POST', '/v1/pods', { imageName: 'x', gpuCount: 2, cloudType: 'SECURE' })
    expect(cli('savings-plans', 'list', '--user', 'alice', '--pod', pod.id)).toEqual({
      code: 0,
      stdout: 'no savings plans\n',
      stderr: '',
    })

    const created = cli('savings-plans', 'create', '--user', 'alice', '--pod', pod.id, '--term', 'ONE_WEEK')
    expect(created.code, created.stderr).toBe(0)
    const [header, row, ...rest] = created.stdout.trimEnd().split('\n')
    expect(header).toMatch(/^ID\s+POD\s+GPU\s+COSTPERHR\s+START\s+END$/)
    expect(rest).toEqual([])
    const [id, podId, gpu, costPerHr, start, end] = row!.split(/\s{2,}/)
    expect({ podId, gpu }).toEqual({ podId: pod.id, gpu: pod.gpu.id })
    expect(Date.parse(end!) - Date.parse(start!)).toBe(7 * 86_400_000)

    const listed = cli('savings-plans', 'list', '--user', 'alice', '--pod', pod.id)
    expect(listed).toEqual({ code: 0, stdout: created.stdout, stderr: '' })

    const shown = await api('GET', `/v1/pods/${pod.id}?includeSavingsPlans=true`)
    expect(shown.savingsPlans).toEqual([
      expect.objectContaining({ id, podId: pod.id, costPerHr: Number(costPerHr) }),
    ])
    expect(Number(costPerHr)).toBeLessThan(pod.costPerHr)
    expect(shown.adjustedCostPerHr).toBe(Number(costPerHr))
  })

  it('refuses a CPU pod, and a pod of another user, with exit 1 and the reason', async () => {
    const cpu = await api('POST', '/v1/pods', { imageName: 'x', computeType: 'CPU' })
    expect(cli('savings-plans', 'create', '--user', 'alice', '--pod', cpu.id, '--term', 'ONE_MONTH')).toEqual(
      {
        code: 1,
        stdout: '',
        stderr: 'podplane: savings plans cover GPU pods; this is a CPU pod\n',
      },
    )
    expect(cli('savings-plans', 'list', '--user', 'alice', '--pod', cpu.id).stdout).toBe('no savings plans\n')
    expect(cli('savings-plans', 'create', '--user', 'bob', '--pod', cpu.id, '--term', 'ONE_MONTH')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'podplane: pod not found\n',
    })
    expect(cli('savings-plans', 'create', '--user', 'alice', '--pod', cpu.id, '--term', 'ONE_DAY').code).toBe(
      2,
    )
  })
})
