import { Button, Code, Group } from '@mantine/core'
import { useClipboard } from '@mantine/hooks'

/** A value with a copy button (e.g. the ssh command). */
export function CopyText({ value, label }: { value: string; label: string }) {
  const clipboard = useClipboard({ timeout: 1_500 })
  return (
    <Group gap="xs" wrap="nowrap">
      <Code>{value}</Code>
      <Button
        size="compact-xs"
        variant="default"
        onClick={() => clipboard.copy(value)}
        aria-label={`Copy ${label}`}
      >
        {clipboard.copied ? 'Copied' : 'Copy'}
      </Button>
    </Group>
  )
}
