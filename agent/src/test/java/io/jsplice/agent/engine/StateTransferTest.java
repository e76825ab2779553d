package io.jsplice.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.model.StateAction;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateTransferTest {
  /** A library singleton, as commons-text's InterpolatorStringLookup.INSTANCE. */
  static final class Lookup {
    private final String lookups;

    Lookup(String lookups) {
      this.lookups = lookups;
    }
  }

  /** The loaded class: its final field holds the object the old code built. */
  static final class Host {
    static final Lookup INSTANCE = new Lookup("dns,script,url");
  }

  /** The update's companion: the cell the patched code reads, with the newly computed value. */
  static final class Companion {
    static Lookup INSTANCE = new Lookup("base64,date");
  }

  /** Would fail to initialize, as netty's BrotliOptions without brotli4j. Never loaded here. */
  static final class NeverLoaded {
    static final Lookup INSTANCE = new Lookup(String.valueOf(1 / 0));
  }

  /**
   * {@code redefineModule} (to open java.util) does nothing; {@code getInitiatedClasses} answers
   * the classes this test has loaded, as the JVM would.
   */
  private static final Instrumentation NO_INSTRUMENTATION =
      (Instrumentation)
          Proxy.newProxyInstance(
              StateTransferTest.class.getClassLoader(),
              new Class<?>[] {Instrumentation.class},
              (proxy, method, args) ->
                  method.getName().equals("getInitiatedClasses")
                      ? new Class<?>[] {Host.class, Companion.class, Lookup.class}
                      : null);

  @Test
  void merge_pointsTheCellAtTheMergedObjectSoThatAllCodeReadsOneObject() throws Exception {
    Lookup old = Host.INSTANCE;
    Lookup fresh = Companion.INSTANCE;
    StateAction merge =
        new StateAction(
            StateAction.Kind.MERGE,
            Host.class.getName(),
            "INSTANCE",
            Companion.class.getName(),
            "new value");

    StateTransfer.Result result =
        new StateTransfer(NO_INSTRUMENTATION)
            .apply(List.of(merge), StateTransferTest.class.getClassLoader());

    assertThat(result.warnings()).isEmpty();
    assertThat(Host.INSTANCE.lookups).isEqualTo("base64,date");
    assertThat(Companion.INSTANCE).isSameAs(Host.INSTANCE).isSameAs(old);

    for (int i = result.restores().size() - 1; i >= 0; i--) {
      result.restores().get(i).run();
    }
    assertThat(Host.INSTANCE.lookups).isEqualTo("dns,script,url");
    assertThat(Companion.INSTANCE).isSameAs(fresh);
  }

  @Test
  void apply_skipsAnOwnerThatIsNotLoaded_withoutLoadingIt() throws Exception {
    StateAction merge =
        new StateAction(
            StateAction.Kind.MERGE,
            NeverLoaded.class.getName(),
            "INSTANCE",
            Companion.class.getName(),
            "new value");

    StateTransfer.Result result =
        new StateTransfer(NO_INSTRUMENTATION)
            .apply(List.of(merge), StateTransferTest.class.getClassLoader());

    assertThat(result.restores()).isEmpty();
    assertThat(result.warnings()).isEmpty();
  }
}
