package io.jsplice.cli.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.TargetJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each structural change a stock JVM refuses to redefine, applied to a running JVM that loaded the
 * old library and holds objects it built with it: the fixed behaviour after {@code apply}
 * (including for those objects), the old one after {@code undo}, the fixed one after a second
 * apply. Target JVMs on JDK 17 and 25.
 */
class StructuralKindsLiveTest {
  /** A library in two versions and a program that uses the first, probing with {@code probe()}. */
  record Scenario(
      String name,
      Map<String, String> v1,
      Map<String, String> v2,
      String app,
      String before,
      String after) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static final String LOOP =
      """
          System.out.println("ready");
          java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
          for (String line; (line = in.readLine()) != null; ) {
            String r;
            try { r = probe(); } catch (Throwable t) { r = "threw " + t; }
            System.out.println("RESULT " + r);
          }
        }
      }
      """;

  static final List<Scenario> SCENARIOS =
      List.of(
          new Scenario(
              "added constructor",
              Map.of(
                  "lib/Token.java",
                  """
                  package lib;
                  public class Token {
                    private final String value;
                    public Token(String value) { this.value = value; }
                    public static Token parse(String text) { return new Token(text); }
                    public String show() { return value; }
                  }
                  """),
              Map.of(
                  "lib/Token.java",
                  """
                  package lib;
                  public class Token {
                    private final String value;
                    private final boolean secret;
                    public Token(String value) { this(value, false); }
                    private Token(String value, boolean secret) { this.value = value; this.secret = secret; }
                    public static Token parse(String text) {
                      return text.startsWith("secret:") ? new Token(text, true) : new Token(text);
                    }
                    public String show() { return secret ? "***" : value; }
                  }
                  """),
              """
              public class App {
                static String probe() { return lib.Token.parse("secret:x").show() + "," + lib.Token.parse("y").show(); }
                public static void main(String[] args) throws Exception {
              """,
              "secret:x,y",
              "***,y"),
          new Scenario(
              "added override",
              Map.of(
                  "lib/Base.java",
                  "package lib; public class Base { public String name() { return \"base\"; } }",
                  "lib/Sub.java",
                  "package lib; public class Sub extends Base { }"),
              Map.of(
                  "lib/Base.java",
                  "package lib; public class Base { public String name() { return \"base\"; } }",
                  "lib/Sub.java",
                  "package lib; public class Sub extends Base {"
                      + " @Override public String name() { return \"sub>\" + super.name(); } }"),
              """
              public class App {
                static lib.Base held = new lib.Sub();
                static String probe() { return "held=" + held.name() + " fresh=" + new lib.Sub().name(); }
                public static void main(String[] args) throws Exception {
                  held.name();
              """,
              "held=base fresh=base",
              "held=sub>base fresh=sub>base"),
          new Scenario(
              "subclasses of a final class",
              Map.of(
                  "lib/Greeter.java",
                  """
                  package lib;
                  public final class Greeter {
                    private final String greeting;
                    public Greeter(String greeting) { this.greeting = greeting; }
                    public String greet(String who) { return greeting + " " + who; }
                    public static Greeter of(String greeting) { return new Greeter(greeting); }
                  }
                  """),
              Map.of(
                  "lib/Greeter.java",
                  """
                  package lib;
                  public class Greeter {
                    private final String greeting;
                    public Greeter(String greeting) { this.greeting = greeting; }
                    public String greet(String who) { return greeting + " " + who; }
                    public static Greeter of(String greeting) {
                      return greeting.isEmpty() ? new Quiet() : new Greeter(greeting);
                    }
                    static final class Quiet extends Greeter {
                      Quiet() { super(""); }
                      @Override public String greet(String who) { return "(quiet)"; }
                    }
                  }
                  """),
              """
              public class App {
                static lib.Greeter held = lib.Greeter.of("hi");
                static String probe() { return lib.Greeter.of("").greet("a") + "|" + held.greet("b"); }
                public static void main(String[] args) throws Exception {
              """,
              " a|hi b",
              "(quiet)|hi b"),
          new Scenario(
              "narrowed field type",
              Map.of(
                  "lib/Holder.java",
                  """
                  package lib;
                  import java.util.*;
                  public class Holder {
                    private Collection<String> items;
                    public Holder(String first) { items = new ArrayList<>(List.of(first, "z")); }
                    public String describe() { return String.valueOf(items.size()); }
                  }
                  """),
              Map.of(
                  "lib/Holder.java",
                  """
                  package lib;
                  import java.util.*;
                  public class Holder {
                    private List<String> items;
                    public Holder(String first) { items = new ArrayList<>(List.of(first, "z")); }
                    public String describe() { return items.size() + ":" + items.get(0); }
                  }
                  """),
              """
              public class App {
                static lib.Holder held = new lib.Holder("a");
                static String probe() { return held.describe() + "|" + new lib.Holder("b").describe(); }
                public static void main(String[] args) throws Exception {
              """,
              "2|2",
              "2:a|2:b"),
          new Scenario(
              "added readObject that refuses",
              Map.of(
                  "lib/Payload.java",
                  "package lib; public class Payload implements java.io.Serializable {"
                      + " public String data = \"d\"; }"),
              Map.of(
                  "lib/Payload.java",
                  "package lib; public class Payload implements java.io.Serializable {"
                      + " public String data = \"d\";"
                      + " private void readObject(java.io.ObjectInputStream in) throws java.io.IOException {"
                      + " throw new java.io.InvalidObjectException(\"Deserialization is unsupported\"); } }"),
              """
              import java.io.*;
              public class App {
                static byte[] stream;
                static String probe() throws Exception {
                  try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(stream))) {
                    return "read " + ((lib.Payload) in.readObject()).data;
                  } catch (InvalidClassException | InvalidObjectException e) {
                    return "refused";
                  }
                }
                public static void main(String[] args) throws Exception {
                  ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                  try (ObjectOutputStream out = new ObjectOutputStream(bytes)) { out.writeObject(new lib.Payload()); }
                  stream = bytes.toByteArray();
                  probe();
              """,
              "read d",
              "refused"));

