package io.jsplice.fleet.feed;

import io.jsplice.create.UpdateCreator;
import io.jsplice.create.source.ClassSet;
import io.jsplice.create.source.ClassSetReader;
import io.jsplice.create.source.MavenArtifacts;
import io.jsplice.create.source.MavenCoordinates;
import io.jsplice.create.source.MavenResolutionException;
import io.jsplice.fleet.server.feed.UpdateFactory;
import io.jsplice.model.UpdatePackage;
import io.jsplice.model.signing.SigningKey;
import io.jsplice.model.signing.UpdateFile;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feed's {@link UpdateFactory} on a Maven repository: its versions through Maven's resolver
 * (asked afresh at each check), the two releases' jars (checked against the repository's
 * checksums), the update built in-process by {@link UpdateCreator} exactly as {@code jsplice create
 * --from G:A:V1 --to G:A:V2} builds it (the vulnerable release's dependencies for the link check,
 * exploit tripwires where the fixed release added a throw), and signed with the feed's key.
 *
 * <p>Used from the feed's one thread.
 */
public final class MavenFeed implements UpdateFactory, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MavenFeed.class);

  private final MavenArtifacts maven;
  private final SigningKey key;
  private final Path scratch;

  /**
   * @param repository the Maven repository to watch (Maven Central, a mirror, a {@code file:} URL)
   * @param cache where released jars are kept (a local repository of the feed's own)
   * @param key the feed's signing key; its certificate must be in the server's {@code --trust}
   */
  public MavenFeed(URI repository, Path cache, SigningKey key) throws IOException {
    this.maven = new MavenArtifacts(cache, false, repository, true);
    this.key = key;
    this.scratch = Files.createDirectories(cache.resolve(".feed-builds"));
  }

  @Override
  public String repository() {
    return maven.repository().toString();
  }

  @Override
  public List<String> versions(String groupId, String artifactId) throws MavenResolutionException {
    return maven.versions(groupId, artifactId);
  }

  @Override
  public Built build(
      String id,
      String description,
      String groupId,
      String artifactId,
      String from,
      String to,
      List<String> cves)
      throws Exception {
    MavenCoordinates vulnerable = MavenCoordinates.parse(groupId + ":" + artifactId + ":" + from);
    MavenCoordinates fixed = MavenCoordinates.parse(groupId + ":" + artifactId + ":" + to);
    ClassSet pre = ClassSetReader.read(maven.resolve(vulnerable));
    ClassSet post = ClassSetReader.read(maven.resolve(fixed));
    UpdatePackage update =
        UpdateCreator.create(
                pre,
                post,
                new UpdateCreator.Request(
                        id,
                        description,
                        cves,
                        List.of(),
                        null,
                        List.of(),
                        dependencies(vulnerable),
                        false)
                    .withTripwires(true))
            .update();
    Path file = Files.createTempFile(scratch, "update-", ".jsplice");
    try {
      UpdateFile.write(update, key, file);
      return new Built(Files.readAllBytes(file), update.update().tripwires().size());
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** The vulnerable release's dependencies, for the link check; none when they cannot be had. */
  private ClassSet dependencies(MavenCoordinates release) {
    Map<String, byte[]> classes = new TreeMap<>();
    List<Path> jars = new ArrayList<>();
    try {
      List<Path> classpath = maven.resolveCompileClasspath(release);
      jars.addAll(classpath.subList(1, classpath.size()));
    } catch (MavenResolutionException e) {
      LOG.info("{}: dependencies left out of the link check: {}", release, e.getMessage());
    }
    for (Path jar : jars) {
      try {
        ClassSetReader.read(jar).classes().forEach(classes::putIfAbsent);
      } catch (IOException e) {
        LOG.info("dependency {} left out of the link check: {}", jar, e.getMessage());
      }
    }
    return new ClassSet("dependencies", classes, List.of());
  }

  @Override
  public void close() {
    maven.close();
  }
}
