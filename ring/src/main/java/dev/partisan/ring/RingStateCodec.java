package dev.partisan.ring;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The canonical binary form of a {@link RingState}, format version 1. All integers big-endian:
 *
 * <pre>
 *   u8   format version (1)
 *   u16  ring size Q
 *   u64  ring version
 *   u16  member count M
 *   M x  { u16 name length, UTF-8 name, u8 status code }   strictly ascending by name
 *   u16  claimant (index into the member table)
 *   Q x  u16 owner of partition 0..Q-1 (member index)
 *   u16  transfer count T
 *   T x  { u16 partition, u16 to (member index), u8 state code }   strictly ascending partition
 * </pre>
 *
 * A transfer's source is implicit: it is always the partition's current owner. Names are written
 * once and referenced by index, so a 1,024-partition ring costs about 2 KiB plus the names. The
 * decoder accepts only this canonical form (sorted, no duplicates, no trailing bytes), so equal
 * states have equal bytes and the merge tie-break can compare encodings.
 */
final class RingStateCodec {
  static final int FORMAT_VERSION = 1;
  static final int MAX_MEMBERS = 0xFFFF;
  static final int MAX_NAME_BYTES = 0xFFFF;

  private RingStateCodec() {}

  /** Encodes {@code ring}; with {@code withMarks} false every transfer state is written as 0. */
  static byte[] encode(RingState ring, boolean withMarks) {
    List<String> names = new ArrayList<>(ring.members().keySet());
    Map<String, Integer> index = new HashMap<>();
    List<byte[]> encodedNames = new ArrayList<>(names.size());
    int size = 1 + 2 + 8 + 2 + 2 + 2 * ring.ringSize() + 2 + 5 * ring.transfers().size();
    for (int i = 0; i < names.size(); i++) {
      byte[] b = names.get(i).getBytes(StandardCharsets.UTF_8);
      encodedNames.add(b);
      index.put(names.get(i), i);
      size += 2 + b.length + 1;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put((byte) FORMAT_VERSION);
    out.putShort((short) ring.ringSize());
    out.putLong(ring.version());
    out.putShort((short) names.size());
    for (int i = 0; i < names.size(); i++) {
      out.putShort((short) encodedNames.get(i).length);
      out.put(encodedNames.get(i));
      out.put((byte) ring.members().get(names.get(i)).code());
    }
    out.putShort((short) (int) index.get(ring.claimant()));
    for (String owner : ring.owners()) {
      out.putShort((short) (int) index.get(owner));
    }
    List<Transfer> transfers = ring.transfers();
    out.putShort((short) transfers.size());
    for (Transfer t : transfers) {
      out.putShort((short) t.partition());
      out.putShort((short) (int) index.get(t.to()));
      out.put((byte) (withMarks ? t.state().code() : 0));
    }
    return out.array();
  }

  static RingState decode(byte[] bytes) {
    Reader in = new Reader(bytes);
    int format = in.u8("format version");
    if (format != FORMAT_VERSION) {
      throw new MalformedRingException(
          "unsupported ring format version "
              + format
              + " (this build reads "
              + FORMAT_VERSION
              + ")");
    }
    int ringSize = in.u16("ring size");
    try {
      Keyspace.checkRingSize(ringSize);
    } catch (IllegalArgumentException e) {
      throw new MalformedRingException("bad ring size: " + e.getMessage(), e);
    }
    long version = in.u64("version");
    if (version < 0) {
      throw new MalformedRingException("version " + Long.toUnsignedString(version) + " too large");
    }
    int memberCount = in.u16("member count");
    if (memberCount == 0) {
      throw new MalformedRingException("ring has no members");
    }
    String[] names = new String[memberCount];
    Map<String, MemberStatus> members = new LinkedHashMap<>();
    for (int i = 0; i < memberCount; i++) {
      int at = in.offset();
      names[i] = in.utf8(in.u16("name length"), "member name");
      if (names[i].isEmpty()) {
        throw new MalformedRingException("empty member name at offset " + at);
      }
      if (i > 0 && names[i - 1].compareTo(names[i]) >= 0) {
        throw new MalformedRingException(
            "member names not strictly ascending at offset " + at + ": " + names[i]);
      }
      int code = in.u8("member status");
      try {
        members.put(names[i], MemberStatus.fromCode(code));
      } catch (IllegalArgumentException e) {
        throw new MalformedRingException(e.getMessage() + " for member " + names[i], e);
      }
    }
    String claimant = names[in.index(memberCount, "claimant")];
    List<String> owners = new ArrayList<>(ringSize);
    for (int p = 0; p < ringSize; p++) {
      owners.add(names[in.index(memberCount, "owner of partition " + p)]);
    }
    int transferCount = in.u16("transfer count");
    if (transferCount > ringSize) {
      throw new MalformedRingException(
          transferCount + " transfers for a ring of " + ringSize + " partitions");
    }
    List<Transfer> transfers = new ArrayList<>(transferCount);
    int last = -1;
    for (int i = 0; i < transferCount; i++) {
      int at = in.offset();
      int p = in.u16("transfer partition");
      if (p >= ringSize || p <= last) {
        throw new MalformedRingException(
            "transfer partition " + p + " at offset " + at + " out of range or not ascending");
      }
      last = p;
      String to = names[in.index(memberCount, "transfer target")];
      int code = in.u8("transfer state");
      if (to.equals(owners.get(p))) {
        throw new MalformedRingException(
            "transfer of partition " + p + " at offset " + at + " is to its own owner");
      }
      try {
        transfers.add(new Transfer(p, owners.get(p), to, TransferState.fromCode(code)));
      } catch (IllegalArgumentException e) {
        throw new MalformedRingException(e.getMessage() + " at offset " + at, e);
      }
    }
    if (in.offset() != bytes.length) {
      throw new MalformedRingException(
          (bytes.length - in.offset()) + " trailing bytes after the ring state");
    }
    try {
      return RingState.of(ringSize, version, claimant, members, owners, transfers);
    } catch (IllegalArgumentException e) {
      throw new MalformedRingException("inconsistent ring state: " + e.getMessage(), e);
    }
  }

  static byte[] sha1(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-1", e);
    }
  }

