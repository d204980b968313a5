import type { Generated } from 'kysely'

/**
 * Table types shared by both dialects. Portable column types only: booleans are 0/1 integers,
 * times are epoch milliseconds (bigint), lists and maps are JSON text.
 */
export interface Database {
  users: UsersTable
  api_keys: ApiKeysTable
  data_centers: DataCentersTable
  gpu_types: GpuTypesTable
  cpu_types: CpuTypesTable
  cpu_flavors: CpuFlavorsTable
  machines: MachinesTable
  pods: PodsTable
  allocations: AllocationsTable
  templates: TemplatesTable
  network_volumes: NetworkVolumesTable
  container_registry_auths: ContainerRegistryAuthsTable
  endpoints: EndpointsTable
  endpoint_releases: EndpointReleasesTable
  savings_plans: SavingsPlansTable
  usage_intervals: UsageIntervalsTable
  leases: LeasesTable
  rate_counters: RateCountersTable
  ecr_delegations: EcrDelegationsTable
  clusters: ClustersTable
  cluster_members: ClusterMembersTable
  join_tokens: JoinTokensTable
  machine_agents: MachineAgentsTable
  pod_log_lines: PodLogLinesTable
  /** SQLite only: new pods waiting to be written into pods, allocations and usage_intervals. */
  pod_journal: PodJournalTable
}

type Flag = number
type Millis = number

export interface UsersTable {
  id: string
  created_at: Millis
  disabled_at: Millis | null
  rate_limit_minute: number | null
  rate_limit_hour: number | null
  rate_limit_day: number | null
  /** The account's SSH public keys (JSON array of authorized_keys lines). */
  ssh_keys: Generated<string>
}

export interface ApiKeysTable {
  id: string
  user_id: string
  name: string
  key_hash: string
  key_prefix: string
  is_admin: Flag
  created_at: Millis
  revoked_at: Millis | null
}

export interface DataCentersTable {
  id: string
  name: string
  location: string
  country_code: string
  global_networking: Flag
  sort_order: number
}

export interface GpuTypesTable {
  id: string
  display_name: string
  manufacturer: string
  memory_gb: number
  secure_price: number
  community_price: number
  secure_spot_price: number
  community_spot_price: number
  one_week_price: number
  one_month_price: number
  three_month_price: number
  six_month_price: number
  max_gpu_count: number
  sort_order: number
}

export interface CpuTypesTable {
  id: string
  display_name: string
  cores: number
  threads_per_core: number
  group_id: string
}

export interface CpuFlavorsTable {
  id: string
  display_name: string
  group_id: string
  ram_per_vcpu_gb: number
  price_per_vcpu: number
  sort_order: number
}

export interface MachinesTable {
  id: string
  data_center_id: string
  location: string
  country_code: string
  secure_cloud: Flag
  /** Null for CPU-only hosts. */
  gpu_type_id: string | null
  gpu_count: number
  gpu_used: number
  /** Set for CPU-only hosts: the flavor their CPU pods run as. */
  cpu_flavor_id: string | null
  cpu_type_id: string
  vcpu_count: number
  vcpu_used: number
  memory_gb: number
  memory_used: number
  disk_gb: number
  disk_used: number
  disk_throughput_mbps: number
  upload_mbps: number
  download_mbps: number
  cuda_version: string | null
  support_public_ip: Flag
  public_ip: string | null
  min_pod_gpu_count: number
  maintenance_start: Millis | null
  maintenance_end: Millis | null
  maintenance_note: string | null
  note: string | null
  /** Next host port handed to a pod's tcp port; wraps inside the host port range. */
  next_port: number
  /** Set once `next_port` has wrapped: from then on, new ranges skip ports live pods still hold. */
  host_ports_wrapped: Flag
  driver: string
  /** Cordoned machines take no new pods; what runs there keeps running. */
  cordoned: Flag
  created_at: Millis
  /** Set while the machine is down: it runs nothing and takes nothing. */
  failed_at: Millis | null
  failure_note: string | null
  /** Operator's on-demand price per GPU-hour for this machine; null means the GPU type's price. */
  price_per_gpu: number | null
  /** Set once an operator removed the machine; the row stays for history. */
  removed_at: Millis | null
}

export interface PodsTable {
  id: string
  user_id: string
  name: string
  image: string
  /** Lifecycle status in the domain's vocabulary (PROVISIONING … TERMINATED). */
  status: string
  machine_id: string
  data_center_id: string
  compute_type: string
  gpu_type_id: string | null
  gpu_count: number
  cpu_flavor_id: string | null
  vcpu_count: number
  memory_gb: number
  container_disk_gb: number
  volume_gb: number
  volume_mount_path: string
  volume_encrypted: Flag
  ports: string
  port_mappings: string
  public_ip: string | null
  env: string
  docker_entrypoint: string
  docker_start_cmd: string
  cloud_type: string
  interruptible: Flag
  locked: Flag
  global_networking: Flag
  template_id: string | null
  network_volume_id: string | null
  endpoint_id: string | null
  container_registry_auth_id: string | null
  sls_version: number
  cost_per_hr: number
  last_started_at: Millis | null
  last_status_change: string
  /** When a booting pod becomes RUNNING; null when it is not booting. */
  ready_at: Millis | null
  created_at: Millis
  updated_at: Millis
  /** Bumped on every write; lets caches key a pod's rendering by (id, version). */
  version: number
  /** Store-wide increasing number stamped by every write (see PodRepository). */
  change_seq: Generated<number>
}

