/**
 * A repository on fresh tables in the run's DynamoDB Local, for the file that calls it: tables
 * are created before its tests and dropped after them.
 */
import { afterAll, beforeAll } from "vitest";
import { createTestTables } from "../../local/test-support/tables.js";
import { createDocumentClient, TodoRepository } from "../src/index.js";

export interface RepositoryFixture {
  tables: Awaited<ReturnType<typeof createTestTables>>;
  db: ReturnType<typeof createDocumentClient>;
  repo: TodoRepository;
}

export function useRepository(): RepositoryFixture {
  const fixture = {} as RepositoryFixture;
  beforeAll(async () => {
    fixture.tables = await createTestTables();
    // One DynamoDB Local serves the whole run: a 100-item transaction can take seconds on a busy machine.
    fixture.db = createDocumentClient({ endpoint: fixture.tables.endpoint, requestTimeoutMs: 10_000 });
    fixture.repo = new TodoRepository(fixture.db, fixture.tables.todos);
  });
  afterAll(async () => {
    await fixture.tables.drop();
    fixture.db.destroy();
  });
  return fixture;
}
