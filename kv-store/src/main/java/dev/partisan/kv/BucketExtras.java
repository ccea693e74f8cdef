package dev.partisan.kv;

import java.util.Locale;
import java.util.Objects;

/**
 * The bucket properties Riak clients read and write that this store keeps and returns but does not
 * act on (see docs/http.md for which ones and why): {@link BucketProps} holds those with behaviour,
 * and carries one of these as its {@code extras}. One accessor per Riak property, named after it,
 * so the HTTP JSON and the Protocol Buffers {@code RpbBucketProps} map to and from it field by
 * field. Immutable; change it with {@link #toBuilder()}.
 *
 * @param rw the delete quorum of Riak's legacy API; deletes here use r/w
 * @param basicQuorum Riak's early not-found answer; reads here wait for R replies
 * @param notfoundOk whether a not-found reply counts towards R; here it always does
 * @param backend the multi-backend's backend name, or null
 * @param searchIndex the search index of the bucket, or null
 * @param repl multi-datacenter replication mode, or null when not set
 */
public record BucketExtras(
    Quorum rw,
    boolean basicQuorum,
    boolean notfoundOk,
    ModFun chashKeyfun,
    ModFun linkfun,
    int oldVclock,
    int youngVclock,
    int bigVclock,
    int smallVclock,
    boolean dvvEnabled,
    String backend,
    boolean search,
    String searchIndex,
    ReplMode repl,
    boolean consistent,
    boolean writeOnce,
    int hllPrecision,
    int nodeConfirms,
    SyncOnWrite syncOnWrite,
    boolean aaeTreeExclude) {

  /** Riak's defaults (riak_core and riak_kv), except dvv_enabled: this store always uses DVVs. */
  public static final BucketExtras DEFAULTS =
      new BucketExtras(
          Quorum.QUORUM,
          false,
          true,
          new ModFun("riak_core_util", "chash_std_keyfun"),
          new ModFun("riak_kv_wm_link_walker", "mapreduce_linkfun"),
          86400,
          20,
          50,
          50,
          true,
          null,
          false,
          null,
          null,
          false,
          false,
          14,
          0,
          SyncOnWrite.BACKEND,
          false);

  public static final int MIN_HLL_PRECISION = 4;
  public static final int MAX_HLL_PRECISION = 16;

  public BucketExtras {
    Objects.requireNonNull(rw, "rw");
    Objects.requireNonNull(chashKeyfun, "chash_keyfun");
    Objects.requireNonNull(linkfun, "linkfun");
    Objects.requireNonNull(syncOnWrite, "sync_on_write");
    nonNegative("old_vclock", oldVclock);
    nonNegative("young_vclock", youngVclock);
    nonNegative("big_vclock", bigVclock);
    nonNegative("small_vclock", smallVclock);
    nonNegative("node_confirms", nodeConfirms);
    if (hllPrecision < MIN_HLL_PRECISION || hllPrecision > MAX_HLL_PRECISION) {
      throw new IllegalArgumentException(
          "hll_precision must be "
              + MIN_HLL_PRECISION
              + ".."
              + MAX_HLL_PRECISION
              + ": "
              + hllPrecision);
    }
  }

  private static void nonNegative(String name, int v) {
    if (v < 0) {
      throw new IllegalArgumentException(name + " must be >= 0: " + v);
    }
  }

  /** A module and function name, as Riak's {@code chash_keyfun} and {@code linkfun} hold them. */
  public record ModFun(String mod, String fun) {
    public ModFun {
      if (mod == null || mod.isEmpty() || fun == null || fun.isEmpty()) {
        throw new IllegalArgumentException("a mod/fun needs both a module and a function name");
      }
    }
  }

  /** Riak's {@code repl} values (RpbReplMode): JSON false, "realtime", "fullsync", true. */
  public enum ReplMode {
    FALSE,
    REALTIME,
    FULLSYNC,
    TRUE
  }

  /** OpenRiak's {@code sync_on_write}: backend, one, all. */
  public enum SyncOnWrite {
    BACKEND,
    ONE,
    ALL;

    public String riakName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static SyncOnWrite ofRiakName(String s) {
      for (SyncOnWrite v : values()) {
        if (v.riakName().equals(s)) {
          return v;
        }
      }
      throw new IllegalArgumentException("must be backend, one or all: '" + s + "'");
    }
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** A mutable copy for changing some properties; confined to the thread that made it. */
  public static final class Builder {
    private Quorum rw;
    private boolean basicQuorum;
    private boolean notfoundOk;
    private ModFun chashKeyfun;
    private ModFun linkfun;
    private int oldVclock;
    private int youngVclock;
    private int bigVclock;
    private int smallVclock;
    private boolean dvvEnabled;
    private String backend;
    private boolean search;
    private String searchIndex;
    private ReplMode repl;
    private boolean consistent;
    private boolean writeOnce;
    private int hllPrecision;
    private int nodeConfirms;
    private SyncOnWrite syncOnWrite;
    private boolean aaeTreeExclude;

    private Builder(BucketExtras e) {
      rw = e.rw;
      basicQuorum = e.basicQuorum;
      notfoundOk = e.notfoundOk;
      chashKeyfun = e.chashKeyfun;
      linkfun = e.linkfun;
      oldVclock = e.oldVclock;
      youngVclock = e.youngVclock;
      bigVclock = e.bigVclock;
      smallVclock = e.smallVclock;
      dvvEnabled = e.dvvEnabled;
      backend = e.backend;
      search = e.search;
      searchIndex = e.searchIndex;
      repl = e.repl;
      consistent = e.consistent;
      writeOnce = e.writeOnce;
      hllPrecision = e.hllPrecision;
      nodeConfirms = e.nodeConfirms;
      syncOnWrite = e.syncOnWrite;
      aaeTreeExclude = e.aaeTreeExclude;
    }

    public Builder rw(Quorum v) {
      rw = v;
      return this;
    }

    public Builder basicQuorum(boolean v) {
      basicQuorum = v;
      return this;
    }

    public Builder notfoundOk(boolean v) {
      notfoundOk = v;
      return this;
    }

    public Builder chashKeyfun(ModFun v) {
      chashKeyfun = v;
      return this;
    }

    public Builder linkfun(ModFun v) {
      linkfun = v;
      return this;
    }

    public Builder oldVclock(int v) {
      oldVclock = v;
      return this;
    }

    public Builder youngVclock(int v) {
      youngVclock = v;
      return this;
    }

    public Builder bigVclock(int v) {
      bigVclock = v;
      return this;
    }

    public Builder smallVclock(int v) {
      smallVclock = v;
      return this;
    }

    public Builder dvvEnabled(boolean v) {
      dvvEnabled = v;
      return this;
    }

    public Builder backend(String v) {
      backend = v;
      return this;
    }

    public Builder search(boolean v) {
      search = v;
      return this;
    }

    public Builder searchIndex(String v) {
      searchIndex = v;
      return this;
    }

    public Builder repl(ReplMode v) {
      repl = v;
      return this;
    }

    public Builder consistent(boolean v) {
      consistent = v;
      return this;
    }

    public Builder writeOnce(boolean v) {
      writeOnce = v;
      return this;
    }

    public Builder hllPrecision(int v) {
      hllPrecision = v;
      return this;
    }

    public Builder nodeConfirms(int v) {
      nodeConfirms = v;
      return this;
    }

    public Builder syncOnWrite(SyncOnWrite v) {
      syncOnWrite = v;
      return this;
    }

    public Builder aaeTreeExclude(boolean v) {
      aaeTreeExclude = v;
      return this;
    }

    public BucketExtras build() {
      return new BucketExtras(
          rw,
          basicQuorum,
          notfoundOk,
          chashKeyfun,
          linkfun,
          oldVclock,
          youngVclock,
          bigVclock,
          smallVclock,
          dvvEnabled,
          backend,
          search,
          searchIndex,
          repl,
          consistent,
          writeOnce,
          hllPrecision,
          nodeConfirms,
          syncOnWrite,
          aaeTreeExclude);
    }
  }
}
