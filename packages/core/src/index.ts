export * from "./contract.js";
export * from "./config.js";
export * from "./cursor.js";
export * from "./dynamo-client.js";
export * from "./errors.js";
export * from "./keys.js";
export * from "./todo-repository.js";
export * from "./table-definitions.js";
