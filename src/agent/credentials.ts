import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import os from 'node:os'
import { join } from 'node:path'

/** What registration gave this machine, kept in `<state dir>/credential.json` (0600). */
export interface SavedCredential {
  server: string
  machineId: string
  credential: string
}

/** `$PODPLANE_AGENT_STATE`, else `~/.podplane/agent`. */
export function defaultStateDir(): string {
  return process.env.PODPLANE_AGENT_STATE || join(os.homedir(), '.podplane', 'agent')
}

export function credentialPath(stateDir: string): string {
  return join(stateDir, 'credential.json')
}

/** The saved credential, or null before the first registration. */
export async function loadCredential(stateDir: string): Promise<SavedCredential | null> {
  let text: string
  try {
    text = await readFile(credentialPath(stateDir), 'utf8')
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return null
    throw error
  }
  const saved = JSON.parse(text) as Partial<SavedCredential>
  if (
    typeof saved.server !== 'string' ||
    typeof saved.machineId !== 'string' ||
    typeof saved.credential !== 'string'
  )
    throw new Error(
      `${credentialPath(stateDir)} is not a podplane agent credential; delete it and register again`,
    )
  return { server: saved.server, machineId: saved.machineId, credential: saved.credential }
}

/** Written to a private temporary file and renamed, so a crash never leaves half a credential. */
export async function saveCredential(stateDir: string, saved: SavedCredential): Promise<void> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 })
  await chmod(stateDir, 0o700)
  const path = credentialPath(stateDir)
  const temporary = `${path}.${process.pid}.tmp`
  await writeFile(temporary, `${JSON.stringify(saved, null, 2)}\n`, { mode: 0o600 })
  await rename(temporary, path)
}

/** `https://cp.example.com/` and `https://cp.example.com` are one server. */
export function sameServer(a: string, b: string): boolean {
  return normalizeServer(a) === normalizeServer(b)
}

export function normalizeServer(url: string): string {
  return url.replace(/\/+$/, '')
}
