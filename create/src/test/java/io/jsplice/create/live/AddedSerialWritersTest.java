package io.jsplice.create.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.model.Verdict;
import io.jsplice.testkit.Jdk;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A private writeObject the fixed release adds to a loaded class (commons-net 3.9.0's
 * "Serialization is not supported") is not in force live: serialization looks it up by reflection
 * on the loaded class. The live subset keeps it and says the class's objects stay partly old; the
 * in-force subset leaves out that method alone, names it, and keeps the rest of the class, its
 * refusing readObject included (the deserialization filter).
 */
class AddedSerialWritersTest {
  private static final String PRE =
      """
      package lib;
      public class Listing implements java.io.Serializable {
        public String name(String raw) { return raw; }
      }
      """;
  private static final String POST =
      """
      package lib;
      public class Listing implements java.io.Serializable {
        public String name(String raw) { return raw.replace("..", ""); }
        private void writeObject(java.io.ObjectOutputStream out) {
          throw new UnsupportedOperationException("Serialization is not supported");
        }
        private void readObject(java.io.ObjectInputStream in) {
          throw new UnsupportedOperationException("Serialization is not supported");
        }
      }
      """;

  @Test
  void anAddedWriteObject_isLeftOutAlone_byTheInForceSubset() throws Exception {
    InstalledRelease live =
        InstalledRelease.build(
            Jdk.current(), Map.of("lib/Listing.java", PRE), Map.of("lib/Listing.java", POST), true);
    assertThat(live.update().update().partlyInForce()).isTrue();

    InstalledRelease inForce =
        InstalledRelease.build(
            Jdk.current(),
            Map.of("lib/Listing.java", PRE),
            Map.of("lib/Listing.java", POST),
            r -> r.withInForceSubset(true));
    assertThat(inForce.update().update().partlyInForce()).isFalse();
    assertThat(inForce.entry("lib.Listing").applicability().verdict()).isEqualTo(Verdict.LIVE);
    assertThat(inForce.created().leftOut())
        .containsOnlyKeys("lib.Listing.writeObject(Ljava/io/ObjectOutputStream;)V");
    assertThat(inForce.created().leftOut().values().iterator().next())
        .contains("not in force until a restart");
    assertThat(inForce.entry("lib.Listing").applicability().notes())
        .anyMatch(n -> n.contains("deserialization filter"));
    inForce.verifyAll();
    Class<?> listing = Class.forName("lib.Listing", true, inForce.installed());
    Object o = listing.getConstructor().newInstance();
    assertThat(listing.getMethod("name", String.class).invoke(o, "../x")).isEqualTo("/x");
  }
}
