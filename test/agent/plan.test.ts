import { describe, expect, it } from 'vitest'
import { containerSpec } from '../../src/agent/container-spec.js'
import { type PodMemory, planPod } from '../../src/agent/plan.js'
import { LABELS } from '../../src/agent/protocol.js'
import type { PodContainer } from '../../src/agent/runtime.js'
import { desiredPod } from './fake-control-plane.js'

const fresh: PodMemory = { lastReport: undefined, bootFailed: false }

function container(podId: string, bootId: string, state: PodContainer['state']): PodContainer {
  return { id: `c-${bootId}`, name: `podplane-${podId}-${bootId}`, podId, bootId, gpuIndices: [], state }
}

describe('planning a pod', () => {
  const pod = desiredPod({ id: 'p1', bootId: 'b2' })

  it('creates the boot that has no container, after removing those of earlier boots', () => {
    const old = container('p1', 'b1', 'running')
    expect(planPod(pod, [old], fresh)).toEqual([{ kind: 'remove', containers: [old] }, { kind: 'create' }])
  })

  it('does not try a failed boot again', () => {
    expect(planPod(pod, [], { ...fresh, bootFailed: true })).toEqual([])
    expect(planPod(pod, [container('p1', 'b2', 'created')], { ...fresh, bootFailed: true })).toEqual([])
  })

  it('starts a container that was created and never started', () => {
    const created = container('p1', 'b2', 'created')
    expect(planPod(pod, [created], fresh)).toEqual([{ kind: 'start', container: created }])
  })

  it('reports a running container once per boot', () => {
    const running = container('p1', 'b2', 'running')
    expect(planPod(pod, [running], fresh)).toEqual([{ kind: 'report-running', container: running }])
    const reported = { ...fresh, lastReport: { bootId: 'b2', state: 'running' as const } }
    expect(planPod(pod, [running], reported)).toEqual([])
    const ofAnotherBoot = { ...fresh, lastReport: { bootId: 'b1', state: 'running' as const } }
    expect(planPod(pod, [running], ofAnotherBoot)).toEqual([{ kind: 'report-running', container: running }])
  })

  it('reports an exit once, and never a stale running after it', () => {
    const exited = container('p1', 'b2', 'exited')
    expect(planPod(pod, [exited], fresh)).toEqual([{ kind: 'report-exit', container: exited }])
    const reported = { ...fresh, lastReport: { bootId: 'b2', state: 'exited' as const, exitCode: 0 } }
    expect(planPod(pod, [exited], reported)).toEqual([])
    expect(planPod(pod, [container('p1', 'b2', 'running')], reported)).toEqual([])
  })

  it('stops the running containers of a pod wanted EXITED and keeps the rest', () => {
    const running = container('p1', 'b2', 'running')
    const stopped = { ...pod, desiredStatus: 'EXITED' as const }
    expect(planPod(stopped, [running, container('p1', 'b1', 'exited')], fresh)).toEqual([
      { kind: 'stop', container: running },
    ])
  })

  it('removes everything of a pod that left the machine', () => {
    const left = [container('p1', 'b1', 'exited'), container('p1', 'b2', 'running')]
    expect(planPod(undefined, left, fresh)).toEqual([{ kind: 'remove', containers: left }, { kind: 'purge' }])
    expect(planPod(undefined, [], fresh)).toEqual([{ kind: 'purge' }])
  })
})

describe('the container of a boot', () => {
  const host = { machineId: 'm1', dataDir: '/var/lib/podplane', nvidia: true }

  it('publishes each mapped port on its host port and passes the pod id', () => {
    const pod = desiredPod({ id: 'p1', bootId: 'b/1', portMappings: { '8888': 40001, '22/tcp': 40002 } })
    const spec = containerSpec(pod, host, [])
    expect(spec.name).toBe('podplane-p1-b-1')
    expect(spec.ExposedPorts).toEqual({ '8888/tcp': {}, '22/tcp': {} })
    expect(spec.HostConfig?.PortBindings).toEqual({
      '8888/tcp': [{ HostPort: '40001' }],
      '22/tcp': [{ HostPort: '40002' }],
    })
    expect(spec.Env).toEqual(expect.arrayContaining(['RUNPOD_POD_ID=p1', 'PODPLANE_POD_ID=p1']))
  })

  it('hands real NVIDIA GPUs over as a device request, and hides them from a pod without any', () => {
    const pod = desiredPod({ gpuCount: 2 })
    expect(containerSpec(pod, host, [1, 3]).HostConfig?.DeviceRequests).toEqual([
      { Driver: 'nvidia', DeviceIDs: ['1', '3'], Capabilities: [['gpu']] },
    ])
    expect(containerSpec(pod, host, [1, 3]).Labels?.[LABELS.gpus]).toBe('1,3')
    const cpuOnly = containerSpec(desiredPod(), host, [])
    expect(cpuOnly.HostConfig?.DeviceRequests).toBeUndefined()
    expect(cpuOnly.Env).toContain('NVIDIA_VISIBLE_DEVICES=void')
  })

  it('uses the default entrypoint and command of the image when the pod names none', () => {
    const spec = containerSpec(desiredPod({ dockerEntrypoint: [], dockerStartCmd: [] }), host, [])
    expect(spec).not.toHaveProperty('Entrypoint')
    expect(spec).not.toHaveProperty('Cmd')
  })

  it('mounts the network volume in place of the volume disk', () => {
    const pod = desiredPod({ id: 'p1', volumeInGb: 20, volumeMountPath: '/workspace' })
    expect(containerSpec(pod, host, []).HostConfig?.Binds).toEqual([
      '/var/lib/podplane/pods/p1/volume:/workspace',
    ])
    const withNetwork = { ...pod, networkVolumeId: 'nv9' }
    expect(containerSpec(withNetwork, host, []).HostConfig?.Binds).toEqual([
      '/var/lib/podplane/network-volumes/nv9:/workspace',
    ])
    // A data center's shared storage, mounted on every host, holds its network volumes.
    const shared = { ...host, networkVolumeDir: '/mnt/dc-shared' }
    expect(containerSpec(withNetwork, shared, []).HostConfig?.Binds).toEqual([
      '/mnt/dc-shared/nv9:/workspace',
    ])
    expect(containerSpec({ ...pod, volumeInGb: 0 }, host, []).HostConfig?.Binds).toBeUndefined()
  })
})
