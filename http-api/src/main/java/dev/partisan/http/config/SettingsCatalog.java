package dev.partisan.http.config;

import dev.partisan.kv.backend.BackendRegistry;
import dev.partisan.kv.backend.BulkWriteMode;
import dev.partisan.pb.PbSettings;
import dev.partisan.runtime.overlay.Overlays;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every setting of a node with its default, in one place: {@link NodeConfig} validates against it,
 * {@code partisan-kv settings} prints it and docs/configuration.md is written from it.
 *
 * <p>Keys in the groups {@code node.}, {@code http.}, {@code pb.} and {@code kv.} belong to the
 * node; all others are the runtime's and are handed to {@code RuntimeSettings}, which owns their
 * parsing and rejects unknown ones (so the runtime keys listed here are documentation, not a second
 * parser). The exception is the cluster secret's keys, which {@link ClusterSecretSource} reads.
 */
public final class SettingsCatalog {
  private SettingsCatalog() {}

  /** Groups whose keys this module parses; everything else goes to the runtime. */
  public static final List<String> NODE_GROUPS =
      List.of("node.", "http.", "console.", "pb.", "kv.", "handoff.", "anti_entropy.", "tls.");

  public static final List<Setting> NODE =
      List.of(
          new Setting(
              "node.name",
              "kv@HOST:PORT",
              "the node's name in the cluster and the ring; must be unique and stay the same"
                  + " across restarts (the data folder remembers the ring under this name)"),
          new Setting(
              "node.join",
              "",
              "comma-separated host:port (cluster ports) of members to join through at start;"
                  + " tried in turn every 2 s until one accepts (a restarted member rejoins the"
                  + " same way)"),
          new Setting("http.host", "127.0.0.1", "address the HTTP API listens on"),
          new Setting("http.port", "8098", "HTTP API port (0 picks a free one)"),
          new Setting(
              "http.plaintext",
              "true",
              "serve plain HTTP on http.port; false: HTTPS only (needs http.https_port)"),
          new Setting(
              "http.https_host", "", "address the HTTPS listener binds; empty: http.host's"),
          new Setting(
              "http.https_port",
              "",
              "HTTPS port (Riak's listener.https), the same routes as HTTP; empty or -1: no HTTPS"
                  + " listener, 0 picks a free one; needs tls.certfile and tls.keyfile"
                  + " (docs/security.md)"),
          new Setting(
              "http.max_header_bytes",
              "65536",
              "largest request line plus headers; larger requests get 431"),
          new Setting(
              "http.idle_timeout_ms",
              "30000",
              "an HTTP connection silent this long is closed (also bounds a body that never"
                  + " arrives)"),
          new Setting(
              "http.admin",
              "true",
              "serve the /admin/ endpoints (cluster changes and fault injection); set false on"
                  + " nodes whose HTTP port is reachable by untrusted clients"),
          new Setting(
              "console.enabled", "true", "serve the web console at /console (docs/console.md)"),
          new Setting(
              "console.interval_ms",
              "1000",
              "how often a watched console samples the cluster and sends a snapshot (200..60000)"),
          new Setting(
              "console.max_streams",
              "16",
              "console event streams served at once; one more gets 503"),
          new Setting("pb.enabled", "true", "serve Riak's Protocol Buffers API (docs/pb.md)"),
          new Setting("pb.host", "127.0.0.1", "address the PB API listens on"),
          new Setting(
              "pb.port",
              Integer.toString(PbSettings.DEFAULT_PORT),
              "PB API port, Riak's (0 picks a free one)"),
          new Setting(
              "pb.max_frame_bytes",
              Integer.toString(PbSettings.DEFAULT_MAX_FRAME_BYTES),
              "largest PB frame (64 MiB; raised automatically to fit kv.max_value_bytes); a longer one gets an error and the connection closes"),
          new Setting(
              "pb.event_loop_threads", "0", "threads serving PB connections; 0: one per core"),
          new Setting(
              "pb.frame_timeout_ms",
              Long.toString(PbSettings.DEFAULT_FRAME_TIMEOUT.toMillis()),
              "a PB frame that has started must complete within this, or the connection is closed"
                  + " (a slow or stalled client); idle time between frames is not limited"),
          new Setting(
              "pb.auth_timeout_ms",
              Long.toString(PbSettings.DEFAULT_AUTH_TIMEOUT.toMillis()),
              "with security enabled, a PB connection not authenticated (RpbAuthReq) this long"
                  + " after opening is closed (docs/security.md)"),
          new Setting(
              "pb.auth_failure_delay_ms",
              Long.toString(PbSettings.DEFAULT_AUTH_FAILURE_DELAY.toMillis()),
              "a failed RpbAuthReq is answered this late (slows password guessing); the third"
                  + " failure closes the connection"),
          new Setting(
              "tls.certfile",
              "",
              "this node's certificate chain, PEM (leaf first); with tls.keyfile, enables the TLS"
                  + " listeners that ask for it (docs/security.md)"),
          new Setting("tls.keyfile", "", "the certificate's private key, unencrypted PKCS#8 PEM"),
          new Setting(
              "tls.cacertfile",
              "",
              "the certificate authorities peers and client certificates must chain to, PEM;"
                  + " empty: the JDK's default authorities (client certificates then unusable)"),
          new Setting(
              "tls.cluster",
              "false",
              "TLS 1.3 on every connection between nodes (needs tls.certfile, tls.keyfile and"
                  + " tls.cacertfile; every node of the cluster must agree)"),
          new Setting(
              "tls.cluster_client_auth",
              "require",
              "require: a dialing node must present a certificate of the cluster CA (mutual"
                  + " authentication); optional; none"),
          new Setting(
              "tls.cluster_verify_hostname",
              "false",
              "also check that a node's certificate names the address dialled (DNS or IP"
                  + " subject alternative name); the chain is always verified"),
          new Setting(
              "tls.cluster_verify_node_name",
              "false",
              "a node's certificate must name the node it claims to be (common name or DNS"
                  + " subject alternative name); needs tls.cluster_client_auth = require"),
          new Setting(
              "tls.provider",
              "auto",
              "TLS implementation of the cluster transport: auto (OpenSSL where netty-tcnative"
                  + " loads, else the JDK's), jdk or openssl"),
          new Setting("kv.backend", BackendRegistry.ROCKSDB, BackendRegistry.describeChoices()),
          new Setting(
              "kv.data_dir",
              "./data/NODE",
              "RocksDB folder; NODE is the node name with unsafe characters replaced by _"),
          new Setting(
              "kv.sync_writes",
              "false",
              "fsync every request write (the write-ahead log is always on for requests)"),
          new Setting(
              "kv.rocksdb_rate_limit_mb_per_s",
              "0",
              "cap on RocksDB's flush and compaction writes, in MiB/s, so they leave the disk to"
                  + " request writes; 0: none"),
          new Setting(
              "kv.ring_size",
              "64",
              "partitions in the ring (power of two, 8..1024); fixed for the cluster's life"),
          new Setting(
              "kv.target_n_val",
              "4",
              "claim spacing: any this many consecutive partitions live on distinct nodes when"
                  + " there are enough nodes"),
          new Setting(
              "kv.max_value_bytes",
              "52428800",
              "largest value a client may write (50 MiB); larger bodies get 413"),
          new Setting(
              "kv.timeout_ms", "60000", "request timeout when a request gives no ?timeout="),
          new Setting(
              "kv.delete_mode",
              "3000",
              "when tombstones are reaped: keep, immediate, or a delay in milliseconds after all"
                  + " primaries hold them"),
          new Setting(
              "kv.vnode_mailbox_capacity",
              "10000",
              "queued requests per vnode before it answers overloaded (503)"),
          new Setting(
              "kv.vnode_bulk_threads",
              "0",
              "threads that apply received handoff batches off the vnodes' request path; 0: one"
                  + " per two cores, at least one"),
          new Setting(
              "kv.request_parallelism",
              "4",
              "connections per peer on the request channel, unless channel.request.parallelism"
                  + " is set"),
          new Setting(
              "kv.ring_tick_ms", "1000", "period of the ring manager's claimant and gossip work"),
          new Setting(
              "handoff.concurrency",
              "2",
              "transfers this node sends at once, and receives at once; 0 pauses handoff"
                  + " (changeable at run time: admin transfer-limit)"),
          new Setting(
              "handoff.batch_objects", "500", "objects per handoff batch (one ack per batch)"),
          new Setting(
              "handoff.batch_bytes",
              "1048576",
              "bytes per handoff batch (a larger object travels alone)"),
          new Setting(
              "handoff.ack_timeout_ms",
              "60000",
              "an unacknowledged batch fails the attempt, which is retried with backoff"),
          new Setting(
              "handoff.interval_ms",
              "5000",
              "how often a node looks for transfers to start (also on every ring change)"),
          new Setting(
              "handoff.forwarding_grace_ms",
              "10000",
              "how long a handed-off vnode keeps forwarding after the new owner is official"),
          new Setting(
              "handoff.max_bytes_per_second",
              "0",
              "outbound handoff rate of this node, all transfers together; 0: unlimited"
                  + " (changeable at run time: admin transfer-rate)"),
          new Setting(
              "handoff.write_path",
              BulkWriteMode.INGEST.settingName(),
              "how received handoff data is written: wal (through the write-ahead log, like"
                  + " requests), wal_off (one write batch per handoff batch without the log, flushed"
                  + " before the transfer completes) or ingest (one table file per batch, ingested)"),
          new Setting(
              "anti_entropy.enabled", "true", "keep hash trees and exchange them with replicas"),
          new Setting(
              "anti_entropy.segments",
              "1024",
              "segments per hash tree (power of two; every node must agree)"),
          new Setting("anti_entropy.exchange_interval_ms", "15000", "period of an exchange round"),
          new Setting("anti_entropy.concurrency", "2", "exchanges at once; 0 pauses exchanges"),
          new Setting(
              "anti_entropy.repairs_per_second",
              "100",
              "keys repaired per second at most, so repair never starves requests"),
          new Setting(
              "anti_entropy.rebuild_interval_ms",
              "604800000",
              "tree expiry: trees older than this (7 days) are rebuilt from the backend"),
          new Setting("kv.n_val", "3", "replicas of each key, for buckets nobody configured"),
          new Setting(
              "kv.allow_mult",
              "true",
              "keep concurrent writes as siblings (false: the newest wins), default buckets"),
          new Setting("kv.last_write_wins", "false", "ignore causality, the latest timestamp wins"),
          new Setting("kv.r", "quorum", "default read quorum (a number, one, quorum, all)"),
          new Setting("kv.w", "quorum", "default write quorum"),
          new Setting("kv.dw", "quorum", "default durable-write quorum"),
          new Setting("kv.pr", "0", "default primary read quorum"),
          new Setting("kv.pw", "0", "default primary write quorum"));

