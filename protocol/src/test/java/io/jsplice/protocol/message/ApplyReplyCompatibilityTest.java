package io.jsplice.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.model.InForce;
import io.jsplice.protocol.ControlProtocol;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pins the apply reply's wire form against one an earlier agent wrote (the header below, written by
 * the agent at 3be9d2c, before {@link ApplyReply#leftOut}): an agent loaded by an older jsplice
 * stays in its JVM when jsplice is upgraded, and a newer agent may answer an older client.
 */
class ApplyReplyCompatibilityTest {
  /** A reply of an agent from before {@code leftOut}, as it was on the wire. */
  private static final String EARLIER =
      "{\"ok\":true,\"applied\":\"U1\",\"description\":\"a live subset\","
          + "\"switched\":[\"a.B (app)\"],\"pending\":[\"a.C\"],\"forcedFrames\":[],"
          + "\"warnings\":[],\"checkMillis\":3,\"switchMillis\":2,"
          + "\"record\":{\"service\":\"orders\",\"file\":\"/s/orders/applied.json\","
          + "\"changed\":true,\"warning\":null},\"inForce\":\"FULL\",\"notInForce\":[]}";

  private static ApplyReply reply(List<String> leftOut) {
    return new ApplyReply(
        "U1",
        "a live subset",
        List.of("a.B (app)"),
        List.of("a.C"),
        List.of(),
        List.of(),
        3,
        2,
        new RecordChange("orders", "/s/orders/applied.json", true, null),
        InForce.FULL,
        List.of(),
        leftOut);
  }

  @Test
  void anEarlierAgentsReply_reads_withLeftOutUnsaid() {
    Record read = ControlProtocol.decodeReply(EARLIER, ApplyReply.class);

    // null, not empty: the client must read the update to know, not take it for a whole release
    assertThat(read).isEqualTo(reply(null));
  }

  @Test
  void aNewerAgentsReply_isTheEarlierOnesBytes_withLeftOutAfterThem() {
    String newer = ControlProtocol.encodeReply(reply(List.of("a.D", "a.E")));

    // an older client reads the fields it knows and ignores leftOut
    assertThat(newer)
        .isEqualTo(EARLIER.substring(0, EARLIER.length() - 1) + ",\"leftOut\":[\"a.D\",\"a.E\"]}");
    assertThat(ControlProtocol.decodeReply(newer, ApplyReply.class))
        .isEqualTo(reply(List.of("a.D", "a.E")));
  }

  @Test
  void aNewerAgentsReply_saysNoneLeftOut_soThatItsAbsenceMeansAnEarlierAgent() {
    String none = ControlProtocol.encodeReply(reply(List.of()));

    assertThat(none).endsWith(",\"leftOut\":[]}");
    assertThat(ControlProtocol.decodeReply(none, ApplyReply.class)).isEqualTo(reply(List.of()));
  }
}
