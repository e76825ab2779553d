package io.jsplice.agent.jmx;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The watch for the JVM's MBean server. */
class JmxStartTest {
  private static final Instrumentation NOTHING_LOADED =
      (Instrumentation)
          Proxy.newProxyInstance(
              JmxStartTest.class.getClassLoader(),
              new Class<?>[] {Instrumentation.class},
              (proxy, method, args) ->
                  method.getName().equals("getAllLoadedClasses") ? new Class<?>[0] : null);

  @Test
  void theServersLoad_runsThePendingAction_thenEndsTheWatch_once() {
    List<String> seen = new CopyOnWriteArrayList<>();
    JmxStart watch = JmxStart.watch(NOTHING_LOADED, () -> seen.add("ended"));
    watch.whenStarted(() -> seen.add("registered"));

    watch.transform(null, null, "p/Other", null, null, new byte[0]);
    watch.transform(
        null,
        new Object() {}.getClass().getClassLoader(),
        JmxStart.SERVER_CLASS,
        null,
        null,
        new byte[0]);
    assertThat(watch.ended()).as("a class of that name from another loader is not it").isFalse();
    assertThat(seen).isEmpty();
    watch.transform(null, null, JmxStart.SERVER_CLASS, null, null, new byte[0]);
    watch.transform(null, null, JmxStart.SERVER_CLASS, null, null, new byte[0]);

    assertThat(seen).containsExactly("registered", "ended");
    assertThat(watch.ended()).isTrue();
  }

  @Test
  void aThrowingActionStillEndsTheWatch() {
    List<String> seen = new CopyOnWriteArrayList<>();
    JmxStart watch = JmxStart.watch(NOTHING_LOADED, () -> seen.add("ended"));
    watch.whenStarted(
        () -> {
          throw new IllegalStateException("no MBean");
        });

    watch.transform(null, null, JmxStart.SERVER_CLASS, null, null, new byte[0]);

    assertThat(seen).containsExactly("ended");
  }
}
