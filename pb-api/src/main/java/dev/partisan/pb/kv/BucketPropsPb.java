package dev.partisan.pb.kv;

import com.google.protobuf.ByteString;
import dev.partisan.kv.BucketExtras;
import dev.partisan.kv.BucketExtras.ModFun;
import dev.partisan.kv.BucketExtras.ReplMode;
import dev.partisan.kv.BucketProps;
import dev.partisan.kv.DataType;
import dev.partisan.pb.dispatch.PbRequestException;
import dev.partisan.pb.proto.RiakMessages.RpbBucketProps;
import dev.partisan.pb.proto.RiakMessages.RpbBucketProps.RpbReplMode;
import dev.partisan.pb.proto.RiakMessages.RpbModFun;

/**
 * Bucket properties between the store's {@link BucketProps} (with its {@link BucketExtras}) and
 * Riak's RpbBucketProps, field by field in both directions. The store keeps every property Riak's
 * message carries; those without behaviour here are kept and returned (see docs/http.md). Commit
 * hooks are the exception: the store runs none, so it answers has_precommit/has_postcommit false
 * and refuses a non-empty list rather than silently dropping the user's hook.
 */
final class BucketPropsPb {
  private BucketPropsPb() {}

  static RpbBucketProps toPb(BucketProps p) {
    BucketExtras e = p.extras();
    RpbBucketProps.Builder b =
        RpbBucketProps.newBuilder()
            .setNVal(p.nVal())
            .setAllowMult(p.allowMult())
            .setLastWriteWins(p.lastWriteWins())
            .setR(Quorums.toPb(p.r()))
            .setW(Quorums.toPb(p.w()))
            .setPr(Quorums.toPb(p.pr()))
            .setPw(Quorums.toPb(p.pw()))
            .setDw(Quorums.toPb(p.dw()))
            .setRw(Quorums.toPb(e.rw()))
            .setBasicQuorum(e.basicQuorum())
            .setNotfoundOk(e.notfoundOk())
            .setHasPrecommit(false)
            .setHasPostcommit(false)
            .setConsistent(e.consistent())
            .setWriteOnce(e.writeOnce())
            // riak-client 2.1.1 reads chash_keyfun unconditionally: always present.
            .setChashKeyfun(modFun(e.chashKeyfun()))
            .setLinkfun(modFun(e.linkfun()))
            .setOldVclock(e.oldVclock())
            .setYoungVclock(e.youngVclock())
            .setBigVclock(e.bigVclock())
            .setSmallVclock(e.smallVclock())
            .setSearch(e.search())
            .setHllPrecision(e.hllPrecision());
    if (e.backend() != null) {
      b.setBackend(ByteString.copyFromUtf8(e.backend()));
    }
    if (e.searchIndex() != null) {
      b.setSearchIndex(ByteString.copyFromUtf8(e.searchIndex()));
    }
    if (e.repl() != null) {
      // BucketExtras.ReplMode follows riak.proto's RpbReplMode order.
      b.setRepl(RpbReplMode.forNumber(e.repl().ordinal()));
    }
    if (p.datatype() != null) {
      b.setDatatype(ByteString.copyFromUtf8(p.datatype().riakName()));
    }
    return b.build();
  }

  private static RpbModFun modFun(ModFun f) {
    return RpbModFun.newBuilder()
        .setModule(ByteString.copyFromUtf8(f.mod()))
        .setFunction(ByteString.copyFromUtf8(f.fun()))
        .build();
  }

  /**
   * {@code current} with the properties a request sets (absent fields keep their value). Commit
   * hooks are refused; has_precommit/has_postcommit are answers only and ignored (clients echo them
   * back); a change of datatype, consistent or write_once is refused by the store.
   */
  static BucketProps apply(BucketProps current, RpbBucketProps pb) {
    if (pb.getPrecommitCount() > 0) {
      throw new PbRequestException(
          "bucket property 'precommit': commit hooks are not supported (only an empty list)");
    }
    if (pb.getPostcommitCount() > 0) {
      throw new PbRequestException(
          "bucket property 'postcommit': commit hooks are not supported (only an empty list)");
    }
    BucketProps next;
    try {
      next = withExtras(withCore(current, pb), pb);
    } catch (IllegalArgumentException e) {
      throw new PbRequestException("bad bucket properties: " + e.getMessage());
    }
    fixed("datatype", current.datatype() != next.datatype());
    fixed("consistent", current.extras().consistent() != next.extras().consistent());
    fixed("write_once", current.extras().writeOnce() != next.extras().writeOnce());
    return next;
  }

