import { AppIndex, IndexedResource } from './app-index';
import { asList, asObject, readBoolean } from './values';

/** Whether every replica of a global table sets `flag` (a path of nested properties) to true. */
export function everyReplica(index: AppIndex, table: IndexedResource, ...flag: string[]): boolean {
  const replicas = asList(table.properties().Replicas);
  return replicas.length > 0 && replicas.every((replica, i) => {
    let value: unknown = replica;
    for (const name of flag) value = asObject(value)?.[name];
    return readBoolean(index, table, `Replicas[${i}].${flag.join('.')}`, value) === true;
  });
}
