import { listHref } from "../app/routes";
import { FILTER_LABELS, type Filter } from "./filter";

export function Footer({
  listId,
  activeCount,
  completedCount,
  filter,
  onClearCompleted,
}: {
  listId: string;
  activeCount: number;
  completedCount: number;
  filter: Filter;
  onClearCompleted: () => void;
}) {
  return (
    <footer className="footer">
      <span className="todo-count" role="status">
        <strong>{activeCount}</strong> {activeCount === 1 ? "item" : "items"} left
      </span>
      <nav aria-label="Filter tasks">
        <ul className="filters">
          {FILTER_LABELS.map((link) => (
            <li key={link.filter}>
              <a
                href={listHref(listId, link.filter)}
                className={link.filter === filter ? "selected" : undefined}
                aria-current={link.filter === filter ? "page" : undefined}
              >
                {link.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {completedCount > 0 ? (
        <button type="button" className="clear-completed" onClick={onClearCompleted}>
          Clear completed
        </button>
      ) : null}
    </footer>
  );
}
