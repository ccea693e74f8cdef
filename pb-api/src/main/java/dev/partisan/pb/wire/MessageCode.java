package dev.partisan.pb.wire;

import java.util.Optional;

/**
 * Riak's PB message codes (riak_pb's message table): the byte after a frame's length says which
 * message the body is. Every code a Riak client may send or expect is listed, handled or not, so
 * that an unhandled request is answered by name ("RpbMapRedReq is not supported") and a code that
 * Riak never defined is answered as unknown.
 */
public enum MessageCode {
  RPB_ERROR_RESP(0, "RpbErrorResp"),
  RPB_PING_REQ(1, "RpbPingReq"),
  RPB_PING_RESP(2, "RpbPingResp"),
  RPB_GET_CLIENT_ID_REQ(3, "RpbGetClientIdReq"),
  RPB_GET_CLIENT_ID_RESP(4, "RpbGetClientIdResp"),
  RPB_SET_CLIENT_ID_REQ(5, "RpbSetClientIdReq"),
  RPB_SET_CLIENT_ID_RESP(6, "RpbSetClientIdResp"),
  RPB_GET_SERVER_INFO_REQ(7, "RpbGetServerInfoReq"),
  RPB_GET_SERVER_INFO_RESP(8, "RpbGetServerInfoResp"),
  RPB_GET_REQ(9, "RpbGetReq"),
  RPB_GET_RESP(10, "RpbGetResp"),
  RPB_PUT_REQ(11, "RpbPutReq"),
  RPB_PUT_RESP(12, "RpbPutResp"),
  RPB_DEL_REQ(13, "RpbDelReq"),
  RPB_DEL_RESP(14, "RpbDelResp"),
  RPB_LIST_BUCKETS_REQ(15, "RpbListBucketsReq"),
  RPB_LIST_BUCKETS_RESP(16, "RpbListBucketsResp"),
  RPB_LIST_KEYS_REQ(17, "RpbListKeysReq"),
  RPB_LIST_KEYS_RESP(18, "RpbListKeysResp"),
  RPB_GET_BUCKET_REQ(19, "RpbGetBucketReq"),
  RPB_GET_BUCKET_RESP(20, "RpbGetBucketResp"),
  RPB_SET_BUCKET_REQ(21, "RpbSetBucketReq"),
  RPB_SET_BUCKET_RESP(22, "RpbSetBucketResp"),
  RPB_MAP_RED_REQ(23, "RpbMapRedReq"),
  RPB_MAP_RED_RESP(24, "RpbMapRedResp"),
  RPB_INDEX_REQ(25, "RpbIndexReq"),
  RPB_INDEX_RESP(26, "RpbIndexResp"),
  RPB_SEARCH_QUERY_REQ(27, "RpbSearchQueryReq"),
  RPB_SEARCH_QUERY_RESP(28, "RpbSearchQueryResp"),
  RPB_RESET_BUCKET_REQ(29, "RpbResetBucketReq"),
  RPB_RESET_BUCKET_RESP(30, "RpbResetBucketResp"),
  RPB_GET_BUCKET_TYPE_REQ(31, "RpbGetBucketTypeReq"),
  RPB_SET_BUCKET_TYPE_REQ(32, "RpbSetBucketTypeReq"),
  RPB_GET_BUCKET_KEY_PREFLIST_REQ(33, "RpbGetBucketKeyPreflistReq"),
  RPB_GET_BUCKET_KEY_PREFLIST_RESP(34, "RpbGetBucketKeyPreflistResp"),
  RPB_CS_BUCKET_REQ(40, "RpbCSBucketReq"),
  RPB_CS_BUCKET_RESP(41, "RpbCSBucketResp"),
  RPB_INDEX_BODY_RESP(42, "RpbIndexBodyResp"),
  RPB_COUNTER_UPDATE_REQ(50, "RpbCounterUpdateReq"),
  RPB_COUNTER_UPDATE_RESP(51, "RpbCounterUpdateResp"),
  RPB_COUNTER_GET_REQ(52, "RpbCounterGetReq"),
  RPB_COUNTER_GET_RESP(53, "RpbCounterGetResp"),
  RPB_YOKOZUNA_INDEX_GET_REQ(54, "RpbYokozunaIndexGetReq"),
  RPB_YOKOZUNA_INDEX_GET_RESP(55, "RpbYokozunaIndexGetResp"),
  RPB_YOKOZUNA_INDEX_PUT_REQ(56, "RpbYokozunaIndexPutReq"),
  RPB_YOKOZUNA_INDEX_DELETE_REQ(57, "RpbYokozunaIndexDeleteReq"),
  RPB_YOKOZUNA_SCHEMA_GET_REQ(58, "RpbYokozunaSchemaGetReq"),
  RPB_YOKOZUNA_SCHEMA_GET_RESP(59, "RpbYokozunaSchemaGetResp"),
  RPB_YOKOZUNA_SCHEMA_PUT_REQ(60, "RpbYokozunaSchemaPutReq"),
  RPB_COVERAGE_REQ(70, "RpbCoverageReq"),
  RPB_COVERAGE_RESP(71, "RpbCoverageResp"),
  DT_FETCH_REQ(80, "DtFetchReq"),
  DT_FETCH_RESP(81, "DtFetchResp"),
  DT_UPDATE_REQ(82, "DtUpdateReq"),
  DT_UPDATE_RESP(83, "DtUpdateResp"),
  TS_QUERY_REQ(90, "TsQueryReq"),
  TS_QUERY_RESP(91, "TsQueryResp"),
  TS_PUT_REQ(92, "TsPutReq"),
  TS_PUT_RESP(93, "TsPutResp"),
  TS_DEL_REQ(94, "TsDelReq"),
  TS_DEL_RESP(95, "TsDelResp"),
  TS_GET_REQ(96, "TsGetReq"),
  TS_GET_RESP(97, "TsGetResp"),
  TS_LIST_KEYS_REQ(98, "TsListKeysReq"),
  TS_LIST_KEYS_RESP(99, "TsListKeysResp"),
  TS_COVERAGE_REQ(100, "TsCoverageReq"),
  TS_COVERAGE_RESP(101, "TsCoverageResp"),
  TS_COVERAGE_ENTRY(102, "TsCoverageEntry"),
  TS_RANGE(103, "TsRange"),
  TS_TTB_MSG(104, "TsTtbMsg"),
  RPB_RTE_REQ(200, "RpbRTEReq"),
  RPB_RTE_RESP(201, "RpbRTEResp"),
  RPB_FETCH_REQ(202, "RpbFetchReq"),
  RPB_FETCH_RESP(203, "RpbFetchResp"),
  RPB_AUTH_REQ(253, "RpbAuthReq"),
  RPB_AUTH_RESP(254, "RpbAuthResp"),
  RPB_START_TLS(255, "RpbStartTls");

  private static final MessageCode[] BY_CODE = new MessageCode[256];

  static {
    for (MessageCode c : values()) {
      BY_CODE[c.code] = c;
    }
  }

  private final int code;
  private final String riakName;

  MessageCode(int code, String riakName) {
    this.code = code;
    this.riakName = riakName;
  }

  /** The code byte on the wire (0..255). */
  public int code() {
    return code;
  }

  /** The message's name in riak_pb. */
  public String riakName() {
    return riakName;
  }

  /** The message with this code byte, if Riak defines one. */
  public static Optional<MessageCode> of(int code) {
    return code < 0 || code > 255 ? Optional.empty() : Optional.ofNullable(BY_CODE[code]);
  }
}
