package io.jsplice.create.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.jsplice.model.StateAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;

class LivePlannerStaticStateTest {
  private static final String NAMED_PRE =
      """
      package p;
      public class Named {
        final String name;
        Named(String name) { this.name = name; }
        public int length() { return name == null ? 0 : name.length(); }
      }
      """;

  /** The fixed methods rely on what only the fixed constructor guarantees (never null). */
  private static final String NAMED_POST =
      """
      package p;
      public class Named {
        final String name;
        Named(String name) { this.name = name != null ? name : ""; }
        public int length() { return name.length(); }
      }
      """;

  /**
   * As commons-text's StrLookup.NONE_LOOKUP: an unchanged class holds a singleton that the changed
   * constructor of another class built; the fixed methods would fail on it.
   */
  @Test
  void plan_mergesASingletonThatAnUnchangedClassBuiltWithAChangedConstructor() {
    String lookups =
        """
        package p;
        public class Lookups {
          static final Named NONE = new Named(null);
          public static Named none() { return NONE; }
        }
        """;

    LivePlanner.Plan plan =
        LiveScenario.plan(
            Map.of("p/Lookups.java", lookups, "p/Named.java", NAMED_PRE),
            Map.of("p/Lookups.java", lookups, "p/Named.java", NAMED_POST),
            "u1");

    assertThat(plan.stateActions())
        .extracting(StateAction::kind, StateAction::owner, StateAction::field, StateAction::source)
        .containsExactly(
            tuple(StateAction.Kind.MERGE, "p.Lookups", "NONE", "p.Lookups$$jsplice$u1"));
    assertThat(LiveScenario.installed(plan, "p/Lookups")).as("the host stays as loaded").isNull();
    assertThat(plan.classes())
        .anySatisfy(
            c -> {
              assertThat(c.name()).isEqualTo("p.Lookups$$jsplice$u1");
              assertThat(c.applicability().notes())
                  .contains(
                      "p.Lookups does not change, but its static state was built by code the"
                          + " update changes");
            });
  }

  /**
   * As snakeyaml 1.32: a static initializer whose statements differ only in how the source is laid
   * out (one call chain split over two lines, which gives its bytecode a label for the line number)
   * and in how a standard charset is spelled ({@code Charset.forName("UTF-8")} against {@code
   * StandardCharsets.UTF_8}, the same object) computes the same values: no field needs a new value,
   * so none needs a hook.
   */
  @Test
  void plan_keepsStaticFieldsWhoseInitializersDifferOnlyInLayoutAndCharsetSpelling() {
    String pre =
        """
        package p;
        public class Enc {
          static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(Enc.class
              .getName());
          static final java.nio.charset.CharsetDecoder DECODER =
              java.nio.charset.Charset.forName("UTF-8").newDecoder();
          public int limit() { return 1; }
        }
        """;
    String post =
        """
        package p;
        public class Enc {
          static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(Enc.class.getName());
          static final java.nio.charset.CharsetDecoder DECODER =
              java.nio.charset.StandardCharsets.UTF_8.newDecoder();
          public int limit() { return 2; }
        }
        """;

    LivePlanner.Plan plan =
        LiveScenario.plan(Map.of("p/Enc.java", pre), Map.of("p/Enc.java", post), "u1");

    assertThat(plan.stateActions()).isEmpty();
    assertThat(plan.classes())
        .allSatisfy(
            c -> assertThat(c.applicability().verdict()).isEqualTo(io.jsplice.model.Verdict.LIVE));
  }

