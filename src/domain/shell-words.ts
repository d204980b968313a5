/**
 * v1 keeps a pod's start command as a list of words (`dockerStartCmd`); v2 as one string
 * (`args`). These convert between the two the way a POSIX shell would, so a list survives a
 * round trip through v2 and a v2 string reads naturally in v1.
 */

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/

/** `['python', 'train.py', 'a b']` → `python train.py 'a b'`. */
export function joinWords(words: readonly string[]): string {
  return words.map((w) => (SAFE.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ')
}

/** `python train.py 'a b'` → `['python', 'train.py', 'a b']`; quotes and backslashes as in sh. */
export function splitWords(text: string): string[] {
  const words: string[] = []
  let word = ''
  let inWord = false
  let quote: '"' | "'" | null = null
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quote === "'") {
      if (c === "'") quote = null
      else word += c
    } else if (quote === '"') {
      if (c === '"') quote = null
      else if (c === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) word += text[++i]
      else word += c
    } else if (c === "'" || c === '"') {
      quote = c
      inWord = true
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i]
      inWord = true
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word)
      word = ''
      inWord = false
    } else {
      word += c
      inWord = true
    }
  }
  if (quote) throw new Error(`unterminated ${quote === "'" ? 'single' : 'double'} quote`)
  if (inWord) words.push(word)
  return words
}
