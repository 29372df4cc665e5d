/**
 * What a function needs at run time, built once per container on first use and reused by every
 * invocation (the DynamoDB client keeps its connections alive between them).
 */
import {
  createDynamoClient,
  documentClientFor,
  ListRepository,
  readConfig,
  SyncReader,
  TodoRepository,
  type RuntimeConfig,
} from "@tasks/core";

interface Runtime {
  config: RuntimeConfig;
  /** The plain client, for libraries that send their own commands (Powertools idempotency). */
  dynamo: ReturnType<typeof createDynamoClient>;
  todos: TodoRepository;
  lists: ListRepository;
  sync: SyncReader;
}

let runtime: Runtime | undefined;

export function getRuntime(): Runtime {
  if (!runtime) {
    const config = readConfig();
    const dynamo = createDynamoClient({
      ...(config.DYNAMODB_ENDPOINT ? { endpoint: config.DYNAMODB_ENDPOINT } : {}),
      ...(config.AWS_REGION ? { region: config.AWS_REGION } : {}),
    });
    const db = documentClientFor(dynamo);
    const todos = new TodoRepository(db, config.TODOS_TABLE_NAME, {
      ...(config.MAX_TODOS_PER_USER ? { maxTodosPerUser: config.MAX_TODOS_PER_USER } : {}),
    });
    const lists = new ListRepository(db, config.TODOS_TABLE_NAME, {
      ...(config.MAX_LISTS_PER_USER ? { maxListsPerUser: config.MAX_LISTS_PER_USER } : {}),
    });
    runtime = { config, dynamo, todos, lists, sync: new SyncReader(db, config.TODOS_TABLE_NAME) };
  }
  return runtime;
}

/** For tests and the offline gateway: forget the cached runtime so new settings take effect. */
export function resetRuntime(): void {
  runtime?.dynamo.destroy();
  runtime = undefined;
}