  /**
   * As jsoup 1.15.3, whose {@code Validate.notNull} throws its own exception type: a static
   * initializer that only passes its values through a changed precondition check (a void method
   * that returns having done nothing, or throws) built nothing the check changes, so the tables it
   * filled need no new value. A changed method that does something before returning still makes
   * them need one.
   */
  @Test
  void plan_keepsStaticStateThatOnlyPassedThroughAChangedCheck() {
    String tags =
        """
        package p;
        public class Tags {
          static final java.util.Map<String, String> TAGS = new java.util.HashMap<>();
          static final java.util.List<String> SEEN = new java.util.ArrayList<>();
          static {
            for (String t : new String[] {"a", "b"}) {
              Check.notNull(t);
              TAGS.put(t, t.toUpperCase());
            }
            for (String t : new String[] {"c", "d"}) {
              Check.register(SEEN, t);
            }
          }
          public static String get(String t) { return TAGS.get(t); }
        }
        """;
    String pre =
        """
        package p;
        public class Check {
          public static void notNull(Object o) {
            if (o == null) throw new IllegalArgumentException("null");
          }
          public static void register(java.util.List<String> to, String t) { to.add(t); }
        }
        """;
    String post =
        """
        package p;
        public class Check {
          public static void notNull(Object o) {
            if (o == null) throw new IllegalStateException("must not be null: " + o);
          }
          public static void register(java.util.List<String> to, String t) {
            if (t == null) throw new IllegalStateException("must not be null");
            to.add(t.toUpperCase());
          }
        }
        """;

    LivePlanner.Plan plan =
        LiveScenario.plan(
            Map.of("p/Tags.java", tags, "p/Check.java", pre),
            Map.of("p/Tags.java", tags, "p/Check.java", post),
            "u1");

    List<String> judged = new ArrayList<>(); // what the report says, what the agent will do
    plan.classes().forEach(c -> judged.addAll(c.applicability().notes()));
    plan.stateActions().forEach(a -> judged.add(a.kind() + " " + a.owner() + "." + a.field()));
    assertThat(judged).noneMatch(n -> n.contains("TAGS")).anyMatch(n -> n.contains("SEEN"));
  }

  /** The agent points the cell at the merged object, so that all code reads one object. */
  @Test
  void plan_leavesTheCellOfAMergedFieldAssignable() {
    String singleton = "public class Named {\n  static final Named NONE = new Named(null);";
    LivePlanner.Plan plan =
        LiveScenario.plan(
            Map.of("p/Named.java", NAMED_PRE.replace("public class Named {", singleton)),
            Map.of("p/Named.java", NAMED_POST.replace("public class Named {", singleton)),
            "u1");

    assertThat(plan.stateActions())
        .extracting(StateAction::kind, StateAction::field)
        .containsExactly(tuple(StateAction.Kind.MERGE, "NONE"));
    ClassNode companion = LiveScenario.installed(plan, "p/Named$$jsplice$u1");
    FieldNode cell =
        companion.fields.stream().filter(f -> f.name.equals("NONE")).findFirst().orElseThrow();
    assertThat(cell.access & Opcodes.ACC_FINAL).isZero();
  }

  /**
   * As commons-text's LookupTranslator: the changed constructor builds an exception for bad input.
   * Building one has no effect outside the object, so the singleton is still recomputed.
   */
  @Test
  void plan_recomputesASingletonWhoseConstructorBuildsAnException() {
    String validating =
        NAMED_POST.replace(
            "Named(String name) {",
            "Named(String name) {\n"
                + "    if (name != null && name.isEmpty()) {\n"
                + "      throw new java.security.InvalidParameterException(\"empty\");\n"
                + "    }");
    String singleton = "public class Named {\n  static final Named NONE = new Named(null);";
    LivePlanner.Plan plan =
        LiveScenario.plan(
            Map.of("p/Named.java", NAMED_PRE.replace("public class Named {", singleton)),
            Map.of("p/Named.java", validating.replace("public class Named {", singleton)),
            "u1");

    assertThat(plan.stateActions())
        .extracting(StateAction::kind, StateAction::owner, StateAction::field)
        .containsExactly(tuple(StateAction.Kind.MERGE, "p.Named", "NONE"));
    assertThat(plan.classes())
        .allSatisfy(
            c -> assertThat(c.applicability().verdict()).isEqualTo(io.jsplice.model.Verdict.LIVE));
  }

