import { Anchor, Badge, Checkbox, Table, UnstyledButton } from '@mantine/core'
import {
  type ColumnDef,
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  type RowSelectionState,
  type SortingState,
  useReactTable,
} from '@tanstack/react-table'
import { useVirtualizer } from '@tanstack/react-virtual'
import { useMemo, useRef, useState } from 'react'
import type { V1 } from '../../../src/client/index.js'
import { PHASE_COLORS, podPhase, usd } from '../format.js'
import { Link } from '../router.js'

const ROW_HEIGHT = 41

const columns: ColumnDef<V1.Pod>[] = [
  {
    id: 'select',
    enableSorting: false,
    size: 44,
    header: ({ table }) => (
      <Checkbox
        aria-label="Select all pods"
        checked={table.getIsAllRowsSelected()}
        indeterminate={table.getIsSomeRowsSelected()}
        onChange={table.getToggleAllRowsSelectedHandler()}
      />
    ),
    cell: ({ row }) => (
      <Checkbox
        aria-label={`Select ${row.original.name || row.original.id}`}
        checked={row.getIsSelected()}
        onChange={row.getToggleSelectedHandler()}
      />
    ),
  },
  {
    accessorKey: 'name',
    header: 'Name',
    cell: ({ row }) => (
      <Anchor component={Link} href={`/pods/${row.original.id}`} size="sm">
        {row.original.name || row.original.id}
      </Anchor>
    ),
  },
  {
    id: 'status',
    header: 'Status',
    size: 120,
    accessorFn: podPhase,
    cell: ({ getValue }) => {
      const phase = getValue<string>()
      return (
        <Badge color={PHASE_COLORS[phase]} variant="light" data-testid="pod-status">
          {phase}
        </Badge>
      )
    },
  },
  {
    id: 'gpu',
    header: 'GPU',
    accessorFn: (pod) => (pod.gpu ? `${pod.gpu.count}× ${pod.gpu.displayName}` : 'CPU'),
  },
  { id: 'dataCenter', header: 'Data center', accessorFn: (pod) => pod.machine?.dataCenterId ?? '' },
  { accessorKey: 'image', header: 'Image' },
  {
    id: 'address',
    header: 'IP / ports',
    accessorFn: (pod) =>
      pod.publicIp
        ? `${pod.publicIp} ${Object.entries(pod.portMappings ?? {})
            .map(([from, to]) => `${from}→${to}`)
            .join(' ')}`
        : '',
  },
  {
    accessorKey: 'adjustedCostPerHr',
    header: '$/hr',
    cell: ({ getValue }) => usd(getValue<number>()),
  },
  { accessorKey: 'lastStatusChange', header: 'Last change', cell: ({ getValue }) => getValue<string>() },
]

/**
 * The pods table: sortable columns, row selection, and only the visible rows in the DOM, so ten
 * thousand pods scroll without freezing the page.
 */
export function PodTable({
  pods,
  selection,
  onSelectionChange,
}: {
  pods: V1.Pod[]
  selection: RowSelectionState
  onSelectionChange: (next: RowSelectionState) => void
}) {
  const [sorting, setSorting] = useState<SortingState>([])
  const table = useReactTable({
    data: pods,
    columns,
    state: { sorting, rowSelection: selection },
    getRowId: (pod) => pod.id,
    onSortingChange: setSorting,
    onRowSelectionChange: (updater) =>
      onSelectionChange(typeof updater === 'function' ? updater(selection) : updater),
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
  })
  const rows = table.getRowModel().rows
  const scrollRef = useRef<HTMLElement>(null)
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  })
  const items = virtualizer.getVirtualItems()
  const [top, bottom] = useMemo(
    () =>
      items.length ? [items[0]!.start, virtualizer.getTotalSize() - items[items.length - 1]!.end] : [0, 0],
    [items, virtualizer],
  )

  return (
    <section
      ref={scrollRef}
      style={{ height: 'calc(100vh - 300px)', minHeight: 320, overflow: 'auto' }}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: the scrolling region must be reachable by keyboard
      tabIndex={0}
      aria-label="Pods table"
    >
      <Table
        stickyHeader
        highlightOnHover
        striped
        verticalSpacing={6}
        fz="sm"
        aria-rowcount={rows.length + 1}
      >
        <Table.Thead>
          {table.getHeaderGroups().map((group) => (
            <Table.Tr key={group.id}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted()
                return (
                  <Table.Th
                    key={header.id}
                    style={{ minWidth: header.column.columnDef.size }}
                    aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                  >
                    {header.column.getCanSort() ? (
                      <UnstyledButton onClick={header.column.getToggleSortingHandler()} fw={600} fz="sm">
                        {flexRender(header.column.columnDef.header, header.getContext())}
                        <span aria-hidden="true">
                          {sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}
                        </span>
                      </UnstyledButton>
                    ) : (
                      flexRender(header.column.columnDef.header, header.getContext())
                    )}
                  </Table.Th>
                )
              })}
            </Table.Tr>
          ))}
        </Table.Thead>
        <Table.Tbody>
          {top > 0 && (
            <tr>
              <td style={{ height: top, padding: 0 }} colSpan={columns.length} />
            </tr>
          )}
          {items.map((item) => {
            const row = rows[item.index]!
            return (
              <Table.Tr key={row.id} data-pod-id={row.id} style={{ height: ROW_HEIGHT }}>
                {row.getVisibleCells().map((cell) => (
                  <Table.Td key={cell.id} style={{ whiteSpace: 'nowrap' }}>
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </Table.Td>
                ))}
              </Table.Tr>
            )
          })}
          {bottom > 0 && (
            <tr>
              <td style={{ height: bottom, padding: 0 }} colSpan={columns.length} />
            </tr>
          )}
        </Table.Tbody>
      </Table>
    </section>
  )
}
