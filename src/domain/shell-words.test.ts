import { describe, expect, it } from 'vitest'
import { joinWords, splitWords } from './shell-words.js'

describe('shell words', () => {
  it('splits like sh: quotes group, backslashes escape, whitespace separates', () => {
    expect(splitWords(`python  train.py --name 'my run' "x \\"y\\"" a\\ b ''`)).toEqual([
      'python',
      'train.py',
      '--name',
      'my run',
      'x "y"',
      'a b',
      '',
    ])
    expect(splitWords('   ')).toEqual([])
    expect(() => splitWords(`echo 'open`)).toThrow(/unterminated single quote/)
  })

  it('joins so that splitting gives the words back', () => {
    const words = ['bash', '-c', "echo 'hi' && sleep 1", '', 'plain-word_1.0']
    const text = joinWords(words)
    expect(text).toBe(`bash -c 'echo '\\''hi'\\'' && sleep 1' '' plain-word_1.0`)
    expect(splitWords(text)).toEqual(words)
  })
})