  /**
   * As jackson-databind 2.10.5.1's DOMDeserializer (CVE-2020-25649): a static XML parser factory
   * whose initializer gains two {@code setFeature} calls (no DOCTYPE). Creating a JAXP factory and
   * configuring it touches no state but the new factory's, so the fixed initializer's factory is
   * computed at apply, as for a collection, and the patched code reads it; a call that would read
   * input through the factory ({@code newSchema}) still needs a hook.
   */
  @Test
  void plan_recomputesAConfiguredXmlParserFactory() {
    String pre =
        """
        package p;
        import javax.xml.parsers.DocumentBuilderFactory;
        public class Dom {
          private static final DocumentBuilderFactory FACTORY;
          static {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setExpandEntityReferences(false);
            FACTORY = f;
          }
          public static Object builder() throws Exception { return FACTORY.newDocumentBuilder(); }
        }
        """;
    String post =
        pre.replace(
            "FACTORY = f;",
            """
            try {
              f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            } catch (Throwable t) { }
            FACTORY = f;""");

    LivePlanner.Plan plan =
        LiveScenario.plan(Map.of("p/Dom.java", pre), Map.of("p/Dom.java", post), "u1");

    assertThat(plan.stateActions())
        .extracting(StateAction::kind, StateAction::owner, StateAction::field)
        .containsExactly(tuple(StateAction.Kind.MERGE, "p.Dom", "FACTORY"));
    assertThat(plan.classes())
        .allSatisfy(
            c -> assertThat(c.applicability().verdict()).isEqualTo(io.jsplice.model.Verdict.LIVE));

    String schema =
        pre.replace(
                "private static final DocumentBuilderFactory FACTORY;",
                "private static final DocumentBuilderFactory FACTORY;\n"
                    + "  static final Object SCHEMA;")
            .replace(
                "FACTORY = f;",
                "FACTORY = f; Object s = null; try { s = %s; } catch (Exception e) { } SCHEMA = s;");
    LivePlanner.Plan reads =
        LiveScenario.plan(
            Map.of("p/Dom.java", schema.formatted("null")),
            Map.of(
                "p/Dom.java",
                schema.formatted(
                    "javax.xml.validation.SchemaFactory.newDefaultInstance().newSchema(new"
                        + " java.io.File(\"s.xsd\"))")),
            "u1");
    assertThat(reads.classes())
        .anySatisfy(
            c ->
                assertThat(c.applicability().verdict())
                    .isNotEqualTo(io.jsplice.model.Verdict.LIVE));
  }

