package io.jsplice.create.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The Text4Shell fix (CVE-2022-42889) as a source patch to the real commons-text 1.9, fetched from
 * Maven Central: in 1.10.0 the default lookups no longer include script, dns and url.
 */
class CommonsTextSourcePatchTest {
  private static final MavenCoordinates COMMONS_TEXT =
      MavenCoordinates.parse("org.apache.commons:commons-text:1.9");
  private static final String FACTORY = "org/apache/commons/text/lookup/StringLookupFactory";
  private static final String ADD_DEFAULTS = "addDefaultStringLookups(Ljava/util/Map;)V";

  private static Path sources;
  private static List<Path> classpath;
  private static SourcePatch.Result text4shell;

  @BeforeAll
  static void compileTheFix() throws Exception {
    try (MavenArtifacts maven = new MavenArtifacts()) {
      sources = maven.resolve(COMMONS_TEXT.withClassifier("sources"));
      classpath = maven.resolveCompileClasspath(COMMONS_TEXT);
    }
    text4shell = new SourcePatch(sources, resource("text4shell.diff"), classpath).compile();
  }

  @Test
  void compile_findsTheTouchedFileUnderItsRepositoryPath() {
    assertThat(text4shell.touchedFiles()).containsExactly(FACTORY + ".java");
    assertThat(text4shell.ignoredFiles()).isEmpty();
    assertThat(text4shell.constantRecompilations()).isEmpty();
  }

  @Test
  void compile_producesOnlyTheClassesOfTheTouchedUnit() {
    assertThat(text4shell.compiledBefore().classes()).containsOnlyKeys(FACTORY);
    assertThat(text4shell.compiledAfter().classes()).containsOnlyKeys(FACTORY);
    assertThat(text4shell.compiledBefore().origin()).isEqualTo("commons-text-1.9-sources.jar");
    assertThat(text4shell.compiledAfter().origin())
        .isEqualTo("commons-text-1.9-sources.jar + text4shell.diff");
  }

  @Test
  void compile_targetsTheReleaseOfTheOriginalClassFiles() {
    assertThat(text4shell.javacOptions()).containsSubsequence("--release", "8");
    assertThat(text4shell.javacOptions()).doesNotContain("-parameters");
    assertThat(new ClassReader(text4shell.compiledAfter().bytes(FACTORY)).readUnsignedShort(6))
        .isEqualTo(52);
  }

  @Test
  void compile_changesOnlyAddDefaultStringLookups() {
    Map<String, MethodNode> pre = methods(text4shell.compiledBefore().bytes(FACTORY));
    Map<String, MethodNode> post = methods(text4shell.compiledAfter().bytes(FACTORY));

    assertThat(post.keySet()).isEqualTo(pre.keySet());
    assertThat(fieldsRead(pre.get(ADD_DEFAULTS))).doesNotContain("SCRIPT", "DNS", "URL");
    assertThat(fieldsRead(post.get(ADD_DEFAULTS))).contains("SCRIPT", "DNS", "URL");
    for (String method : pre.keySet()) {
      if (!method.equals(ADD_DEFAULTS)) {
        assertThat(instructions(post.get(method)))
            .as(method)
            .isEqualTo(instructions(pre.get(method)));
      }
    }
  }

  @Test
  void compile_postClassNoLongerAddsScriptDnsAndUrlLookups() throws Exception {
    assertThat(defaultLookups(text4shell.compiledBefore()))
        .contains("script", "dns", "url", "sys", "env");
    assertThat(defaultLookups(text4shell.compiledAfter()))
        .doesNotContain("script", "dns", "url")
        .contains("sys", "env", "base64");
  }

  /** The jar was built with JDK 8; javac 17 with --release 8 reproduces this class exactly. */
  @Test
  void mismatchesWith_theShippedJar_isEmptyWhenJavacReproducesIt() throws IOException {
    ClassSet shipped = readJar(classpath.get(0));

    assertThat(text4shell.mismatchesWith(shipped)).isEmpty();
  }

  @Test
  void mismatchesWith_reportsClassesJavacDidNotReproduce() throws IOException {
    Map<String, byte[]> classes = new TreeMap<>(readJar(classpath.get(0)).classes());
    classes.put(
        FACTORY, text4shell.compiledAfter().bytes(FACTORY)); // stands for other javac output
    classes.put(FACTORY + "$Gone", new byte[0]);

    assertThat(text4shell.mismatchesWith(new ClassSet("edited", classes, List.of())))
        .containsExactly(
            new SourcePatch.CompiledPreMismatch(
                FACTORY, SourcePatch.CompiledPreMismatch.Kind.DIFFERENT_CODE),
            new SourcePatch.CompiledPreMismatch(
                FACTORY + "$Gone", SourcePatch.CompiledPreMismatch.Kind.ONLY_IN_ORIGINAL));
  }

