import type { Insertable, Kysely } from 'kysely'
import { Catalog } from '../fleet/catalog.js'
import type { CpuFlavorsTable, CpuTypesTable, Database, DataCentersTable, GpuTypesTable } from './schema.js'

export interface CatalogRows {
  readonly gpuTypes: readonly Insertable<GpuTypesTable>[]
  readonly dataCenters: readonly Insertable<DataCentersTable>[]
  readonly cpuTypes: readonly Insertable<CpuTypesTable>[]
  readonly cpuFlavors: readonly Insertable<CpuFlavorsTable>[]
}

export class CatalogRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async load(): Promise<Catalog> {
    // One after another, on one connection: at start-up the pool holds one, and side by side the
    // four reads made PostgreSQL start a process for each of three more (~10 ms apiece here),
    // which start-up then waited for. Four small reads in a row take a few ms.
    const gpuTypes = await this.db.selectFrom('gpu_types').selectAll().orderBy('sort_order').execute()
    const dataCenters = await this.db.selectFrom('data_centers').selectAll().orderBy('sort_order').execute()
    const cpuFlavors = await this.db.selectFrom('cpu_flavors').selectAll().orderBy('sort_order').execute()
    const cpuTypes = await this.db.selectFrom('cpu_types').selectAll().orderBy('id').execute()
    return new Catalog({
      gpuTypes: gpuTypes.map((t) => ({
        id: t.id,
        displayName: t.display_name,
        manufacturer: t.manufacturer,
        memoryInGb: t.memory_gb,
        securePrice: t.secure_price,
        communityPrice: t.community_price,
        secureSpotPrice: t.secure_spot_price,
        communitySpotPrice: t.community_spot_price,
        oneWeekPrice: t.one_week_price,
        oneMonthPrice: t.one_month_price,
        threeMonthPrice: t.three_month_price,
        sixMonthPrice: t.six_month_price,
        maxGpuCount: t.max_gpu_count,
      })),
      dataCenters: dataCenters.map((d) => ({
        id: d.id,
        name: d.name,
        location: d.location,
        countryCode: d.country_code,
        globalNetworking: d.global_networking === 1,
      })),
      cpuFlavors: cpuFlavors.map((f) => ({
        id: f.id,
        displayName: f.display_name,
        groupId: f.group_id,
        ramPerVcpuGb: f.ram_per_vcpu_gb,
        pricePerVcpu: f.price_per_vcpu,
      })),
      cpuTypes: cpuTypes.map((t) => ({
        id: t.id,
        displayName: t.display_name,
        cores: t.cores,
        threadsPerCore: t.threads_per_core,
        groupId: t.group_id,
      })),
    })
  }

  async insertGpuType(row: Insertable<GpuTypesTable>): Promise<void> {
    await this.db.insertInto('gpu_types').values(row).execute()
  }

  async updateGpuType(id: string, changes: Partial<Omit<Insertable<GpuTypesTable>, 'id'>>): Promise<boolean> {
    const result = await this.db.updateTable('gpu_types').set(changes).where('id', '=', id).executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  }

  async insertDataCenter(row: Insertable<DataCentersTable>): Promise<void> {
    await this.db.insertInto('data_centers').values(row).execute()
  }

  async updateDataCenter(
    id: string,
    changes: Partial<Omit<Insertable<DataCentersTable>, 'id'>>,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('data_centers')
      .set(changes)
      .where('id', '=', id)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  }

  /** Inserts catalog rows that are missing; existing rows (maybe re-priced by an operator) stay. */
  async insertMissing(rows: CatalogRows): Promise<void> {
    const tables = [
      ['gpu_types', rows.gpuTypes],
      ['data_centers', rows.dataCenters],
      ['cpu_types', rows.cpuTypes],
      ['cpu_flavors', rows.cpuFlavors],
    ] as const
    for (const [table, values] of tables) {
      if (values.length === 0) continue
      await this.db
        .insertInto(table)
        .values(values as never)
        .onConflict((oc) => oc.column('id').doNothing())
        .execute()
    }
  }
}
