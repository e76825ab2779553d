package io.jsplice.bench.startup;

import io.jsplice.create.UpdateCreator;
import io.jsplice.create.source.ClassSet;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.record.ServiceRecordStore;
import io.jsplice.model.signing.KeyGeneration;
import io.jsplice.model.signing.SigningKey;
import io.jsplice.model.signing.UpdateFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Ten signed updates recorded for the benchmark's service, each fixing one method of a class of
 * another of its libraries that the service runs before it answers its first request ({@link
 * FixMarker} says what the fix does). Built by {@link UpdateCreator} as {@code jsplice create}
 * builds updates, signed with a key made here, and recorded as the agent records what it applies: a
 * JVM of the service started with the agent applies all ten again as their classes load. The fixed
 * classes are also written to a directory ({@link #fixedClasses}), the benchmarks' reference for
 * what the agent adds: the service without the agent, running the fixed code.
 */
final class ServiceFixes {
  static final String SERVICE = "orders";

  /**
   * A method the service runs before its first answer.
   *
   * @param jar the file name prefix of the library's jar in the service's lib directory
   */
  record Target(String jar, String className, String method, String descriptor) {
    /** The system property the fixed method sets. */
    String property() {
      return "fix." + className.substring(className.lastIndexOf('.') + 1) + "." + method;
    }

    String updateId() {
      return "bench-" + className.substring(className.lastIndexOf('.') + 1).toLowerCase();
    }
  }

  static final List<Target> TARGETS =
      List.of(
          new Target(
              "jackson-databind-",
              "com.fasterxml.jackson.databind.ObjectMapper",
              "registerModule",
              "(Lcom/fasterxml/jackson/databind/Module;)Lcom/fasterxml/jackson/databind/ObjectMapper;"),
          new Target("HikariCP-", "com.zaxxer.hikari.HikariConfig", "setMaximumPoolSize", "(I)V"),
          new Target(
              "flyway-core-",
              "org.flywaydb.core.Flyway",
              "migrate",
              "()Lorg/flywaydb/core/api/output/MigrateResult;"),
          new Target(
              "h2-",
              "org.h2.Driver",
              "connect",
              "(Ljava/lang/String;Ljava/util/Properties;)Ljava/sql/Connection;"),
          new Target("javalin-", "io.javalin.Javalin", "start", "(I)Lio/javalin/Javalin;"),
          new Target("jetty-server-", "org.eclipse.jetty.server.Server", "doStart", "()V"),
          new Target(
              "logback-classic-",
              "ch.qos.logback.classic.Logger",
              "info",
              "(Ljava/lang/String;Ljava/lang/Object;Ljava/lang/Object;)V"),
          new Target(
              "guava-",
              "com.google.common.cache.CacheBuilder",
              "maximumSize",
              "(J)Lcom/google/common/cache/CacheBuilder;"),
          new Target(
              "hibernate-validator-",
              "org.hibernate.validator.internal.engine.ValidatorImpl",
              "validate",
              "(Ljava/lang/Object;[Ljava/lang/Class;)Ljava/util/Set;"),
          new Target(
              "micrometer-registry-prometheus-",
              "io.micrometer.prometheusmetrics.PrometheusMeterRegistry",
              "scrape",
              "()Ljava/lang/String;"));

  private final Path root;

  private ServiceFixes(Path root) {
    this.root = root;
  }

  /**
   * Builds the key, the ten updates and the service's record under {@code root}.
   *
   * @param lib the service's library jars
   */
  static ServiceFixes build(Path lib, Path root) throws Exception {
    ServiceFixes fixes = new ServiceFixes(root);
    Path keyStore = root.resolve("keys/bench.p12");
    Files.createDirectories(keyStore.getParent());
    SigningKey key =
        KeyGeneration.generate(
            keyStore, "jsplice-bench".toCharArray(), "CN=jsplice bench", fixes.certificate());
    ServiceRecordStore record = ServiceRecordStore.at(fixes.stateDir(), SERVICE);
    for (Target target : TARGETS) {
      String internal = target.className().replace('.', '/');
      byte[] released = classFile(jar(lib, target.jar()), internal + ".class");
      byte[] fixed =
          FixMarker.mark(released, target.method(), target.descriptor(), target.property());
      UpdatePackage update =
          UpdateCreator.create(
                  new ClassSet("released", Map.of(internal, released), List.of()),
                  new ClassSet("fixed", Map.of(internal, fixed), List.of()),
                  new UpdateCreator.Request(
                      target.updateId(),
                      "marks " + target.className() + "." + target.method(),
                      List.of(),
                      List.of()))
              .update();
      Path fixedFile = fixes.fixedClasses().resolve(internal + ".class");
      Files.createDirectories(fixedFile.getParent());
      Files.write(fixedFile, fixed);
      Path file = root.resolve("updates/" + target.updateId() + ".jsplice");
      Files.createDirectories(file.getParent());
      UpdateFile.write(update, key, file);
      record.commit(
          record.stage(Files.readAllBytes(file)),
          target.updateId(),
          "bench",
          Instant.now(),
          List.of(target.className()));
    }
    return fixes;
  }

  Path certificate() {
    return root.resolve("keys/bench.pem");
  }

  /**
   * A class path directory holding the ten fixed classes, as the recorded updates install them:
   * first on the class path, a JVM without the agent runs what a restart onto the fixed releases
   * runs.
   */
  Path fixedClasses() {
    return root.resolve("fixed");
  }

  Path stateDir() {
    return root.resolve("state");
  }

  /**
   * The {@code -javaagent} option of {@code agent} trusting these fixes' certificate, in state
   * directory {@code state}: with {@code withService}, for the service whose record there holds the
   * ten updates (a copy of {@link #stateDir}), else for no service, as both start-up benchmarks
   * start it.
   */
  String javaagent(Path agent, Path state, boolean withService) {
    return "-javaagent:"
        + agent
        + "="
        + (withService ? "service=" + SERVICE + "," : "")
        + "state="
        + state
        + ",trust="
        + certificate();
  }

  /** The properties the fixed methods set, sorted: what {@code /health} lists when all ran. */
  static List<String> properties() {
    List<String> out = new ArrayList<>();
    TARGETS.forEach(t -> out.add(t.property()));
    out.sort(null);
    return out;
  }

  private static Path jar(Path lib, String prefix) throws IOException {
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(lib, prefix + "[0-9]*.jar")) {
      for (Path jar : jars) {
        return jar;
      }
    }
    throw new IOException("no " + prefix + "*.jar in " + lib);
  }

  private static byte[] classFile(Path jar, String entry) throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      JarEntry found = file.getJarEntry(entry);
      if (found == null) {
        throw new IOException(jar + " has no " + entry);
      }
      try (InputStream in = file.getInputStream(found)) {
        return in.readAllBytes();
      }
    }
  }
}
