package io.jsplice.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.model.StateAction;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;

public class StateTransferTest { // public: its nested holders' fields are readable from outside
  /** A library singleton, as commons-text's InterpolatorStringLookup.INSTANCE. */
  static final class Lookup {
    private final String lookups;

    Lookup(String lookups) {
      this.lookups = lookups;
    }
  }

  /** The loaded class: its final field holds the object the old code built. */
  static final class Host {
    static final Lookup INSTANCE = new Lookup("dns,script,url");
  }

  /** The update's companion: the cell the patched code reads, with the newly computed value. */
  static final class Companion {
    static Lookup INSTANCE = new Lookup("base64,date");
  }

  /** Would fail to initialize, as netty's BrotliOptions without brotli4j. Never loaded here. */
  static final class NeverLoaded {
    static final Lookup INSTANCE = new Lookup(String.valueOf(1 / 0));
  }

  /** As commons-io's XmlStreamReader: a public pattern the program can read. */
  public static final class PublicPattern {
    public static final java.util.regex.Pattern ENCODING =
        java.util.regex.Pattern.compile("encoding=(.*)");
  }

  /**
   * A public pattern that no class reads (as snakeyaml's {@code Resolver.INT} in a program that
   * never names it): this test initializes it by reflection only.
   */
  public static final class PublicUnreadPattern {
    public static final java.util.regex.Pattern ENCODING =
        java.util.regex.Pattern.compile("encoding=(.*)");
  }

  /** The same pattern, readable by the release only: its code is the update's. */
  public static final class PrivatePattern {
    private static final java.util.regex.Pattern ENCODING =
        java.util.regex.Pattern.compile("encoding=(.*)");
  }

  /** A value the fixed release computes another way, equal to the held one. */
  public static final class PublicSeparator {
    public static final String SEPARATOR = new String("/");
    public static final java.util.regex.Pattern SAME = java.util.regex.Pattern.compile("a+");
  }

  /** The companion of PublicSeparator. */
  static final class SeparatorCompanion {
    static String SEPARATOR = String.valueOf('/');
    static java.util.regex.Pattern SAME = java.util.regex.Pattern.compile("a+");
  }

  /** A public field holding an object of the library, not of the JDK; and one holding null. */
  public static final class PublicLibraryObject {
    public static final Object HANDLER = new Object() {};
    public static final String NOT_SET = null;
  }

  /** The companion of PublicLibraryObject: an object of another class, and a value. */
  static final class LibraryObjectCompanion {
    static Object HANDLER = new Object() {};
    static String NOT_SET = "set";
  }

  /** The companion's fixed pattern. */
  static final class PatternCompanion {
    static java.util.regex.Pattern ENCODING = java.util.regex.Pattern.compile("encoding=(\\w+)");
  }

  /**
   * {@code redefineModule} (to open java.util) does nothing; {@code getInitiatedClasses} answers
   * the classes this test has loaded, as the JVM would.
   */
  private static final Instrumentation NO_INSTRUMENTATION =
      (Instrumentation)
          Proxy.newProxyInstance(
              StateTransferTest.class.getClassLoader(),
              new Class<?>[] {Instrumentation.class},
              (proxy, method, args) ->
                  method.getName().equals("getInitiatedClasses")
                          || method.getName().equals("getAllLoadedClasses")
                      ? new Class<?>[] {
                        Host.class,
                        Companion.class,
                        Lookup.class,
                        PublicPattern.class,
                        PrivatePattern.class,
                        PatternCompanion.class,
                        PublicSeparator.class,
                        SeparatorCompanion.class,
                        PublicLibraryObject.class,
                        LibraryObjectCompanion.class,
                        PublicUnreadPattern.class
                      }
                      : null);

  @Test
  void merge_pointsTheCellAtTheMergedObjectSoThatAllCodeReadsOneObject() throws Exception {
    Lookup old = Host.INSTANCE;
    Lookup fresh = Companion.INSTANCE;
    StateAction merge =
        new StateAction(
            StateAction.Kind.MERGE,
            Host.class.getName(),
            "INSTANCE",
            Companion.class.getName(),
            "new value");

    StateTransfer.Result result =
        new StateTransfer(NO_INSTRUMENTATION)
            .apply(List.of(merge), StateTransferTest.class.getClassLoader());

    assertThat(result.warnings()).isEmpty();
    assertThat(Host.INSTANCE.lookups).isEqualTo("base64,date");
    assertThat(Companion.INSTANCE).isSameAs(Host.INSTANCE).isSameAs(old);

    for (int i = result.restores().size() - 1; i >= 0; i--) {
      result.restores().get(i).run();
    }
    assertThat(Host.INSTANCE.lookups).isEqualTo("dns,script,url");
    assertThat(Companion.INSTANCE).isSameAs(fresh);
  }

  @Test
  void apply_skipsAnOwnerThatIsNotLoaded_withoutLoadingIt() throws Exception {
    StateAction merge =
        new StateAction(
            StateAction.Kind.MERGE,
            NeverLoaded.class.getName(),
            "INSTANCE",
            Companion.class.getName(),
            "new value");

    StateTransfer.Result result =
        new StateTransfer(NO_INSTRUMENTATION)
            .apply(List.of(merge), StateTransferTest.class.getClassLoader());

    assertThat(result.restores()).isEmpty();
    assertThat(result.warnings()).isEmpty();
  }

