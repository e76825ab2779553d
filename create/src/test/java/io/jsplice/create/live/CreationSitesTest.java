package io.jsplice.create.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.model.Verdict;
import io.jsplice.testkit.Jdk;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An added instance field that only the fixed constructors set, from a parameter, gets on objects
 * built before the update the constant that the fixed versions of the methods that built them pass
 * ({@link CreationSites}); when those sites disagree, or the application may have built objects
 * itself, the objects stay stale and the report names the field and the sites.
 */
class CreationSitesTest {
  /** A number cache: {@code get} builds and caches the numbers, with a private constructor. */
  private static final String PRE =
      """
      package lib;
      public final class Num {
        private static final Num[] CACHE = new Num[16];
        private final long value;
        %s Num(long value) { this.value = value; }
        public static Num get(long v) {
          if (v >= 0 && v < 16) {
            if (CACHE[(int) v] == null) { CACHE[(int) v] = new Num(v); }
            return CACHE[(int) v];
          }
          return new Num(v);
        }
        public long value() { return value; }
        public boolean valid() { return true; }
      }
      """;

  /** The fixed release: numbers carry a validity flag; {@code get}'s sites pass {@code %s}. */
  private static final String POST =
      """
      package lib;
      public final class Num {
        private static final Num[] CACHE = new Num[16];
        static final Num INVALID = invalid();
        private final long value;
        private final boolean isValid;
        %s Num(long value, boolean isValid) { this.value = value; this.isValid = isValid; }
        public static Num get(long v) {
          if (v >= 0 && v < 16) {
            if (CACHE[(int) v] == null) { CACHE[(int) v] = new Num(v, %s); }
            return CACHE[(int) v];
          }
          return new Num(v, %s);
        }
        private static Num invalid() { return new Num(-1, false); }
        public long value() { return value; }
        public boolean valid() { return isValid; }
      }
      """;

  private static InstalledRelease build(String preAccess, String postAccess, String a, String b)
      throws Exception {
    return InstalledRelease.build(
        Jdk.current(),
        Map.of("lib/Num.java", PRE.formatted(preAccess)),
        Map.of("lib/Num.java", POST.formatted(postAccess, a, b)));
  }

  @Test
  void anAddedFieldEveryOldCreationSiteGivesOneConstant_holdsItInObjectsBuiltBefore()
      throws Exception {
    InstalledRelease built = build("private", "private", "true", "true");

    assertThat(built.update().update().partlyInForce())
        .as(built.update().update().toString())
        .isFalse();
    assertThat(built.entry("lib.Num").applicability().verdict()).isEqualTo(Verdict.LIVE);
    assertThat(built.entry("lib.Num").applicability().notes())
        .anyMatch(n -> n.contains("get isValid = true, what the fixed lib.Num.get(J)"));

    built.verifyAll();
    Class<?> num = Class.forName("lib.Num", true, built.installed());
    // An object the old constructor built: the installed class never ran a constructor on it.
    assertThat(valid(builtBefore(num, 7))).isTrue();
    // invalid()'s site passes false, but the old release has no invalid(): no old object came
    // from it.
  }

  @Test
  void creationSitesThatDisagree_leaveOldObjectsStale_namingTheFieldAndTheSites() throws Exception {
    InstalledRelease built = build("private", "private", "true", "false");

    assertThat(built.update().update().partlyInForce()).isTrue();
    assertThat(built.update().update().applicability().stale())
        .anySatisfy(
            s ->
                assertThat(s.reason())
                    .contains("isValid as null, 0 or false")
                    .contains("isValid: the creation sites disagree")
                    .contains("lib.Num.get(J)Llib/Num; give false")
                    .contains("lib.Num.get(J)Llib/Num; give true"));
  }

  /** Objects the application built with a public constructor may hold any value: refused. */
  @Test
  void anOldPublicConstructor_leavesOldObjectsStale() throws Exception {
    InstalledRelease built = build("public", "private", "true", "true");

    assertThat(built.update().update().partlyInForce()).isTrue();
    assertThat(built.update().update().applicability().stale())
        .anySatisfy(
            s ->
                assertThat(s.reason())
                    .contains(
                        "isValid: the old constructor lib.Num.<init>(J)V is public: objects the"
                            + " application built with it may hold any value"));
  }

  /** A package-private old constructor: only the library's package built the objects. */
  @Test
  void anOldPackagePrivateConstructor_isFollowedToItsSites() throws Exception {
    InstalledRelease built = build("", "", "true", "true");

    assertThat(built.update().update().partlyInForce()).isFalse();
    Class<?> num = Class.forName("lib.Num", true, built.installed());
    assertThat(valid(builtBefore(num, 3))).isTrue();
  }

  /**
   * A site that calls a constructor delegating with {@code this(value, true)}: the constant the
   * delegation passes is the value. The old constructor's body changed into that delegation, which
   * the analysis of changed constructors judges on its own (it does not prove the delegate does
   * what the old body did, so the objects stay stale for that reason alone).
   */
  @Test
  void aConstantPassedThroughThisCall_isTheValue() throws Exception {
    String post =
        """
        package lib;
        public final class Num {
          private static final Num[] CACHE = new Num[16];
          private final long value;
          private final boolean isValid;
          private Num(long value) { this(value, true); }
          private Num(long value, boolean isValid) { this.value = value; this.isValid = isValid; }
          public static Num get(long v) {
            if (v >= 0 && v < 16) {
              if (CACHE[(int) v] == null) { CACHE[(int) v] = new Num(v); }
              return CACHE[(int) v];
            }
            return new Num(v);
          }
          private static Num invalid() { return new Num(-1, false); }
          public long value() { return value; }
          public boolean valid() { return isValid; }
        }
        """;
    InstalledRelease built =
        InstalledRelease.build(
            Jdk.current(),
            Map.of("lib/Num.java", PRE.formatted("private")),
            Map.of("lib/Num.java", post));

    assertThat(built.entry("lib.Num").applicability().notes())
        .anyMatch(n -> n.contains("get isValid = true, what the fixed lib.Num.get(J)"));
    assertThat(built.update().update().applicability().stale())
        .allSatisfy(s -> assertThat(s.reason()).doesNotContain("isValid as null"))
        .anySatisfy(s -> assertThat(s.reason()).contains("Num(long) changed"));
    Class<?> num = Class.forName("lib.Num", true, built.installed());
    assertThat(valid(builtBefore(num, 9))).isTrue();
  }

  /** An object of the installed class whose constructor never ran, as the old one left it. */
  private static Object builtBefore(Class<?> num, long value) throws Exception {
    @SuppressWarnings("unchecked")
    Constructor<Object> bare =
        (Constructor<Object>)
            sun.reflect.ReflectionFactory.getReflectionFactory()
                .newConstructorForSerialization(num, Object.class.getDeclaredConstructor());
    Object o = bare.newInstance();
    Field old = num.getDeclaredField("value");
    old.setAccessible(true);
    old.setLong(o, value);
    return o;
  }

  private static boolean valid(Object num) throws Exception {
    return (boolean) num.getClass().getMethod("valid").invoke(num);
  }
}
