import { describe, expect, it } from 'vitest'
import { readServerSentEvents, type ServerSentEvent } from '../../src/client/index.js'

/** A response whose body arrives in exactly these chunks. */
function chunked(...chunks: string[]): Response {
  const encoder = new TextEncoder()
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(encoder.encode(c))
      controller.close()
    },
  })
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } })
}

async function events(response: Response): Promise<ServerSentEvent[]> {
  const all: ServerSentEvent[] = []
  for await (const e of readServerSentEvents(response, { method: 'GET', url: 'x' })) all.push(e)
  return all
}

describe('readServerSentEvents', () => {
  it('parses events split anywhere across chunks, with LF, CRLF and CR line ends', async () => {
    const text = 'id: 1\ndata: {"a":1}\n\nid: 2\r\ndata: two\r\n\r\nid: 3\rdata: three\r\r'
    const expected = [
      { id: '1', event: 'message', data: '{"a":1}' },
      { id: '2', event: 'message', data: 'two' },
      { id: '3', event: 'message', data: 'three' },
    ]
    expect(await events(chunked(text))).toEqual(expected)
    for (let cut = 1; cut < text.length; cut++) {
      expect(await events(chunked(text.slice(0, cut), text.slice(cut)))).toEqual(expected)
    }
  })

  it('skips comments, joins multi-line data, carries the last id and drops an unfinished event', async () => {
    const text = ': keep-alive\n\nevent: note\ndata: a\ndata: b\n\ndata:c\n\nid: 9\ndata: cut'
    expect(await events(chunked(text))).toEqual([
      { id: undefined, event: 'note', data: 'a\nb' },
      { id: undefined, event: 'message', data: 'c' },
    ])
  })

  it('decodes multi-byte characters split between chunks', async () => {
    const bytes = new TextEncoder().encode('data: “ok”\n\n')
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 7))
        controller.enqueue(bytes.slice(7))
        controller.close()
      },
    })
    expect(await events(new Response(body))).toEqual([{ id: undefined, event: 'message', data: '“ok”' }])
  })
})
