package io.jsplice.fleet.testkit;

import io.jsplice.create.source.MavenArtifacts;
import io.jsplice.create.source.MavenCoordinates;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A Maven repository on disk, in the layout Maven Central has (jars, POMs, {@code
 * maven-metadata.xml}, SHA-1 files), that a test fills release by release: how the feed's tests
 * make "a newer release appears". The jars and POMs are the real ones from Maven Central, resolved
 * into the local repository first.
 */
public final class LocalMavenRepository {
  private final Path root;
  private final Map<String, List<String>> versions = new LinkedHashMap<>();

  public LocalMavenRepository(Path root) {
    this.root = root.toAbsolutePath();
  }

  public URI uri() {
    return root.toUri();
  }

  /** Publishes {@code group:artifact:version} (its jar and POM) into this repository. */
  public synchronized LocalMavenRepository add(String groupId, String artifactId, String version) {
    try (MavenArtifacts central =
        new MavenArtifacts(MavenArtifacts.defaultLocalRepository(), false)) {
      Path jar =
          central.resolve(MavenCoordinates.parse(groupId + ":" + artifactId + ":" + version));
      Path pom = jar.resolveSibling(artifactId + "-" + version + ".pom");
      Path dir = root.resolve(groupId.replace('.', '/')).resolve(artifactId).resolve(version);
      Files.createDirectories(dir);
      copy(jar, dir.resolve(artifactId + "-" + version + ".jar"));
      if (Files.exists(pom)) {
        copy(pom, dir.resolve(artifactId + "-" + version + ".pom"));
      }
      List<String> known =
          versions.computeIfAbsent(groupId + ":" + artifactId, k -> new ArrayList<>());
      if (!known.contains(version)) {
        known.add(version);
      }
      writeMetadata(groupId, artifactId, known);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot add " + groupId + ":" + artifactId + ":" + version, e);
    }
  }

  /** The parent POMs a release's POM needs for its dependencies to resolve, copied as they are. */
  public synchronized LocalMavenRepository addPom(
      String groupId, String artifactId, String version) {
    Path local =
        MavenArtifacts.defaultLocalRepository()
            .resolve(groupId.replace('.', '/'))
            .resolve(artifactId)
            .resolve(version)
            .resolve(artifactId + "-" + version + ".pom");
    if (Files.exists(local)) {
      try {
        Path dir = root.resolve(groupId.replace('.', '/')).resolve(artifactId).resolve(version);
        Files.createDirectories(dir);
        copy(local, dir.resolve(local.getFileName()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return this;
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(to.resolveSibling(to.getFileName() + ".sha1"), sha1(Files.readAllBytes(to)));
  }

  private void writeMetadata(String groupId, String artifactId, List<String> known)
      throws IOException {
    List<String> sorted = new ArrayList<>(known);
    StringBuilder xml =
        new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<metadata>\n")
            .append("  <groupId>")
            .append(groupId)
            .append("</groupId>\n  <artifactId>")
            .append(artifactId)
            .append("</artifactId>\n  <versioning>\n    <latest>")
            .append(sorted.get(sorted.size() - 1))
            .append("</latest>\n    <release>")
            .append(sorted.get(sorted.size() - 1))
            .append("</release>\n    <versions>\n");
    for (String version : sorted) {
      xml.append("      <version>").append(version).append("</version>\n");
    }
    xml.append("    </versions>\n    <lastUpdated>")
        .append(System.currentTimeMillis())
        .append("</lastUpdated>\n  </versioning>\n</metadata>\n");
    Path file =
        root.resolve(groupId.replace('.', '/')).resolve(artifactId).resolve("maven-metadata.xml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, xml, StandardCharsets.UTF_8);
    Files.writeString(
        file.resolveSibling("maven-metadata.xml.sha1"),
        sha1(xml.toString().getBytes(StandardCharsets.UTF_8)));
  }

  private static String sha1(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every file in it, for a test's diagnosis. */
  public String listing() {
    try (Stream<Path> files = Files.walk(root)) {
      Map<String, Long> out = new TreeMap<>();
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        out.put(root.relativize(file).toString(), Files.size(file));
      }
      return out.toString();
    } catch (IOException e) {
      return e.toString();
    }
  }
}
