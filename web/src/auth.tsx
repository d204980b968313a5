import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react'
import { type PodplaneClient, PodplaneError } from '../../src/client/index.js'
import { clearKey, clientFor, storedKey, storeKey } from './session.js'

export interface Session {
  readonly apiKey: string
  readonly client: PodplaneClient
  /** The key opened `GET /admin/v1/users`: the fleet pages are unlocked. */
  readonly isAdmin: boolean
}

interface AuthState {
  readonly session: Session | null
  signIn(apiKey: string): Promise<void>
  signOut(): void
}

const AuthContext = createContext<AuthState | null>(null)

/** Admin keys are the ones the admin API answers; a user key gets 401/403 there. */
export async function detectAdmin(apiKey: string): Promise<boolean> {
  const res = await fetch('/admin/v1/users', { headers: { authorization: `Bearer ${apiKey}` } })
  return res.ok
}

export function AuthProvider({ children, initial }: { children: ReactNode; initial: Session | null }) {
  const [session, setSession] = useState<Session | null>(initial)

  const signIn = useCallback(async (apiKey: string) => {
    const client = clientFor(apiKey)
    // Any authenticated call proves the key; the template list is small and always allowed.
    await client.v1.templates.list()
    const isAdmin = await detectAdmin(apiKey)
    storeKey(apiKey)
    setSession({ apiKey, client, isAdmin })
  }, [])

  const signOut = useCallback(() => {
    clearKey()
    setSession(null)
  }, [])

  const value = useMemo(() => ({ session, signIn, signOut }), [session, signIn, signOut])
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>
}

/**
 * Restores a session from session storage (the admin check runs again). A key the server no
 * longer accepts (revoked, or another server's) is dropped, back to sign-in.
 */
export async function restoreSession(): Promise<Session | null> {
  const apiKey = storedKey()
  if (!apiKey) return null
  const client = clientFor(apiKey)
  try {
    await client.v1.templates.list()
  } catch (error) {
    if (error instanceof PodplaneError && error.status === 401) {
      clearKey()
      return null
    }
  }
  const isAdmin = await detectAdmin(apiKey).catch(() => false)
  return { apiKey, client, isAdmin }
}

export function useAuth(): AuthState {
  const auth = useContext(AuthContext)
  if (!auth) throw new Error('useAuth outside AuthProvider')
  return auth
}

/** The signed-in session; pages behind sign-in use it. */
export function useSession(): Session {
  const { session } = useAuth()
  if (!session) throw new Error('not signed in')
  return session
}
