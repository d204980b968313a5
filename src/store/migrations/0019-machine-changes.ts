import { type Kysely, PostgresAdapter, sql } from 'kysely'

/**
 * PostgreSQL only: every statement that changes machines tells the processes sharing the database
 * which ones (`NOTIFY podplane_machines`, delivered at commit), so each replica's fleet cache
 * reloads them at once instead of finding out by reading the whole fleet every few seconds
 * (src/store/postgres/machine-changes.ts). The payload is JSON: `schema`, since notifications
 * reach every listener of the database; `writer`, the session's `podplane.writer` (null for other
 * clients), so a process skips its own changes, which its cache holds already; `ids`, or null
 * when they would not fit a notification (8,000 bytes): then the whole fleet is read again.
 * SQLite needs none of this: a process sees another's commits in `PRAGMA data_version`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return
  await sql`create function podplane_machines_changed() returns trigger language plpgsql as $$
declare
  ids json;
  payload text;
begin
  select json_agg(id) into ids from changed;
  if ids is null then
    return null;
  end if;
  payload := json_build_object('schema', tg_table_schema,
    'writer', nullif(current_setting('podplane.writer', true), ''), 'ids', ids)::text;
  if length(payload) > 7500 then
    payload := json_build_object('schema', tg_table_schema,
      'writer', nullif(current_setting('podplane.writer', true), ''), 'ids', null)::text;
  end if;
  perform pg_notify('podplane_machines', payload);
  return null;
end $$`.execute(db)
  for (const [event, rows] of [
    ['insert', 'new'],
    ['update', 'new'],
    ['delete', 'old'],
  ] as const) {
    await sql
      .raw(`create trigger machines_${event}_notify after ${event} on machines
        referencing ${rows} table as changed
        for each statement execute function podplane_machines_changed()`)
      .execute(db)
  }
}
