// The last 120 snapshots' figures for the time charts, and the series the charts draw from them.
// Owned by the page's single JS thread; a sample keeps only what the charts read.
import { arr, num, str } from "./format.js";

export const MAX_SAMPLES = 120;

const samples = [];

/** Records a snapshot; one with the same time as the last replaces it (polling repeats). */
export function record(snap) {
  const t = num(snap.time_ms) || Date.now();
  const sample = {
    t,
    traffic: arr(snap.traffic).map((r) => ({
      node: str(r.node),
      peer: str(r.peer),
      channel: str(r.channel),
      lane: num(r.lane),
      msgs: num(r.messages_per_s),
      bytes: num(r.bytes_per_s),
      queue: num(r.queued_messages),
      wait: num(r.send_wait_ms),
    })),
    latency: arr(snap.latency).map((r) => ({
      node: str(r.node),
      series: str(r.op) + " (" + str(r.api) + ")",
      p99: num(r.p99_ms),
    })),
    handoff: arr(snap.handoff).map((r) => ({ node: str(r.node), rate: num(r.bytes_per_s) })),
  };
  const last = samples[samples.length - 1];
  if (last && last.t === t) {
    samples[samples.length - 1] = sample;
    return;
  }
  if (last && t < last.t) samples.length = 0; // another node answered, or its clock went back
  samples.push(sample);
  while (samples.length > MAX_SAMPLES) samples.shift();
}

/** Channels and nodes seen in the kept samples, sorted, for the filters. */
export function seenTrafficKeys() {
  const channels = new Set();
  const nodes = new Set();
  for (const x of samples) {
    for (const r of x.traffic) {
      channels.add(r.channel);
      nodes.add(r.node);
    }
  }
  return { channels: [...channels].sort(), nodes: [...nodes].sort() };
}

/**
 * The traffic series for the filters: with every channel, one line per channel; with one
 * channel, one line per sender → peer pair (lanes summed). `node` "all" sums every node.
 * Returns {messages, bytes, queue, wait}, each a series list; send wait is the message-weighted
 * mean of the lanes' average waits (0 when nothing was sent).
 */
export function trafficSeries(channel, node) {
  const groups = new Map();
  samples.forEach((x) => {
    const acc = new Map();
    for (const r of x.traffic) {
      if (channel !== "all" && r.channel !== channel) continue;
      if (node !== "all" && r.node !== node) continue;
      const key = channel === "all" ? r.channel : node === "all" ? `${r.node}→${r.peer}` : r.peer;
      const a = acc.get(key) || { msgs: 0, bytes: 0, queue: 0, waitWeighted: 0, waitMax: 0 };
      a.msgs += r.msgs;
      a.bytes += r.bytes;
      a.queue += r.queue;
      a.waitWeighted += r.wait * r.msgs;
      a.waitMax = Math.max(a.waitMax, r.wait);
      acc.set(key, a);
    }
    for (const [key, a] of acc) {
      const g = groups.get(key) || { messages: [], bytes: [], queue: [], wait: [] };
      g.messages.push([x.t, a.msgs]);
      g.bytes.push([x.t, a.bytes]);
      g.queue.push([x.t, a.queue]);
      g.wait.push([x.t, a.msgs > 0 ? a.waitWeighted / a.msgs : 0]);
      groups.set(key, g);
    }
  });
  const names = [...groups.keys()].sort();
  const pick = (f) => names.map((name) => ({ name, points: groups.get(name)[f] }));
  return { messages: pick("messages"), bytes: pick("bytes"), queue: pick("queue"), wait: pick("wait") };
}

/** p99 per op and API ("get (pb)") over time: the worst node's p99 at each sample. */
export function latencySeries() {
  return series((x) => x.latency.map((r) => [r.series, r.p99]), Math.max);
}

/** Handoff bytes/s per sending node over time. */
export function handoffSeries() {
  return series((x) => x.handoff.map((r) => [r.node, r.rate]), (a, b) => a + b);
}

function series(rows, combine) {
  const groups = new Map();
  for (const x of samples) {
    const acc = new Map();
    for (const [k, v] of rows(x)) acc.set(k, acc.has(k) ? combine(acc.get(k), v) : v);
    for (const [k, v] of acc) {
      if (!groups.has(k)) groups.set(k, []);
      groups.get(k).push([x.t, v]);
    }
  }
  return [...groups.keys()].sort().map((name) => ({ name, points: groups.get(name) }));
}