  /**
   * As PDFBox's PDDocument: its initializer builds LOG with an unchanged factory, then a try block
   * that logs a failure with LOG, then a try block that calls code the update changes; javac joins
   * them by a jump past the first catch block and gives the two caught exceptions one local slot.
   * Neither carries a value from one statement to the other: LOG is judged by what flows into it
   * and what changes its object, and keeps its value. ZERO, which the changed code builds, gets a
   * new one from a copy of its own statement, whose jump past its catch block lands after it.
   */
  @Test
  void plan_judgesAStaticFieldByWhatFlowsIntoIt_notByTheStatementsAroundIt() throws Exception {
    String numPre =
        """
        package p;
        public class Num {
          public static Object get(String s) { return Integer.valueOf(s); }
          public static Object warm() { return "warm"; }
        }
        """;
    String numPost =
        numPre.replace(
            "{ return Integer.valueOf(s); }",
            "{\n    if (s.length() > 9) { throw new IllegalArgumentException(s); }\n"
                + "    return Integer.valueOf(s);\n  }");
    String doc =
        """
        package p;
        public class Doc {
          static final StringBuilder LOG = new StringBuilder("doc");
          static Object zero;
          static {
            try {
              zero = Num.get("0");
            } catch (IllegalArgumentException e) {
              zero = "none";
            }
            try {
              Object warm = Num.warm();
              warm.hashCode();
            } catch (IllegalStateException e) {
              LOG.append(e);
            }
            try {
              Num.get("1");
            } catch (IllegalArgumentException e) {
              // not a number: nothing to warm
            }
          }
        }
        """;

    LivePlanner.Plan plan =
        LiveScenario.plan(
            Map.of("p/Doc.java", doc, "p/Num.java", numPre),
            Map.of("p/Doc.java", doc, "p/Num.java", numPost),
            "u1");

    List<String> judged = new ArrayList<>();
    plan.stateActions().forEach(a -> judged.add(a.owner() + "." + a.field()));
    plan.classes()
        .forEach(
            c ->
                c.applicability()
                    .stale()
                    .forEach(st -> judged.add(st.owner() + "." + st.member())));
    assertThat(judged)
        .as("the fields given a new value or named as needing one")
        .contains("p.Doc.zero")
        .doesNotContain("p.Doc.LOG");
    assertThat(plan.classes())
        .flatExtracting(c -> c.applicability().notes())
        .noneMatch(n -> n.contains("p.Doc.LOG"));
    ClassNode companion = LiveScenario.installed(plan, "p/Doc$$jsplice$u1");
    for (org.objectweb.asm.tree.MethodNode m : companion.methods) {
      new org.objectweb.asm.tree.analysis.Analyzer<>(
              new org.objectweb.asm.tree.analysis.BasicVerifier())
          .analyze(companion.name, m);
    }
    assertThat(companion.methods)
        .filteredOn(m -> m.name.equals("<clinit>"))
        .singleElement()
        .satisfies(
            clinit ->
                assertThat(clinit.instructions.toArray())
                    .as("only zero's statement is copied")
                    .noneMatch(
                        i ->
                            i instanceof org.objectweb.asm.tree.MethodInsnNode call
                                && call.name.equals("warm")));
  }

  /**
   * As json-smart 2.5.2, whose fix adds a flag to its public parser modes: javac copied the old
   * value into the program that passes a mode to the parser it builds, which keeps it, with the
   * fixed release too, until recompiled. The plan says so for a public constant, not for a private
   * one (only the release reads it, and its users are redefined with the new value).
   */
  @Test
  void plan_namesAPublicConstantWhoseValueChanges_asCopiedIntoCodeCompiledAgainstIt() {
    String pre =
        """
        package p;
        public class Modes {
          public static final int STRICT = 1;
          private static final int LIMIT = 10;
          public static int strict() { return STRICT + LIMIT; }
        }
        """;
    String post = pre.replace("STRICT = 1", "STRICT = 3").replace("LIMIT = 10", "LIMIT = 20");

    LivePlanner.Plan plan =
        LiveScenario.plan(Map.of("p/Modes.java", pre), Map.of("p/Modes.java", post), "u1");

    assertThat(plan.notes())
        .anySatisfy(
            n ->
                assertThat(n)
                    .contains("p.Modes.STRICT (1 -> 3)")
                    .contains("until it is recompiled")
                    .doesNotContain("LIMIT"));
  }

  /**
   * As commons-io 2.14.0's {@code XmlStreamReader.ENCODING_PATTERN}: a public static final field
   * whose new value is a JDK object that cannot take another value in place (a {@code Pattern}) is
   * given to the update's code only; the program's own read of the field keeps the old pattern,
   * which the plan says (the agent compares the two values at apply, and names the field as not in
   * force where they differ). A private one (only the release reads it) and a public list (merged
   * in place) are not named; the update still merges what it can.
   */
  @Test
  void plan_saysWhereThePublicStaticFinalJdkObjectTheProgramCanRead_keepsItsOldValue() {
    String pre =
        """
        package p;
        public class Xml {
          public static final java.util.regex.Pattern ENCODING =
              java.util.regex.Pattern.compile("enc=(.*)");
          private static final java.util.regex.Pattern PRIVATE =
              java.util.regex.Pattern.compile("a(.*)");
          public static final java.util.List<String> NAMES =
              new java.util.ArrayList<>(java.util.List.of("a"));
          public static boolean find(String s) {
            return ENCODING.matcher(s).find() || PRIVATE.matcher(s).find() || NAMES.contains(s);
          }
        }
        """;
    String post =
        pre.replace("enc=(.*)", "enc=([a-z]+)")
            .replace("a(.*)", "a([a-z]+)")
            .replace("List.of(\"a\")", "List.of(\"a\", \"b\")");

    LivePlanner.Plan plan =
        LiveScenario.plan(Map.of("p/Xml.java", pre), Map.of("p/Xml.java", post), "u1");

    assertThat(plan.stateActions())
        .extracting(a -> a.field())
        .containsExactlyInAnyOrder("ENCODING", "PRIVATE", "NAMES");
    assertThat(plan.classes())
        .flatExtracting(c -> c.applicability().notes())
        .filteredOn(n -> n.contains("code outside the release"))
        .singleElement()
        .satisfies(
            n ->
                assertThat(n)
                    .startsWith("p.Xml.ENCODING holds a java.util.regex.Pattern")
                    .contains("apply names the field as not in force"));
  }

