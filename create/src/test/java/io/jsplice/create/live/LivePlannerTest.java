package io.jsplice.create.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.create.UpdateCreator;
import io.jsplice.create.source.ClassSet;
import io.jsplice.model.ClassStatus;
import io.jsplice.model.ClassUpdate;
import io.jsplice.model.Mechanism;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.Verdict;
import io.jsplice.testkit.BytesLoader;
import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jdk;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.objectweb.asm.ClassReader;

/**
 * The planner's lowering, checked by running what it installs: the patched classes and the classes
 * the update adds are loaded (and so verified and linked by the JVM) in a class loader of their
 * own, as a class that loads after an update has it, and must behave like the fixed release while
 * keeping the loaded class's shape. Each scenario on JDK 17 and JDK 25 class files.
 */
class LivePlannerTest {
  static List<Jdk> jdks() {
    return Jdk.underTest();
  }

  /** What an update builds from two versions of one source file {@code lib/X.java}. */
  private record Built(UpdatePackage update, Map<String, byte[]> pre) {
    ClassUpdate entry(String name) {
      return update.update().classUpdate(name).orElseThrow();
    }

    /** A loader with the installed classes first, then the pre classes (the running release). */
    ClassLoader installed() {
      Map<String, byte[]> classes = new HashMap<>();
      pre.forEach((n, b) -> classes.put(n.replace('/', '.'), b));
      for (ClassUpdate c : update.update().classes()) {
        update.installBytes(c.name()).ifPresent(b -> classes.put(c.name(), b));
      }
      return new BytesLoader(classes, LivePlannerTest.class.getClassLoader());
    }

    @SuppressWarnings("unchecked")
    String call(String className) throws Exception {
      Class<?> c = Class.forName(className, true, installed());
      return ((Supplier<String>) c.getConstructor().newInstance()).get();
    }
  }

  /**
   * javac of the given JDK; class files a newer JDK makes are written for this test JVM's release
   * (its code shapes stay the newer javac's) so that they can be loaded and run here.
   */
  private static Compiler javac(Jdk jdk) {
    int here = Runtime.version().feature();
    return jdk.feature() > here
        ? Compiler.with(jdk).options("--release", Integer.toString(here))
        : Compiler.with(jdk);
  }

