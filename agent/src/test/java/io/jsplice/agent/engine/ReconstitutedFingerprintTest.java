package io.jsplice.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.create.source.MavenArtifacts;
import io.jsplice.create.source.MavenCoordinates;
import io.jsplice.model.fingerprint.ClassFingerprint;
import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.TargetJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Run-pre matching compares the class file HotSpot hands a retransformation with the class file an
 * update was built from. When the agent comes late (attach), HotSpot has no copy of the original
 * and reconstitutes one from its internal form: other constant pool, other method order, some
 * attributes gone (MethodParameters on JDK 17, EnclosingMethod without a method, ConstantValue of
 * instance fields). The fingerprint must see through all of it, for every class of real libraries,
 * or updates would be refused in every attached JVM.
 */
class ReconstitutedFingerprintTest {
  /** Loads every class of the jar named first, then dumps what a retransformation receives. */
  private static final String DUMPER =
      """
      import java.lang.instrument.*;
      import java.nio.file.*;
      import java.security.ProtectionDomain;
      import java.util.*;
      import java.util.jar.*;
      public class Dumper {
        static Instrumentation inst;
        public static void premain(String args, Instrumentation i) { inst = i; }
        public static void main(String[] args) throws Exception {
          Path out = Path.of(args[1]);
          List<Class<?>> loaded = new ArrayList<>();
          try (JarFile jar = new JarFile(args[0])) {
            for (JarEntry e : Collections.list(jar.entries())) {
              String n = e.getName();
              if (n.endsWith(".class") && !n.startsWith("META-INF") && !n.endsWith("module-info.class")) {
                try {
                  loaded.add(Class.forName(n.substring(0, n.length() - 6).replace('/', '.'), false,
                      Dumper.class.getClassLoader()));
                } catch (Throwable missingDependency) { }
              }
            }
          }
          // Added after loading: HotSpot kept no original bytes and must reconstitute them.
          ClassFileTransformer t = new ClassFileTransformer() {
            public byte[] transform(ClassLoader l, String name, Class<?> c, ProtectionDomain d, byte[] b) {
              if (c != null) {
                try {
                  Path p = out.resolve(name + ".class");
                  Files.createDirectories(p.getParent());
                  Files.write(p, b);
                } catch (Exception e) { throw new RuntimeException(e); }
              }
              return null;
            }
          };
          inst.addTransformer(t, true);
          for (Class<?> c : loaded) {
            try {
              if (inst.isModifiableClass(c)) inst.retransformClasses(c);
            } catch (Throwable notLinked) { } // a class whose dependencies are missing
          }
          System.out.println("dumped " + loaded.size());
        }
      }
      """;

  static Stream<Arguments> libraries() {
    List<List<String>> libraries =
        List.of(
            List.of(
                "org.apache.logging.log4j:log4j-core:2.16.0",
                "org.apache.logging.log4j:log4j-api:2.16.0"),
            List.of(
                "org.springframework:spring-beans:5.3.17",
                "org.springframework:spring-core:5.3.17",
                "org.springframework:spring-jcl:5.3.17"),
            List.of(
                "com.fasterxml.jackson.core:jackson-databind:2.9.10.2",
                "com.fasterxml.jackson.core:jackson-core:2.9.10",
                "com.fasterxml.jackson.core:jackson-annotations:2.9.10"),
            List.of("org.apache.commons:commons-text:1.9", "org.apache.commons:commons-lang3:3.11"),
            List.of("com.thoughtworks.xstream:xstream:1.4.15"),
            // Kotlin: static synthetic class initializers ($WhenMappings).
            List.of(
                "com.squareup.okhttp3:okhttp:4.9.3",
                "com.squareup.okio:okio:2.8.0",
                "org.jetbrains.kotlin:kotlin-stdlib:1.4.10"),
            List.of(
                "io.netty:netty-codec:4.1.67.Final",
                "io.netty:netty-buffer:4.1.67.Final",
                "io.netty:netty-common:4.1.67.Final",
                "io.netty:netty-transport:4.1.67.Final"));
    List<Arguments> out = new ArrayList<>();
    for (List<String> library : libraries) {
      for (Jdk jdk : Jdk.underTest()) {
        out.add(Arguments.of(library, jdk));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("libraries")
  void fingerprint_ofEveryReconstitutedClass_isThatOfItsClassFile(
      List<String> library, Jdk jdk, @TempDir Path work) throws IOException {
    List<Path> jars = new ArrayList<>();
    try (MavenArtifacts maven = new MavenArtifacts()) {
      for (String coordinates : library) {
        jars.add(maven.resolve(MavenCoordinates.parse(coordinates)));
      }
    }
    Path agent = dumperJar(work);
    Path dump = work.resolve("dump");
    List<Path> classpath = new ArrayList<>(jars);
    classpath.add(0, agent);
    try (TargetJvm jvm =
        TargetJvm.on(jdk)
            .jvmArgs("-javaagent:" + agent)
            .classpath(classpath.toArray(Path[]::new))
            .mainClass("Dumper")
            .args(jars.get(0).toString(), dump.toString())
            .start()) {
      jvm.awaitStdout("dumped", Duration.ofSeconds(120));
    }
    Map<String, String> mismatches = new TreeMap<>();
    int compared = 0;
    try (JarFile jar =
            new JarFile(
                jars.get(0).toFile(),
                true,
                ZipFile.OPEN_READ,
                Runtime.Version.parse(Integer.toString(jdk.feature())));
        Stream<Path> files = Files.walk(dump)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name = dump.relativize(file).toString();
        JarEntry entry = jar.getJarEntry(name);
        if (entry == null) {
          continue; // a class of another jar on the class path
        }
        compared++;
        String onDisk = ClassFingerprint.of(jar.getInputStream(entry).readAllBytes());
        String reconstituted = ClassFingerprint.of(Files.readAllBytes(file));
        if (!onDisk.equals(reconstituted)) {
          mismatches.put(name, onDisk.substring(0, 12) + " vs " + reconstituted.substring(0, 12));
        }
      }
    }
    assertThat(compared).as("classes compared").isGreaterThan(50);
    assertThat(mismatches).as("classes whose reconstituted fingerprint differs").isEmpty();
  }

  private static Path dumperJar(Path work) throws IOException {
    Path jar = work.resolve("dumper.jar");
    Jars.write(
        jar,
        Compiler.with(Jdk.current()).options("--release", "17").compile("Dumper.java", DUMPER),
        Map.of("Premain-Class", "Dumper", "Can-Retransform-Classes", "true"));
    return jar;
  }
}
