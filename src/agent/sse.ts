/** One Server-Sent Event; `id` is the last id the stream set (it carries over, as in EventSource). */
export interface ServerEvent {
  id: string | null
  event: string
  data: string
}

/**
 * Parses a `text/event-stream` body fed in arbitrary chunks. Unlike EventSource, a block that only
 * sets an `id` is an event too: the watch may announce a new revision with nothing else to say.
 */
export class EventStreamParser {
  private buffer = ''
  private lastId: string | null = null
  private block: { event: string; data: string[]; hasId: boolean } = { event: '', data: [], hasId: false }

  constructor(private readonly onEvent: (event: ServerEvent) => void) {}

  push(chunk: string): void {
    this.buffer += chunk
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer)
      // A lone \r at the end may be the first half of \r\n: wait for the next chunk.
      if (!match || (match[0] === '\r' && match.index === this.buffer.length - 1)) return
      const line = this.buffer.slice(0, match.index)
      this.buffer = this.buffer.slice(match.index + match[0].length)
      this.line(line)
    }
  }

  private line(line: string): void {
    if (line === '') {
      this.dispatch()
      return
    }
    if (line.startsWith(':')) return
    const colon = line.indexOf(':')
    const field = colon < 0 ? line : line.slice(0, colon)
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '')
    if (field === 'data') this.block.data.push(value)
    else if (field === 'event') this.block.event = value
    else if (field === 'id' && !value.includes('\0')) {
      this.lastId = value
      this.block.hasId = true
    }
  }

  private dispatch(): void {
    const { event, data, hasId } = this.block
    this.block = { event: '', data: [], hasId: false }
    if (data.length === 0 && !hasId) return
    this.onEvent({ id: this.lastId, event: event || 'message', data: data.join('\n') })
  }
}
