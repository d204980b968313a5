import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { runningUsage } from '../../src/domain/usage.js'
import { newPodId } from '../../src/ids.js'
import { openDatabase } from '../../src/store/database.js'
import { createStore } from '../../src/store/store.js'
import { createTestApp, type TestApp } from '../helpers/app.js'
import { callApi, exitOf, runCli, startServerProcess } from '../helpers/cli.js'
import { machine } from '../helpers/machines.js'

/** Counts rows straight from the file, on a connection of its own that writes no journal entries. */
function countRows(location: string, sql: string, ...params: unknown[]): number {
  const raw = new SqliteDatabase(location, { readonly: true })
  try {
    return raw
      .prepare(sql)
      .pluck()
      .get(...params) as number
  } finally {
    raw.close()
  }
}

describe('new pods on SQLite: committed as a journal row, in the pod tables before anything reads them', () => {
  let t: TestApp | undefined
  afterEach(async () => {
    await t?.close()
    t = undefined
  })

  it('keeps a created pod as one journal row until a read, which finds it with its allocation and usage', async () => {
    t = await createTestApp()
    const key = await t.key('alice')
    const created = await t.request('POST', '/v1/pods', { key, body: { imageName: 'x', gpuCount: 1 } })
    expect(created.status).toBe(201)
    // Committed (the answer came after the commit), but not yet in the pod tables.
    expect(countRows(t.location, 'select count(*) from pod_journal')).toBe(1)
    expect(countRows(t.location, 'select count(*) from pods where id = ?', created.body.id)).toBe(0)

    const listed = await t.request('GET', '/v1/pods', { key })
    expect(listed.body.map((p: { id: string }) => p.id)).toEqual([created.body.id])
    expect(countRows(t.location, 'select count(*) from pod_journal')).toBe(0)
    expect(countRows(t.location, 'select count(*) from pods where id = ?', created.body.id)).toBe(1)
    expect(countRows(t.location, 'select gpu_count from allocations where pod_id = ?', created.body.id)).toBe(
      1,
    )
    expect(
      countRows(
        t.location,
        'select count(*) from usage_intervals where pod_id = ? and ended_at is null',
        created.body.id,
      ),
    ).toBe(1)
    // The machine's claim was never deferred: it matches the allocations.
    const machine = await t.db.selectFrom('machines').select('gpu_used').executeTakeFirstOrThrow()
    expect(machine.gpu_used).toBe(1)
  })

  it('lets a write of the same batch see a pod journaled just before it', async () => {
    t = await createTestApp()
    const key = await t.key('alice')
    // Submitted in one turn of the event loop: the create and the stop share a group commit.
    const [created] = await Promise.all([
      t.request('POST', '/v1/pods', { key, body: { imageName: 'x', gpuCount: 1 } }),
      t.request('GET', '/v1/pods', { key }),
    ])
    const stopped = await t.request('POST', `/v1/pods/${created.body.id}/stop`, { key })
    expect(stopped.status).toBe(200)
    const got = await t.request('GET', `/v1/pods/${created.body.id}`, { key })
    expect(got.body.desiredStatus).toBe('EXITED')
  })

  it('keeps on-demand pods journaled when a create finds their GPU type full, and writes out an interruptible one the create may preempt', async () => {
    t = await createTestApp({ machines: [machine({ id: 'only', gpu_count: 1 })] })
    const key = await t.key('alice')
    const create = (body: Record<string, unknown>) =>
      t!.request('POST', '/v1/pods', { key, body: { imageName: 'x', gpuCount: 1, ...body } })
    const first = await create({})
    expect(first.status).toBe(201)
    // The type is full: the create looks for interruptible pods to take GPUs back from. None is
    // journaled, so the on-demand one stays in the journal (it is written out when creates pause).
    expect((await create({})).status).toBe(500)
    expect(countRows(t.location, 'select count(*) from pod_journal')).toBe(1)
    expect(countRows(t.location, 'select count(*) from pods')).toBe(0)

    expect((await t.request('DELETE', `/v1/pods/${first.body.id}`, { key })).status).toBe(204)
    const spot = await create({ interruptible: true })
    expect(spot.status).toBe(201)
    expect(countRows(t.location, 'select count(*) from pod_journal')).toBe(1)
    // Journaled, the interruptible pod is still found and preempted.
    const onDemand = await create({})
    expect(onDemand.status).toBe(201)
    expect(onDemand.body.machineId).toBe('only')
    const preempted = await t.request('GET', `/v1/pods/${spot.body.id}`, { key })
    expect(preempted.body.desiredStatus).toBe('EXITED')
  })

  it('writes out an interruptible pod another connection journaled before a create here looks for pods to preempt', async () => {
    t = await createTestApp({
      machines: [
        machine({ id: 'here', gpu_count: 1 }),
        machine({ id: 'there', gpu_count: 1, data_center_id: 'EU-RO-1' }),
      ],
    })
    const key = await t.key('alice')
    const first = await t.request('POST', '/v1/pods', {
      key,
      body: { imageName: 'x', gpuCount: 1, dataCenterIds: ['US-TX-3'] },
    })
    expect(first.body.machineId).toBe('here')
    // Another process sharing the file journals an interruptible pod on the other machine. (Its
    // store stays open until the end: closing a store writes its journal out.)
    const pod = await t.ctx.pods.get('alice', first.body.id)
    const spot = { ...pod, id: newPodId(), machineId: 'there', dataCenterId: 'EU-RO-1', interruptible: true }
    const claim = { gpuCount: 1, vcpuCount: pod.vcpuCount, memoryGb: pod.memoryInGb, diskGb: 0 }
    const other = createStore(await openDatabase(t.location))
    try {
      await other.transaction(async (tx) => {
        expect(await tx.machines.claim('there', claim, { newPod: { now: spot.createdAt } })).toBeDefined()
        await tx.pods.insertNew(spot, claim, runningUsage(spot, 'u-spot', spot.createdAt))
      })
      expect(countRows(t.location, 'select count(*) from pod_journal')).toBe(1)

      // Both machines are full: an on-demand pod can only take the interruptible pod's GPU, which
      // the search finds only if it writes out the other connection's journal first.
      const onDemand = await t.request('POST', '/v1/pods', { key, body: { imageName: 'x', gpuCount: 1 } })
      expect(onDemand.status).toBe(201)
      expect(onDemand.body.machineId).toBe('there')
    } finally {
      await other.close()
    }
    const preempted = await t.request('GET', `/v1/pods/${spot.id}`, { key })
    expect(preempted.body.desiredStatus).toBe('EXITED')
  })

  it('keeps new pods journaled through a maintenance pass that finds no window, and writes them out for one that does', async () => {
    t = await createTestApp({ machines: [machine({ id: 'm', gpu_count: 2 })] })
    const key = await t.key('alice')
    const created = await t.request('POST', '/v1/pods', { key, body: { imageName: 'x', gpuCount: 1 } })
    expect(created.status).toBe(201)
    // The background pass runs every 5 s: under a burst of creates it must not write them all out.
    expect(await t.ctx.fleet.enforceMaintenance()).toEqual([])
    expect(countRows(t.location, 'select count(*) from pod_journal')).toBe(1)

    await t.store.machines.update('m', { maintenance_start: t.clock.now(), maintenance_note: 'now' })
    expect(await t.ctx.fleet.enforceMaintenance()).toEqual([created.body.id])
    expect(countRows(t.location, 'select count(*) from pod_journal')).toBe(0)
    const stopped = await t.request('GET', `/v1/pods/${created.body.id}`, { key })
    expect(stopped.body.desiredStatus).toBe('EXITED')
  })

  it('leaves no entry behind when the transaction that wrote it rolls back', async () => {
    t = await createTestApp()
    const key = await t.key('alice')
    const created = await t.request('POST', '/v1/pods', { key, body: { imageName: 'x', gpuCount: 1 } })
    const pod = await t.ctx.pods.get('alice', created.body.id)
    const ghost = { ...pod, id: newPodId() }
    const claim = { gpuCount: 1, vcpuCount: pod.vcpuCount, memoryGb: pod.memoryInGb, diskGb: 0 }
    const usage = runningUsage(ghost, 'u-ghost', 0)
    await expect(
      t.store.transaction(async (tx) => {
        await tx.pods.insertNew(ghost, claim, usage)
        throw new Error('changed my mind')
      }),
    ).rejects.toThrow('changed my mind')
    expect(
      countRows(t.location, 'select count(*) from pod_journal where entry like ?', `%${ghost.id}%`),
    ).toBe(0)
    const listed = await t.request('GET', '/v1/pods', { key })
    expect(listed.body.map((p: { id: string }) => p.id)).toEqual([created.body.id])
  })
})

