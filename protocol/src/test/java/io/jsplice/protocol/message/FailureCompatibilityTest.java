package io.jsplice.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.model.control.FailureCause;
import io.jsplice.protocol.ControlProtocol;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pins how a refusal for the classes an update leaves out reads ({@link Failure#leftOut}), from an
 * agent that writes the field and from one before it (the header below, as the agent at f3a6926
 * wrote it), so that the fleet daemon tells it from state that stays old whichever agent a JVM
 * runs.
 */
class FailureCompatibilityTest {
  private static final String NOTE =
      "left out, in force only after a restart on the fixed release: a.B (superclass changed)";

  /** An earlier agent's refusal of a live subset: the notes naming the classes are its details. */
  private static final String EARLIER_LEFT_OUT =
      "{\"ok\":false,\"cause\":\"PARTLY_IN_FORCE\",\"message\":\"update U1 leaves out 1 class(es)"
          + " of the fixed release, and the fix may be among them, so nothing was changed: a.B"
          + " (superclass changed) (pass --accept-partial to apply the rest, once the update's"
          + " report shows the fix is not among them)\",\"details\":[\""
          + NOTE
          + "\"]}";

  /** An earlier agent's refusal for objects built before the update. */
  private static final String EARLIER_OBJECTS =
      "{\"ok\":false,\"cause\":\"PARTLY_IN_FORCE\",\"message\":\"update U1 would be only partly in"
          + " force, so nothing was changed: 1 part(s) ...\",\"details\":[\"objects of a.C built"
          + " before the update keep their old state\"]}";

  @Test
  void aRefusalForLeftOutClasses_namesThem_inAFieldOfItsOwn() {
    String wire =
        ControlProtocol.encodeFailure(
            FailureCause.PARTLY_IN_FORCE, "refused", List.of(NOTE), List.of("a.B"));

    assertThat(wire).endsWith(",\"details\":[\"" + NOTE + "\"],\"leftOut\":[\"a.B\"]}");
    Failure read = (Failure) ControlProtocol.decodeReply(wire, ApplyReply.class);
    assertThat(read.leftOut()).containsExactly("a.B");
  }

  @Test
  void anEarlierAgentsRefusalForLeftOutClasses_readsAsOne() {
    Failure read = (Failure) ControlProtocol.decodeReply(EARLIER_LEFT_OUT, ApplyReply.class);

    assertThat(read.cause()).isEqualTo(FailureCause.PARTLY_IN_FORCE);
    assertThat(read.leftOut()).containsExactly("a.B");
  }

  @Test
  void otherFailures_leaveItNull_andOmitIt() {
    assertThat(((Failure) ControlProtocol.decodeReply(EARLIER_OBJECTS, ApplyReply.class)).leftOut())
        .isNull();
    String busy = ControlProtocol.encodeFailure(FailureCause.CODE_BUSY, "busy", List.of());
    assertThat(busy).doesNotContain("leftOut");
    assertThat(((Failure) ControlProtocol.decodeReply(busy, ApplyReply.class)).leftOut()).isNull();
  }
}
