package dev.partisan.pb.kv;

import com.google.protobuf.ByteString;
import dev.partisan.kv.BucketProps;
import dev.partisan.kv.Quorum;
import dev.partisan.pb.dispatch.PbRequestException;
import dev.partisan.pb.proto.RiakMessages.RpbBucketProps;
import dev.partisan.pb.proto.RiakMessages.RpbModFun;

/**
 * Bucket properties between the store's {@link BucketProps} and Riak's RpbBucketProps: the
 * properties the store has (n_val, allow_mult, last_write_wins, r, w, pr, pw, dw, datatype), and
 * the fixed behaviour of the ones it does not configure yet (rw quorum, notfound_ok true,
 * basic_quorum false, no commit hooks, not consistent, not write_once, Riak's default key and link
 * functions and vclock thresholds), so clients read a complete set.
 */
final class BucketPropsPb {
  private BucketPropsPb() {}

  static RpbBucketProps toPb(BucketProps p) {
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
            // The store's fixed behaviour for properties it does not configure (yet).
            .setRw(Quorums.toPb(Quorum.QUORUM))
            .setBasicQuorum(false)
            .setNotfoundOk(true)
            .setHasPrecommit(false)
            .setHasPostcommit(false)
            .setConsistent(false)
            .setWriteOnce(false)
            // Riak's defaults, which its clients expect to find (riak-client 2.1.1 reads
            // chash_keyfun unconditionally): the names of the standard key hash and link function,
            // and the vclock pruning thresholds (versions here are per vnode and never pruned).
            .setChashKeyfun(modFun("riak_core_util", "chash_std_keyfun"))
            .setLinkfun(modFun("riak_kv_wm_link_walker", "mapreduce_linkfun"))
            .setOldVclock(86400)
            .setYoungVclock(20)
            .setBigVclock(50)
            .setSmallVclock(50);
    if (p.datatype() != null) {
      b.setDatatype(ByteString.copyFromUtf8(p.datatype().riakName()));
    }
    return b.build();
  }

  private static RpbModFun modFun(String module, String function) {
    return RpbModFun.newBuilder()
        .setModule(ByteString.copyFromUtf8(module))
        .setFunction(ByteString.copyFromUtf8(function))
        .build();
  }

  /**
   * {@code current} with the properties a request sets. Commit hooks are refused (the store runs
   * none, and silently ignoring one would lose the user's intent); the data type is fixed when a
   * bucket type is created; the other properties Riak knows are accepted and have no effect.
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
    if (pb.hasDatatype()
        && (current.datatype() == null
            || !current.datatype().riakName().equals(pb.getDatatype().toStringUtf8()))) {
      throw new PbRequestException(
          "bucket property 'datatype' is fixed when a bucket type is created");
    }
    BucketProps p = current;
    try {
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
    } catch (IllegalArgumentException e) {
      throw new PbRequestException("bad bucket properties: " + e.getMessage());
    }
    return p;
  }
}