  @TempDir static Path work;
  private static Path key;
  private static Path cert;

  @BeforeAll
  static void keys() {
    assertThat(CliRun.of("keygen", work.resolve("k").toString()).exit()).isZero();
    key = work.resolve("k.p12");
    cert = work.resolve("k.pem");
  }

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (Scenario s : SCENARIOS) {
      for (Jdk jdk : Jdk.underTest()) {
        out.add(Arguments.of(s, jdk));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("cases")
  void apply_putsTheFixInForce_undoTakesItOut_andItAppliesAgain(Scenario s, Jdk jdk)
      throws IOException {
    Path dir =
        Files.createDirectories(work.resolve(s.name().replace(' ', '-') + "-" + jdk.feature()));
    Compiler javac = Compiler.with(Jdk.current()).options("--release", "17");
    Path v1 = Jars.write(dir.resolve("lib-1.jar"), javac.compile(s.v1()));
    Path v2 = Jars.write(dir.resolve("lib-2.jar"), javac.compile(s.v2()));
    Path app =
        Jars.writeDirectory(
            dir.resolve("app"),
            Compiler.with(Jdk.current())
                .options("--release", "17")
                .classpath(v1)
                .compile("App.java", s.app() + LOOP));
    String id = "kind-" + s.name().replace(' ', '-');
    Path update = dir.resolve(id + ".jsplice");
    CliRun create =
        CliRun.of(
            "create",
            "--from",
            v1.toString(),
            "--to",
            v2.toString(),
            "--id",
            id,
            "--key",
            key.toString(),
            "-o",
            update.toString());
    assertThat(create.exit()).as(create.toString()).isZero();
    assertThat(create.out()).as(create.toString()).startsWith("can be applied live");
    try (ProbedJvm jvm =
        new ProbedJvm(TargetJvm.on(jdk).classpath(app, v1).mainClass("App").start())) {
      String pid = Long.toString(jvm.pid());
      assertThat(jvm.probe()).isEqualTo(s.before());
      CliRun apply = CliRun.of("apply", pid, update.toString(), "--trust", cert.toString());
      assertThat(apply.exit()).as(apply + jvm.outputs()).isZero();
      assertThat(jvm.probe()).as(jvm.outputs()).isEqualTo(s.after());
      CliRun undo = CliRun.of("undo", pid, id);
      assertThat(undo.exit()).as(undo + jvm.outputs()).isZero();
      assertThat(jvm.probe()).as(jvm.outputs()).isEqualTo(s.before());
      CliRun again = CliRun.of("apply", pid, update.toString());
      assertThat(again.exit()).as(again + jvm.outputs()).isZero();
      assertThat(jvm.probe()).as(jvm.outputs()).isEqualTo(s.after());
    }
  }
}
