package io.jsplice.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Proxy;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** When the agent's chain is in the JVM's list of transformers, which every class load calls. */
class TransformerChainTest {
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final Instrumentation jvm =
      (Instrumentation)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {Instrumentation.class},
              (proxy, method, args) -> {
                if (method.getName().equals("addTransformer")) {
                  calls.add("add " + args[1]);
                } else if (method.getName().equals("removeTransformer")) {
                  calls.add("remove");
                  return true;
                }
                return method.getReturnType() == boolean.class ? false : null;
              });

  @Test
  void takePlace_registersAtOnce_leavesWhileEmpty_andJoinsAgainForTheFirstTransformer()
      throws Exception {
    TransformerChain chain = new TransformerChain();

    chain.takePlace(jvm);
    assertThat(calls).containsExactly("add true");
    chain.leaveWhileIdle();
    assertThat(chain.inJvm()).isFalse();
    chain.append(new Returns(new byte[] {7}));

    assertThat(calls).containsExactly("add true", "remove", "add true");
    assertThat(chain.inJvm()).isTrue();
    assertThat(chain.transform(null, null, "p/C", null, null, new byte[0])).containsExactly(7);
    chain.leaveWhileIdle();
    assertThat(calls).as("a transformer that is not a watch keeps it there").hasSize(3);
  }

  @Test
  void aWatchKeepsTheChainInTheJvmsList_untilItEnds() {
    TransformerChain chain = new TransformerChain();
    Watch watch = new Watch();
    chain.append(watch);
    chain.takePlace(jvm);

    chain.leaveWhileIdle();
    assertThat(chain.inJvm()).isTrue();
    watch.ended = true;
    chain.whenWatchEnds().run();

    assertThat(calls).containsExactly("add true", "remove");
    assertThat(chain.inJvm()).isFalse();
  }

  @Test
  void withoutAJvm_appendAndLeaveRegisterNothing() throws Exception {
    TransformerChain chain = new TransformerChain();

    chain.leaveWhileIdle();
    chain.append(new Returns(new byte[] {1}));

    assertThat(calls).isEmpty();
    assertThat(chain.transform(null, null, "p/C", null, null, new byte[0])).containsExactly(1);
  }

  private static final class Returns implements ClassFileTransformer {
    private final byte[] bytes;

    Returns(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public byte[] transform(
        Module module,
        ClassLoader loader,
        String className,
        Class<?> classBeingRedefined,
        ProtectionDomain domain,
        byte[] classfileBuffer) {
      return bytes;
    }
  }

  private static final class Watch implements TransformerChain.Watch {
    volatile boolean ended;

    @Override
    public boolean ended() {
      return ended;
    }

    @Override
    public byte[] transform(
        Module module,
        ClassLoader loader,
        String className,
        Class<?> classBeingRedefined,
        ProtectionDomain domain,
        byte[] classfileBuffer) {
      return null;
    }
  }
}
