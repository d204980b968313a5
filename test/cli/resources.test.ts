import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, describe, expect, it } from 'vitest'
import type { V1, V2 } from '../../src/client/index.js'
import { CLI, runCli, useServerProcess } from '../helpers/cli.js'

/**
 * The resource commands as a user runs them: the built CLI against one `podplane serve`, with
 * simulated time at 60× so a pod running for a second or two shows up in billing.
 */
describe('podplane templates, volumes, endpoints, registry-auths, gpus and billing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'podplane-resources-'))
  const serverEnv = {
    PODPLANE_DB: join(dir, 'podplane.db'),
    PODPLANE_SIM_BOOT_MS: '0',
    PODPLANE_SEED_MACHINES: '40',
    PODPLANE_SIM_SPEED: '60',
  }
  // Registered first, so it runs after the server has stopped.
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const server = useServerProcess(serverEnv)
  /** The client commands' connection: the server as alice, with a config file of this test's own. */
  const env = () => ({
    PODPLANE_API_URL: server.url,
    PODPLANE_API_KEY: server.key,
    PODPLANE_CONFIG: join(dir, 'config.json'),
  })

  const cli = (...args: string[]) => runCli(args, env())
  /** The CLI with something on stdin (a password, a JSON body). */
  const piped = (input: string, ...args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, ...args], {
      env: { ...process.env, ...env() },
      input,
      encoding: 'utf8',
    })
    return { code: r.status, stdout: r.stdout, stderr: r.stderr }
  }
  const json = <T>(...args: string[]): T => {
    const r = cli(...args, '-o', 'json')
    expect(r, r.stderr).toMatchObject({ code: 0 })
    return JSON.parse(r.stdout) as T
  }
  /** `'a b c'` → `['a', 'b', 'c']`, to write long command lines on one line. */
  const words = (line: string) => line.split(' ')
  const header = (stdout: string) => stdout.split('\n')[0]!.split(/\s{2,}/)

  describe('templates', () => {
    it('round-trips create → get → update → rm, in table, json, yaml and name output', () => {
      const created = cli(
        ...words(
          'templates create --name jupyter --image runpod/base:0.6.2 --ports 8888/http,22/tcp --env A=1 --env B=2 --disk 25 --volume-size 0 --start-cmd sleep,infinity --readme',
        ),
        '# hi',
      )
      expect(created.code, created.stderr).toBe(0)
      expect(header(created.stdout)).toEqual(['ID', 'NAME', 'IMAGE', 'CATEGORY', 'KIND', 'VISIBILITY'])
      const id = created.stdout.split('\n')[1]!.split(/\s+/)[0]!

      const got = json<V1.Template>('templates', 'get', id)
      expect(got).toMatchObject({
        id,
        name: 'jupyter',
        imageName: 'runpod/base:0.6.2',
        ports: ['8888/http', '22/tcp'],
        env: { A: '1', B: '2' },
        containerDiskInGb: 25,
        volumeInGb: 0,
        dockerStartCmd: ['sleep', 'infinity'],
        readme: '# hi',
        isPublic: false,
        isServerless: false,
      })
      expect(cli('templates', 'get', id, '-o', 'yaml').stdout).toContain('imageName: runpod/base:0.6.2')
      expect(cli('templates', 'ls', '-o', 'name').stdout).toBe(`${id}\n`)
      const wide = cli('templates', 'get', id, '-o', 'wide').stdout
      expect(header(wide)).toEqual(expect.arrayContaining(['DISK_GB', 'VOLUME_GB', 'PORTS', 'ENV']))
      expect(wide).toContain('8888/http 22/tcp')

      const updated = cli('templates', 'update', id, '--image', 'runpod/base:0.7.0', '--public', '-o', 'json')
      expect(updated.code, updated.stderr).toBe(0)
      expect(JSON.parse(updated.stdout)).toMatchObject({ id, imageName: 'runpod/base:0.7.0', isPublic: true })
      expect(cli('templates', 'update', id, '--no-public', '-o', 'json').stdout).toContain(
        '"isPublic": false',
      )

      expect(cli('templates', 'rm', id, '--yes')).toMatchObject({ code: 0, stdout: `${id} deleted\n` })
      expect(cli('templates', 'ls').stdout).toBe('nothing to show\n')
    })

    it('lists official, public and endpoint-bound templates only when asked', () => {
      expect(cli('templates', 'ls').stdout).not.toContain('runpod-')
      const official = cli('templates', 'ls', '--official')
      expect(official.stdout).toMatch(/runpod-comfyui\s+ComfyUI.*official/)
      const all = json<V1.Template[]>('templates', 'ls', '--official', '--public')
      expect(all.every((t) => t.isPublic || t.isRunpod)).toBe(true)
      expect(json<V1.Template>('templates', 'get', 'runpod-comfyui')).toMatchObject({ isRunpod: true })
    })

    it('takes a body from -f, with flags on top', () => {
      const file = join(dir, 'template.json')
      writeFileSync(file, JSON.stringify({ name: 'from-file', imageName: 'me/app:1', ports: ['80/http'] }))
      const t = json<V1.Template>('templates', 'create', '-f', file, '--image', 'me/app:2')
      expect(t).toMatchObject({ name: 'from-file', imageName: 'me/app:2', ports: ['80/http'] })
      const viaStdin = piped(
        JSON.stringify({ readme: 'piped' }),
        'templates',
        'update',
        t.id,
        ...words('-f - -o json'),
      )
      expect(JSON.parse(viaStdin.stdout)).toMatchObject({ readme: 'piped' })
      expect(cli('templates', 'rm', t.id, '-y').code).toBe(0)
    })

    it("exits 1 with the server's message on a 404 and 2 on bad or missing flags", () => {
      const missing = cli('templates', 'get', 'no-such-template')
      expect(missing.code).toBe(1)
      expect(missing.stderr).toMatch(/^podplane: 404 template not found/)
      expect(cli('templates', 'update', 'no-such-template', '--name', 'x').stderr).toMatch(
        /^podplane: 404 template not found/,
      )
      expect(cli('templates', 'create', '--name', 'no-image').code).toBe(2)
      expect(cli('templates', 'create', '--name', 'x', '--image', 'y', '--disk', 'big').code).toBe(2)
      expect(cli('templates', 'create', '--name', 'x', '--image', 'y', '--category', 'TPU').code).toBe(2)
      expect(cli('templates', 'update', 'some-id').code).toBe(2)
      expect(cli('templates', 'ls', '-o', 'xml').code).toBe(2)
      expect(cli('templates', 'rm').code).toBe(2)
    })
  })

  describe('volumes', () => {
    it('round-trips create → get → update → rm and refuses to shrink', () => {
      const v = json<V1.NetworkVolume>(...words('volumes create --name models --size 10 --dc EU-RO-1'))
      expect(v).toMatchObject({ name: 'models', size: 10, dataCenterId: 'EU-RO-1' })
      const table = cli('volumes', 'ls')
      expect(header(table.stdout)).toEqual(['ID', 'NAME', 'SIZE_GB', 'DC'])
      expect(table.stdout).toMatch(new RegExp(`${v.id}\\s+models\\s+10\\s+EU-RO-1`))
      expect(json<V1.NetworkVolume>('volumes', 'get', v.id)).toEqual(v)

      expect(
        json<V1.NetworkVolume>('volumes', 'update', v.id, '--size', '20', '--name', 'big'),
      ).toMatchObject({
        name: 'big',
        size: 20,
      })
      const shrink = cli('volumes', 'update', v.id, '--size', '5')
      expect(shrink.code).toBe(1)
      expect(shrink.stderr).toMatch(/^podplane: 400 .*only grow/)

      // Without a terminal, rm needs --yes; nothing is deleted meanwhile.
      const refused = cli('volumes', 'rm', v.id)
      expect(refused.code).toBe(1)
      expect(refused.stderr).toContain('add --yes')
      expect(cli('volumes', 'get', v.id).code).toBe(0)

      const rm = cli('volumes', 'rm', v.id, 'no-such-volume', '--yes')
      expect(rm.code).toBe(1)
      expect(rm.stdout).toBe(`${v.id} deleted\n`)
      expect(rm.stderr).toMatch(/^podplane: no-such-volume: 404 network volume not found/)
      expect(cli('volumes', 'get', v.id).stderr).toMatch(/^podplane: 404 network volume not found/)
    })

    it('exits 2 on missing or bad flags', () => {
      expect(cli('volumes', 'create', '--name', 'x', '--size', '10').code).toBe(2)
      expect(cli('volumes', 'create', '--name', 'x', '--size', 'big', '--dc', 'EU-RO-1').code).toBe(2)
      expect(cli('volumes', 'update', 'some-id').code).toBe(2)
    })
  })

  describe('registry-auths', () => {
    it('creates from --password-stdin or --password, never echoing the password', () => {
      const secret = 's3cr3t-token-value'
      const created = piped(
        `${secret}\n`,
        ...words('registry-auths create --name ghcr --username me --password-stdin'),
      )
      expect(created.code, created.stderr).toBe(0)
      expect(created.stdout + created.stderr).not.toContain(secret)
      const id = created.stdout.split('\n')[1]!.split(/\s+/)[0]!
      expect(json<V1.ContainerRegistryAuth>('registry-auths', 'get', id)).toEqual({ id, name: 'ghcr' })

      const second = cli(
        ...words('registry-auths create --name hub --username me --password'),
        secret,
        '-o',
        'json',
      )
      expect(second.stdout + second.stderr).not.toContain(secret)
      const hub = JSON.parse(second.stdout) as V1.ContainerRegistryAuth

      expect(cli('registry-auths', 'ls').stdout).toMatch(/ID\s+NAME\n/)
      expect(cli('registry-auths', 'ls', '-o', 'name').stdout.trim().split('\n').sort()).toEqual(
        [id, hub.id].sort(),
      )
      expect(cli('registry-auths', 'ls', '-o', 'yaml').stdout).not.toContain(secret)

      expect(cli('registry-auths', 'rm', id, hub.id, '--yes').code).toBe(0)
      expect(cli('registry-auths', 'get', id)).toMatchObject({ code: 1 })
    })

    it('exits 2 without exactly one password source, or with an empty one', () => {
      expect(cli('registry-auths', 'create', '--name', 'x', '--username', 'me').code).toBe(2)
      expect(
        piped('p', ...words('registry-auths create --name x --username me --password-stdin --password p'))
          .code,
      ).toBe(2)
      expect(
        piped('\n', ...words('registry-auths create --name x --username me --password-stdin')).code,
      ).toBe(2)
      expect(cli('registry-auths', 'create', '--username', 'me', '--password', 'p').code).toBe(2)
    })
  })

  describe('endpoints', () => {
    it('round-trips create → get → update → rm, showing live workers with --workers', async () => {
      const template = json<V1.Template>(
        ...words('templates create --name worker --image me/worker:1 --serverless'),
      )
      const created = cli(
        ...words('endpoints create --name llm --template'),
        template.id,
        '--gpu',
        'NVIDIA GeForce RTX 4090',
        ...words(
          '--workers-min 1 --workers-max 2 --idle-timeout 30 --execution-timeout 10m --scaler REQUEST_COUNT --scaler-value 3 -o json',
        ),
      )
      expect(created.code, created.stderr).toBe(0)
      const e = JSON.parse(created.stdout) as V1.Endpoint
      expect(e).toMatchObject({
        name: 'llm',
        templateId: template.id,
        gpuTypeIds: ['NVIDIA GeForce RTX 4090'],
        workersMin: 1,
        workersMax: 2,
        idleTimeout: 30,
        executionTimeoutMs: 600_000,
        scalerType: 'REQUEST_COUNT',
        scalerValue: 3,
      })

      const table = cli('endpoints', 'ls')
      expect(header(table.stdout)).toEqual(['ID', 'NAME', 'TEMPLATE', 'COMPUTE', 'WORKERS', 'VERSION'])
      expect(table.stdout).toMatch(
        new RegExp(`${e.id}\\s+llm\\s+${template.id}\\s+1× NVIDIA GeForce RTX 4090\\s+1\\.\\.2`),
      )
      expect(header(cli('endpoints', 'ls', '-o', 'wide').stdout)).toEqual(
        expect.arrayContaining(['SCALER', 'IDLE_S', 'TIMEOUT_S', 'DCS']),
      )

      // The simulator brings up the one worker workersMin asks for.
      let live = ''
      for (let i = 0; i < 40 && !/\s1\s+\d+\s*$/m.test(live); i++) {
        live = cli('endpoints', 'ls', '--workers').stdout
        await sleep(250)
      }
      expect(header(live)).toContain('LIVE')
      expect(live).toMatch(new RegExp(`${e.id}.*1\\.\\.2\\s+1\\s+\\d+`))
      expect(json<V1.Endpoint>('endpoints', 'get', e.id).workers).toHaveLength(1)

      // An endpoint's own template is hidden from ls unless asked for.
      expect(cli('templates', 'ls', '-o', 'name').stdout).not.toContain(template.id)
      expect(cli('templates', 'ls', '--endpoint-bound', '-o', 'name').stdout).toContain(template.id)

      const updated = json<V1.Endpoint>('endpoints', 'update', e.id, '--workers-max', '5', '--name', 'llm-2')
      expect(updated).toMatchObject({ name: 'llm-2', workersMax: 5, workersMin: 1 })

      expect(cli('endpoints', 'rm', e.id, '--yes')).toMatchObject({ code: 0, stdout: `${e.id} deleted\n` })
      expect(cli('endpoints', 'get', e.id).stderr).toMatch(/^podplane: 404 /)
      expect(cli('templates', 'rm', template.id, '--yes').code).toBe(0)
    })

    it('exits 2 on missing or bad flags and 1 on what the server refuses', () => {
      expect(cli('endpoints', 'create', '--name', 'x').code).toBe(2)
      expect(cli('endpoints', 'create', '--template', 't', '--scaler', 'CPU_LOAD').code).toBe(2)
      expect(cli('endpoints', 'create', '--template', 't', '--workers-max', '-1').code).toBe(2)
      expect(cli('endpoints', 'update', 'some-id').code).toBe(2)
      const unknown = cli('endpoints', 'create', '--template', 'no-such-template')
      expect(unknown.code).toBe(1)
      expect(unknown.stderr).toMatch(/^podplane: 4\d\d /)
    })
  })

  describe('gpus', () => {
    it('shows id, memory, prices per cloud and availability, with the catalog as JSON', () => {
      const table = cli('gpus')
      expect(table.code, table.stderr).toBe(0)
      expect(header(table.stdout)).toEqual(['ID', 'MEM_GB', 'SECURE_$_HR', 'COMMUNITY_$_HR', 'AVAILABILITY'])
      expect(table.stdout).toMatch(/NVIDIA GeForce RTX 4090\s+24\s+0\.69\s+0\.34\s+(NONE|LOW|MEDIUM|HIGH)/)
      const gpus = json<V2.GpuType[]>('gpus')
      expect(gpus.length).toBeGreaterThan(10)
      expect(gpus.every((g) => g.availability !== undefined)).toBe(true)
      expect(cli('gpus', '-o', 'name').stdout.split('\n')).toContain('NVIDIA A40')
    })

    it('filters by availability, memory and data center, and shows each data center in wide', () => {
      const all = json<V2.GpuType[]>('gpus')
      const available = json<V2.GpuType[]>('gpus', '--available')
      expect(available.map((g) => g.id)).toEqual(
        all.filter((g) => g.availability !== 'NONE').map((g) => g.id),
      )
      expect(available.length).toBeGreaterThan(0)
      expect(cli('gpus', '--available').stdout).not.toMatch(/\sNONE\s*$/m)

      const big = json<V2.GpuType[]>('gpus', '--min-memory', '80')
      expect(big.length).toBeGreaterThan(0)
      expect(big.every((g) => g.memory >= 80)).toBe(true)

      const stocked = available[0]!
      const dc = stocked.dataCenters!.find((d) => d.availability !== 'NONE')!
      const inDc = json<V2.GpuType[]>('gpus', '--dc', dc.id)
      expect(inDc.map((g) => g.id)).toContain(stocked.id)
      expect(inDc.every((g) => g.dataCenters?.some((d) => d.id === dc.id && d.availability !== 'NONE'))).toBe(
        true,
      )
      const dcTable = cli('gpus', '--dc', dc.id)
      expect(header(dcTable.stdout)).toContain(dc.id)

      const wide = cli('gpus', '--available', '-o', 'wide').stdout
      expect(header(wide)).toEqual(expect.arrayContaining(['NAME', 'MAX_COUNT', 'DATACENTERS']))
      expect(wide).toContain(`${dc.id}:${dc.availability}`)
    })

    it('sorts by price, memory or name and passes count and cloud to the catalog', () => {
      const byPrice = json<V2.GpuType[]>('gpus', '--sort', 'price')
      const prices = byPrice.map((g) => g.price.secure)
      expect(prices).toEqual([...prices].sort((a, b) => a - b))
      const community = json<V2.GpuType[]>('gpus', '--sort', 'price', '--cloud', 'COMMUNITY').map(
        (g) => g.price.community,
      )
      expect(community).toEqual([...community].sort((a, b) => a - b))
      const memory = json<V2.GpuType[]>('gpus', '--sort', 'memory').map((g) => g.memory)
      expect(memory).toEqual([...memory].sort((a, b) => a - b))
      const names = json<V2.GpuType[]>('gpus', '--sort', 'name').map((g) => g.id)
      expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)))

      // Fewer types can place 8 GPUs in one pod than 1.
      const one = json<V2.GpuType[]>('gpus', '--available').length
      const eight = json<V2.GpuType[]>('gpus', '--available', '--count', '8').length
      expect(eight).toBeLessThanOrEqual(one)
    })

    it('exits 2 on bad flags', () => {
      expect(cli('gpus', '--sort', 'cost').code).toBe(2)
      expect(cli('gpus', '--cloud', 'SPOT').code).toBe(2)
      expect(cli('gpus', '--count', '0').code).toBe(2)
      expect(cli('gpus', '--min-memory', 'lots').code).toBe(2)
    })
  })

  describe('billing', () => {
    it('totals a running pod per bucket, by pod, GPU and volume, with the records as JSON', async () => {
      const pod = json<V1.Pod>(
        ...words('pods create --image runpod/base:0.6.2 --gpu'),
        'NVIDIA GeForce RTX 4090',
      )
      await sleep(2000) // two simulated minutes at 60×
      // Terminated, so no more disk is billed while the test reads the totals.
      expect(cli('pods', 'rm', pod.id, '--yes').code).toBe(0)

      const byPod = json<V1.BillingRecord[]>('billing', '--by', 'pods')
      const mine = byPod.filter((r) => r.podId === pod.id)
      expect(mine.length).toBeGreaterThan(0)
      const amount = mine.reduce((sum, r) => sum + r.amount, 0)
      expect(amount).toBeGreaterThan(0)
      expect(mine.reduce((sum, r) => sum + r.timeBilledMs, 0)).toBeGreaterThanOrEqual(60_000)

      const table = cli('billing', '--by', 'pods')
      expect(header(table.stdout)).toEqual(['TIME', 'POD', 'BILLED', 'DISK_GB', '$'])
      const total = table.stdout.trim().split('\n').at(-1)!
      const all = byPod.reduce((sum, r) => sum + r.amount, 0)
      expect(total).toMatch(
        new RegExp(`^TOTAL\\s+\\d+[hm]\\d\\d[ms]\\s+${all.toFixed(4).replace('.', '\\.')}$`),
      )

      const byGpu = cli('billing', '--by', 'gpus', '--bucket', 'hour')
      expect(byGpu.stdout).toMatch(/^\d{4}-\d\d-\d\d \d\d:00\s+NVIDIA GeForce RTX 4090\s/m)
      expect(byGpu.stdout.trim().split('\n').at(-1)).toMatch(/^TOTAL\s/)

      const gpuRecords = json<V1.BillingRecord[]>(
        ...words('billing --by gpus --gpu'),
        'NVIDIA GeForce RTX 4090',
      )
      expect(gpuRecords.every((r) => r.gpuTypeId === 'NVIDIA GeForce RTX 4090')).toBe(true)
      expect(gpuRecords.reduce((sum, r) => sum + r.amount, 0)).toBeGreaterThanOrEqual(amount - 1e-9)

      expect(cli('billing', '--by', 'volumes').code).toBe(0)
      expect(cli('billing', '--by', 'endpoints', '-o', 'yaml').code).toBe(0)
      const future = cli('billing', '--since', '2099-01-01', '--until', '2099-01-02')
      expect(future).toMatchObject({ code: 0, stdout: 'nothing billed in this range\n' })
    })

    it('exits 2 on bad flags and 1 when the server refuses the range', () => {
      expect(cli('billing', '--bucket', 'fortnight').code).toBe(2)
      expect(cli('billing', '--by', 'users').code).toBe(2)
      expect(cli('billing', '--since', 'yesterday').code).toBe(2)
      expect(cli('billing', '--by', 'volumes', '--pod', 'p').code).toBe(2)
      const backwards = cli('billing', '--since', '2026-02-01', '--until', '2026-01-01')
      expect(backwards.code).toBe(1)
      expect(backwards.stderr).toMatch(/^podplane: 400 startTime must be before endTime/)
    })
  })

  it('shows examples in --help of every new command', () => {
    for (const args of [
      ['templates'],
      ['templates', 'create'],
      ['templates', 'rm'],
      ['volumes'],
      ['volumes', 'create'],
      ['endpoints'],
      ['endpoints', 'update'],
      ['registry-auths'],
      ['registry-auths', 'create'],
      ['gpus'],
      ['billing'],
    ]) {
      const help = cli(...args, '--help')
      expect(help.code).toBe(0)
      expect(help.stdout).toMatch(/Examples:\n {2}\$ .*podplane /)
    }
  })
})
