package io.jsplice.cli.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jdk;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A fixed release whose constructor now names UTF-8 where the old one decoded with the default
 * charset: the objects the program built before the update are what the fixed constructor builds
 * exactly when the target's default charset is UTF-8. The agent checks that at apply: a target
 * started with {@code -Dfile.encoding=UTF-8} (or a JDK 18+ target left to its default, JEP 400)
 * gets the update in force; one started with ISO-8859-1 refuses it (38), saying which charset it
 * has, and keeps its behaviour.
 */
class DefaultCharsetLiveTest {
  private static final String LIBRARY_V1 =
      """
      package lib;
      import java.io.*;
      public class Decoder {
        private final Reader reader;
        public Decoder(InputStream in) { this.reader = new InputStreamReader(in); }
        public String next() throws IOException {
          StringBuilder out = new StringBuilder();
          for (int c; (c = reader.read()) >= 0 && c != '\\n'; ) out.append((char) c);
          return out.toString();
        }
        public static boolean accepts(String text) { return !text.isEmpty(); }
      }
      """;

  /** The fix: markup is refused; and the decoder names UTF-8 instead of the default charset. */
  private static final String LIBRARY_V2 =
      LIBRARY_V1
          .replace(
              "new InputStreamReader(in)",
              "new InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8)")
          .replace("!text.isEmpty()", "!text.isEmpty() && !text.contains(\"<\")");

  private static final String APP =
      """
      public class App {
        static final lib.Decoder HELD =
            new lib.Decoder(new java.io.ByteArrayInputStream(
                "caf\\u00e9 <b>\\ncaf\\u00e9 <b>\\ncaf\\u00e9 <b>\\ncaf\\u00e9 <b>\\n"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        public static void main(String[] args) throws Exception {
          System.out.println("ready");
          java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
          for (String line; (line = in.readLine()) != null; ) {
            String text = HELD.next();
            System.out.println("RESULT accepts=" + lib.Decoder.accepts(text) + " length=" + text.length());
          }
        }
      }
      """;

  @TempDir static Path work;
  private static LiveLibrary library;

  @BeforeAll
  static void build() throws IOException {
    library =
        LiveLibrary.build(work, "decoder", "markup", compile(LIBRARY_V1), compile(LIBRARY_V2), APP);
    assertThat(library.create().out())
        .as("the report says under which condition the held decoders are in force")
        .contains("objects of lib.Decoder built before the update")
        .contains("unless the running JVM's default charset is UTF-8");
  }

  private static Map<String, byte[]> compile(String source) {
    return Compiler.with(Jdk.current())
        .options("--release", "17")
        .compile("lib/Decoder.java", source);
  }

  static List<Jdk> jdks() {
    return Jdk.underTest();
  }

  private static ProbedJvm start(Jdk jdk, String... jvmArgs) {
    return library.start(jdk, jvmArgs);
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void aTargetWhoseDefaultCharsetIsNotUtf8_refusesTheUpdate_andKeepsItsBehaviour(Jdk jdk) {
    try (ProbedJvm jvm = start(jdk, "-Dfile.encoding=ISO-8859-1")) {
      String pid = Long.toString(jvm.pid());
      assertThat(jvm.probe()).as("é read as two characters").isEqualTo("accepts=true length=9");

      CliRun apply =
          CliRun.of(
              "apply", pid, library.update().toString(), "--trust", library.cert().toString());

      assertThat(apply.exit()).as(apply + jvm.outputs()).isEqualTo(38);
      assertThat(apply.err().strip())
          .doesNotContain("\n")
          .startsWith(
              "jsplice: update markup would be only partly in force, so nothing was changed")
          .contains("objects of lib.Decoder built before the update")
          .contains("the default charset of this JVM is ISO-8859-1, not UTF-8");
      assertThat(jvm.probe()).as("no class switched").isEqualTo("accepts=true length=9");
      assertThat(CliRun.of("show", pid).out()).contains("0 update(s) applied");
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void aTargetWhoseDefaultCharsetIsUtf8_getsTheUpdateInForce_andUndoes(Jdk jdk) {
    try (ProbedJvm jvm = start(jdk, "-Dfile.encoding=UTF-8")) {
      assertInForceThenUndone(jvm);
    }
  }

  /** JDK 18 and later default to UTF-8 whatever the locale (JEP 400). */
  @Test
  void aJdk25TargetLeftToItsDefaultCharset_getsTheUpdateInForce() {
    try (ProbedJvm jvm = start(Jdk.jdk25())) {
      assertInForceThenUndone(jvm);
    }
  }

  private static void assertInForceThenUndone(ProbedJvm jvm) {
    String pid = Long.toString(jvm.pid());
    assertThat(jvm.probe()).as("é read as one character").isEqualTo("accepts=true length=8");

    CliRun apply =
        CliRun.of("apply", pid, library.update().toString(), "--trust", library.cert().toString());

    assertThat(apply.exit()).as(apply + jvm.outputs()).isZero();
    assertThat(apply.out()).doesNotContain("PARTLY");
    assertThat(jvm.probe()).isEqualTo("accepts=false length=8");
    assertThat(CliRun.of("undo", pid, "markup").exit()).isZero();
    assertThat(jvm.probe()).isEqualTo("accepts=true length=8");
  }
}
