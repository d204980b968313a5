import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'

/** Where a profile points the client: a podplane server root (or RunPod) and the key to send. */
export interface Profile {
  url?: string
  key?: string
}

export interface ProfileFile {
  current: string
  profiles: Record<string, Profile>
}

export const PROFILE_SETTINGS = ['url', 'key'] as const
export type ProfileSetting = (typeof PROFILE_SETTINGS)[number]

const DEFAULT_URL = 'http://127.0.0.1:8080'

/** `$PODPLANE_CONFIG`, else `$XDG_CONFIG_HOME/podplane/config.json`, else `~/.config/podplane/config.json`. */
export function profileFilePath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PODPLANE_CONFIG) return env.PODPLANE_CONFIG
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config')
  return join(base, 'podplane', 'config.json')
}

export function readProfiles(path: string): ProfileFile {
  if (!existsSync(path)) return { current: 'default', profiles: {} }
  let parsed: Partial<ProfileFile>
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<ProfileFile>
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`)
  }
  return { current: parsed.current ?? 'default', profiles: parsed.profiles ?? {} }
}

/**
 * Writes the file with mode 0600 (it holds API keys) in a 0700 directory, through a rename so a
 * crash never leaves half a file.
 */
export function writeProfiles(path: string, file: ProfileFile): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  const temporary = `${path}.${process.pid}.tmp`
  writeFileSync(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 })
  chmodSync(temporary, 0o600)
  renameSync(temporary, path)
}

export interface Connection {
  readonly profile: string
  readonly url: string
  readonly key: string | undefined
  /** Where each value came from, for `podplane config view`. */
  readonly sources: { readonly url: string; readonly key: string }
}

/**
 * What a client command talks to. The environment wins over the profile
 * (`PODPLANE_API_URL`, `PODPLANE_API_KEY`, then `RUNPOD_API_KEY`), so CI can override a saved
 * profile without editing it; the profile is `--profile`, `$PODPLANE_PROFILE` or the current one.
 */
export function resolveConnection(
  profileName: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Connection {
  const file = readProfiles(profileFilePath(env))
  const name = profileName || env.PODPLANE_PROFILE || file.current
  const profile = file.profiles[name]
  if (profileName && !profile)
    throw new Error(`no profile named ${profileName}; create it with podplane config set`)
  const envKey = env.PODPLANE_API_KEY || env.RUNPOD_API_KEY
  const envKeyName = env.PODPLANE_API_KEY ? 'PODPLANE_API_KEY' : 'RUNPOD_API_KEY'
  return {
    profile: name,
    url: env.PODPLANE_API_URL || profile?.url || DEFAULT_URL,
    key: envKey || profile?.key,
    sources: {
      url: env.PODPLANE_API_URL ? 'PODPLANE_API_URL' : profile?.url ? `profile ${name}` : 'default',
      key: envKey ? envKeyName : profile?.key ? `profile ${name}` : 'unset',
    },
  }
}

/** `rpa_ABCD…WXYZ`: enough to recognise a key, not enough to use it. */
export function maskKey(key: string | undefined): string {
  if (!key) return ''
  return key.length <= 12 ? '****' : `${key.slice(0, 8)}…${key.slice(-4)}`
}