  /**
   * A JDK object cannot take the new value in place: where code outside the release can read the
   * field, that code keeps the old pattern, so the field is not in force (commons-io 2.14.0 said
   * "applied" with it only in a note); where only the release can, the update's code reads the
   * companion's new value and a note is enough; where the held value equals the new one (a string
   * computed another way, a pattern of the same expression), nothing stays old.
   */
  @Test
  void anUnmergeableValueOfAFieldTheProgramCanRead_isNotInForce() throws Exception {
    StateAction readable =
        new StateAction(
            StateAction.Kind.MERGE,
            PublicPattern.class.getName(),
            "ENCODING",
            PatternCompanion.class.getName(),
            "new value");
    StateAction releaseOnly =
        new StateAction(
            StateAction.Kind.MERGE,
            PrivatePattern.class.getName(),
            "ENCODING",
            PatternCompanion.class.getName(),
            "new value");
    StateAction equal =
        new StateAction(
            StateAction.Kind.MERGE,
            PublicSeparator.class.getName(),
            "SEPARATOR",
            SeparatorCompanion.class.getName(),
            "new value");
    StateAction samePattern =
        new StateAction(
            StateAction.Kind.MERGE,
            PublicSeparator.class.getName(),
            "SAME",
            SeparatorCompanion.class.getName(),
            "new value");
    StateAction libraryObject =
        new StateAction(
            StateAction.Kind.MERGE,
            PublicLibraryObject.class.getName(),
            "HANDLER",
            LibraryObjectCompanion.class.getName(),
            "new value");
    StateAction nullHeld =
        new StateAction(
            StateAction.Kind.MERGE,
            PublicLibraryObject.class.getName(),
            "NOT_SET",
            LibraryObjectCompanion.class.getName(),
            "new value");
    assertThat(PrivatePattern.ENCODING).isNotNull(); // initialized, as in the program
    assertThat(PublicSeparator.SEPARATOR).isNotNull();
    assertThat(PublicLibraryObject.HANDLER).isNotNull();

    StateTransfer.Result result =
        new StateTransfer(NO_INSTRUMENTATION)
            .apply(
                List.of(readable, releaseOnly, equal, samePattern, libraryObject, nullHeld),
                StateTransferTest.class.getClassLoader());

    assertThat(result.notInForce())
        .singleElement()
        .satisfies(
            n ->
                assertThat(n)
                    .startsWith("static field " + PublicPattern.class.getName() + ".ENCODING: ")
                    .contains("java.util.regex.Pattern")
                    .contains("keeps the old one"));
    // An object of the library runs the library's code, which the update replaces; a null is
    // what the old release left: warnings, as for a field only the release reads.
    assertThat(result.warnings())
        .hasSize(3)
        .anySatisfy(w -> assertThat(w).startsWith(PrivatePattern.class.getName() + ".ENCODING"))
        .anySatisfy(w -> assertThat(w).startsWith(PublicLibraryObject.class.getName() + ".HANDLER"))
        .anySatisfy(
            w -> assertThat(w).startsWith(PublicLibraryObject.class.getName() + ".NOT_SET"));
    assertThat(PublicPattern.ENCODING.pattern()).isEqualTo("encoding=(.*)");
  }

  /**
   * Only code that reads the field keeps the old value: a public static final pattern that no class
   * its loader can load reads (snakeyaml 1.31's {@code Resolver.INT}, in a program that never names
   * it) is in force, with a note; one the program reads ({@link PublicPattern}, read by this test)
   * is not.
   */
  @Test
  void anUnmergeableValueOfAPublicFieldNoClassReads_isInForce() throws Exception {
    Class.forName(PublicUnreadPattern.class.getName(), true, getClass().getClassLoader());
    StateAction unread =
        new StateAction(
            StateAction.Kind.MERGE,
            PublicUnreadPattern.class.getName(),
            "ENCODING",
            PatternCompanion.class.getName(),
            "new value");
    StateAction read =
        new StateAction(
            StateAction.Kind.MERGE,
            PublicPattern.class.getName(),
            "ENCODING",
            PatternCompanion.class.getName(),
            "new value");

    long budget = FieldReaders.budget;
    FieldReaders.budget = Long.MAX_VALUE; // this test's class path holds its libraries' jars
    StateTransfer.Result result;
    try {
      result =
          new StateTransfer(NO_INSTRUMENTATION)
              .apply(List.of(unread, read), StateTransferTest.class.getClassLoader());
    } finally {
      FieldReaders.budget = budget;
    }

    assertThat(result.notInForce())
        .singleElement()
        .satisfies(n -> assertThat(n).startsWith("static field " + PublicPattern.class.getName()));
    assertThat(result.warnings())
        .singleElement()
        .satisfies(
            w ->
                assertThat(w)
                    .startsWith(PublicUnreadPattern.class.getName() + ".ENCODING")
                    .contains("no class its loader can load reads it"));
    assertThat(PublicPattern.ENCODING.pattern()).isEqualTo("encoding=(.*)");
  }
}
