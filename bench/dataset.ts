import type { Kysely } from 'kysely'
import { generateApiKey, hashApiKey } from '../src/domain/api-keys.js'
import type { Pod } from '../src/domain/pod.js'
import { statusChange } from '../src/domain/status-text.js'
import { seedFleet } from '../src/fleet/seed.js'
import { seededRandom } from '../src/fleet/seeded-random.js'
import { toPodRow } from '../src/store/pods.js'
import type { Database } from '../src/store/schema.js'
import type { Store } from '../src/store/store.js'

export interface BenchUsers {
  /** One user with 10k pods, one with 1k, the rest with ~90 each. */
  readonly big: { id: string; key: string }
  readonly medium: { id: string; key: string }
  readonly typical: { id: string; key: string }
  /** A user with no pods, for creates. */
  readonly creator: { id: string; key: string }
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789'

/**
 * Builds the benchmark's world deterministically: a 10k-machine fleet, ~100k pods across 1,000
 * users (one with 10k, one with 1k, the rest ~90), 30% of them running on real allocations.
 */
export async function buildDataset(
  store: Store,
  db: Kysely<Database>,
  options: { machines: number; users: number; typicalPods: number; bigPods: number; mediumPods: number },
): Promise<BenchUsers & { pods: number }> {
  const now = Date.parse('2026-11-01T00:00:00Z')
  await seedFleet(store, { machines: options.machines, seed: 7, now })
  // In id order: pods go to machines picked by position, and a table's own order is the store's
  // (SQLite's is insertion order, PostgreSQL's where its heap put the rows).
  const machines = await db.selectFrom('machines').selectAll().orderBy('id').execute()
  const gpuHosts = machines.filter((m) => m.gpu_type_id !== null)
  const catalog = await store.catalog.load()
  const rand = seededRandom(42)
  const id = (n: number) => {
    let s = ''
    for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(rand() * ALPHABET.length)]
    return s
  }

  const users: { id: string; pods: number }[] = [
    { id: 'bench-big', pods: options.bigPods },
    { id: 'bench-medium', pods: options.mediumPods },
    { id: 'bench-creator', pods: 0 },
  ]
  for (let i = 0; users.length < options.users; i++)
    users.push({ id: `bench-user-${String(i).padStart(4, '0')}`, pods: options.typicalPods })

  const keys: Record<string, string> = {}
  for (const u of users) {
    keys[u.id] = generateApiKey()
    await store.apiKeys.ensureUser(u.id, now)
    await store.apiKeys.insert({
      id: `k-${u.id}`,
      user_id: u.id,
      name: 'bench',
      key_hash: hashApiKey(keys[u.id]!),
      key_prefix: keys[u.id]!.slice(0, 8),
      is_admin: 0,
      created_at: now,
      revoked_at: null,
    })
  }

  const used = new Map(machines.map((m) => [m.id, { gpu: 0, vcpu: 0, mem: 0, disk: 0, port: m.next_port }]))
  let total = 0
  const images = [
    'runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04',
    'vllm/vllm-openai:v0.10.1',
    'runpod/comfyui:0.3.40-cuda12.4',
  ]
  await db.transaction().execute(async (trx) => {
    let podRows: ReturnType<typeof toPodRow>[] = []
    let allocationRows: Database['allocations'][] = []
    const flush = async () => {
      for (let i = 0; i < podRows.length; i += 400)
        await trx
          .insertInto('pods')
          .values(podRows.slice(i, i + 400))
          .execute()
      for (let i = 0; i < allocationRows.length; i += 2000) {
        await trx
          .insertInto('allocations')
          .values(allocationRows.slice(i, i + 2000))
          .execute()
      }
      podRows = []
      allocationRows = []
    }
    for (const user of users) {
      for (let p = 0; p < user.pods; p++) {
        // A random GPU host with disk to spare for the pod's 70 GB.
        let m = gpuHosts[Math.floor(rand() * gpuHosts.length)]!
        while (used.get(m.id)!.disk + 70 > m.disk_gb) m = gpuHosts[Math.floor(rand() * gpuHosts.length)]!
        const u = used.get(m.id)!
        const vcpu = Math.floor(m.vcpu_count / m.gpu_count)
        const mem = Math.floor(m.memory_gb / m.gpu_count)
        const running = rand() < 0.3 && u.gpu < m.gpu_count
        const created = now + total
        const type = catalog.gpuTypes.get(m.gpu_type_id!)!
        const pod: Pod = {
          id: id(14),
          userId: user.id,
          name: `pod-${p}`,
          image: images[p % images.length]!,
          status: running ? 'RUNNING' : 'EXITED',
          machineId: m.id,
          dataCenterId: m.data_center_id,
          computeType: 'GPU',
          gpuTypeId: m.gpu_type_id,
          gpuCount: 1,
          cpuFlavorId: null,
          vcpuCount: vcpu,
          memoryInGb: mem,
          containerDiskInGb: 50,
          volumeInGb: 20,
          volumeMountPath: '/workspace',
          volumeEncrypted: false,
          ports: ['8888/http', '22/tcp'],
          // Host ports as the machine hands them out: the next on its counter (seeded well short of
          // the range's end), and only where it has a public IP.
          portMappings: m.support_public_ip === 1 ? { 22: u.port++ } : {},
          publicIp: m.support_public_ip === 1 ? m.public_ip : null,
          env: { JUPYTER_PASSWORD: 'bench', HF_HOME: '/workspace/hf' },
          dockerEntrypoint: [],
          dockerStartCmd: [],
          cloudType: m.secure_cloud === 1 ? 'SECURE' : 'COMMUNITY',
          interruptible: false,
          locked: false,
          globalNetworking: false,
          templateId: null,
          networkVolumeId: null,
          endpointId: null,
          containerRegistryAuthId: null,
          slsVersion: 0,
          costPerHr: m.secure_cloud === 1 ? type.securePrice : type.communityPrice,
          lastStartedAt: created,
          lastStatusChange: statusChange(running ? 'Rented by User' : 'Exited by User', created),
          readyAt: running ? created : null,
          createdAt: created,
          updatedAt: created,
          version: 1,
        }
        podRows.push(toPodRow(pod))
        allocationRows.push({
          pod_id: pod.id,
          machine_id: m.id,
          gpu_count: running ? 1 : 0,
          vcpu_count: running ? vcpu : 0,
          memory_gb: running ? mem : 0,
          disk_gb: 70,
        })
        if (running) {
          u.gpu += 1
          u.vcpu += vcpu
          u.mem += mem
        }
        u.disk += 70
        total++
      }
      if (podRows.length >= 10_000) await flush()
    }
    await flush()
    for (const [machineId, u] of used) {
      if (u.disk === 0) continue
      await trx
        .updateTable('machines')
        .set({ gpu_used: u.gpu, vcpu_used: u.vcpu, memory_used: u.mem, disk_used: u.disk, next_port: u.port })
        .where('id', '=', machineId)
        .execute()
    }
  })
  const user = (id: string) => ({ id, key: keys[id]! })
  return {
    big: user('bench-big'),
    medium: user('bench-medium'),
    typical: user('bench-user-0000'),
    creator: user('bench-creator'),
    pods: total,
  }
}
