package io.jsplice.create.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.model.Verdict;
import io.jsplice.testkit.Jdk;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An added field that takes over from a removed one (commons-net 3.9.0's {@code Duration
 * dataTimeout} for {@code int dataTimeoutMillis}) gets, on objects built before the update, the old
 * field's value converted as the fixed release's own setter converts it: what the program
 * configured stays. And the constructor's other changes that make no difference (a store of the
 * default value dropped, a store into the removed field) leave those objects in force; a dropped
 * store that an earlier call could have undone does not.
 */
class FieldSuccessionTest {
  private static final String PRE =
      """
      package lib;
      public class Client {
        private boolean verbose = false;
        private int retriesMillis = 1000;
        private int timeoutMillis;
        public Client() { setup(); timeoutMillis = -1; }
        private void setup() {}
        public void setTimeout(int millis) { timeoutMillis = millis; }
        public void setVerbose(boolean v) { verbose = v; }
        public long timeout() { return timeoutMillis; }
        public boolean verbose() { return verbose; }
      }
      """;

  private static String post(String defaultTimeout) {
    return """
        package lib;
        public class Client {
          private boolean verbose;
          private java.time.Duration timeout;
          public Client() { setup(); timeout = java.time.Duration.ofMillis(%s); }
          private void setup() {}
          public void setTimeout(int millis) { timeout = java.time.Duration.ofMillis(millis); }
          public void setVerbose(boolean v) { verbose = v; }
          public long timeout() { return timeout.toMillis(); }
          public boolean verbose() { return verbose; }
        }
        """
        .formatted(defaultTimeout);
  }

  @Test
  void anAddedFieldTakingOverFromARemovedOne_getsItsValueFromTheOldField() throws Exception {
    InstalledRelease built =
        InstalledRelease.build(
            Jdk.current(), Map.of("lib/Client.java", PRE), Map.of("lib/Client.java", post("-1")));

    assertThat(built.update().update().partlyInForce()).isFalse();
    assertThat(built.entry("lib.Client").applicability().verdict()).isEqualTo(Verdict.LIVE);
    assertThat(built.entry("lib.Client").applicability().notes())
        .anyMatch(
            n -> n.contains("timeout on first use from the timeoutMillis it takes over from"));

    built.verifyAll();
    Class<?> client = Class.forName("lib.Client", true, built.installed());
    // Objects the old constructor built: the removed field holds the program's setting.
    assertThat(timeout(builtBefore(client, 5000))).isEqualTo(5000L);
    assertThat(timeout(builtBefore(client, -1))).isEqualTo(-1L);
    // An object the fixed constructor builds.
    assertThat(timeout(client.getConstructor().newInstance())).isEqualTo(-1L);
  }

  /**
   * When the fixed constructor gives the field a default the old one did not (a fix that sets a
   * limit), converting the old field would keep the old default: objects built before the update
   * stay stale.
   */
  @Test
  void anAddedFieldWithAChangedDefault_isNotTakenFromTheOldField() throws Exception {
    InstalledRelease built =
        InstalledRelease.build(
            Jdk.current(),
            Map.of("lib/Client.java", PRE),
            Map.of("lib/Client.java", post("30000")));

    assertThat(built.update().update().partlyInForce()).isTrue();
    assertThat(built.update().update().applicability().stale())
        .anySatisfy(s -> assertThat(s.reason()).contains("timeout as null"));
  }

  /**
   * {@code flag = false} dropped from a constructor makes no difference only if nothing before it
   * wrote the field: here an earlier initializer calls the method that sets it, so objects built
   * before the update hold false where the fixed constructor leaves true.
   */
  @Test
  void aDroppedDefaultStore_afterACallThatWritesTheField_leavesOldObjectsStale() throws Exception {
    String pre =
        """
        package lib;
        public class Client {
          private int mode = init();
          private boolean flag = false;
          private int init() { flag = true; return 1; }
          public boolean flag() { return flag; }
        }
        """;
    String post =
        """
        package lib;
        public class Client {
          private int mode = init();
          private boolean flag;
          private int init() { flag = true; return 1; }
          public boolean flag() { return flag; }
        }
        """;
    InstalledRelease built =
        InstalledRelease.build(
            Jdk.current(), Map.of("lib/Client.java", pre), Map.of("lib/Client.java", post));

    assertThat(built.update().update().partlyInForce()).isTrue();
    assertThat(built.update().update().applicability().stale())
        .anySatisfy(
            s ->
                assertThat(s.reason())
                    .contains("Client() changed")
                    .contains("may give flag other values"));
  }

  /** An object of the installed class whose constructor never ran, as the old one left it. */
  private static Object builtBefore(Class<?> client, int timeoutMillis) throws Exception {
    @SuppressWarnings("unchecked")
    Constructor<Object> bare =
        (Constructor<Object>)
            sun.reflect.ReflectionFactory.getReflectionFactory()
                .newConstructorForSerialization(client, Object.class.getDeclaredConstructor());
    Object o = bare.newInstance();
    Field old = client.getDeclaredField("timeoutMillis");
    old.setAccessible(true);
    old.setInt(o, timeoutMillis);
    return o;
  }

  private static long timeout(Object client) throws Exception {
    return (long) client.getClass().getMethod("timeout").invoke(client);
  }
}
