package io.jsplice.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pins down what the agent jar puts where: nothing but the launcher and the bootstrap classes on
 * the application's class path, everything else under {@code jsplice/runtime/} with its classes
 * renamed {@code .classdata} (no class path scanner takes them for classes), ASM relocated.
 */
class AgentJarLayoutIT {
  private static final Pattern JSPLICE_REFERENCE = Pattern.compile("io/jsplice/[a-z/]+");
  private static final String RUNTIME = "jsplice/runtime/";
  private static Map<String, byte[]> top;
  private static Map<String, byte[]> runtime;
  private static Attributes manifest;

  @BeforeAll
  static void readJar() throws IOException {
    Map<String, byte[]> all;
    try (JarFile jar = new JarFile(TestPrograms.agentJar().toFile())) {
      manifest = jar.getManifest().getMainAttributes();
      all = entries(jar);
    }
    top = new LinkedHashMap<>();
    runtime = new LinkedHashMap<>();
    all.forEach(
        (name, bytes) -> {
          if (name.startsWith(RUNTIME)) {
            if (name.length() > RUNTIME.length()) {
              runtime.put(name.substring(RUNTIME.length()), bytes);
            }
          } else {
            top.put(name, bytes);
          }
        });
  }

  @Test
  void topLevel_holdsOnlyTheLauncherTheBootstrapClassesAndTheRuntime() {
    assertThat(files(top))
        .isNotEmpty()
        .allSatisfy(
            name ->
                assertThat(name)
                    .matches(
                        "META-INF/MANIFEST\\.MF|io/jsplice/agent/launch/[^/]+\\.class"
                            + "|io/jsplice/bootstrap/[^/]+\\.class"))
        .contains(
            "io/jsplice/agent/launch/AgentLauncher.class",
            "io/jsplice/agent/launch/RuntimeLoader.class",
            "io/jsplice/bootstrap/RunningAgent.class");
    assertThat(runtime).isNotEmpty();
  }

  @Test
  void manifest_declaresBothEntryPointsAndBothRedefinitionCapabilities() {
    assertThat(manifest.getValue("Premain-Class"))
        .isEqualTo("io.jsplice.agent.launch.AgentLauncher");
    assertThat(manifest.getValue("Agent-Class")).isEqualTo("io.jsplice.agent.launch.AgentLauncher");
    assertThat(manifest.getValue("Can-Redefine-Classes")).isEqualTo("true");
    assertThat(manifest.getValue("Can-Retransform-Classes")).isEqualTo("true");
    assertThat(manifest.getValue("Implementation-Version")).isNotBlank();
    assertThat(manifest.getValue("Boot-Class-Path"))
        .as("the launcher appends the jar itself")
        .isNull();
  }

  @Test
  void topLevelClasses_referenceNothingOfOursButTheLauncherAndBootstrapPackages() {
    for (Map.Entry<String, byte[]> entry : top.entrySet()) {
      if (entry.getKey().endsWith(".class")) {
        assertThat(references(entry.getValue()))
            .as(entry.getKey())
            .allSatisfy(ref -> assertThat(ref).matches("io/jsplice/(agent/launch|bootstrap)/.*"));
      }
    }
  }

  @Test
  void runtime_holdsTheRuntimeTheModelAndRelocatedAsm_asClassData() {
    assertThat(runtime)
        .containsKeys(
            "io/jsplice/agent/runtime/AgentRuntime.classdata",
            "io/jsplice/agent/runtime/agent.properties",
            "io/jsplice/agent/control/ControlServer.classdata",
            "io/jsplice/protocol/ControlProtocol.classdata",
            "io/jsplice/model/control/FailureCause.classdata",
            "io/jsplice/internal/asm/ClassReader.classdata",
            // the native heap library, behind the runtime's loader like the rest
            "io/jsplice/agent/heap/native/linux-"
                + System.getProperty("os.arch")
                + "/libjsplice-heap.so");
    assertThat(files(runtime))
        .noneMatch(name -> name.startsWith("org/"))
        .noneMatch(name -> name.startsWith("io/jsplice/agent/launch/"))
        .noneMatch(name -> name.startsWith("io/jsplice/bootstrap/"))
        .noneMatch(name -> name.endsWith(".class"))
        .noneMatch(name -> name.contains("module-info"))
        .noneMatch(name -> name.endsWith(".jar"))
        .allSatisfy(name -> assertThat(name).matches("io/jsplice/.*"));
  }

  @Test
  void noClassAnywhereReferencesUnrelocatedAsm() {
    List<String> offenders = new ArrayList<>();
    Map<String, byte[]> all = new LinkedHashMap<>(top);
    runtime.forEach((name, bytes) -> all.put(RUNTIME + name, bytes));
    all.forEach(
        (name, bytes) -> {
          if (new String(bytes, StandardCharsets.ISO_8859_1).contains("org/objectweb/asm")) {
            offenders.add(name);
          }
        });

    assertThat(offenders).isEmpty();
  }

  private static Map<String, byte[]> entries(JarFile jar) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    for (JarEntry entry : jar.stream().toList()) {
      try (InputStream in = jar.getInputStream(entry)) {
        entries.put(entry.getName(), in.readAllBytes());
      }
    }
    return entries;
  }

  private static List<String> files(Map<String, byte[]> entries) {
    return entries.keySet().stream().filter(name -> !name.endsWith("/")).toList();
  }

  /** Internal names of our own classes a class file mentions (its constant pool is ASCII here). */
  private static List<String> references(byte[] classFile) {
    List<String> found = new ArrayList<>();
    Matcher matcher = JSPLICE_REFERENCE.matcher(new String(classFile, StandardCharsets.ISO_8859_1));
    while (matcher.find()) {
      found.add(matcher.group());
    }
    return found;
  }
}
