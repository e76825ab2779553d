package io.jsplice.cli.corpus;

import static io.jsplice.cli.corpus.CorpusCases.LOOP;

import java.util.List;
import java.util.Map;

/**
 * Real security fixes outside the development corpus ({@code dev.tsv}), tried as a new user would:
 * the release pair from Maven Central, a program that builds its state at start and tries the
 * exploit. They measure jsplice on fixes it was not developed against (docs/live-updates.md, "Fixes
 * outside the development corpus", has the whole table, refusals included).
 */
final class OutsideCorpusCases {
  private OutsideCorpusCases() {}

  /**
   * jackson-databind 2.13.4.2: with {@code UNWRAP_SINGLE_VALUE_ARRAYS}, a primitive in nested
   * arrays ({@code [[7]]}) was unwrapped recursively (a stack overflow for deep nesting); the fix
   * refuses more than one wrapper. The mapper was built, and its deserializers cached, at start.
   */
  static final CorpusCase JACKSON_NESTED_ARRAYS =
      new CorpusCase(
          "CVE-2022-42003",
          "com.fasterxml.jackson.core:jackson-databind",
          "2.13.4",
          "2.13.4.2",
          List.of(
              "com.fasterxml.jackson.core:jackson-core:2.13.4",
              "com.fasterxml.jackson.core:jackson-annotations:2.13.4"),
          List.of(),
          """
          import com.fasterxml.jackson.databind.*;
          public class Probe {
            public static class Bean { public int v; }
            static final ObjectMapper HELD =
                new ObjectMapper().enable(DeserializationFeature.UNWRAP_SINGLE_VALUE_ARRAYS);
            static String probe() {
              try { return "accepted " + HELD.readValue("{\\"v\\":[[7]]}", Bean.class).v; }
              catch (Exception e) { return "refused " + e.getClass().getSimpleName(); }
            }
            public static void main(String[] args) throws Exception {
              HELD.readValue("{\\"v\\":[7]}", Bean.class);
          """
              + LOOP
              + "}}",
          "accepted 7",
          "refused MismatchedInputException");

  /**
   * spring-expression 5.3.17: {@code new int[n]} in an expression allocated any size (DoS); the fix
   * refuses more than 256K elements with an error it names by an enum constant it adds. The
   * expression was parsed and evaluated at start.
   */
  static final CorpusCase SPEL_ARRAY_SIZE =
      new CorpusCase(
          "CVE-2022-22950",
          "org.springframework:spring-expression",
          "5.3.16",
          "5.3.17",
          List.of(
              "org.springframework:spring-core:5.3.16", "org.springframework:spring-jcl:5.3.16"),
          List.of(),
          """
          import org.springframework.expression.Expression;
          import org.springframework.expression.spel.SpelEvaluationException;
          import org.springframework.expression.spel.standard.SpelExpressionParser;
          public class Probe {
            static final SpelExpressionParser PARSER = new SpelExpressionParser();
            static final Expression HELD = PARSER.parseExpression("new int[1000000]");
            static String eval(Expression e) {
              try { return "built " + java.lang.reflect.Array.getLength(e.getValue()); }
              catch (SpelEvaluationException x) { return "refused " + x.getMessageCode(); }
            }
            static String probe() {
              return "held=" + eval(HELD) + " fresh=" + eval(PARSER.parseExpression("new long[2000000]"));
            }
            public static void main(String[] args) throws Exception {
              probe();
          """
              + LOOP
              + "}}",
          "held=built 1000000 fresh=built 2000000",
          "held=refused MAX_ARRAY_ELEMENTS_THRESHOLD_EXCEEDED"
              + " fresh=refused MAX_ARRAY_ELEMENTS_THRESHOLD_EXCEEDED");

  /**
   * json-smart 2.4.9: the parser recursed without a limit on nesting (stack exhaustion); the fix
   * refuses more than 400 levels. The parser, which keeps its per-source parsers, was used at
   * start.
   */
  static final CorpusCase JSON_SMART_DEPTH =
      new CorpusCase(
          "CVE-2023-1370",
          "net.minidev:json-smart",
          "2.4.8",
          "2.4.9",
          List.of("net.minidev:accessors-smart:2.4.8", "org.ow2.asm:asm:9.1"),
          List.of(),
          """
          import net.minidev.json.parser.JSONParser;
          public class Probe {
            static final JSONParser HELD = new JSONParser(JSONParser.MODE_PERMISSIVE);
            static String probe() {
              String deep = "[".repeat(500) + "]".repeat(500);
              try { HELD.parse(deep); return "accepted depth 500"; }
              catch (Exception e) { return "refused " + e.getClass().getSimpleName(); }
            }
            public static void main(String[] args) throws Exception {
              HELD.parse("[[1]]");
              HELD.parse("{\\"a\\":[1]}");
          """
              + LOOP
              + "}}",
          "accepted depth 500",
          "refused ParseException");

  /**
   * postgresql 42.3.2: the driver instantiated any class a connection property named (socketFactory
   * and others), running its constructor before checking its type; the fix checks the type first.
   * The gadget counts its constructions.
   */
  static final CorpusCase POSTGRESQL_CLASS_PROPERTIES =
      new CorpusCase(
          "CVE-2022-21724",
          "org.postgresql:postgresql",
          "42.3.1",
          "42.3.2",
          List.of(),
          List.of(),
          """
          public class Probe {
            public static volatile int built;
            public static class Gadget { public Gadget(String arg) { built++; } }
            static String probe() {
              int before = built;
              try {
                java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:1/x"
                    + "?socketFactory=Probe$Gadget&socketFactoryArg=a&connectTimeout=1");
              } catch (java.sql.SQLException e) {
                // refused either way; what counts is whether the gadget ran
              }
              return built > before ? "instantiated Gadget" : "not instantiated";
            }
            public static void main(String[] args) throws Exception {
              probe();
          """
              + LOOP
              + "}}",
          "instantiated Gadget",
          "not instantiated");

  /** The cases in force live today, by their probes. */
  static final List<CorpusCase> LIVE =
      List.of(
          JACKSON_NESTED_ARRAYS, SPEL_ARRAY_SIZE, JSON_SMART_DEPTH, POSTGRESQL_CLASS_PROPERTIES);

  /**
   * What a case's update needs beyond the release pair. postgresql 42.3.2 adds constants to {@code
   * PGProperty}, which the driver enumerates (values()), and changes a field's type in the GSS
   * callback handler: neither can apply live, and the fix needs neither, so the update is the live
   * subset (the report names the 7 classes left out).
   */
  static final Map<CorpusCase, List<String>> CREATE_OPTIONS =
      Map.of(POSTGRESQL_CLASS_PROPERTIES, List.of("--live-subset"));
}
