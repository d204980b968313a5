import { hash, randomBytes } from 'node:crypto'

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/**
 * A new API key in RunPod's style ("rpa_" + 40 characters). Keys carry 200 random bits, so a
 * plain SHA-256 is a safe and index-friendly way to store them.
 */
export function generateApiKey(): string {
  const bytes = randomBytes(40)
  let body = ''
  for (const b of bytes) body += KEY_ALPHABET[b % KEY_ALPHABET.length]
  return `rpa_${body}`
}

export function hashApiKey(key: string): string {
  return hash('sha256', key, 'hex')
}
