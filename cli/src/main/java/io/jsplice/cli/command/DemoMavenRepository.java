package io.jsplice.cli.command;

import io.jsplice.create.source.MavenArtifacts;
import io.jsplice.create.source.MavenCoordinates;
import io.jsplice.create.source.MavenResolutionException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo's own Maven repository on disk, in Maven Central's layout (jars, POMs, {@code
 * maven-metadata.xml}, SHA-1 files), which the demo fills release by release: how "the fixed
 * release is published" happens for the fleet server's feed, which watches it through a {@code
 * file:} URL. The files are the real ones from Maven Central, copied from the local repository the
 * demo resolved them into.
 *
 * <p>Not thread-safe: the demo's one thread fills it.
 */
final class DemoMavenRepository {
  private static final Pattern PARENT = Pattern.compile("<parent>(.*?)</parent>", Pattern.DOTALL);

  private final Path root;
  private final Map<String, List<String>> versions = new LinkedHashMap<>();

  DemoMavenRepository(Path root) {
    this.root = root.toAbsolutePath();
  }

  URI uri() {
    return root.toUri();
  }

  /**
   * Publishes a release (its jar, its POM and the parent POMs that one needs), and with {@code
   * withDependencies} its compile dependencies too, so that a resolver reading this repository
   * alone finds what the feed's link check asks for.
   *
   * @throws MavenResolutionException when Maven Central (or the local cache) lacks the release
   */
  DemoMavenRepository add(String coordinates, boolean withDependencies)
      throws IOException, MavenResolutionException {
    try (MavenArtifacts maven = new MavenArtifacts()) {
      // Resolving the classpath brings the POMs into the local repository, the jars only do not.
      List<Path> jars = maven.resolveCompileClasspath(MavenCoordinates.parse(coordinates));
      for (Path jar : withDependencies ? jars : jars.subList(0, 1)) {
        copyRelease(maven.localRepository(), jar);
      }
    }
    return this;
  }

  /** Copies a jar from the local repository, its POM and their parents, and lists its version. */
  private void copyRelease(Path local, Path jar) throws IOException {
    Path versionDir = jar.getParent();
    Path artifactDir = versionDir.getParent();
    String version = versionDir.getFileName().toString();
    String artifactId = artifactDir.getFileName().toString();
    List<String> groupPath = new ArrayList<>();
    local.relativize(artifactDir.getParent()).forEach(name -> groupPath.add(name.toString()));
    String groupId = String.join(".", groupPath);
    Path into = root.resolve(local.relativize(versionDir).toString());
    Files.createDirectories(into);
    copy(jar, into.resolve(jar.getFileName().toString()));
    copyPom(local, groupId, artifactId, version);
    List<String> known =
        versions.computeIfAbsent(groupId + ":" + artifactId, k -> new ArrayList<>());
    if (!known.contains(version)) {
      known.add(version);
    }
    writeMetadata(groupId, artifactId, known);
  }

  /** A POM and, as its {@code <parent>} says, its parent's, up to the root. */
  private void copyPom(Path local, String groupId, String artifactId, String version)
      throws IOException {
    Path relative =
        Path.of(
            groupId.replace('.', '/'), artifactId, version, artifactId + "-" + version + ".pom");
    Path pom = local.resolve(relative.toString());
    if (!Files.exists(pom)) {
      return; // the resolver managed without it; so will the feed's
    }
    Path into = root.resolve(relative.toString());
    Files.createDirectories(into.getParent());
    copy(pom, into);
    Matcher parent = PARENT.matcher(Files.readString(pom, StandardCharsets.UTF_8));
    if (parent.find()) {
      String block = parent.group(1);
      copyPom(
          local,
          element(block, "groupId"),
          element(block, "artifactId"),
          element(block, "version"));
    }
  }

  private static String element(String xml, String name) {
    Matcher m = Pattern.compile("<" + name + ">\\s*([^<]+?)\\s*</" + name + ">").matcher(xml);
    return m.find() ? m.group(1) : "";
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(to.resolveSibling(to.getFileName() + ".sha1"), sha1(Files.readAllBytes(to)));
  }

  private void writeMetadata(String groupId, String artifactId, List<String> known)
      throws IOException {
    String newest = known.get(known.size() - 1);
    StringBuilder xml =
        new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<metadata>\n")
            .append("  <groupId>" + groupId + "</groupId>\n")
            .append("  <artifactId>" + artifactId + "</artifactId>\n")
            .append("  <versioning>\n")
            .append("    <latest>" + newest + "</latest>\n")
            .append("    <release>" + newest + "</release>\n")
            .append("    <versions>\n");
    for (String version : known) {
      xml.append("      <version>" + version + "</version>\n");
    }
    xml.append("    </versions>\n")
        .append("    <lastUpdated>" + System.currentTimeMillis() + "</lastUpdated>\n")
        .append("  </versioning>\n</metadata>\n");
    Path file =
        root.resolve(groupId.replace('.', '/')).resolve(artifactId).resolve("maven-metadata.xml");
    Files.createDirectories(file.getParent());
    byte[] bytes = xml.toString().getBytes(StandardCharsets.UTF_8);
    // Each file whole or not at all; a check that reads between the two sees a checksum mismatch,
    // fails, and the feed's next check reads both.
    replace(file, bytes);
    replace(
        file.resolveSibling("maven-metadata.xml.sha1"),
        sha1(bytes).getBytes(StandardCharsets.UTF_8));
  }

  private static void replace(Path file, byte[] bytes) throws IOException {
    Path next = file.resolveSibling(file.getFileName() + ".next");
    Files.write(next, bytes);
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String sha1(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
