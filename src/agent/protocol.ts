import Type from 'typebox'

/**
 * The wire between `podplane agent` and the control plane, under `/agent/v1`. A podplane
 * extension, not part of RunPod's API. Every route but `register` authenticates with the
 * machine credential (`Authorization: Bearer <credential>`) and sees only its own machine's pods.
 *
 * The agent is level-triggered, like a kubelet: it reads the whole desired state of its machine
 * (`GET /pods`) whenever the watch says it changed (or its poll timer fires), makes containers
 * match, and reports what the runtime actually did.
 */

const Text = (maxLength: number) => Type.String({ maxLength })

/** A GPU model and how many of it the host has. */
export const InventoryGpu = Type.Object({
  /** The GPU type id (`NVIDIA GeForce RTX 4090`) or nvidia-smi's name for it. */
  name: Type.String({ minLength: 1, maxLength: 191 }),
  count: Type.Integer({ minimum: 1, maximum: 64 }),
  memoryInGb: Type.Optional(Type.Integer({ minimum: 0, maximum: 4096 })),
})
export type InventoryGpu = Type.Static<typeof InventoryGpu>

/** What a host has, as the agent found or was told. */
export const Inventory = Type.Object({
  hostname: Type.String({ minLength: 1, maxLength: 191 }),
  /** Empty for CPU-only hosts. One GPU model per machine. */
  gpus: Type.Array(InventoryGpu, { maxItems: 8 }),
  /** `major.minor`, from nvidia-smi; null without NVIDIA drivers. */
  cudaVersion: Type.Union([Type.String({ pattern: '^\\d{1,3}\\.\\d{1,3}$' }), Type.Null()]),
  vcpuCount: Type.Integer({ minimum: 1, maximum: 4096 }),
  memoryInGb: Type.Integer({ minimum: 1, maximum: 65536 }),
  diskInGb: Type.Integer({ minimum: 1, maximum: 1048576 }),
  /** Where published pod ports answer; null when the host has none. */
  publicIp: Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()]),
  runtime: Type.Object({ name: Text(64), version: Text(64) }),
  agentVersion: Text(64),
})
export type Inventory = Type.Static<typeof Inventory>

export const Registered = Type.Object({
  machineId: Type.String(),
  /** Shown once; the agent keeps it (0600) and sends it on every later request. */
  credential: Type.String(),
})
export type Registered = Type.Static<typeof Registered>

export const Heartbeat = Type.Object({
  /** Set while the container runtime does not answer; pods then cannot change. */
  runtimeError: Type.Optional(Type.Union([Text(1000), Type.Null()])),
})
export type Heartbeat = Type.Static<typeof Heartbeat>

export const HeartbeatAck = Type.Object({
  machineId: Type.String(),
  /** How often the server expects a heartbeat; missing them for `timeoutMs` marks the machine down. */
  intervalMs: Type.Integer(),
  timeoutMs: Type.Integer(),
})
export type HeartbeatAck = Type.Static<typeof HeartbeatAck>

/** One pod the machine should run (RUNNING) or keep stopped (EXITED). Terminated pods are absent. */
export const DesiredPod = Type.Object({
  id: Type.String(),
  name: Type.String(),
  image: Type.String(),
  desiredStatus: Type.Union([Type.Literal('RUNNING'), Type.Literal('EXITED')]),
  /**
   * Changes on every boot (create, start, restart, reset, an update that reshapes the container,
   * a move): a container labelled with another boot id is replaced by a fresh one.
   */
  bootId: Type.String(),
  env: Type.Record(Type.String(), Type.String()),
  /** `8888/http`, `22/tcp`, … as the pod asked. */
  ports: Type.Array(Type.String()),
  /** Container port → host port chosen by the control plane (only for tcp ports with a public IP). */
  portMappings: Type.Record(Type.String(), Type.Integer()),
  dockerEntrypoint: Type.Array(Type.String()),
  dockerStartCmd: Type.Array(Type.String()),
  containerDiskInGb: Type.Integer(),
  volumeInGb: Type.Integer(),
  volumeMountPath: Type.String(),
  networkVolumeId: Type.Union([Type.String(), Type.Null()]),
  gpuCount: Type.Integer(),
  vcpuCount: Type.Integer(),
  memoryInGb: Type.Integer(),
  /** Fetch the credential with GET /pods/{id}/registry-auth when set. */
  hasRegistryAuth: Type.Boolean(),
  /** Epoch ms of the last log line the server holds for this pod, so a restarted agent resumes after it. */
  logsAfter: Type.Union([Type.Integer(), Type.Null()]),
})
export type DesiredPod = Type.Static<typeof DesiredPod>

export const DesiredState = Type.Object({
  /** Opaque; changes whenever the machine's desired pods change. Also the watch's event id. */
  revision: Type.String(),
  pods: Type.Array(DesiredPod),
})
export type DesiredState = Type.Static<typeof DesiredState>

export const RegistryCredential = Type.Object({
  username: Type.String(),
  password: Type.String(),
})
export type RegistryCredential = Type.Static<typeof RegistryCredential>

/**
 * What the runtime did with a pod's container for one boot. Reports for an older boot are
 * acknowledged and ignored.
 */
export const PodReport = Type.Object({
  bootId: Type.String({ maxLength: 64 }),
  state: Type.Union([
    Type.Literal('starting'),
    Type.Literal('running'),
    Type.Literal('exited'),
    Type.Literal('error'),
  ]),
  /** For `exited`. */
  exitCode: Type.Optional(Type.Integer()),
  /** For `error` (the runtime's own words), or a note for `starting`. */
  message: Type.Optional(Text(2000)),
})
export type PodReport = Type.Static<typeof PodReport>

export const LogSource = Type.Union([Type.Literal('container'), Type.Literal('system')])

export const LogBatch = Type.Object({
  lines: Type.Array(
    Type.Object({
      /** Epoch milliseconds. */
      ts: Type.Integer({ minimum: 0 }),
      source: LogSource,
      line: Text(16_384),
    }),
    { maxItems: 1000 },
  ),
})
export type LogBatch = Type.Static<typeof LogBatch>

/** Container labels: how a (re)started agent recognises the containers it made. */
export const LABELS = Object.freeze({
  pod: 'io.podplane.pod-id',
  boot: 'io.podplane.boot-id',
  machine: 'io.podplane.machine-id',
  gpus: 'io.podplane.gpu-indices',
})
