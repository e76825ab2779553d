package io.jsplice.create.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.model.Verdict;
import io.jsplice.testkit.Jdk;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An added instance field that only code the old release lacks writes (a setter and a copy
 * constructor the fixed release adds, and an added subclass that delegates to that constructor)
 * holds its default in objects built before the update, as it does in the fixed release for every
 * object the old release's code built ({@link AddedCodeWriters}); when a method the old release has
 * reaches a writer in the fixed release, the objects stay stale.
 */
class AddedCodeWritersTest {
  private static final String PRE =
      """
      package lib;
      public class Subst {
        private final String prefix;
        public Subst(String prefix) { this.prefix = prefix; }
        public String apply(String s) { return prefix + s; }
        public void configure() {}
        public static Subst copyOf(Subst s) { return s; }
      }
      """;

  /**
   * The fixed release; {@code configure()}'s body and what {@code copyOf} returns are the
   * parameters.
   */
  private static final String POST =
      """
      package lib;
      public class Subst {
        private final String prefix;
        private boolean recursive;
        public Subst(String prefix) { this.prefix = prefix; }
        Subst(Subst other) { this.prefix = other.prefix; this.recursive = other.isRecursive(); }
        public String apply(String s) { return (isRecursive() ? "recursive " : "") + prefix + s; }
        boolean isRecursive() { return recursive; }
        void setRecursive(boolean recursive) { this.recursive = recursive; }
        public void configure() { %s }
        public static Subst copyOf(Subst s) { return %s; }
      }
      """;

  /** A class the fixed release adds: it builds its objects through the copy constructor. */
  private static final String COPY =
      """
      package lib;
      public final class Copy extends Subst {
        public Copy(Subst other) { super(other); }
        @Override void setRecursive(boolean recursive) { throw new UnsupportedOperationException(); }
      }
      """;

  private static InstalledRelease build(String configure, String copy) throws Exception {
    return InstalledRelease.build(
        Jdk.current(),
        Map.of("lib/Subst.java", PRE),
        Map.of("lib/Subst.java", POST.formatted(configure, copy), "lib/Copy.java", COPY));
  }

  @Test
  void anAddedFieldOnlyAddedCodeWrites_keepsItsDefaultInObjectsBuiltBefore() throws Exception {
    InstalledRelease built = build("", "s");

    assertThat(built.update().update().partlyInForce())
        .as(built.update().update().toString())
        .isFalse();
    assertThat(built.entry("lib.Subst").applicability().verdict()).isEqualTo(Verdict.LIVE);
    assertThat(built.entry("lib.Subst").applicability().notes())
        .anyMatch(
            n ->
                n.contains("keep recursive at its default: only code the old release lacks writes")
                    && n.contains("lib.Subst.setRecursive(Z)V")
                    && n.contains("lib.Subst.<init>(Llib/Subst;)V"));
    built.verifyAll();
  }

  /** The fixed {@code configure()}, which the program may have called before, sets it: stale. */
  @Test
  void anAddedFieldAnOldMethodReachesAWriterOf_leavesOldObjectsStale() throws Exception {
    InstalledRelease built = build("setRecursive(true);", "s");

    assertThat(built.update().update().partlyInForce()).isTrue();
    assertThat(built.update().update().applicability().stale())
        .anySatisfy(
            s ->
                assertThat(s.reason())
                    .contains("recursive as null, 0 or false")
                    .contains("lib.Subst.setRecursive(Z)V"));
  }

  /**
   * The fixed {@code copyOf}, a method the old release has, builds with the copy constructor: the
   * object an old {@code copyOf} returned may correspond to that one, so its objects stay stale.
   */
  @Test
  void anAddedConstructorThatWritesTheField_calledFromAnOldMethod_leavesOldObjectsStale()
      throws Exception {
    InstalledRelease built = build("", "new Copy(s)");

    assertThat(built.update().update().partlyInForce()).isTrue();
    assertThat(built.update().update().applicability().stale())
        .anySatisfy(s -> assertThat(s.reason()).contains("recursive as null, 0 or false"));
  }
}
