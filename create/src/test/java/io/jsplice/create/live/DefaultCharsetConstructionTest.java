package io.jsplice.create.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.create.diff.BytecodeDiff;
import io.jsplice.create.source.ClassSet;
import io.jsplice.model.JvmCondition;
import io.jsplice.model.StaleState;
import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jdk;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A constructor whose only change is to name, as a constant, the charset its old version took by
 * default builds the same objects in every JVM whose default charset is that one: the objects built
 * before the update stay old only unless that holds, a condition the update carries for the agent.
 * Any other change beside it still makes them stale in every JVM.
 */
class DefaultCharsetConstructionTest {
  static List<Jdk> jdks() {
    return Jdk.underTest();
  }

  private static final String TOKENER =
      """
      package p;
      import java.io.*;
      import java.nio.charset.*;
      public class Tokener {
        private final Reader reader;
        private final byte[] marker;
        public Tokener(Reader reader) { this.reader = reader; this.marker = new byte[0]; }
        public Tokener(InputStream in) { this(new InputStreamReader(in)); }
        public Tokener(String s, boolean encode) {
          this.reader = new StringReader(s);
          this.marker = encode ? s.getBytes() : new byte[0];
        }
        public int next() throws IOException { return reader.read(); }
      }
      """;

  private static List<StaleState> stale(Jdk jdk, String pre, String post) {
    Compiler javac = Compiler.with(jdk);
    ClassSet before = new ClassSet("pre", javac.compile(Map.of("p/Tokener.java", pre)), List.of());
    ClassSet after = new ClassSet("post", javac.compile(Map.of("p/Tokener.java", post)), List.of());
    LivePlanner.Plan plan = LivePlanner.plan(BytecodeDiff.compare(before, after), "u1");
    List<StaleState> out = new java.util.ArrayList<>(plan.stale());
    plan.classes().forEach(c -> out.addAll(c.applicability().stale()));
    return out;
  }

  private static void assertStaleUnlessDefaultIs(List<StaleState> stale, String charset) {
    assertThat(stale)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.kind()).isEqualTo(StaleState.Kind.OBJECTS);
              assertThat(s.owner()).isEqualTo("p.Tokener");
              assertThat(s.unless())
                  .isEqualTo(new JvmCondition(JvmCondition.Kind.DEFAULT_CHARSET, charset));
              assertThat(s.describe())
                  .contains("unless the running JVM's default charset is " + charset);
            });
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void anImplicitCharsetMadeExplicitByForName_isAConditionOnTheDefaultCharset(Jdk jdk) {
    String post =
        TOKENER.replace(
            "new InputStreamReader(in)", "new InputStreamReader(in, Charset.forName(\"UTF-8\"))");

    assertStaleUnlessDefaultIs(stale(jdk, TOKENER, post), "UTF-8");
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void anImplicitCharsetMadeExplicitAsAConstantOrAName_inAStoreOrADelegation_isACondition(Jdk jdk) {
    String post =
        TOKENER
            .replace(
                "new InputStreamReader(in)",
                "new InputStreamReader(in, StandardCharsets.ISO_8859_1)")
            .replace("s.getBytes()", "s.getBytes(StandardCharsets.ISO_8859_1)");
    String namedBefore =
        TOKENER.replace("boolean encode) {", "boolean encode) throws IOException {");
    String named = namedBefore.replace("s.getBytes()", "s.getBytes(\"ISO-8859-1\")");

    assertStaleUnlessDefaultIs(stale(jdk, TOKENER, post), "ISO-8859-1");
    assertStaleUnlessDefaultIs(stale(jdk, namedBefore, named), "ISO-8859-1");
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void anExplicitCharsetWithAnotherChangeBesideIt_isStaleInEveryJvm(Jdk jdk) {
    String post =
        TOKENER.replace(
            "new InputStreamReader(in)",
            "new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))");

    assertThat(stale(jdk, TOKENER, post))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.owner()).isEqualTo("p.Tokener");
              assertThat(s.unless()).isNull();
            });
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void oneExplicitCharsetReplacedByAnother_isStaleInEveryJvm(Jdk jdk) {
    String pre =
        TOKENER.replace(
            "new InputStreamReader(in)", "new InputStreamReader(in, StandardCharsets.US_ASCII)");
    String post =
        TOKENER.replace(
            "new InputStreamReader(in)", "new InputStreamReader(in, StandardCharsets.UTF_8)");

    assertThat(stale(jdk, pre, post))
        .singleElement()
        .satisfies(s -> assertThat(s.unless()).isNull());
  }
}
