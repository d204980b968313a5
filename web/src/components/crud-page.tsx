import {
  Alert,
  Button,
  Group,
  Modal,
  NumberInput,
  PasswordInput,
  Select,
  Stack,
  Switch,
  Table,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, type ReactNode, useState } from 'react'
import { errorMessage } from '../format.js'
import { Empty, ErrorState, Loading } from './states.js'

export type FieldValue = string | number | boolean | null
export type Values = Record<string, FieldValue>

export interface Field {
  readonly name: string
  readonly label: string
  readonly kind: 'text' | 'number' | 'password' | 'textarea' | 'select' | 'switch'
  readonly data?: readonly string[] | readonly { value: string; label: string }[]
  readonly required?: boolean
  readonly description?: string
  /** Shown only when creating (e.g. a password, a data center that cannot move). */
  readonly createOnly?: boolean
}

export interface Column<T> {
  readonly label: string
  readonly render: (item: T) => ReactNode
}

export interface CrudPageProps<T extends { id: string }> {
  readonly title: string
  readonly noun: string
  readonly queryKey: readonly unknown[]
  readonly list: () => Promise<T[]>
  readonly columns: readonly Column<T>[]
  readonly fields: readonly Field[]
  readonly empty: Values
  readonly create: (values: Values) => Promise<unknown>
  /** Without it the resource cannot be edited (the API has no update). */
  readonly update?: (id: string, values: Values) => Promise<unknown>
  readonly toValues?: (item: T) => Values
  readonly remove: (id: string) => Promise<unknown>
  readonly nameOf: (item: T) => string
  /** Extra content under the table (e.g. an endpoint's workers). */
  readonly children?: ReactNode
}

function FieldInput({
  field,
  value,
  onChange,
  error,
}: {
  field: Field
  value: FieldValue
  onChange: (v: FieldValue) => void
  error?: string
}) {
  const common = { label: field.label, description: field.description, withAsterisk: field.required, error }
  switch (field.kind) {
    case 'number':
      return <NumberInput {...common} value={Number(value ?? 0)} onChange={(v) => onChange(Number(v))} />
    case 'password':
      return (
        <PasswordInput
          {...common}
          value={String(value ?? '')}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      )
    case 'textarea':
      return (
        <Textarea
          {...common}
          autosize
          minRows={2}
          value={String(value ?? '')}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      )
    case 'select':
      return (
        <Select
          {...common}
          data={field.data as string[]}
          value={value === null ? null : String(value)}
          onChange={onChange}
          searchable
          clearable={!field.required}
        />
      )
    case 'switch':
      return (
        <Switch
          label={field.label}
          checked={Boolean(value)}
          onChange={(e) => onChange(e.currentTarget.checked)}
        />
      )
    default:
      return (
        <TextInput
          {...common}
          value={String(value ?? '')}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      )
  }
}

/** A list of one resource with create, edit and delete, each error shown with the server's message. */
export function CrudPage<T extends { id: string }>(props: CrudPageProps<T>) {
  const queryClient = useQueryClient()
  const items = useQuery({ queryKey: props.queryKey, queryFn: props.list })
  const [editing, setEditing] = useState<{ id: string | null; values: Values } | null>(null)
  const [deleting, setDeleting] = useState<T | null>(null)
  const [missing, setMissing] = useState<Record<string, string>>({})
  const refresh = () => queryClient.invalidateQueries({ queryKey: props.queryKey })

  const save = useMutation({
    mutationFn: ({ id, values }: { id: string | null; values: Values }) =>
      id === null ? props.create(values) : props.update!(id, values),
    onSuccess: () => {
      setEditing(null)
      return refresh()
    },
  })
  const remove = useMutation({
    mutationFn: (id: string) => props.remove(id),
    onSuccess: () => {
      setDeleting(null)
      return refresh()
    },
  })

  const open = (id: string | null, values: Values) => {
    save.reset()
    setMissing({})
    setEditing({ id, values })
  }
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (!editing) return
    const errors: Record<string, string> = {}
    for (const field of props.fields)
      if (field.required && (editing.values[field.name] === '' || editing.values[field.name] === null))
        errors[field.name] = `${field.label} is required`
    setMissing(errors)
    if (Object.keys(errors).length === 0) save.mutate(editing)
  }
  const fields = props.fields.filter((f) => !(f.createOnly && editing?.id))

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{props.title}</Title>
        <Button onClick={() => open(null, props.empty)}>New {props.noun}</Button>
      </Group>
      {remove.error && (
        <Alert color="red" role="alert" title={`The ${props.noun} was not deleted`}>
          {errorMessage(remove.error)}
        </Alert>
      )}
      {items.isPending ? (
        <Loading />
      ) : items.isError ? (
        <ErrorState error={items.error} title={`Could not list ${props.title.toLowerCase()}`} />
      ) : items.data.length === 0 ? (
        <Empty>No {props.title.toLowerCase()} yet.</Empty>
      ) : (
        <Table.ScrollContainer minWidth={700}>
          <Table striped highlightOnHover fz="sm">
            <Table.Thead>
              <Table.Tr>
                {props.columns.map((c) => (
                  <Table.Th key={c.label}>{c.label}</Table.Th>
                ))}
                <Table.Th>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.data.map((item) => (
                <Table.Tr key={item.id} data-id={item.id}>
                  {props.columns.map((c) => (
                    <Table.Td key={c.label}>{c.render(item)}</Table.Td>
                  ))}
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      {props.update && props.toValues && (
                        <Button
                          size="compact-xs"
                          variant="default"
                          aria-label={`Edit ${props.nameOf(item)}`}
                          onClick={() => open(item.id, props.toValues!(item))}
                        >
                          Edit
                        </Button>
                      )}
                      <Button
                        size="compact-xs"
                        variant="default"
                        aria-label={`Delete ${props.nameOf(item)}`}
                        onClick={() => {
                          remove.reset()
                          setDeleting(item)
                        }}
                      >
                        Delete
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {props.children}
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        closeButtonProps={{ 'aria-label': 'Close' }}
        title={editing?.id ? `Edit ${props.noun}` : `New ${props.noun}`}
      >
        <form onSubmit={submit} noValidate>
          <Stack>
            {editing &&
              fields.map((field) => (
                <FieldInput
                  key={field.name}
                  field={field}
                  value={editing.values[field.name] ?? null}
                  error={missing[field.name]}
                  onChange={(v) => setEditing({ ...editing, values: { ...editing.values, [field.name]: v } })}
                />
              ))}
            {save.error && (
              <Alert color="red" role="alert" title="Not saved">
                {errorMessage(save.error)}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setEditing(null)}>
                Cancel
              </Button>
              <Button type="submit" loading={save.isPending}>
                {editing?.id ? 'Save' : 'Create'}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
      <Modal
        opened={deleting !== null}
        onClose={() => setDeleting(null)}
        closeButtonProps={{ 'aria-label': 'Close' }}
        title={deleting ? `Delete ${props.nameOf(deleting)}?` : ''}
      >
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setDeleting(null)}>
            Cancel
          </Button>
          <Button
            color="red.9"
            loading={remove.isPending}
            onClick={() => deleting && remove.mutate(deleting.id)}
          >
            Delete
          </Button>
        </Group>
      </Modal>
    </Stack>
  )
}

export const str = (v: FieldValue | undefined) => (v === null || v === undefined ? '' : String(v)).trim()
export const num = (v: FieldValue | undefined) => Number(v ?? 0)