  @Test
  void compile_hunkThatDoesNotApply_namesTheFileAndTheHunk() {
    SourcePatch patch =
        new SourcePatch(sources, resource("text4shell-other-version.diff"), classpath);

    assertThatThrownBy(patch::compile)
        .isInstanceOf(PatchDoesNotApplyException.class)
        .hasMessageContaining("hunk @@ -409,6 +409,12 @@ of text4shell-other-version.diff")
        .hasMessageContaining("does not apply to " + FACTORY + ".java")
        .hasMessageContaining("lines 409-414")
        .satisfies(
            e -> {
              PatchDoesNotApplyException failure = (PatchDoesNotApplyException) e;
              assertThat(failure.file()).isEqualTo(FACTORY + ".java");
              assertThat(failure.hunk()).isEqualTo("@@ -409,6 +409,12 @@");
            });
  }

  @Test
  void compile_patchThatDoesNotCompile_namesFileLineAndJavacMessage() {
    SourcePatch patch =
        new SourcePatch(sources, resource("text4shell-does-not-compile.diff"), classpath);

    assertThatThrownBy(patch::compile)
        .isInstanceOf(PatchCompileException.class)
        .hasMessageContaining("text4shell-does-not-compile.diff do not compile")
        .hasMessageContaining(FACTORY + ".java:412: cannot find symbol")
        .satisfies(
            e -> {
              PatchCompileException failure = (PatchCompileException) e;
              assertThat(failure.side()).isEqualTo(PatchCompileException.Side.PATCHED);
              assertThat(failure.errors().get(0).file()).isEqualTo(FACTORY + ".java");
              assertThat(failure.errors().get(0).line()).isEqualTo(412);
              assertThat(failure.errors().get(0).message()).contains("isRemote()");
            });
  }

  /** Runs the factory from the given class set, the rest of commons-text from the jar. */
  private static List<String> defaultLookups(ClassSet patched) throws Exception {
    try (PatchedLoader loader = new PatchedLoader(patched.classes(), classpath)) {
      Class<?> factory = loader.loadClass(FACTORY.replace('/', '.'));
      assertThat(factory.getClassLoader()).isSameAs(loader);
      Object instance = factory.getField("INSTANCE").get(null);
      Map<String, Object> lookups = new HashMap<>();
      Method add = factory.getMethod("addDefaultStringLookups", Map.class);
      add.invoke(instance, lookups);
      return List.copyOf(lookups.keySet());
    }
  }

  private static Map<String, MethodNode> methods(byte[] classFile) {
    ClassNode node = new ClassNode();
    new ClassReader(classFile).accept(node, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    Map<String, MethodNode> methods = new TreeMap<>();
    node.methods.forEach(m -> methods.put(m.name + m.desc, m));
    return methods;
  }

  private static List<String> fieldsRead(MethodNode method) {
    return java.util.stream.StreamSupport.stream(method.instructions.spliterator(), false)
        .filter(i -> i instanceof FieldInsnNode)
        .map(i -> ((FieldInsnNode) i).name)
        .toList();
  }

  /** Opcodes and field/method operands: enough to tell two method bodies apart here. */
  private static List<String> instructions(MethodNode method) {
    return java.util.stream.StreamSupport.stream(method.instructions.spliterator(), false)
        .filter(i -> i.getOpcode() >= 0)
        .map(CommonsTextSourcePatchTest::describe)
        .toList();
  }

  private static String describe(AbstractInsnNode insn) {
    if (insn instanceof FieldInsnNode f) {
      return insn.getOpcode() + " " + f.owner + "." + f.name;
    }
    if (insn instanceof org.objectweb.asm.tree.MethodInsnNode m) {
      return insn.getOpcode() + " " + m.owner + "." + m.name + m.desc;
    }
    return Integer.toString(insn.getOpcode());
  }

  static ClassSet readJar(Path jar) throws IOException {
    Map<String, byte[]> classes = new TreeMap<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (ZipEntry entry : zip.stream().toList()) {
        String name = entry.getName();
        if (name.endsWith(".class") && !name.startsWith("META-INF/")) {
          try (InputStream in = zip.getInputStream(entry)) {
            classes.put(name.substring(0, name.length() - 6), in.readAllBytes());
          }
        }
      }
    }
    return new ClassSet(jar.getFileName().toString(), classes, List.of());
  }

  static Path resource(String name) {
    try {
      return Path.of(CommonsTextSourcePatchTest.class.getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Defines the given classes itself and the rest from the jars, not delegating for either. */
  private static final class PatchedLoader extends URLClassLoader {
    private final Map<String, byte[]> patched;

    PatchedLoader(Map<String, byte[]> patched, List<Path> jars) throws IOException {
      super(urls(jars), ClassLoader.getPlatformClassLoader());
      this.patched = patched;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      byte[] bytes = patched.get(name.replace('.', '/'));
      return bytes != null ? defineClass(name, bytes, 0, bytes.length) : super.findClass(name);
    }

    private static URL[] urls(List<Path> jars) throws IOException {
      URL[] urls = new URL[jars.size()];
      for (int i = 0; i < urls.length; i++) {
        urls[i] = jars.get(i).toUri().toURL();
      }
      return urls;
    }
  }
}
