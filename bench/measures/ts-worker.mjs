// Worker entry: register tsx's loader in this thread, then load the TypeScript module named in
// workerData.module (worker threads do not inherit the loader the main thread was started with).
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.module);
