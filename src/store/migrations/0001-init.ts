import { type Kysely, sql } from 'kysely'

// Portable types only, so one migration history runs on SQLite and PostgreSQL alike.
const MS = 'bigint'
const MONEY = 'double precision'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('created_at', MS, (c) => c.notNull())
    .addColumn('disabled_at', MS)
    .execute()

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('key_prefix', 'text', (c) => c.notNull())
    .addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', MS, (c) => c.notNull())
    .addColumn('revoked_at', MS)
    .execute()
  await db.schema.createIndex('api_keys_user').on('api_keys').column('user_id').execute()

  await db.schema
    .createTable('data_centers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('location', 'text', (c) => c.notNull())
    .addColumn('country_code', 'text', (c) => c.notNull())
    .addColumn('global_networking', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()

  await db.schema
    .createTable('gpu_types')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('manufacturer', 'text', (c) => c.notNull())
    .addColumn('memory_gb', 'integer', (c) => c.notNull())
    .addColumn('secure_price', MONEY, (c) => c.notNull())
    .addColumn('community_price', MONEY, (c) => c.notNull())
    .addColumn('secure_spot_price', MONEY, (c) => c.notNull())
    .addColumn('community_spot_price', MONEY, (c) => c.notNull())
    .addColumn('one_week_price', MONEY, (c) => c.notNull())
    .addColumn('one_month_price', MONEY, (c) => c.notNull())
    .addColumn('three_month_price', MONEY, (c) => c.notNull())
    .addColumn('six_month_price', MONEY, (c) => c.notNull())
    .addColumn('max_gpu_count', 'integer', (c) => c.notNull())
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()

  await db.schema
    .createTable('cpu_types')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('cores', 'integer', (c) => c.notNull())
    .addColumn('threads_per_core', 'integer', (c) => c.notNull())
    .addColumn('group_id', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('cpu_flavors')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('ram_per_vcpu_gb', 'integer', (c) => c.notNull())
    .addColumn('price_per_vcpu', MONEY, (c) => c.notNull())
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()

  await db.schema
    .createTable('machines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('data_center_id', 'text', (c) => c.notNull().references('data_centers.id'))
    .addColumn('location', 'text', (c) => c.notNull())
    .addColumn('country_code', 'text', (c) => c.notNull())
    .addColumn('secure_cloud', 'integer', (c) => c.notNull())
    .addColumn('gpu_type_id', 'text', (c) => c.references('gpu_types.id'))
    .addColumn('gpu_count', 'integer', (c) => c.notNull())
    .addColumn('gpu_used', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cpu_flavor_id', 'text', (c) => c.references('cpu_flavors.id'))
    .addColumn('cpu_type_id', 'text', (c) => c.notNull().references('cpu_types.id'))
    .addColumn('vcpu_count', 'integer', (c) => c.notNull())
    .addColumn('vcpu_used', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('memory_gb', 'integer', (c) => c.notNull())
    .addColumn('memory_used', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('disk_gb', 'integer', (c) => c.notNull())
    .addColumn('disk_used', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('disk_throughput_mbps', 'integer', (c) => c.notNull())
    .addColumn('upload_mbps', 'integer', (c) => c.notNull())
    .addColumn('download_mbps', 'integer', (c) => c.notNull())
    .addColumn('cuda_version', 'text')
    .addColumn('support_public_ip', 'integer', (c) => c.notNull())
    .addColumn('public_ip', 'text')
    .addColumn('min_pod_gpu_count', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('maintenance_start', MS)
    .addColumn('maintenance_end', MS)
    .addColumn('maintenance_note', 'text')
    .addColumn('note', 'text')
    .addColumn('next_port', 'integer', (c) => c.notNull())
    .addColumn('driver', 'text', (c) => c.notNull().defaultTo('simulated'))
    .addColumn('cordoned', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', MS, (c) => c.notNull())
    .addCheckConstraint('machines_gpu_capacity', sql`gpu_used >= 0 AND gpu_used <= gpu_count`)
    .addCheckConstraint('machines_vcpu_capacity', sql`vcpu_used >= 0 AND vcpu_used <= vcpu_count`)
    .addCheckConstraint('machines_memory_capacity', sql`memory_used >= 0 AND memory_used <= memory_gb`)
    .addCheckConstraint('machines_disk_capacity', sql`disk_used >= 0 AND disk_used <= disk_gb`)
    .execute()
  await db.schema
    .createIndex('machines_gpu_type')
    .on('machines')
    .columns(['gpu_type_id', 'data_center_id'])
    .execute()
  await db.schema
    .createIndex('machines_cpu_flavor')
    .on('machines')
    .columns(['cpu_flavor_id', 'data_center_id'])
    .execute()
  await db.schema.createIndex('machines_data_center').on('machines').column('data_center_id').execute()

  await db.schema
    .createTable('pods')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('image', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('machine_id', 'text', (c) => c.notNull().references('machines.id'))
    .addColumn('data_center_id', 'text', (c) => c.notNull())
    .addColumn('compute_type', 'text', (c) => c.notNull())
    .addColumn('gpu_type_id', 'text')
    .addColumn('gpu_count', 'integer', (c) => c.notNull())
    .addColumn('cpu_flavor_id', 'text')
    .addColumn('vcpu_count', 'integer', (c) => c.notNull())
    .addColumn('memory_gb', 'integer', (c) => c.notNull())
    .addColumn('container_disk_gb', 'integer', (c) => c.notNull())
    .addColumn('volume_gb', 'integer', (c) => c.notNull())
    .addColumn('volume_mount_path', 'text', (c) => c.notNull())
    .addColumn('volume_encrypted', 'integer', (c) => c.notNull())
    .addColumn('ports', 'text', (c) => c.notNull())
    .addColumn('port_mappings', 'text', (c) => c.notNull())
    .addColumn('public_ip', 'text')
    .addColumn('env', 'text', (c) => c.notNull())
    .addColumn('docker_entrypoint', 'text', (c) => c.notNull())
    .addColumn('docker_start_cmd', 'text', (c) => c.notNull())
    .addColumn('cloud_type', 'text', (c) => c.notNull())
    .addColumn('interruptible', 'integer', (c) => c.notNull())
    .addColumn('locked', 'integer', (c) => c.notNull())
    .addColumn('global_networking', 'integer', (c) => c.notNull())
    .addColumn('template_id', 'text')
    .addColumn('network_volume_id', 'text')
    .addColumn('endpoint_id', 'text')
    .addColumn('container_registry_auth_id', 'text')
    .addColumn('sls_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cost_per_hr', MONEY, (c) => c.notNull())
    .addColumn('last_started_at', MS)
    .addColumn('last_status_change', 'text', (c) => c.notNull())
    .addColumn('ready_at', MS)
    .addColumn('created_at', MS, (c) => c.notNull())
    .addColumn('updated_at', MS, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
  // Every GET /pods filter is served by an index that starts with the caller's user id.
  const podIndexes: Array<[string, string[]]> = [
    ['pods_user_created', ['user_id', 'created_at', 'id']],
    ['pods_user_status', ['user_id', 'status']],
    ['pods_user_gpu_type', ['user_id', 'gpu_type_id']],
    ['pods_user_data_center', ['user_id', 'data_center_id']],
    ['pods_user_cpu_flavor', ['user_id', 'cpu_flavor_id']],
    ['pods_user_compute_type', ['user_id', 'compute_type']],
    ['pods_user_name', ['user_id', 'name']],
    ['pods_user_image', ['user_id', 'image']],
    ['pods_user_template', ['user_id', 'template_id']],
    ['pods_user_network_volume', ['user_id', 'network_volume_id']],
    ['pods_user_endpoint', ['user_id', 'endpoint_id']],
    ['pods_machine', ['machine_id']],
  ]
  for (const [name, columns] of podIndexes) {
    await db.schema.createIndex(name).on('pods').columns(columns).execute()
  }

  await db.schema
    .createTable('allocations')
    .addColumn('pod_id', 'text', (c) => c.primaryKey())
    .addColumn('machine_id', 'text', (c) => c.notNull().references('machines.id'))
    .addColumn('gpu_count', 'integer', (c) => c.notNull())
    .addColumn('vcpu_count', 'integer', (c) => c.notNull())
    .addColumn('memory_gb', 'integer', (c) => c.notNull())
    .addColumn('disk_gb', 'integer', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('allocations_machine').on('allocations').column('machine_id').execute()

  await db.schema
    .createTable('templates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('image_name', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('container_disk_gb', 'integer', (c) => c.notNull())
    .addColumn('volume_gb', 'integer', (c) => c.notNull())
    .addColumn('volume_mount_path', 'text', (c) => c.notNull())
    .addColumn('ports', 'text', (c) => c.notNull())
    .addColumn('env', 'text', (c) => c.notNull())
    .addColumn('docker_entrypoint', 'text', (c) => c.notNull())
    .addColumn('docker_start_cmd', 'text', (c) => c.notNull())
    .addColumn('readme', 'text', (c) => c.notNull())
    .addColumn('is_public', 'integer', (c) => c.notNull())
    .addColumn('is_runpod', 'integer', (c) => c.notNull())
    .addColumn('is_serverless', 'integer', (c) => c.notNull())
    .addColumn('container_registry_auth_id', 'text')
    .addColumn('earned', MONEY, (c) => c.notNull().defaultTo(0))
    .addColumn('runtime_in_min', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', MS, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('templates_user').on('templates').column('user_id').execute()

  await db.schema
    .createTable('network_volumes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('size_gb', 'integer', (c) => c.notNull())
    .addColumn('data_center_id', 'text', (c) => c.notNull().references('data_centers.id'))
    .addColumn('created_at', MS, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('network_volumes_user').on('network_volumes').column('user_id').execute()

  await db.schema
    .createTable('container_registry_auths')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('password_encrypted', 'text', (c) => c.notNull())
    .addColumn('created_at', MS, (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('container_registry_auths_user_name')
    .on('container_registry_auths')
    .columns(['user_id', 'name'])
    .unique()
    .execute()

  await db.schema
    .createTable('endpoints')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('template_id', 'text', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', MS, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('endpoints_user').on('endpoints').column('user_id').execute()

  await db.schema
    .createTable('savings_plans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('pod_id', 'text', (c) => c.notNull())
    .addColumn('gpu_type_id', 'text', (c) => c.notNull())
    .addColumn('cost_per_hr', MONEY, (c) => c.notNull())
    .addColumn('start_time', MS, (c) => c.notNull())
    .addColumn('end_time', MS, (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('savings_plans_user')
    .on('savings_plans')
    .columns(['user_id', 'end_time'])
    .execute()
  await db.schema.createIndex('savings_plans_pod').on('savings_plans').column('pod_id').execute()
}
