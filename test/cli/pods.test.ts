import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { CLI, runCli, useServerProcess } from '../helpers/cli.js'

const GPU = 'NVIDIA GeForce RTX 4090'

describe('podplane pods, against a running server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'podplane-pods-cli-'))
  // Registered first, so it runs after the server has stopped.
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const server = useServerProcess({
    PODPLANE_DB: join(dir, 'podplane.db'),
    PODPLANE_SIM_BOOT_MS: '1200',
    PODPLANE_SIM_PULL_MS_PER_GB: '0',
    PODPLANE_SEED_MACHINES: '60',
  })
  /** The client commands' connection: the server as alice, and nothing from the user's own set-up. */
  const env = () => ({
    PODPLANE_CONFIG: join(dir, 'config.json'),
    PODPLANE_API_URL: server.url,
    PODPLANE_API_KEY: server.key,
    RUNPOD_API_KEY: '',
    PODPLANE_PROFILE: '',
  })
  const cli = (...args: string[]) => runCli(args, env())
  const json = (...args: string[]) => {
    const res = cli(...args, '-o', 'json')
    expect(res.stderr).toBe('')
    expect(res.code).toBe(0)
    return JSON.parse(res.stdout)
  }

  let gpuPod: any
  let cpuPod: any

  it('creates a pod and, with --wait, shows its progress until it runs with its ports', () => {
    const res = cli(
      'pods',
      'create',
      '--name',
      'trainer',
      '--image',
      'runpod/base:0.6.2',
      '--gpu',
      GPU,
      '--ports',
      '22/tcp,8888/http',
      '--env',
      'A=1',
      '--env',
      'B=two=2',
      '--wait',
      '-o',
      'json',
    )
    expect(res.code).toBe(0)
    const progress = res.stderr.trim().split('\n')
    expect(progress.at(-1)).toMatch(/: RUNNING \(\d+\.\ds\)$/)
    expect(progress.some((line) => /: (PROVISIONING|STARTING) /.test(line))).toBe(true)
    gpuPod = JSON.parse(res.stdout)
    expect(gpuPod).toMatchObject({ name: 'trainer', desiredStatus: 'RUNNING', env: { A: '1', B: 'two=2' } })
    expect(gpuPod.publicIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/)
    expect(gpuPod.portMappings['22']).toEqual(expect.any(Number))
  })

  it('creates from a JSON file with flags on top', () => {
    const file = join(dir, 'pod.json')
    writeFileSync(
      file,
      JSON.stringify({ name: 'from-file', imageName: 'runpod/base:0.6.2', computeType: 'CPU', vcpuCount: 2 }),
    )
    cpuPod = json('pods', 'create', '-f', file, '--name', 'cruncher')
    expect(cpuPod).toMatchObject({ name: 'cruncher', image: 'runpod/base:0.6.2', vcpuCount: 2 })
    expect(cpuPod.gpu).toBeUndefined()
  })

  it('lists pods as a table, wide, json, yaml and names, filtered by any flag', () => {
    const table = cli('pods', 'ls')
    expect(table.code).toBe(0)
    const [header, ...rows] = table.stdout.trimEnd().split('\n')
    expect(header).toMatch(/^ID\s+NAME\s+STATUS\s+COMPUTE\s+\$_HR\s+AGE$/)
    expect(rows).toHaveLength(2)
    expect(rows.find((r) => r.startsWith(gpuPod.id))).toMatch(/trainer\s+RUNNING\s+1× RTX 4090/)
    expect(cli('pods', 'ls', '-o', 'wide').stdout).toMatch(/22\/tcp→\d+\.\d+\.\d+\.\d+:\d+ 8888\/http/)
    expect(
      json('pods', 'ls')
        .map((p: any) => p.id)
        .sort(),
    ).toEqual([gpuPod.id, cpuPod.id].sort())
    expect(cli('pods', 'ls', '-o', 'yaml').stdout).toMatch(new RegExp(`^ {2}id: ${gpuPod.id}$`, 'm'))
    expect(cli('pods', 'ls', '--compute', 'CPU', '-o', 'name').stdout).toBe(`${cpuPod.id}\n`)
    expect(cli('pods', 'ls', '--gpu', GPU, '-o', 'name').stdout).toBe(`${gpuPod.id}\n`)
    expect(cli('pods', 'ls', '--name', 'cruncher', '-o', 'name').stdout).toBe(`${cpuPod.id}\n`)
    expect(cli('pods', 'ls', '--status', 'EXITED').stdout).toBe('nothing to show\n')
    expect(json('pods', 'get', gpuPod.id)).toMatchObject({
      id: gpuPod.id,
      machine: { dataCenterId: expect.any(String) },
    })
  })

  it('stops and starts pods by id, or by filter only after a yes', () => {
    expect(cli('pods', 'stop', gpuPod.id, cpuPod.id)).toMatchObject({
      code: 0,
      stdout: `${gpuPod.id} stopped\n${cpuPod.id} stopped\n`,
    })
    expect(
      cli('pods', 'ls', '--status', 'EXITED', '-o', 'name').stdout.split('\n').filter(Boolean),
    ).toHaveLength(2)
    const unconfirmed = cli('pods', 'start', '--status', 'EXITED')
    expect(unconfirmed.code).toBe(1)
    expect(unconfirmed.stderr).toContain('add --yes')
    expect(
      cli('pods', 'ls', '--status', 'EXITED', '-o', 'name').stdout.split('\n').filter(Boolean),
    ).toHaveLength(2)
    const started = cli('pods', 'start', '--status', 'EXITED', '--compute', 'CPU', '--yes')
    expect(started.code).toBe(0)
    expect(started.stdout).toBe(`${cpuPod.id} started\n`)
    expect(started.stderr).toContain('cruncher')
    const again = cli('pods', 'stop', gpuPod.id)
    expect(again.code).toBe(1)
    expect(again.stderr).toMatch(new RegExp(`^podplane: ${gpuPod.id}: 400 `))
  })

  it('prints logs and the ssh command of a running pod', () => {
    const started = cli('pods', 'start', gpuPod.id)
    expect(started.code).toBe(0)
    const logs = cli('pods', 'logs', gpuPod.id, '--tail', '500', '-t')
    expect(logs.code).toBe(0)
    expect(logs.stdout).toMatch(/^\d{4}-\d\d-\d\dT\S+Z /)
    expect(logs.stdout.split('\n').length).toBeGreaterThan(3)
    const waited = cli('pods', 'ls', '--name', 'trainer', '-o', 'name')
    expect(waited.stdout).toBe(`${gpuPod.id}\n`)
  })

  it('shows pods changing live with watch', async () => {
    const child = spawn(process.execPath, [CLI, 'pods', 'watch', '--interval', '200ms'], {
      env: { ...process.env, ...env() },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    const seen = new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString()
        if (new RegExp(`${gpuPod.id}\\s+trainer\\s+RUNNING`).test(output)) resolve()
      })
    })
    await seen
    child.kill('SIGTERM')
    expect(output).toMatch(/^ID\s+NAME\s+STATUS/)
    expect(cli('pods', 'ssh', gpuPod.id).stdout).toMatch(/^ssh root@\d+\.\d+\.\d+\.\d+ -p \d+\n$/)
  })

  it('answers mistakes with usage errors (2) and server refusals with their message (1)', () => {
    expect(cli('pods', 'ls', '--status', 'SLEEPING').code).toBe(2)
    expect(cli('pods', 'create', '--gpu-count', '0').code).toBe(2)
    expect(cli('pods', 'stop').code).toBe(2)
    expect(cli('pods', 'stop', gpuPod.id, '--status', 'RUNNING').code).toBe(2)
    const missing = cli('pods', 'get', 'nope')
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/^podplane: 404 pod not found \[request [\w-]+\]\n$/)
    const bad = cli('pods', 'create', '--image', 'x', '--gpu', 'NVIDIA Imaginary')
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('NVIDIA Imaginary')
    const nokey = runCli(['pods', 'ls'], { ...env(), PODPLANE_API_KEY: '' })
    expect(nokey).toMatchObject({ code: 1 })
    expect(nokey.stderr).toContain('no API key')
  })

  it('deletes pods, asking unless --yes', () => {
    expect(cli('pods', 'rm', cpuPod.id).code).toBe(1)
    expect(cli('pods', 'rm', cpuPod.id, gpuPod.id, '--yes').stdout).toBe(
      `${cpuPod.id} deleted\n${gpuPod.id} deleted\n`,
    )
    expect(cli('pods', 'ls').stdout).toBe('nothing to show\n')
  })
})