  static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /** Bounds-checked big-endian reads that name what was being read when input runs out. */
  private static final class Reader {
    private final byte[] bytes;
    private int at;

    Reader(byte[] bytes) {
      this.bytes = bytes;
    }

    int offset() {
      return at;
    }

    private void need(int n, String what) {
      if (bytes.length - at < n) {
        throw new MalformedRingException(
            "truncated ring state: needed "
                + n
                + " byte(s) for "
                + what
                + " at offset "
                + at
                + ", have "
                + (bytes.length - at));
      }
    }

    int u8(String what) {
      need(1, what);
      return bytes[at++] & 0xFF;
    }

    int u16(String what) {
      need(2, what);
      int v = ((bytes[at] & 0xFF) << 8) | (bytes[at + 1] & 0xFF);
      at += 2;
      return v;
    }

    long u64(String what) {
      need(8, what);
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (bytes[at + i] & 0xFF);
      }
      at += 8;
      return v;
    }

    int index(int memberCount, String what) {
      int start = at;
      int i = u16(what);
      if (i >= memberCount) {
        throw new MalformedRingException(
            what
                + " at offset "
                + start
                + " refers to member "
                + i
                + " but there are "
                + memberCount);
      }
      return i;
    }

    String utf8(int length, String what) {
      need(length, what);
      try {
        String s =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes, at, length))
                .toString();
        at += length;
        return s;
      } catch (CharacterCodingException e) {
        throw new MalformedRingException(what + " at offset " + at + " is not valid UTF-8", e);
      }
    }
  }
}
