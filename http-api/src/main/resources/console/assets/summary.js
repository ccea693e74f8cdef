// The cluster-wide totals under the member list: what every reporting node sends right now, what
// waits in its send queues, and the requests in the nodes' latency windows.
import { setText } from "./dom.js";
import { arr, num, compact, byteRate, count } from "./format.js";

export function renderSummary(snap) {
  const traffic = arr(snap.traffic);
  const sum = (rows, f) => rows.reduce((t, r) => t + num(r[f]), 0);
  setText("total-messages", compact(sum(traffic, "messages_per_s")) + "/s");
  setText("total-bytes", byteRate(sum(traffic, "bytes_per_s")));
  setText("total-queued", count(sum(traffic, "queued_messages")));
  setText("total-requests", count(sum(arr(snap.latency), "count")));
}