  private static Built build(Jdk jdk, String pre, String post) throws Exception {
    Map<String, byte[]> preClasses = javac(jdk).compile("lib/X.java", pre);
    Map<String, byte[]> postClasses = javac(jdk).compile("lib/X.java", post);
    UpdatePackage update =
        UpdateCreator.create(
                new ClassSet("pre", preClasses, List.of()),
                new ClassSet("post", postClasses, List.of()),
                new UpdateCreator.Request("test", "", List.of(), List.of()))
            .update();
    return new Built(update, preClasses);
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void addedMethodsAndFields_liveInTheCompanion_andBehaveLikeTheFixedRelease(Jdk jdk)
      throws Exception {
    String pre =
        """
        package lib;
        public class X implements java.util.function.Supplier<String> {
          private int base = 1;
          public String get() { return "v1:" + base; }
        }
        """;
    String post =
        """
        package lib;
        public class X implements java.util.function.Supplier<String> {
          private int base = 1;
          private int limit = 40;
          static final java.util.Set<String> DENY = java.util.Set.of("a", "b");
          public String get() { return "v2:" + clamp(base + 41) + ":" + DENY.size() + ":" + helper(); }
          private int clamp(int v) { return Math.min(v, limit) + base; }
          private static String helper() { return java.util.List.of(1, 2).stream().map(i -> "h" + i).reduce("", String::concat); }
        }
        """;
    Built built = build(jdk, pre, post);
    ClassUpdate x = built.entry("lib.X");
    assertThat(x.applicability().verdict()).isEqualTo(Verdict.LIVE);
    assertThat(x.applicability().mechanisms())
        .contains(Mechanism.COMPANION_METHODS, Mechanism.SHADOW_FIELDS, Mechanism.STATIC_CELLS);
    assertThat(built.call("lib.X")).isEqualTo("v2:41:2:h1h2");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void installedClass_keepsTheLoadedShape(Jdk jdk) throws Exception {
    String pre =
        """
        package lib;
        public class X implements java.util.function.Supplier<String> {
          public int kept = 1;
          private String old() { return "old"; }
          public String get() { return old(); }
        }
        """;
    String post =
        """
        package lib;
        public class X implements java.util.function.Supplier<String> {
          private int kept = 1;
          public int added = 2;
          public String get() { return "new" + added; }
        }
        """;
    Built built = build(jdk, pre, post);
    Class<?> c = Class.forName("lib.X", false, built.installed());
    assertThat(c.getDeclaredFields()).extracting(f -> f.getName()).containsExactly("kept");
    assertThat(java.lang.reflect.Modifier.isPublic(c.getDeclaredField("kept").getModifiers()))
        .isTrue();
    assertThat(c.getDeclaredMethods()).extracting(m -> m.getName()).contains("old", "get");
    assertThat(built.call("lib.X")).isEqualTo("new2");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void addedNestedClass_reachesItsHostsPrivateMembersThroughBridges(Jdk jdk) throws Exception {
    String pre =
        """
        package lib;
        public class X implements java.util.function.Supplier<String> {
          private String secret = "s";
          public String get() { return secret; }
        }
        """;
    String post =
        """
        package lib;
        public class X implements java.util.function.Supplier<String> {
          private String secret = "s";
          private static String shout(String s) { return s.toUpperCase(); }
          public String get() { return new Reader().read(this); }
          private static final class Reader {
            private Reader() {}
            String read(X x) { return shout(x.secret) + "!"; }
          }
        }
        """;
    Built built = build(jdk, pre, post);
    assertThat(built.entry("lib.X$Reader").status()).isEqualTo(ClassStatus.ADDED);
    assertThat(built.call("lib.X")).isEqualTo("S!");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void renumberedLambdas_keepTheNamesTheRunningJvmLinked(Jdk jdk) throws Exception {
    String pre =
        """
        package lib;
        import java.util.function.Supplier;
        public class X implements Supplier<String> {
          public String get() { Supplier<String> a = () -> "a"; return a.get(); }
        }
        """;
    String post =
        """
        package lib;
        import java.util.function.Supplier;
        public class X implements Supplier<String> {
          public String get() {
            Supplier<String> b = () -> "b";
            Supplier<String> a = () -> "a";
            return b.get() + a.get();
          }
        }
        """;
    Built built = build(jdk, pre, post);
    Class<?> c = Class.forName("lib.X", false, built.installed());
    // lambda$get$0 is still the body that returns "a": call sites linked before keep their meaning.
    java.lang.reflect.Method first = c.getDeclaredMethod("lambda$get$0");
    first.setAccessible(true);
    assertThat(first.invoke(null)).isEqualTo("a");
    assertThat(built.call("lib.X")).isEqualTo("ba");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void changedStaticInitializer_isRecomputedInTheCompanion_withoutItsOtherSideEffects(Jdk jdk)
      throws Exception {
    String pre =
        """
        package lib;
        import java.util.*;
        public class X implements java.util.function.Supplier<String> {
          static final Set<String> DENY = new HashSet<>(List.of("script"));
          static { System.setProperty("lib.x.initialized", "yes"); }
          public String get() { return String.valueOf(new TreeSet<>(DENY)); }
        }
        """;
    String post = pre.replace("List.of(\"script\")", "List.of(\"script\", \"url\")");
    Built built = build(jdk, pre, post);
    assertThat(built.update().update().stateActions())
        .anyMatch(a -> a.owner().equals("lib.X") && a.field().equals("DENY"));
    String companion =
        built.update().update().classes().stream()
            .map(ClassUpdate::name)
            .filter(n -> n.contains("$$jsplice$"))
            .findFirst()
            .orElseThrow();
    ClassLoader loader = built.installed();
    Class<?> cell = Class.forName(companion, true, loader);
    assertThat(cell.getField("DENY").get(null).toString()).contains("url");
    assertThat(System.getProperty("lib.x.initialized"))
        .as("the side effect was not re-run")
        .isNull();
  }

  /**
   * commons-io 2.7 drops {@code implements Serializable} from the enum {@code IOCase}, which {@code
   * Enum} implements anyway: the running JVM sees the same supertypes, so the class applies live,
   * keeping its loaded interface list. Dropping an interface nothing else gives stays refused.
   */
  @ParameterizedTest
  @MethodSource("jdks")
  void anInterfaceListNamingTheSameSupertypes_isNotAHierarchyChange(Jdk jdk) throws Exception {
    String pre =
        """
        package lib;
        public class X extends java.util.ArrayList<String>
            implements java.io.Serializable, java.util.function.Supplier<String> {
          public String get() { return "v1:" + new Y().get(); }
        }
        class Y implements Runnable, java.util.function.Supplier<String> {
          public void run() {}
          public String get() { return "y1"; }
        }
        """;
    String post =
        """
        package lib;
        public class X extends java.util.ArrayList<String>
            implements java.util.function.Supplier<String> {
          public String get() { return "v2:" + (this instanceof java.io.Serializable); }
        }
        class Y implements java.util.function.Supplier<String> {
          public void run() {}
          public String get() { return "y2"; }
        }
        """;
    Built built = build(jdk, pre, post);
    assertThat(built.entry("lib.X").applicability().verdict()).isEqualTo(Verdict.LIVE);
    assertThat(built.call("lib.X")).isEqualTo("v2:true");
    byte[] installed = built.update().installBytes("lib.X").orElseThrow();
    assertThat(new ClassReader(installed).getInterfaces())
        .containsExactly("java/io/Serializable", "java/util/function/Supplier");
    ClassUpdate y = built.entry("lib.Y");
    assertThat(y.applicability().verdict()).isEqualTo(Verdict.NOT_LIVE);
    assertThat(y.applicability().notes())
        .anyMatch(n -> n.contains("changes the interfaces it implements"));
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void refusesWhatAStockJvmCannotDo_withTheReason(Jdk jdk) throws Exception {
    String pre =
        """
        package lib;
        public class X implements java.io.Serializable, java.util.function.Supplier<String> {
          public String get() { return "x"; }
        }
        """;
    String post =
        """
        package lib;
        public class X extends Thread implements java.io.Serializable, java.util.function.Supplier<String> {
          public String get() { return "x"; }
          private void readObject(java.io.ObjectInputStream in) { throw new UnsupportedOperationException(); }
          @Override public String toString() { return "X"; }
        }
        """;
    Built built = build(jdk, pre, post);
    ClassUpdate x = built.entry("lib.X");
    assertThat(x.applicability().verdict()).isEqualTo(Verdict.NOT_LIVE);
    assertThat(x.applicability().notes())
        .anyMatch(n -> n.contains("changes its superclass"))
        .anyMatch(n -> n.contains("readObject") && n.contains("serialization"))
        .anyMatch(n -> n.contains("toString") && n.contains("overrides"));
  }
}
