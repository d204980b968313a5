import { mkdir, stat } from 'node:fs/promises'
import net from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { containerSpec } from '../../src/agent/container-spec.js'
import { usePodman } from '../helpers/podman.js'
import { desiredPod, waitFor } from './fake-control-plane.js'
import { freePort, type Harness, harness } from './harness.js'

const podman = usePodman()
let h: Harness

afterEach(async () => {
  await h?.close()
})

const states = async (podId: string) =>
  (await h.runtime.list(h.controlPlane.machineId))
    .filter((c) => c.podId === podId)
    .map((c) => ({ bootId: c.bootId, state: c.state }))

describe('reconciling a machine', () => {
  it('adopts the container of the same boot after an agent restart instead of making another', async () => {
    h = await harness(podman)
    const pod = desiredPod()
    h.controlPlane.setPods([pod])
    await h.reconcile()
    await h.reconcile()
    await h.restartAgent().reconcile(h.controlPlane.desired())

    expect(await states(pod.id)).toEqual([{ bootId: pod.bootId, state: 'running' }])
    expect(h.controlPlane.reportsOf(pod.id).map((r) => r.state)).toEqual(['starting', 'running', 'running'])
  })

  it('starts a container of this boot that was created but never started', async () => {
    h = await harness(podman)
    const pod = desiredPod()
    const host = { machineId: h.controlPlane.machineId, dataDir: h.dataDir, nvidia: false }
    await h.runtime.create(containerSpec(pod, host, []))
    h.controlPlane.setPods([pod])
    await h.reconcile()

    expect(await states(pod.id)).toEqual([{ bootId: pod.bootId, state: 'running' }])
    expect(h.controlPlane.reportsOf(pod.id)).toEqual([{ bootId: pod.bootId, state: 'running' }])
  })

  it('replaces the container when the boot changes', async () => {
    h = await harness(podman)
    const pod = desiredPod()
    h.controlPlane.setPods([pod])
    await h.reconcile()
    const restarted = { ...pod, bootId: `${pod.bootId}-2` }
    h.controlPlane.setPods([restarted])
    await h.reconcile()

    expect(await states(pod.id)).toEqual([{ bootId: restarted.bootId, state: 'running' }])
    expect(h.controlPlane.reportsOf(pod.id).at(-1)).toEqual({ bootId: restarted.bootId, state: 'running' })
  })

  it('stops the container of a pod wanted EXITED and keeps it', async () => {
    h = await harness(podman)
    const pod = desiredPod()
    h.controlPlane.setPods([pod])
    await h.reconcile()
    h.controlPlane.setPods([{ ...pod, desiredStatus: 'EXITED' }])
    await h.reconcile()

    expect(await states(pod.id)).toEqual([{ bootId: pod.bootId, state: 'exited' }])
    expect(h.controlPlane.reportsOf(pod.id).map((r) => r.state)).toEqual(['starting', 'running'])
  })

  it('removes the containers and volume of a pod no longer on the machine', async () => {
    h = await harness(podman)
    const pod = desiredPod({ volumeInGb: 5 })
    const other = desiredPod()
    h.controlPlane.setPods([pod, other])
    await h.reconcile()
    await stat(join(h.dataDir, 'pods', pod.id, 'volume'))
    await mkdir(join(h.dataDir, 'pods', 'left-behind'))
    h.controlPlane.setPods([other])
    await h.reconcile()

    expect(await states(pod.id)).toEqual([])
    expect(await states(other.id)).toEqual([{ bootId: other.bootId, state: 'running' }])
    await expect(stat(join(h.dataDir, 'pods', pod.id))).rejects.toThrow(/ENOENT/)
    await expect(stat(join(h.dataDir, 'pods', 'left-behind'))).rejects.toThrow(/ENOENT/)
  })

  it('reports once, with its exit code, a container that exited on its own', async () => {
    h = await harness(podman)
    const pod = desiredPod({ dockerStartCmd: ['/bin/sh', '-c', 'echo bye; exit 3'] })
    h.controlPlane.setPods([pod])
    await h.reconcile()
    await waitFor('the container to exit', async () => (await states(pod.id))[0]?.state === 'exited')
    await h.reconcile()
    await h.reconcile()

    expect(h.controlPlane.reportsOf(pod.id).slice(-1)).toEqual([
      { bootId: pod.bootId, state: 'exited', exitCode: 3 },
    ])
    expect(h.controlPlane.reportsOf(pod.id).filter((r) => r.state === 'exited')).toHaveLength(1)
    await waitFor('the last lines', () =>
      h.controlPlane.linesOf(pod.id).some((l) => l.line === 'Container exited with code 3'),
    )
    // The container's own output comes through its log follower, which may ship after the report.
    await waitFor('the container output', () => h.controlPlane.linesOf(pod.id, 'container').length > 0)
    expect(h.controlPlane.linesOf(pod.id, 'container').map((l) => l.line)).toEqual(['bye'])
  })

  it('reports a missing image that cannot be pulled, and does not try the boot again', async () => {
    h = await harness(podman)
    const pod = desiredPod({ image: 'localhost:1/podplane/missing:1', hasRegistryAuth: true })
    h.controlPlane.setPods([pod])
    await h.reconcile()
    await h.reconcile()

    const reports = h.controlPlane.reportsOf(pod.id)
    expect(reports).toHaveLength(2)
    expect(reports[0]).toEqual({
      bootId: pod.bootId,
      state: 'starting',
      message: 'pulling image localhost:1/podplane/missing:1',
    })
    expect(reports[1]).toMatchObject({ bootId: pod.bootId, state: 'error' })
    expect(reports[1]?.message).toMatch(/^image pull failed: .*localhost:1/)
    expect(h.controlPlane.registryAuthRequests).toEqual([pod.id])
    await h.shipper.flush()
    expect(JSON.stringify(h.controlPlane.logs.get(pod.id))).not.toContain('secret')
    expect(await states(pod.id)).toEqual([])
  })

  it('reports a container that cannot start because its host port is taken', async () => {
    h = await harness(podman)
    const port = await freePort()
    const squatter = net.createServer()
    await new Promise<void>((resolve) => squatter.listen(port, '0.0.0.0', resolve))
    try {
      const pod = desiredPod({ portMappings: { '8080': port } })
      h.controlPlane.setPods([pod])
      await h.reconcile()
      await h.reconcile()

      const reports = h.controlPlane.reportsOf(pod.id)
      expect(reports.map((r) => r.state)).toEqual(['starting', 'error'])
      expect(reports[1]?.message).toMatch(/^container start failed: .*address already in use/)
      expect(await states(pod.id)).toEqual([])
    } finally {
      await new Promise((resolve) => squatter.close(resolve))
    }
  })

  it('reports every running pod once when the runtime is unreachable, without throwing', async () => {
    h = await harness(podman, { dockerHost: 'unix:///nonexistent/podplane/podman.sock' })
    const running = desiredPod()
    const stopped = desiredPod({ desiredStatus: 'EXITED' })
    h.controlPlane.setPods([running, stopped])
    await h.reconcile()
    await h.reconcile()

    expect(h.controlPlane.reportsOf(running.id)).toEqual([
      {
        bootId: running.bootId,
        state: 'error',
        message: 'container runtime unavailable: connect ENOENT /nonexistent/podplane/podman.sock',
      },
    ])
    expect(h.controlPlane.reportsOf(stopped.id)).toEqual([])
  })
})