export interface AllocationsTable {
  pod_id: string
  machine_id: string
  gpu_count: number
  vcpu_count: number
  memory_gb: number
  disk_gb: number
}

export interface TemplatesTable {
  id: string
  /** Null for official (RunPod) templates. */
  user_id: string | null
  name: string
  image_name: string
  category: string
  container_disk_gb: number
  volume_gb: number
  volume_mount_path: string
  ports: string
  env: string
  docker_entrypoint: string
  docker_start_cmd: string
  readme: string
  is_public: Flag
  is_runpod: Flag
  is_serverless: Flag
  container_registry_auth_id: string | null
  earned: number
  runtime_in_min: number
  created_at: Millis
  version: Generated<number>
  start_ssh: Generated<Flag>
  start_jupyter: Generated<Flag>
  /** JSON array of `major.minor` CUDA versions; empty means any. */
  allowed_cuda_versions: Generated<string>
}

export interface NetworkVolumesTable {
  id: string
  user_id: string
  name: string
  size_gb: number
  data_center_id: string
  created_at: Millis
  version: Generated<number>
  /** Storage tier: 'STANDARD' | 'HIGH_PERFORMANCE'. */
  type: Generated<string>
}

export interface ContainerRegistryAuthsTable {
  id: string
  user_id: string
  name: string
  username: string
  /** AES-GCM ciphertext; the password is never stored or returned in clear. */
  password_encrypted: string
  created_at: Millis
}

export interface EndpointsTable {
  id: string
  user_id: string
  name: string
  template_id: string
  config: string
  version: number
  created_at: Millis
}

export interface EndpointReleasesTable {
  id: string
  endpoint_id: string
  user_id: string
  version: number
  /** JSON: the endpoint's release fields and its template's container settings at this version. */
  snapshot: string
  created_by_user_id: string | null
  created_at: Millis
}

export interface SavingsPlansTable {
  id: string
  user_id: string
  pod_id: string
  gpu_type_id: string
  cost_per_hr: number
  start_time: Millis
  end_time: Millis
}

export interface UsageIntervalsTable {
  id: string
  user_id: string
  /** 'pod_running' | 'pod_stopped' | 'network_volume' */
  kind: string
  pod_id: string | null
  endpoint_id: string | null
  network_volume_id: string | null
  gpu_type_id: string | null
  data_center_id: string | null
  gpu_count: number
  /** USD per hour for compute (GPUs or vCPUs); 0 when nothing runs. */
  compute_per_hr: number
  disk_gb: number
  /** USD per hour for the disk billed in this interval. */
  disk_per_hr: number
  /** Network volumes: the volume's storage tier ('STANDARD' | 'HIGH_PERFORMANCE'); null for pods. */
  volume_type: string | null
  started_at: Millis
  /** Null while the interval is still open. */
  ended_at: Millis | null
}

export interface LeasesTable {
  name: string
  holder: string
  expires_at: Millis
}

export interface RateCountersTable {
  user_id: string
  window: string
  window_start: Millis
  count: number
}

export interface EcrDelegationsTable {
  id: string
  user_id: string
  name: string | null
  /** The ECR repository ARN as given. */
  resource: string
  aws_account: string
  aws_region: string
  repository: string
  tag: string
  created_at: Millis
}

export interface ClustersTable {
  id: string
  user_id: string
  name: string
  /** APPLICATION | TRAINING | SLURM | RAY */
  type: string
  gpu_type_id: string
  gpu_count_per_pod: number
  pod_count: number
  template_id: string | null
  /** Every member is placed here (gang scheduling). */
  data_center_id: string
  /** The private overlay network members get their addresses from. */
  cidr: string
  vxlan_id: number
  created_at: Millis
  /** Set by DELETE; the row stays so usage can still be billed to the cluster. */
  deleted_at: Millis | null
}

export interface ClusterMembersTable {
  pod_id: string
  cluster_id: string
  user_id: string
  rank: number
  /** SLURM_CONTROLLER | SLURM_COMPUTE | RAY_HEAD | RAY_WORKER; null for other cluster types. */
  role: string | null
  ip: string
}

export interface JoinTokensTable {
  id: string
  token_hash: string
  /** Machines that join with this token are placed here. */
  data_center_id: string
  secure_cloud: Flag
  note: string | null
  created_at: Millis
  /** Null: never expires. */
  expires_at: Millis | null
  revoked_at: Millis | null
}

export interface MachineAgentsTable {
  machine_id: string
  credential_hash: string
  join_token_id: string
  hostname: string
  runtime_name: string
  runtime_version: string
  agent_version: string
  registered_at: Millis
  last_heartbeat_at: Millis
  /** What the agent last said about its container runtime; null while it answers. */
  runtime_error: string | null
}

export interface PodLogLinesTable {
  pod_id: string
  /** Order of arrival within the pod, from 1. */
  seq: number
  ts: Millis
  /** 'container' | 'system' */
  source: string
  line: string
}

export interface PodJournalTable {
  seq: Generated<number>
  /** JSON: the new pod's row, its allocation row and its first usage interval row. */
  entry: string
}
