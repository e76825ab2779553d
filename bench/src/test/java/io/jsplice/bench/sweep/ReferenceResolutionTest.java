package io.jsplice.bench.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jdk;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Code compiled against one shape of a class and linked against another: the verifier accepts it,
 * resolution (the first run of each instruction) does not, and the sweep must say so before apply.
 */
class ReferenceResolutionTest {
  private static final String CALLER =
      """
      package lib;
      public class Caller {
        public static String run(Target t) { return Target.make() + t.name + t.label(); }
      }
      """;

  private static final String TARGET =
      """
      package lib;
      public class Target {
        public String name = "n";
        public static String make() { return "m"; }
        public String label() { return "l"; }
      }
      """;

  @Test
  void codeLinkedAgainstTheClassItWasCompiledFor_resolves() throws Exception {
    assertThat(firstFailure(TARGET)).isNull();
  }

  @Test
  void aStaticMethodThatBecameAnInstanceMethod_isAnIncompatibleClassChange() throws Exception {
    String target = TARGET.replace("public static String make()", "public String make()");
    assertThat(firstFailure(target))
        .startsWith("run(Llib/Target;)Ljava/lang/String;: IncompatibleClassChangeError:")
        .contains("lib/Target.make()Ljava/lang/String;");
  }

  @Test
  void aMethodThatBecamePrivate_isAnIllegalAccess() throws Exception {
    String target = TARGET.replace("public String label()", "private String label()");
    assertThat(firstFailure(target)).contains("IllegalAccessError: lib/Target.label()");
  }

  @Test
  void aRemovedField_isNoSuchField() throws Exception {
    String target = TARGET.replace("public String name = \"n\";", "");
    assertThat(firstFailure(target))
        .contains("NoSuchFieldError: lib/Target.name:Ljava/lang/String;");
  }

  @Test
  void anInheritedMethod_resolvesThroughTheSuperclass() throws Exception {
    String target =
        TARGET
            .replace("public class Target {", "public class Target extends Base {")
            .replace("public String label() { return \"l\"; }", "");
    Map<String, String> sources = new HashMap<>();
    sources.put(
        "lib/Base.java",
        "package lib; public class Base { public String label() { return \"b\"; } }");
    assertThat(firstFailure(target, sources)).isNull();
  }

  private static String firstFailure(String target) throws Exception {
    return firstFailure(target, new HashMap<>());
  }

  /** Compiles Caller against {@link #TARGET}, links it against {@code target}, resolves it. */
  private static String firstFailure(String target, Map<String, String> more) throws Exception {
    Map<String, byte[]> caller =
        Compiler.with(Jdk.current())
            .compile(Map.of("lib/Caller.java", CALLER, "lib/Target.java", TARGET));
    Map<String, String> sources = new HashMap<>(more);
    sources.put("lib/Target.java", target);
    Map<String, byte[]> classes = new HashMap<>(Compiler.with(Jdk.current()).compile(sources));
    classes.put("lib/Caller", caller.get("lib/Caller"));
    ClassLoader loader = new Bytes(classes);
    Class<?> c = Class.forName("lib.Caller", false, loader);
    c.getDeclaredMethods(); // links: the verifier accepts every variant
    return ReferenceResolution.firstFailure(c, classes.get("lib/Caller"));
  }

  private static final class Bytes extends ClassLoader {
    private final Map<String, byte[]> classes;

    Bytes(Map<String, byte[]> classes) {
      super(ReferenceResolutionTest.class.getClassLoader());
      this.classes = classes;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      byte[] bytes = classes.get(name.replace('.', '/'));
      if (bytes == null) {
        throw new ClassNotFoundException(name);
      }
      return defineClass(name, bytes, 0, bytes.length);
    }
  }
}
