package io.jsplice.protocol.message;

/**
 * The operations the agent serves, each with its word on the wire and its request and reply types.
 */
public enum Op {
  /** Which JVM and agent this is, the options in force, what is applied. */
  STATUS("status", StatusRequest.class, StatusReply.class),
  /** Verify and apply the update whose bytes travel with the request. */
  APPLY("apply", ApplyRequest.class, ApplyReply.class),
  /** Undo an applied update by id. */
  UNDO("undo", UndoRequest.class, UndoReply.class),
  /** The applied updates, classes patched as they loaded, effective versions, the record. */
  SHOW("show", ShowRequest.class, ShowReply.class),
  /** Would a restart now run the same effective code? */
  VERIFY("verify", VerifyRequest.class, VerifyReply.class),
  /** The libraries the JVM loaded, with their jars, and the updates applied to them. */
  INVENTORY("inventory", InventoryRequest.class, InventoryReply.class),
  /** Numbers the JVM exposes through JMX, for a health gate. */
  READINGS("readings", ReadingsRequest.class, ReadingsReply.class),
  /** Exploit attempts the tripwires of applied updates blocked. */
  TRIPWIRES("tripwires", TripwiresRequest.class, TripwiresReply.class);

  private final String word;
  private final Class<? extends Request<?>> requestType;
  private final Class<? extends Record> replyType;

  Op(String word, Class<? extends Request<?>> requestType, Class<? extends Record> replyType) {
    this.word = word;
    this.requestType = requestType;
    this.replyType = replyType;
  }

  /** The op's name on the wire, e.g. {@code apply}. */
  public String word() {
    return word;
  }

  public Class<? extends Request<?>> requestType() {
    return requestType;
  }

  public Class<? extends Record> replyType() {
    return replyType;
  }

  /** The op named {@code word}; null if this side does not know it. */
  public static Op ofWord(String word) {
    for (Op op : values()) {
      if (op.word.equals(word)) {
        return op;
      }
    }
    return null;
  }
}
