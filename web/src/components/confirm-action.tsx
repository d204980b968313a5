import { Button, Group, Modal, Text } from '@mantine/core'

export type BulkAction = 'stop' | 'start' | 'delete'

/** Asks before acting on pods; deleting says it cannot be undone. */
export function ConfirmAction({
  action,
  count,
  busy,
  onConfirm,
  onClose,
}: {
  action: BulkAction | null
  count: number
  busy: boolean
  onConfirm: () => void
  onClose: () => void
}) {
  const noun = count === 1 ? 'pod' : 'pods'
  return (
    <Modal
      opened={action !== null}
      onClose={onClose}
      closeButtonProps={{ 'aria-label': 'Close' }}
      title={action ? `${capital(action)} ${count} ${noun}?` : ''}
    >
      <Text size="sm" mb="md">
        {action === 'delete'
          ? `Deleting terminates the ${noun} and removes ${count === 1 ? 'its' : 'their'} disks. This cannot be undone.`
          : action === 'stop'
            ? `Stopped ${noun} keep ${count === 1 ? 'its' : 'their'} volume and stop charging for GPUs.`
            : `The ${noun} will be placed and started again.`}
      </Text>
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button color={action === 'delete' ? 'red.9' : undefined} onClick={onConfirm} loading={busy}>
          {action ? capital(action) : ''}
        </Button>
      </Group>
    </Modal>
  )
}

const capital = (word: string) => word.charAt(0).toUpperCase() + word.slice(1)
