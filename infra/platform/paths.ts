/**
 * Where SST keeps its platform in this repository. `sst install` lays SST's embedded platform
 * (component sources, @pulumi/* packages, config.d.ts) in `.sst/platform`, next to sst.config.ts.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const SST_DIR = join(ROOT, ".sst");
export const PLATFORM_DIR = join(SST_DIR, "platform");
export const SST_CONFIG = join(ROOT, "sst.config.ts");
