import { resolve } from 'node:path'
import { parseRateLimits, type RateLimits, RUNPOD_RATE_LIMITS } from './domain/rate-limits.js'

export interface Config {
  readonly host: string
  readonly port: number
  /** A SQLite file path, or a postgres:// URL. */
  readonly db: string
  readonly logLevel: string
  /** How long a simulated container takes to start before its IP and ports appear. */
  readonly simBootMs: number
  /** Simulated image pull time per GB of container disk, added to a pod's first boot. */
  readonly simPullMsPerGb: number
  /** Simulated seconds per real second; 0 means time moves only when an admin advances it. */
  readonly simSpeed: number
  /** Share of creates that fail with RunPod's no-instances error, 0 to 1. */
  readonly simFailureRate: number
  /** Seed for the simulator's random draws. */
  readonly simSeed: number
  /** Machines seeded into an empty store on first start. */
  readonly seedMachines: number
  /** PostgreSQL: connections per replica. */
  readonly dbPoolSize: number
  /** PostgreSQL: longest a statement may run before the server cancels it. */
  readonly dbStatementTimeoutMs: number
  /** Default per-user request quotas of the v2 API; operators can set other ones per user. */
  readonly rateLimits: RateLimits
  /** An agent-run machine that sends no heartbeat for this long is marked down. */
  readonly agentHeartbeatTimeoutMs: number
}

export const DEFAULT_DB = '.podplane/podplane.db'
export const DEFAULT_AGENT_HEARTBEAT_TIMEOUT_MS = 30_000

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`)
  return value
}

function numberFromEnv(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  max = Number.POSITIVE_INFINITY,
): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value < 0 || value > max) {
    throw new Error(
      `${name} must be a number from 0${max === Number.POSITIVE_INFINITY ? '' : ` to ${max}`}, got "${raw}"`,
    )
  }
  return value
}

function parseRateLimitsFromEnv(raw: string): RateLimits {
  try {
    return parseRateLimits(raw)
  } catch (error) {
    throw new Error(`PODPLANE_RATE_LIMITS: ${(error as Error).message}`)
  }
}

export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//.test(db)
}

/** Reads the process environment once; the result is frozen and passed down explicitly. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const db = env.PODPLANE_DB || DEFAULT_DB
  return Object.freeze({
    host: env.HOST || '127.0.0.1',
    port: intFromEnv(env, 'PORT', 8080),
    db: isPostgresUrl(db) ? db : resolve(db),
    logLevel: env.PODPLANE_LOG_LEVEL || env.LOG_LEVEL || 'info',
    simBootMs: intFromEnv(env, 'PODPLANE_SIM_BOOT_MS', 3000),
    simPullMsPerGb: intFromEnv(env, 'PODPLANE_SIM_PULL_MS_PER_GB', 100),
    simSpeed: numberFromEnv(env, 'PODPLANE_SIM_SPEED', 1),
    simFailureRate: numberFromEnv(env, 'PODPLANE_SIM_FAILURE_RATE', 0, 1),
    simSeed: intFromEnv(env, 'PODPLANE_SIM_SEED', 1),
    seedMachines: intFromEnv(env, 'PODPLANE_SEED_MACHINES', 300),
    dbPoolSize: intFromEnv(env, 'PODPLANE_DB_POOL_SIZE', 10),
    dbStatementTimeoutMs: intFromEnv(env, 'PODPLANE_DB_STATEMENT_TIMEOUT_MS', 10_000),
    agentHeartbeatTimeoutMs: intFromEnv(
      env,
      'PODPLANE_AGENT_HEARTBEAT_TIMEOUT_MS',
      DEFAULT_AGENT_HEARTBEAT_TIMEOUT_MS,
    ),
    rateLimits: env.PODPLANE_RATE_LIMITS
      ? parseRateLimitsFromEnv(env.PODPLANE_RATE_LIMITS)
      : RUNPOD_RATE_LIMITS,
  })
}
