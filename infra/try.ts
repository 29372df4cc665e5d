import { evaluate } from "./platform/evaluate";
const t0 = Date.now();
await evaluate({ stage: "dev" });
console.log("total", Date.now() - t0);
