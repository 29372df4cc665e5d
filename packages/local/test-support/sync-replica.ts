/**
 * A syncing client's replica, as small as the protocol allows: apply each page's changes in
 * order (an item replaces what was there, a delete removes it — applying a change twice is the
 * same as once), keep the cursor, follow it while `hasMore`. Used by the handler tests, the
 * property test and the bench, so that all three follow the protocol the same way.
 */
import type { List, SyncPage, Todo } from "@tasks/core/contract";

export class SyncReplica {
  readonly lists = new Map<string, List>();
  readonly todos = new Map<string, Todo>();
  cursor: string | undefined;

  apply(page: SyncPage): void {
    for (const change of page.changes) {
      const map: Map<string, List | Todo> = change.kind === "list" ? this.lists : this.todos;
      if (change.deleted) map.delete(change.id);
      else map.set(change.id, change.item);
    }
    this.cursor = page.cursor;
  }

  /** Pulls until `hasMore` is false (a snapshot first, when it has no cursor); returns the pages. */
  async pull(read: (since: string | undefined) => Promise<SyncPage>): Promise<SyncPage[]> {
    const pages: SyncPage[] = [];
    if (this.cursor === undefined) {
      this.lists.clear();
      this.todos.clear();
    }
    for (;;) {
      const page = await read(this.cursor);
      this.apply(page);
      pages.push(page);
      if (!page.hasMore) return pages;
    }
  }

  /** What the replica holds, in a form to compare with the server's. */
  state(): { lists: List[]; todos: Todo[] } {
    const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    return { lists: [...this.lists.values()].sort(byId), todos: [...this.todos.values()].sort(byId) };
  }
}