describe('new pods on SQLite across processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'podplane-journal-'))
  const env = { PODPLANE_DB: join(dir, 'podplane.db') }
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('shows a server’s new pods to another process at once, and loses none when the server is killed', async () => {
    expect(runCli(['fleet', 'seed', '--machines', '12', '--seed', '3'], env).code).toBe(0)
    const key = runCli(['keys', 'create', '--user', 'alice'], env).stdout.trim()
    // Opened before the creates: it must notice them without being told.
    const reader = createStore(await openDatabase(env.PODPLANE_DB))
    const server = await startServerProcess(env)
    const ids: string[] = []
    try {
      for (let i = 0; i < 5; i++) {
        const created = await callApi(server.url, key, 'POST', '/v1/pods', { imageName: 'x', gpuCount: 1 })
        expect(created.status).toBe(201)
        ids.push(created.body.id)
      }
      expect((await reader.pods.list('alice', { includeWorkers: false })).map((p) => p.id).sort()).toEqual(
        [...ids].sort(),
      )
      const more = await callApi(server.url, key, 'POST', '/v1/pods', { imageName: 'x', gpuCount: 1 })
      ids.push(more.body.id)
    } finally {
      // No chance to write anything on the way out.
      server.child.kill('SIGKILL')
      await exitOf(server.child)
      await reader.close()
    }
    const reopened = createStore(await openDatabase(env.PODPLANE_DB))
    try {
      expect((await reopened.pods.list('alice', { includeWorkers: false })).map((p) => p.id).sort()).toEqual(
        [...ids].sort(),
      )
      for (const id of ids) expect(await reopened.allocations.get(id)).toMatchObject({ gpu_count: 1 })
    } finally {
      await reopened.close()
    }
    expect(countRows(env.PODPLANE_DB, 'select count(*) from pod_journal')).toBe(0)
    expect(countRows(env.PODPLANE_DB, 'select count(*) from usage_intervals where ended_at is null')).toBe(6)
  })
})
