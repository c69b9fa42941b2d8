/**
 * "Change since the last run" of a list report: who is new on the list and who left it, by id,
 * in the order of the list they are on. Pure.
 */
export interface ListEntry {
  id: string;
  name: string;
}

export function listChange(previous: readonly ListEntry[], current: readonly ListEntry[]) {
  const before = new Set(previous.map((e) => e.id));
  const now = new Set(current.map((e) => e.id));
  return {
    newOnList: current.filter((e) => !before.has(e.id)),
    leftList: previous.filter((e) => !now.has(e.id)),
  };
}
