package io.jsplice.create.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.create.diff.BytecodeDiff;
import io.jsplice.create.source.ClassSet;
import io.jsplice.model.InstanceAction;
import io.jsplice.model.StaleState;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.Verdict;
import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jdk;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A constructor whose fix only puts a condition on static state in front of map entries the old
 * constructor always put: objects built before the update get those entries removed while the
 * condition is false ({@link InstanceAction.Kind#DROP_MAP_ENTRIES}), and nothing else is flagged;
 * any other change to the constructor keeps it named as stale state.
 */
class GuardedEntriesTest {
  static List<Jdk> jdks() {
    return Jdk.underTest();
  }

  private static final String FLAGS =
      """
      package p;
      public class Flags {
        public static boolean remoteEnabled() { return Boolean.getBoolean("p.remote"); }
      }
      """;
  private static final String REMOTE =
      """
      package p;
      public class Remote { public String get(String k) { return "remote:" + k; } }
      """;
  private static final String LOCAL =
      """
      package p;
      public class Local { public String get(String k) { return "local:" + k; } }
      """;

  /**
   * As a lookup registry whose constructor registers a dangerous lookup by a constant key; an entry
   * guarded in both versions stays as it is.
   */
  private static final String REGISTRY =
      """
      package p;
      import java.util.*;
      public class Registry {
        private final Map<String, Object> lookups = new HashMap<>();
        public Registry() {
          lookups.put("local", new Local());
          lookups.put("remote", new Remote());
          if (Boolean.getBoolean("p.web")) { lookups.put("web", new Local()); }
        }
        public Object lookup(String k) { return lookups.get(k); }
      }
      """;

  private static final String GUARDED =
      REGISTRY.replace(
          "lookups.put(\"remote\", new Remote());",
          "if (Flags.remoteEnabled()) { lookups.put(\"remote\", new Remote()); }");

  /** As a plugin loop: the entries of one plugin class are now put only when enabled. */
  private static final String PLUGINS =
      """
      package p;
      import java.util.*;
      public class Plugins {
        private final Map<String, Object> lookups = new HashMap<>();
        public Plugins(List<Class<?>> found) {
          for (Class<?> c : found) {
            try {
              lookups.put(c.getSimpleName().toLowerCase(), c.getDeclaredConstructor().newInstance());
            } catch (ReflectiveOperationException e) {
              throw new IllegalStateException(e);
            }
          }
        }
        public Object lookup(String k) { return lookups.get(k); }
      }
      """;

  private static final String PLUGINS_GUARDED =
      PLUGINS.replace(
          "try {",
          "try {\n if (!c.getName().equals(Remote.class.getName()) || Flags.remoteEnabled())");

  private static LivePlanner.Plan plan(Jdk jdk, String file, String pre, String post) {
    Compiler javac = Compiler.with(jdk);
    ClassSet before = new ClassSet("pre", javac.compile(sources(file, pre)), List.of());
    ClassSet after = new ClassSet("post", javac.compile(sources(file, post)), List.of());
    return LivePlanner.plan(BytecodeDiff.compare(before, after), "u1");
  }

  private static Map<String, String> sources(String file, String source) {
    return Map.of(
        "p/Flags.java", FLAGS, "p/Remote.java", REMOTE, "p/Local.java", LOCAL, file, source);
  }

  /** Nothing removes the entries: the registry's objects stay named as stale. */
  private static void assertStaysNamedAsStale(LivePlanner.Plan plan) {
    assertThat(plan.instanceActions()).isEmpty();
    assertThat(stale(plan))
        .singleElement()
        .satisfies(s -> assertThat(s.owner()).isEqualTo("p.Registry"));
  }

  private static List<StaleState> stale(LivePlanner.Plan plan) {
    List<StaleState> out = new java.util.ArrayList<>(plan.stale());
    plan.classes().forEach(c -> out.addAll(c.applicability().stale()));
    return out;
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void anEntryNowPutOnlyWhenAStaticConditionHolds_isDroppedFromExistingObjects(Jdk jdk) {
    LivePlanner.Plan plan = plan(jdk, "p/Registry.java", REGISTRY, GUARDED);

    assertThat(stale(plan)).isEmpty();
    assertThat(plan.instanceActions())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.kind()).isEqualTo(InstanceAction.Kind.DROP_MAP_ENTRIES);
              assertThat(a.owner()).isEqualTo("p.Registry");
              assertThat(a.member()).isEqualTo("lookups");
              assertThat(plan.files())
                  .containsKey(UpdatePackage.INSTALL + UpdatePackage.classPath(a.source()));
            });
    assertThat(plan.classes())
        .filteredOn(c -> c.name().equals("p.Registry"))
        .singleElement()
        .satisfies(c -> assertThat(c.applicability().verdict()).isEqualTo(Verdict.LIVE));
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void entriesOfAPluginClassNowPutOnlyWhenEnabled_areDroppedFromExistingObjects(Jdk jdk) {
    LivePlanner.Plan plan = plan(jdk, "p/Plugins.java", PLUGINS, PLUGINS_GUARDED);

    assertThat(stale(plan)).isEmpty();
    assertThat(plan.instanceActions())
        .singleElement()
        .satisfies(a -> assertThat(a.kind()).isEqualTo(InstanceAction.Kind.DROP_MAP_ENTRIES));
  }

  /** The predicate the agent calls, run here: key and exact class must match, and the condition. */
  @Test
  void theGeneratedPredicate_namesOnlyTheGuardedEntryWhileTheConditionIsFalse() throws Exception {
    Jdk jdk = Jdk.current();
    LivePlanner.Plan plan = plan(jdk, "p/Registry.java", REGISTRY, GUARDED);
    InstanceAction action = plan.instanceActions().get(0);
    Map<String, byte[]> classes =
        new HashMap<>(Compiler.with(jdk).compile(sources("p/Registry.java", GUARDED)));
    classes.put(
        action.source().replace('.', '/'),
        plan.files().get(UpdatePackage.INSTALL + UpdatePackage.classPath(action.source())));
    ClassLoader loader =
        new ClassLoader(null) {
          @Override
          protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] b = classes.get(name.replace('.', '/'));
            if (b == null) {
              throw new ClassNotFoundException(name);
            }
            return defineClass(name, b, 0, b.length);
          }
        };
    Method drops =
        loader
            .loadClass(action.source())
            .getMethod(InstanceAction.dropsEntryMethod("lookups"), Object.class, Object.class);
    Object remote = loader.loadClass("p.Remote").getConstructor().newInstance();
    Object local = loader.loadClass("p.Local").getConstructor().newInstance();

    String before = System.getProperty("p.remote");
    try {
      System.clearProperty("p.remote");
      assertThat(drops.invoke(null, "remote", remote)).isEqualTo(true);
      assertThat(drops.invoke(null, "remote", local)).isEqualTo(false);
      assertThat(drops.invoke(null, "other", remote)).isEqualTo(false);
      assertThat(drops.invoke(null, "local", local)).isEqualTo(false);
      assertThat(drops.invoke(null, "remote", null)).isEqualTo(false);
      System.setProperty("p.remote", "true");
      assertThat(drops.invoke(null, "remote", remote)).isEqualTo(false);
    } finally {
      if (before == null) {
        System.clearProperty("p.remote");
      } else {
        System.setProperty("p.remote", before);
      }
    }
  }

  /** A guard on what the object was built with cannot be evaluated later: still stale. */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void anEntryGuardedByAConstructorArgument_staysNamedAsStale(Jdk jdk) {
    String pre = REGISTRY.replace("public Registry() {", "public Registry(boolean remote) {");
    String post =
        pre.replace(
            "lookups.put(\"remote\", new Remote());",
            "if (remote) { lookups.put(\"remote\", new Remote()); }");

    LivePlanner.Plan plan = plan(jdk, "p/Registry.java", pre, post);

    assertStaysNamedAsStale(plan);
  }

  /** A value that is not the object built (here its string) has no class to remove it by. */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void aGuardedValueThatIsNotTheObjectBuilt_staysNamedAsStale(Jdk jdk) {
    String pre =
        REGISTRY.replace(
            "lookups.put(\"remote\", new Remote());",
            "lookups.put(\"remote\", String.valueOf(new Remote()));");
    String post =
        pre.replace(
            "lookups.put(\"remote\", String.valueOf(new Remote()));",
            "if (Flags.remoteEnabled()) { lookups.put(\"remote\", String.valueOf(new Remote())); }");

    LivePlanner.Plan plan = plan(jdk, "p/Registry.java", pre, post);

    assertStaysNamedAsStale(plan);
  }

  /** A guard that comes with another change to the constructor covers nothing. */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void aGuardBesideAnotherConstructorChange_staysNamedAsStale(Jdk jdk) {
    String post =
        GUARDED.replace(
            "lookups.put(\"local\", new Local());", "lookups.put(\"here\", new Local());");

    LivePlanner.Plan plan = plan(jdk, "p/Registry.java", REGISTRY, post);

    assertStaysNamedAsStale(plan);
  }
}