  /** Riak fixes these when a bucket type is created: a change is refused, naming the property. */
  private static void fixed(String property, boolean changed) {
    if (changed) {
      throw new PbRequestException(
          "bucket property '" + property + "' is fixed when a bucket type is created");
    }
  }

  /** The properties with behaviour: n_val, siblings, quorums, data type. */
  private static BucketProps withCore(BucketProps current, RpbBucketProps pb) {
    BucketProps p = current;
    if (pb.hasNVal()) {
      p = p.withNVal(pb.getNVal());
    }
    if (pb.hasAllowMult()) {
      p = p.withAllowMult(pb.getAllowMult());
    }
    if (pb.hasLastWriteWins()) {
      p = p.withLastWriteWins(pb.getLastWriteWins());
    }
    if (pb.hasR()) {
      p = p.withR(Quorums.fromPb("r", true, pb.getR()));
    }
    if (pb.hasW()) {
      p = p.withW(Quorums.fromPb("w", true, pb.getW()));
    }
    if (pb.hasPr()) {
      p = p.withPr(Quorums.fromPb("pr", true, pb.getPr()));
    }
    if (pb.hasPw()) {
      p = p.withPw(Quorums.fromPb("pw", true, pb.getPw()));
    }
    if (pb.hasDw()) {
      p = p.withDw(Quorums.fromPb("dw", true, pb.getDw()));
    }
    if (pb.hasDatatype()) {
      p = p.withDatatype(datatype(pb.getDatatype()));
    }
    return p;
  }

  /** The properties kept and returned without behaviour ({@link BucketExtras}). */
  private static BucketProps withExtras(BucketProps p, RpbBucketProps pb) {
    BucketExtras.Builder e = p.extras().toBuilder();
    if (pb.hasRw()) {
      e.rw(Quorums.fromPb("rw", true, pb.getRw()));
    }
    if (pb.hasBasicQuorum()) {
      e.basicQuorum(pb.getBasicQuorum());
    }
    if (pb.hasNotfoundOk()) {
      e.notfoundOk(pb.getNotfoundOk());
    }
    if (pb.hasChashKeyfun()) {
      e.chashKeyfun(modFun(pb.getChashKeyfun()));
    }
    if (pb.hasLinkfun()) {
      e.linkfun(modFun(pb.getLinkfun()));
    }
    if (pb.hasOldVclock()) {
      e.oldVclock(nonNegative("old_vclock", pb.getOldVclock()));
    }
    if (pb.hasYoungVclock()) {
      e.youngVclock(nonNegative("young_vclock", pb.getYoungVclock()));
    }
    if (pb.hasBigVclock()) {
      e.bigVclock(nonNegative("big_vclock", pb.getBigVclock()));
    }
    if (pb.hasSmallVclock()) {
      e.smallVclock(nonNegative("small_vclock", pb.getSmallVclock()));
    }
    if (pb.hasBackend()) {
      e.backend(pb.getBackend().isEmpty() ? null : pb.getBackend().toStringUtf8());
    }
    if (pb.hasSearch()) {
      e.search(pb.getSearch());
    }
    if (pb.hasSearchIndex()) {
      e.searchIndex(pb.getSearchIndex().isEmpty() ? null : pb.getSearchIndex().toStringUtf8());
    }
    if (pb.hasRepl()) {
      e.repl(ReplMode.values()[pb.getRepl().getNumber()]);
    }
    if (pb.hasConsistent()) {
      e.consistent(pb.getConsistent());
    }
    if (pb.hasWriteOnce()) {
      e.writeOnce(pb.getWriteOnce());
    }
    if (pb.hasHllPrecision()) {
      e.hllPrecision(pb.getHllPrecision());
    }
    return p.withExtras(e.build());
  }

  private static ModFun modFun(RpbModFun pb) {
    return new ModFun(pb.getModule().toStringUtf8(), pb.getFunction().toStringUtf8());
  }

  private static int nonNegative(String name, int uint32) {
    if (uint32 < 0) {
      throw new IllegalArgumentException(
          name + " is too large: " + Integer.toUnsignedString(uint32));
    }
    return uint32;
  }

  private static DataType datatype(ByteString name) {
    return DataType.ofRiakName(name.toStringUtf8());
  }
}
