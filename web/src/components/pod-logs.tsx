import { Alert, Code, Group, ScrollArea, Switch, Text } from '@mantine/core'
import { useEffect, useRef, useState } from 'react'
import type { V2 } from '../../../src/client/index.js'
import { useSession } from '../auth.js'
import { errorMessage } from '../format.js'

const MAX_LINES = 2_000

/** Live logs over SSE through the client's v2 log iterator; leaving the page closes the stream. */
export function PodLogs({ podId }: { podId: string }) {
  const { client } = useSession()
  const [lines, setLines] = useState<V2.LogEvent[]>([])
  const [error, setError] = useState<unknown>(null)
  const [follow, setFollow] = useState(true)
  const viewport = useRef<HTMLDivElement>(null)

  useEffect(() => {
    const abort = new AbortController()
    setLines([])
    setError(null)
    ;(async () => {
      try {
        for await (const event of client.v2.pods.logs(podId, {
          tail: 200,
          follow: true,
          signal: abort.signal,
        }))
          setLines((previous) => [...previous.slice(-(MAX_LINES - 1)), event])
      } catch (err) {
        if (!abort.signal.aborted) setError(err)
      }
    })()
    return () => abort.abort()
  }, [client, podId])

  useEffect(() => {
    if (follow && lines.length) viewport.current?.scrollTo({ top: viewport.current.scrollHeight })
  }, [lines, follow])

  return (
    <>
      <Group justify="space-between" mb="xs">
        <Text size="sm" c="dimmed" aria-live="polite">
          {lines.length} lines
        </Text>
        <Switch
          label="Follow"
          checked={follow}
          onChange={(event) => setFollow(event.currentTarget.checked)}
        />
      </Group>
      {error ? (
        <Alert color="red" role="alert" title="Log stream closed">
          {errorMessage(error)}
        </Alert>
      ) : null}
      <ScrollArea h={360} viewportRef={viewport} type="auto" aria-label="Pod logs" data-testid="pod-logs">
        <Code block>
          {lines.length
            ? lines.map((line) => `${line.ts} [${line.source}] ${line.line}`).join('\n')
            : 'Waiting for log lines…'}
        </Code>
      </ScrollArea>
    </>
  )
}
