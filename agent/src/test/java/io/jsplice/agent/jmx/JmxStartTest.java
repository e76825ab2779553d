package io.jsplice.agent.jmx;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.agent.runtime.TransformerChain;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The watch for the JVM's MBean server. */
class JmxStartTest {
  private final List<String> seen = new CopyOnWriteArrayList<>();

  @Test
  void theServersLoad_runsTheActionOnce_andTheChainLeavesTheJvmsList() throws Exception {
    TransformerChain chain = new TransformerChain();
    chain.takePlace(jvm(new Class<?>[0]));

    JmxStart watch = JmxStart.whenStarted(jvm(new Class<?>[0]), chain, () -> seen.add("action"));
    chain.transform(null, null, "p/Other", null, null, new byte[0]);
    chain.transform(
        null, getClass().getClassLoader(), JmxStart.SERVER_CLASS, null, null, new byte[0]);
    assertThat(watch.ended()).as("a class of that name from another loader is not it").isFalse();
    assertThat(seen).containsExactly("add");
    chain.transform(null, null, JmxStart.SERVER_CLASS, null, null, new byte[0]);
    chain.transform(null, null, JmxStart.SERVER_CLASS, null, null, new byte[0]);

    assertThat(seen).containsExactly("add", "action", "remove");
    assertThat(watch.ended()).isTrue();
    assertThat(chain.inJvm()).isFalse();
  }

  @Test
  void aServerMadeBefore_runsTheActionAtOnce() throws Exception {
    TransformerChain chain = new TransformerChain();
    chain.takePlace(jvm(new Class<?>[0]));
    chain.leaveWhileIdle();
    seen.clear();

    JmxStart watch =
        JmxStart.whenStarted(
            jvm(new Class<?>[] {String.class, serverClass()}), chain, () -> seen.add("action"));

    assertThat(seen).containsExactly("add", "action", "remove");
    assertThat(watch.ended()).isTrue();
  }

  @Test
  void aThrowingActionStillEndsTheWatch() throws Exception {
    TransformerChain chain = new TransformerChain();
    chain.takePlace(jvm(new Class<?>[0]));
    JmxStart watch =
        JmxStart.whenStarted(
            jvm(new Class<?>[0]),
            chain,
            () -> {
              throw new IllegalStateException("no MBean");
            });

    chain.transform(null, null, JmxStart.SERVER_CLASS, null, null, new byte[0]);

    assertThat(watch.ended()).isTrue();
    assertThat(chain.inJvm()).isFalse();
  }

  /** The server's class, loaded (not initialized) by the boot loader, as a JVM with JMX has it. */
  private static Class<?> serverClass() throws ClassNotFoundException {
    return Class.forName(JmxStart.SERVER_CLASS.replace('/', '.'), false, null);
  }

  /** An instrumentation whose loaded classes are {@code loaded}, noting adds and removes. */
  private Instrumentation jvm(Class<?>[] loaded) {
    return (Instrumentation)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {Instrumentation.class},
            (proxy, method, args) -> {
              switch (method.getName()) {
                case "addTransformer" -> seen.add("add");
                case "removeTransformer" -> {
                  seen.add("remove");
                  return true;
                }
                case "getAllLoadedClasses" -> {
                  return loaded;
                }
                default -> {}
              }
              return method.getReturnType() == boolean.class ? false : null;
            });
  }
}
