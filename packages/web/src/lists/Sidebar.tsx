import { ListName, type List } from "@tasks/core/contract";
import { useState } from "react";
import { listHref, PLANNED_HREF, type Route } from "../app/routes";
import { Icon } from "../ui/icons";

/** Planned, then the lists (the default first) with their open tasks, and a field for a new list. */
export function Sidebar({
  lists,
  route,
  openCounts,
  plannedCount,
  onCreate,
  onInvalid,
  onNavigate,
}: {
  lists: readonly List[];
  route: Route;
  openCounts: ReadonlyMap<string, number>;
  plannedCount: number;
  /** Resolves when the list exists (the shell goes to it). */
  onCreate: (name: string) => Promise<void>;
  onInvalid: (message: string) => void;
  /** A link was followed (the phone drawer closes). */
  onNavigate: () => void;
}) {
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const current = (href: string) =>
    (route.view === "planned" && href === PLANNED_HREF) ||
    (route.view === "list" && href === listHref(route.listId))
      ? ("page" as const)
      : undefined;

  async function create() {
    if (name.trim() === "") return;
    const parsed = ListName.safeParse(name);
    if (!parsed.success) {
      onInvalid(`The list name ${parsed.error.issues[0]?.message ?? "is not valid"}.`);
      return;
    }
    setBusy(true);
    try {
      await onCreate(parsed.data);
      setName("");
    } catch {
      // Reported by the action; the name stays so it can be tried again.
    } finally {
      setBusy(false);
    }
  }

  return (
    <nav className="sidebar-nav" aria-label="Lists">
      <ul className="nav-list">
        <li>
          <a href={PLANNED_HREF} aria-current={current(PLANNED_HREF)} onClick={onNavigate}>
            <Icon name="calendar" />
            <span className="nav-name">Planned</span>
            {plannedCount > 0 ? <span className="nav-count">{plannedCount}</span> : null}
          </a>
        </li>
      </ul>
      <ul className="nav-list lists" aria-label="Your lists">
        {lists.map((list) => {
          const href = listHref(list.id);
          const count = openCounts.get(list.id) ?? 0;
          return (
            <li key={list.id}>
              <a href={href} aria-current={current(href)} onClick={onNavigate}>
                <Icon name={list.isDefault ? "sun" : "list"} />
                <span className="nav-name">{list.name}</span>
                {count > 0 ? (
                  <span className="nav-count">
                    {count}
                    <span className="visually-hidden"> open</span>
                  </span>
                ) : null}
              </a>
            </li>
          );
        })}
      </ul>
      <form
        className="new-list"
        onSubmit={(event) => {
          event.preventDefault();
          void create();
        }}
      >
        <Icon name="plus" />
        <label htmlFor="new-list" className="visually-hidden">
          New list
        </label>
        <input
          id="new-list"
          placeholder="New list"
          autoComplete="off"
          value={name}
          disabled={busy}
          onChange={(event) => setName(event.target.value)}
        />
      </form>
    </nav>
  );
}
