package io.jsplice.agent.restart;

import io.jsplice.agent.classfile.CodeLocation;
import io.jsplice.agent.classfile.DiskClasses;
import io.jsplice.agent.control.ControlCall;
import io.jsplice.agent.control.ControlHandler;
import io.jsplice.protocol.message.EffectiveVersion;
import io.jsplice.protocol.message.InventoryReply;
import io.jsplice.protocol.message.InventoryReply.Evidence;
import io.jsplice.protocol.message.InventoryReply.Library;
import io.jsplice.protocol.message.InventoryRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code inventory} op: which libraries this JVM runs, for a fleet that wants to know where a
 * vulnerable release is loaded. For every jar (plain or nested, as Spring Boot packs them) that a
 * loaded class came from, the coordinates in its {@code META-INF/maven/G/A/pom.properties} (one per
 * library a shaded jar embeds), else its manifest's {@code Implementation-Title}/{@code -Version},
 * else its file name. Jars are read from disk as they are now; class directories are the
 * application's own and are left out.
 *
 * <p>Runs on the control thread; reads each jar once. Takes no safepoint.
 */
final class InventoryOp implements ControlHandler<InventoryRequest, InventoryReply> {
  /**
   * Compiled at the first inventory, not when the op is registered: an agent attached for an apply
   * would otherwise load the 30-odd classes of regular expressions into the JVM for nothing.
   */
  private static final class Patterns {
    static final Pattern POM_PROPERTIES =
        Pattern.compile("META-INF/maven/[^/]+/[^/]+/pom\\.properties");
    static final Pattern FILE_NAME = Pattern.compile("(.+?)-(\\d[^/]*)\\.jar");
  }

  private final Instrumentation instrumentation;
  private final Supplier<List<String>> applied;
  private final Supplier<List<EffectiveVersion>> effective;

  InventoryOp(
      Instrumentation instrumentation,
      Supplier<List<String>> applied,
      Supplier<List<EffectiveVersion>> effective) {
    this.instrumentation = instrumentation;
    this.applied = applied;
    this.effective = effective;
  }

  @Override
  public InventoryReply handle(ControlCall<InventoryRequest> call) {
    long start = System.nanoTime();
    LoadedClasses loaded = LoadedClasses.snapshot(instrumentation);
    List<Library> libraries = new ArrayList<>();
    int classes = 0;
    try (DiskClasses disk = new DiskClasses()) {
      for (Map.Entry<String, List<Class<?>>> source : loaded.bySource().entrySet()) {
        classes += source.getValue().size();
        CodeLocation location = CodeLocation.parse(source.getKey());
        if (location != null
            && (location.kind() == CodeLocation.Kind.JAR
                || location.kind() == CodeLocation.Kind.NESTED_JAR)) {
          libraries.addAll(libraries(disk, location, source.getValue().size()));
        }
      }
    }
    libraries.sort(Comparator.comparing(Library::jar).thenComparing(Library::coordinates));
    return new InventoryReply(
        libraries,
        applied.get(),
        effective.get(),
        classes,
        (System.nanoTime() - start) / 1_000_000);
  }

  /** The libraries in one jar; at least one, named from the file when nothing better says. */
  static List<Library> libraries(DiskClasses disk, CodeLocation location, int loadedClasses) {
    String kind = location.kind() == CodeLocation.Kind.JAR ? "jar" : "nested jar";
    String jar = location.describe();
    List<Library> out = new ArrayList<>();
    try {
      Map<String, byte[]> found =
          disk.entries(
              location,
              name ->
                  name.equals("META-INF/MANIFEST.MF")
                      || Patterns.POM_PROPERTIES.matcher(name).matches());
      for (Map.Entry<String, byte[]> entry : found.entrySet()) {
        if (entry.getKey().endsWith("pom.properties")) {
          Properties pom = new Properties();
          pom.load(new ByteArrayInputStream(entry.getValue()));
          String artifactId = pom.getProperty("artifactId");
          if (artifactId != null) {
            out.add(
                new Library(
                    pom.getProperty("groupId"),
                    artifactId,
                    pom.getProperty("version"),
                    jar,
                    kind,
                    loadedClasses,
                    Evidence.POM_PROPERTIES));
          }
        }
      }
      byte[] manifest = found.get("META-INF/MANIFEST.MF");
      if (out.isEmpty() && manifest != null) {
        Attributes main = new Manifest(new ByteArrayInputStream(manifest)).getMainAttributes();
        String title = main.getValue(Attributes.Name.IMPLEMENTATION_TITLE);
        if (title != null && !title.isBlank()) {
          out.add(
              new Library(
                  null,
                  title.strip(),
                  main.getValue(Attributes.Name.IMPLEMENTATION_VERSION),
                  jar,
                  kind,
                  loadedClasses,
                  Evidence.MANIFEST));
        }
      }
    } catch (IOException | IllegalArgumentException unreadable) {
      // Named from the file below: the jar is gone or damaged, the JVM still runs its classes.
    }
    if (out.isEmpty()) {
      String name = location.name();
      Matcher m = Patterns.FILE_NAME.matcher(name);
      out.add(
          m.matches()
              ? new Library(
                  null, m.group(1), m.group(2), jar, kind, loadedClasses, Evidence.FILE_NAME)
              : new Library(
                  null,
                  name.endsWith(".jar") ? name.substring(0, name.length() - 4) : name,
                  null,
                  jar,
                  kind,
                  loadedClasses,
                  Evidence.FILE_NAME));
    }
    return out;
  }
}