  /**
   * The runtime's keys (parsed by RuntimeSettings), with the defaults a node uses. The overlay
   * kinds and each overlay's keys come from the runtime's overlay registry.
   */
  public static final List<Setting> RUNTIME =
      join(
          List.of(
              new Setting("host", "127.0.0.1", "cluster (runtime) listen address; peers dial it"),
              new Setting("port", "9000", "cluster (runtime) port"),
              new Setting(
                  "advertise_host",
                  "",
                  "the host peers dial, when not the listen host (a proxy, NAT, or a node"
                      + " listening on 0.0.0.0); empty: host"),
              new Setting("advertise_port", "0", "the port peers dial, when not the port; 0: port"),
              new Setting("cluster.name", "partisan", "peers of another cluster are refused"),
              new Setting(
                  "cluster.secret",
                  "",
                  "HMAC key of the peer handshake, the same on every node of the cluster; without"
                      + " it (or cluster.secret_file) the node generates one on first start"
                      + " (docs/security.md)"),
              new Setting(
                  "cluster.secret_file",
                  "",
                  "a file holding the secret instead (surrounding whitespace ignored), which keeps"
                      + " it out of process lists and compose files; not together with"
                      + " cluster.secret"),
              new Setting(
                  "cluster.generated_secret_file",
                  "KV_DATA_DIR/cluster.secret",
                  "where a node given neither keeps the secret it generates (mode 0600) and finds"
                      + " it again on later starts; nodes naming one shared file share one secret"),
              new Setting("overlay", Overlays.DEFAULT_KIND, Overlays.kindsPhrase())),
          Overlays.keys().stream()
              .map(k -> new Setting(k.key(), k.defaultValue(), k.description()))
              .toList(),
          List.of(
              new Setting(
                  "baseline",
                  "false",
                  "one connection per peer for every channel and lane (Distributed Erlang's way)"),
              new Setting("heartbeat_interval_ms", "500", "heartbeat period"),
              new Setting(
                  "detection_time_ms", "3000", "silence after which a member is reported down"),
              new Setting("gossip_interval_ms", "1000", "membership digest period"),
              new Setting(
                  "news_batch_ms",
                  "200",
                  "membership news a node passes on within this long of its last batch waits and"
                      + " goes out with the next (0: every change at once)"),
              new Setting(
                  "max_frame_bytes",
                  "67108864",
                  "largest frame (raised automatically to fit kv.max_value_bytes)"),
              new Setting("mailbox_capacity", "10000", "default actor mailbox bound"),
              new Setting(
                  "ack_timeout_ms", "30000", "ack channels give up on unacknowledged messages"),
              new Setting(
                  "idle_timeout_ms",
                  "30000",
                  "a connection to a node that is not an overlay neighbour closes after this long"
                      + " unused"),
              new Setting(
                  "bulk_event_loop_threads",
                  "1",
                  "event loop threads of the bulk channels (handoff, anti-entropy); none start in"
                      + " baseline mode"),
              new Setting(
                  "transport",
                  "auto",
                  "sockets of the event loops: auto (epoll, else NIO), io_uring, epoll or nio; one"
                      + " that does not load falls back to auto, logged"),
              new Setting(
                  "event_loop_spin_us",
                  "0",
                  "an idle latency event loop polls this long before it blocks (epoll, NIO): fewer"
                      + " wake-ups for request-reply traffic, a busy core while it spins"),
              new Setting(
                  "channel.NAME.parallelism",
                  "1 (request: kv.request_parallelism)",
                  "connections per peer of channel NAME (default, membership, request, handoff,"
                      + " anti-entropy, or a new one)"),
              new Setting(
                  "channel.NAME.monotonic", "false", "keep only the newest queued message per key"),
              new Setting("channel.NAME.compression", "false", "deflate bodies over 1 KiB"),
              new Setting("channel.NAME.max_queued_bytes", "67108864", "outbound queue bound"),
              new Setting(
                  "channel.NAME.ack",
                  "false",
                  "at-least-once delivery with de-duplication on this channel"),
              new Setting(
                  "channel.NAME.class",
                  "latency (handoff, anti-entropy: bulk)",
                  "traffic class: latency channels share the node's event loops, bulk ones read"
                      + " and decode on the bulk event loops")));

  @SafeVarargs
  private static List<Setting> join(List<Setting>... parts) {
    return Arrays.stream(parts).flatMap(List::stream).toList();
  }

  private static final Map<String, Setting> BY_KEY =
      NODE.stream().collect(Collectors.toMap(Setting::key, Function.identity()));

  public static Optional<Setting> node(String key) {
    return Optional.ofNullable(BY_KEY.get(key));
  }

  public static boolean isNodeKey(String key) {
    return NODE_GROUPS.stream().anyMatch(key::startsWith);
  }
}
