package io.jsplice.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds a released jar in the local Maven repository, fetching it from Maven Central with {@code
 * mvn dependency:get} when it is not there yet.
 */
final class MavenJars {
  private final Path repository;

  /** The repository {@code -Dmaven.repo.local} names, else {@code ~/.m2/repository}. */
  MavenJars() {
    this(
        Path.of(
            System.getProperty(
                "maven.repo.local", System.getProperty("user.home") + "/.m2/repository")));
  }

  MavenJars(Path repository) {
    this.repository = repository;
  }

  /** The jar of {@code groupId:artifactId:version}, downloaded first if need be. */
  Path jar(String groupId, String artifactId, String version)
      throws IOException, InterruptedException {
    Path jar =
        repository
            .resolve(groupId.replace('.', '/'))
            .resolve(artifactId)
            .resolve(version)
            .resolve(artifactId + "-" + version + ".jar");
    if (Files.isRegularFile(jar)) {
      return jar;
    }
    String coordinates = groupId + ":" + artifactId + ":" + version;
    List<String> command = new ArrayList<>(List.of(maven(), "-q", "-B"));
    command.add("-Dmaven.repo.local=" + repository);
    command.addAll(
        List.of(
            "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:get",
            "-Dartifact=" + coordinates,
            "-Dtransitive=false"));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(10, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IOException("mvn dependency:get " + coordinates + " did not finish in 10 minutes");
    }
    if (process.exitValue() != 0 || !Files.isRegularFile(jar)) {
      throw new IOException(
          "could not fetch "
              + coordinates
              + " into "
              + repository
              + " (is Maven Central reachable?):\n"
              + output);
    }
    return jar;
  }

  /** {@code mvn} on the PATH, else the project's wrapper when run from inside the project. */
  private static String maven() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "mvn"))) {
        return Path.of(dir, "mvn").toString();
      }
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isExecutable(dir.resolve("mvnw"))) {
        return dir.resolve("mvnw").toString();
      }
    }
    return "mvn";
  }
}