  /**
   * As okhttp 4.9.2's {@code Util.EMPTY_HEADERS = Headers.of()}: a static field built by a changed
   * factory is recomputed where what the factory runs is pure whenever it returns. Its null check
   * (kotlin's {@code Intrinsics.checkNotNullParameter}) calls, for a null argument only, a helper
   * that never returns and reads the current thread to build its exception: if it runs, the
   * recomputation fails, and the apply with it. A check that writes global state on the way to its
   * return still makes the field need a hook.
   */
  @Test
  void plan_recomputesAStaticFieldWhoseFactoryOnlyHasEffectsOnTheWayToAnException() {
    String checks =
        """
        package p;
        public final class Checks {
          public static int counted;
          public static void notNull(Object v, String name) { if (v == null) fail(name); }
          public static void counted(Object v) { counted++; }
          private static void fail(String name) { throw new NullPointerException(message(name)); }
          private static String message(String name) {
            return Thread.currentThread().getName() + ": " + name + " is null";
          }
        }
        """;
    String headersPre =
        """
        package p;
        public final class Headers {
          final String[] names;
          private Headers(String[] names) { this.names = names; }
          public static Headers of(String... names) {
            Checks.notNull(names, "names");
            for (String n : names) { if (n.isEmpty()) throw new IllegalArgumentException(n); }
            return new Headers(names.clone());
          }
          public static Headers counted(String... names) {
            Checks.counted(names);
            return new Headers(names.clone());
          }
        }
        """;
    String headersPost =
        headersPre.replace(
            "if (n.isEmpty()) throw new IllegalArgumentException(n);",
            "if (n.isEmpty() || n.charAt(0) > 127) throw new IllegalArgumentException(\"name\");");
    headersPost =
        headersPost.replace(
            "return new Headers(names.clone());\n          }\n        }",
            "return new Headers(names.clone());\n          }\n        }");
    headersPost =
        headersPost.replace(
            "Checks.counted(names);\n",
            "Checks.counted(names);\n            names = names.clone();\n");
    String util =
        """
        package p;
        public final class Util {
          public static final Headers EMPTY = Headers.of();
          public static final Headers COUNTED = Headers.counted();
        }
        """;

    LivePlanner.Plan plan =
        LiveScenario.plan(
            Map.of("p/Checks.java", checks, "p/Headers.java", headersPre, "p/Util.java", util),
            Map.of("p/Checks.java", checks, "p/Headers.java", headersPost, "p/Util.java", util),
            "u1");

    assertThat(plan.stateActions())
        .as("recomputed and merged")
        .anySatisfy(
            a -> {
              assertThat(a.owner()).isEqualTo("p.Util");
              assertThat(a.field()).isEqualTo("EMPTY");
            });
    assertThat(plan.classes())
        .flatExtracting(c -> c.applicability().stale())
        .extracting(st -> st.owner() + "." + st.member())
        .contains("p.Util.COUNTED")
        .doesNotContain("p.Util.EMPTY");
  }
}
