import pg from 'pg'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../helpers/app.js'
import { machine } from '../helpers/machines.js'

// A kept list answer is served again while the user's highest change number stands. PostgreSQL
// hands those numbers out as statements run, not in commit order: these writes commit out of it.
describe('pod lists on PostgreSQL when writes commit out of the order of their change numbers', () => {
  let t: TestApp
  let key: string
  let other: pg.Client
  beforeEach(async () => {
    t = await createTestApp({ machines: [machine({ gpu_count: 8 })] })
    key = await t.key('alice')
    // Another replica's connection: its transaction stays open while this one's requests run.
    other = new pg.Client({ connectionString: t.location })
    await other.connect()
  })
  afterEach(async () => {
    await other.end()
    await t.close()
  })

  const list = async () =>
    (await t.request('GET', '/v1/pods', { key })).body as { id: string; name: string }[]
  const nameOf = (pods: { id: string; name: string }[], id: string) => pods.find((p) => p.id === id)?.name
  /** Another replica's write to the pod, left uncommitted: it takes its change number now. */
  const renameElsewhere = async (podId: string) => {
    await other.query('begin')
    await other.query(
      `update pods set name = 'renamed elsewhere', version = version + 1,
         change_seq = (select nextval('pods_change_seq') where pg_current_xact_id() is not null)
       where id = $1`,
      [podId],
    )
  }
  const create = async (name: string) =>
    (await t.request('POST', '/v1/pods', { key, body: { imageName: 'x', name } })).body as { id: string }

  it('shows a write that took its change number first and committed after a later one', async () => {
    const first = await create('first')
    const second = await create('second')
    await list()

    await renameElsewhere(first.id)
    // A later change number, committed first.
    await t.request('PATCH', `/v1/pods/${second.id}`, { key, body: { name: 'renamed here' } })
    const meanwhile = await list()
    expect(nameOf(meanwhile, first.id)).toBe('first')
    expect(nameOf(meanwhile, second.id)).toBe('renamed here')

    await other.query('commit')
    expect(nameOf(await list(), first.id)).toBe('renamed elsewhere')
  })

  it("changes the machine's revision its agent watches for such a write too", async () => {
    const first = await create('first')
    const second = await create('second')
    const { machineId } = (await t.request('GET', `/v1/pods/${first.id}`, { key })).body
    expect((await t.request('GET', `/v1/pods/${second.id}`, { key })).body.machineId).toBe(machineId)

    await renameElsewhere(first.id)
    await t.request('PATCH', `/v1/pods/${second.id}`, { key, body: { name: 'renamed here' } })
    const meanwhile = await t.store.agents.revision(machineId)
    await other.query('commit')
    expect(await t.store.agents.revision(machineId)).not.toBe(meanwhile)
  })
})
