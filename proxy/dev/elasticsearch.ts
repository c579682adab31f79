/**
 * Development Elasticsearch manager.
 *
 * `npm run elasticsearch` starts a local single-node Elasticsearch 9 under `.local/elasticsearch/`
 * (or checks the cluster named by ELASTICSEARCH_URL), `-- --nodes 3` a local 3-node cluster
 * under `.local/elasticsearch-cluster/`, `-- status` reports, `-- stop` stops both.
 * Tests and `npm start` import `ensureElasticsearch()` / `stopElasticsearch()`; the cluster
 * tests `startLocalCluster()`. The parts live in `./elasticsearch/`, one job each.
 */
import { parseArgs } from "node:util";
import { seconds } from "./elapsed.ts";
import { startLocalCluster, stopLocalCluster } from "./elasticsearch/cluster.ts";
import { log } from "./elasticsearch/log.ts";
import {
  ensureElasticsearch,
  printStatus,
  stopElasticsearch,
} from "./elasticsearch/single-node.ts";

export { type ClusterNode, type LocalCluster, startLocalCluster } from "./elasticsearch/cluster.ts";
export { findJavaHome } from "./elasticsearch/java.ts";
export {
  type ElasticsearchInfo,
  ensureElasticsearch,
  stopElasticsearch,
} from "./elasticsearch/single-node.ts";

/** The folder of the CLI's cluster, below `.local/`. */
const CLUSTER = "elasticsearch-cluster";
const USAGE = "usage: npm run elasticsearch [-- start|stop|status] [--nodes N]";

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { nodes: { type: "string", default: "1" } },
  });
  const nodes = Number(values.nodes);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 9) {
    console.error(`--nodes takes 1 to 9\n${USAGE}`);
    return 2;
  }
  switch (positionals[0] ?? "start") {
    case "start": {
      const started = performance.now();
      if (nodes > 1) {
        const basePort = Number(process.env.ES_CLUSTER_PORT ?? 9250);
        const cluster = await startLocalCluster({ name: CLUSTER, nodes, basePort });
        console.log(cluster.urls.join(","));
        return 0;
      }
      const info = await ensureElasticsearch();
      if (!info.started) {
        log(`Elasticsearch ${info.version} is already running (${seconds(started)})`);
      }
      console.log(info.url);
      return 0;
    }
    case "stop": {
      const single = await stopElasticsearch();
      const clustered = await stopLocalCluster(CLUSTER);
      if (clustered > 0) log(`stopped ${clustered} cluster node(s)`);
      if (!single && clustered === 0) log("no local node is running");
      return 0;
    }
    case "status":
      return (await printStatus()) ? 0 : 1;
    default:
      console.error(USAGE);
      return 2;
  }
}

if (import.meta.main) {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (error) {
    console.error(`[elasticsearch] ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
