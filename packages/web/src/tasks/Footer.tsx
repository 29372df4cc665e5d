import { FILTER_LINKS, type Filter } from "./filter";

export function Footer({
  activeCount,
  completedCount,
  filter,
  onClearCompleted,
}: {
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
          {FILTER_LINKS.map((link) => (
            <li key={link.filter}>
              <a
                href={link.href}
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
