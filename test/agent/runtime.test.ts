import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { LABELS } from '../../src/agent/protocol.js'
import { usePodman } from '../helpers/podman.js'
import { desiredPod, waitFor } from './fake-control-plane.js'
import { freePort, type Harness, harness } from './harness.js'

const podman = usePodman()
let h: Harness

afterEach(async () => {
  await h?.close()
})

describe('a pod the control plane wants running', () => {
  it('gets a container whose published port answers on the host', async () => {
    h = await harness(podman)
    const port = await freePort()
    const pod = desiredPod({
      dockerStartCmd: ['/bin/httpd', '-f', '-p', '8080', '-h', '/www'],
      ports: ['8080/http'],
      portMappings: { '8080': port },
    })
    h.controlPlane.setPods([pod])
    await h.reconcile()

    expect(h.controlPlane.reportsOf(pod.id)).toEqual([
      { bootId: pod.bootId, state: 'starting', message: 'creating container' },
      { bootId: pod.bootId, state: 'running' },
    ])
    const body = await waitFor('the published port', () =>
      fetch(`http://127.0.0.1:${port}/`).then(
        (r) => r.text(),
        () => '',
      ),
    )
    expect(body).toBe('hello from podplane\n')
  })

  it('is labelled, named and limited as asked', async () => {
    h = await harness(podman)
    const pod = desiredPod({ vcpuCount: 2, memoryInGb: 1 })
    h.controlPlane.setPods([pod])
    await h.reconcile()

    const [info] = await h.inspect(pod.id)
    expect(info?.Name.replace(/^\//, '')).toBe(`podplane-${pod.id}-${pod.bootId}`)
    expect(info?.Config.Labels).toMatchObject({
      [LABELS.pod]: pod.id,
      [LABELS.boot]: pod.bootId,
      [LABELS.machine]: h.controlPlane.machineId,
      [LABELS.gpus]: '',
    })
    expect(info?.HostConfig.Memory).toBe(1024 ** 3)
    expect(info?.HostConfig.NanoCpus).toBe(2e9)
    expect(info?.State.Running).toBe(true)
  })

  it('runs its entrypoint and command with its environment, and ships their output with timestamps', async () => {
    h = await harness(podman)
    const pod = desiredPod({
      env: { GREETING: 'hello world' },
      dockerEntrypoint: ['/bin/sh', '-c'],
      dockerStartCmd: ['echo "$GREETING from $RUNPOD_POD_ID/$PODPLANE_POD_ID"; echo oops >&2; sleep 300'],
    })
    h.controlPlane.setPods([pod])
    const before = Date.now()
    await h.reconcile()

    await waitFor('the container output', () => h.controlPlane.linesOf(pod.id, 'container').length >= 2)
    const lines = h.controlPlane.linesOf(pod.id, 'container')
    expect(lines.map((l) => l.line).sort()).toEqual([`hello world from ${pod.id}/${pod.id}`, 'oops'])
    for (const line of lines) {
      expect(line.ts).toBeGreaterThanOrEqual(before - 1000)
      expect(line.ts).toBeLessThanOrEqual(Date.now())
    }
    expect(h.controlPlane.linesOf(pod.id, 'system').map((l) => l.line)).toEqual([
      'Image localhost/podplane-test-busybox:latest present',
      `Created container podplane-${pod.id}-${pod.bootId}`,
      `Started container podplane-${pod.id}-${pod.bootId}`,
    ])
  })

  it('resumes its logs after the last line the server holds', async () => {
    h = await harness(podman)
    const pod = desiredPod({
      dockerStartCmd: ['/bin/sh', '-c', 'echo first; sleep 1.5; echo second; sleep 300'],
    })
    h.controlPlane.setPods([pod])
    await h.reconcile()
    await waitFor('both lines', () => h.controlPlane.linesOf(pod.id, 'container').length === 2)
    const [first] = h.controlPlane.linesOf(pod.id, 'container')

    // Another agent process, told the server holds everything up to the first line.
    h.controlPlane.logs.clear()
    h.controlPlane.setPods([{ ...pod, logsAfter: first?.ts ?? null }])
    await h.restartAgent().reconcile(h.controlPlane.desired())
    await waitFor('the second line again', () => h.controlPlane.linesOf(pod.id, 'container').length === 1)
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(h.controlPlane.linesOf(pod.id, 'container').map((l) => l.line)).toEqual(['second'])
  })

  it('gets its volume, or its network volume in its place, mounted from the data dir', async () => {
    h = await harness(podman)
    const withVolume = desiredPod({
      volumeInGb: 5,
      volumeMountPath: '/workspace',
      dockerStartCmd: ['/bin/sh', '-c', 'echo kept > /workspace/note; sleep 300'],
    })
    const withNetworkVolume = desiredPod({
      volumeInGb: 5,
      volumeMountPath: '/data',
      networkVolumeId: 'nv1',
      dockerStartCmd: ['/bin/sh', '-c', 'cat /data/shared > /data/seen; sleep 300'],
    })
    await writeFile(join(h.dataDir, 'shared'), '')
    const networkDir = join(h.dataDir, 'network-volumes', 'nv1')
    await import('node:fs/promises').then((fs) => fs.mkdir(networkDir, { recursive: true }))
    await writeFile(join(networkDir, 'shared'), 'from the network volume\n')
    h.controlPlane.setPods([withVolume, withNetworkVolume])
    await h.reconcile()

    const volumeNote = join(h.dataDir, 'pods', withVolume.id, 'volume', 'note')
    expect(await waitFor('the volume file', () => readFile(volumeNote, 'utf8').catch(() => ''))).toBe(
      'kept\n',
    )
    const seen = join(networkDir, 'seen')
    expect(await waitFor('the network volume file', () => readFile(seen, 'utf8').catch(() => ''))).toBe(
      'from the network volume\n',
    )
  })

  it('is handed free GPUs of a declared inventory, and refused when none are left', async () => {
    h = await harness(podman, { gpuIndices: [0, 1, 2] })
    const two = desiredPod({ gpuCount: 2 })
    const one = desiredPod({ gpuCount: 1 })
    const tooMany = desiredPod({ gpuCount: 1 })
    h.controlPlane.setPods([two])
    await h.reconcile()
    h.controlPlane.setPods([two, one])
    await h.reconcile()
    h.controlPlane.setPods([two, one, tooMany])
    await h.reconcile()

    const [twoInfo] = await h.inspect(two.id)
    const [oneInfo] = await h.inspect(one.id)
    expect(twoInfo?.Config.Labels[LABELS.gpus]).toBe('0,1')
    expect(twoInfo?.Config.Env).toEqual(
      expect.arrayContaining(['NVIDIA_VISIBLE_DEVICES=0,1', 'CUDA_VISIBLE_DEVICES=0,1']),
    )
    expect(oneInfo?.Config.Labels[LABELS.gpus]).toBe('2')
    expect(h.controlPlane.reportsOf(tooMany.id).at(-1)).toEqual({
      bootId: tooMany.bootId,
      state: 'error',
      message: 'not enough free GPUs on this machine: 1 wanted, 0 free',
    })
  })
})
