import { useQuery } from '@tanstack/react-query'
import { useSession } from './auth.js'

/** Reference data the filters and forms share: cached for a minute. */
export function useCatalogGpus(withAvailability = false) {
  const { client } = useSession()
  return useQuery({
    queryKey: ['catalog', 'gpus', withAvailability],
    queryFn: () =>
      client.v2.catalog.gpus(withAvailability ? { include: ['AVAILABILITY'], product: ['POD'] } : {}),
    staleTime: withAvailability ? 5_000 : 60_000,
    refetchInterval: withAvailability ? 10_000 : false,
  })
}

export function useDataCenters() {
  const { client } = useSession()
  return useQuery({
    queryKey: ['catalog', 'datacenters'],
    queryFn: () => client.v2.catalog.dataCenters(),
    staleTime: 60_000,
  })
}

export function useTemplates() {
  const { client } = useSession()
  return useQuery({ queryKey: ['templates'], queryFn: () => client.v1.templates.list(), staleTime: 10_000 })
}

export function useNetworkVolumes() {
  const { client } = useSession()
  return useQuery({
    queryKey: ['networkVolumes'],
    queryFn: () => client.v1.networkVolumes.list(),
    staleTime: 10_000,
  })
}

export function useEndpoints() {
  const { client } = useSession()
  return useQuery({ queryKey: ['endpoints'], queryFn: () => client.v1.endpoints.list(), staleTime: 10_000 })
}
