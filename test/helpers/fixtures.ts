import type { Kysely } from 'kysely'
import type { Database } from '../../src/store/schema.js'

/** Rows the v1 resource APIs will create; inserted directly where a test needs them as given. */

export async function insertTemplate(
  db: Kysely<Database>,
  o: { id: string; userId?: string | null; isPublic?: boolean },
) {
  await db
    .insertInto('templates')
    .values({
      id: o.id,
      user_id: o.userId ?? null,
      name: `template ${o.id}`,
      image_name: 'runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04',
      category: 'NVIDIA',
      container_disk_gb: 30,
      volume_gb: 40,
      volume_mount_path: '/workspace',
      ports: JSON.stringify(['8888/http', '22/tcp', '6006/http']),
      env: JSON.stringify({ JUPYTER_PASSWORD: 'secret' }),
      docker_entrypoint: '[]',
      docker_start_cmd: JSON.stringify(['bash', '-c', 'start.sh']),
      readme: '# PyTorch',
      is_public: o.isPublic ? 1 : 0,
      is_runpod: o.userId ? 0 : 1,
      is_serverless: 0,
      container_registry_auth_id: null,
      earned: 0,
      runtime_in_min: 0,
      created_at: 0,
    })
    .execute()
}

export async function insertNetworkVolume(
  db: Kysely<Database>,
  o: { id: string; userId: string; dataCenterId: string; size?: number },
) {
  await db
    .insertInto('network_volumes')
    .values({
      id: o.id,
      user_id: o.userId,
      name: `volume ${o.id}`,
      size_gb: o.size ?? 100,
      data_center_id: o.dataCenterId,
      created_at: 0,
    })
    .execute()
}

export async function insertRegistryAuth(db: Kysely<Database>, o: { id: string; userId: string }) {
  await db
    .insertInto('container_registry_auths')
    .values({
      id: o.id,
      user_id: o.userId,
      name: `auth ${o.id}`,
      username: 'u',
      password_encrypted: 'x',
      created_at: 0,
    })
    .execute()
}

export async function insertSavingsPlan(
  db: Kysely<Database>,
  o: { id: string; userId: string; podId: string; costPerHr: number; start: number; end: number },
) {
  await db
    .insertInto('savings_plans')
    .values({
      id: o.id,
      user_id: o.userId,
      pod_id: o.podId,
      gpu_type_id: 'NVIDIA GeForce RTX 4090',
      cost_per_hr: o.costPerHr,
      start_time: o.start,
      end_time: o.end,
    })
    .execute()
}
