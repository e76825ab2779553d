package io.jsplice.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * When an update counts as partly in force: the agent refuses such an update (38) unless the
 * operator accepts it, so a hook must not make it look fully in force unless it answers for the
 * state that stays old.
 */
class UpdatePartlyInForceTest {
  private static final StaleState HELD =
      new StaleState(StaleState.Kind.OBJECTS, "a.Client", null, "their constructor set it up");

  private static Update update(List<String> hooks, Verdict verdict, List<StaleState> stale) {
    return new Update(
        "fix",
        "",
        List.of(),
        List.of(),
        Instant.EPOCH,
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        hooks,
        new Applicability(verdict, Set.of(), List.of("note"), stale),
        List.of());
  }

  @Test
  void staleStateWithoutHooks_isPartlyInForce() {
    Update u = update(List.of(), Verdict.LIVE_NEEDS_HOOK, List.of(HELD));

    assertThat(u.partlyInForce()).isTrue();
    assertThat(u.notInForce()).containsExactly(HELD.describe());
  }

  /**
   * A hook jsplice generates for a mechanism (the deserialization filter) stays listed with the
   * stale state: it does not answer for it (commons-net 3.9.0's held FTPClient).
   */
  @Test
  void staleStateBesideAGeneratedHook_isStillPartlyInForce() {
    Update u =
        update(
            List.of("jsplice.hooks.RefuseDeserialization$fix"),
            Verdict.LIVE_NEEDS_HOOK,
            List.of(HELD));

    assertThat(u.partlyInForce()).isTrue();
  }

  /** The operator's hooks answer for the stale state: create then lists none. */
  @Test
  void aHookThatAnswersForTheState_isInForce() {
    assertThat(update(List.of("b.Hook"), Verdict.LIVE_NEEDS_HOOK, List.of()).partlyInForce())
        .isFalse();
    assertThat(update(List.of(), Verdict.LIVE, List.of()).partlyInForce()).isFalse();
  }

  /** An update built before the typed list: its notes say what stays old, a hook answers. */
  @Test
  void anOlderUpdateNeedingAHook_isPartlyInForceOnlyWithoutOne() {
    assertThat(update(List.of(), Verdict.LIVE_NEEDS_HOOK, List.of()).notInForce())
        .containsExactly("note");
    assertThat(update(List.of("b.Hook"), Verdict.LIVE_NEEDS_HOOK, List.of()).partlyInForce())
        .isFalse();
  }
}
