package io.jsplice.create.source;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.repository.RepositoryPolicy;
import org.eclipse.aether.resolution.ArtifactDescriptorException;
import org.eclipse.aether.resolution.ArtifactDescriptorRequest;
import org.eclipse.aether.resolution.ArtifactDescriptorResult;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.supplier.SessionBuilderSupplier;
import org.eclipse.aether.transfer.RepositoryOfflineException;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;
import org.eclipse.aether.util.repository.SimpleResolutionErrorPolicy;

/**
 * Turns Maven coordinates into local jar files with Maven's own resolver, the way {@code mvn}
 * would: from the local repository when it has them, else downloaded from Maven Central into it.
 *
 * <p>What it does not read: {@code settings.xml} (mirrors, proxies, credentials, other
 * repositories). Downloads must match their published checksums.
 *
 * <p>Thread-safe: the resolver's system and session may be used concurrently. Holds the resolver's
 * resources until {@link #close()}. The resolver logs through SLF4J only; with {@code slf4j-nop} on
 * the classpath, as in jsplice, it prints nothing.
 */
public final class MavenArtifacts implements AutoCloseable {
  /** The one remote repository consulted. */
  public static final URI MAVEN_CENTRAL = URI.create("https://repo.maven.apache.org/maven2/");

  private final Path localRepository;
  private final boolean offline;
  private final URI remote;
  private final RepositorySystem system;
  private final RepositorySystemSession.CloseableSession session;
  private final List<RemoteRepository> repositories;

  /** Resolves online, with {@link #defaultLocalRepository()}. */
  public MavenArtifacts() {
    this(defaultLocalRepository(), false);
  }

  /**
   * @param localRepository where artifacts are looked up first and downloaded to; created when
   *     missing
   * @param offline whether to use the local repository only; an artifact it lacks is then not found
   */
  public MavenArtifacts(Path localRepository, boolean offline) {
    this(localRepository, offline, MAVEN_CENTRAL, false);
  }

  /**
   * Resolves from {@code repository} instead of Maven Central (a mirror, an in-house repository, a
   * {@code file:} URL of a repository on disk).
   *
   * @param alwaysCheck whether to ask the repository for its versions at every {@link #versions}
   *     call, rather than once a day: a watcher of new releases needs to
   */
  public MavenArtifacts(
      Path localRepository, boolean offline, URI repository, boolean alwaysCheck) {
    this.localRepository = localRepository.toAbsolutePath();
    this.offline = offline;
    this.remote = Objects.requireNonNull(repository, "repository");
    this.system = new RepositorySystemSupplier().get();
    this.session =
        new SessionBuilderSupplier(system)
            .get()
            .withLocalRepositoryBaseDirectories(this.localRepository)
            .setOffline(offline)
            // Never remember a miss: a version published after a failed attempt must resolve.
            .setResolutionErrorPolicy(new SimpleResolutionErrorPolicy(false, false))
            // POM profiles activate on the JDK and OS, as in a build.
            .setSystemProperties(System.getProperties())
            // A watcher asks again at every call: the resolver otherwise checks a repository's
            // metadata once per session, whatever the update policy, and never sees a new release.
            .setConfigProperty(
                "aether.updateCheckManager.sessionState", alwaysCheck ? "bypass" : "enabled")
            .build();
    RepositoryPolicy releases =
        new RepositoryPolicy(
            true,
            alwaysCheck
                ? RepositoryPolicy.UPDATE_POLICY_ALWAYS
                : RepositoryPolicy.UPDATE_POLICY_DAILY,
            RepositoryPolicy.CHECKSUM_POLICY_FAIL);
    RemoteRepository central =
        new RemoteRepository.Builder(
                repository.equals(MAVEN_CENTRAL) ? "central" : "configured",
                "default",
                repository.toString())
            .setReleasePolicy(releases)
            .setSnapshotPolicy(new RepositoryPolicy(false, null, null))
            .build();
    this.repositories = system.newResolutionRepositories(session, List.of(central));
  }

  /**
   * The local repository Maven would use: the {@code maven.repo.local} system property when set,
   * else {@code ~/.m2/repository}.
   */
  public static Path defaultLocalRepository() {
    String configured = System.getProperty("maven.repo.local");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    return Path.of(System.getProperty("user.home"), ".m2", "repository");
  }

  public Path localRepository() {
    return localRepository;
  }

  public boolean offline() {
    return offline;
  }

  /**
   * The artifact's file, the jar itself and nothing it depends on.
   *
   * @return a path inside the local repository, never null
   * @throws ArtifactNotFoundException when no repository consulted has it
   * @throws RepositoryUnreachableException when Maven Central could not be asked or sent a corrupt
   *     file
   */
  public Path resolve(MavenCoordinates coordinates) throws MavenResolutionException {
    Objects.requireNonNull(coordinates, "coordinates");
    try {
      ArtifactResult result =
          system.resolveArtifact(
              session, new ArtifactRequest(artifact(coordinates), repositories, null));
      return result.getArtifact().getPath();
    } catch (ArtifactResolutionException e) {
      throw failure(coordinates, e, "");
    }
  }

  /**
   * What compiling the artifact's own sources needs: the artifact's jar first, then the jars of its
   * direct dependencies in the compile, provided and system scopes (optional ones included, as in
   * the library's own build), then their dependencies as Maven resolves them (nearest version
   * wins). Test dependencies are left out. A classifier, if any, selects the first entry only.
   *
   * <p>A dependency whose version is a property no POM of the release defines (log4j-core 2.25.0's
   * provided {@code jspecify}, at {@code ${jspecify.version}}) is in no repository: Maven cannot
   * build the library's own classpath either. It is left out, and the rest resolves; the classes
   * only it has are then not on the classpath (create's link check says it could not check code
   * that uses them).
   *
   * @return jar paths in classpath order, the artifact's first; never empty
   * @throws ArtifactNotFoundException when the artifact or one of its dependencies is in no
   *     repository consulted
   * @throws RepositoryUnreachableException when Maven Central could not be asked
   */
  public List<Path> resolveCompileClasspath(MavenCoordinates coordinates)
      throws MavenResolutionException {
    Path self = resolve(coordinates);
    Artifact pom = artifact(coordinates.withClassifier(null));
    List<Path> classpath = new ArrayList<>();
    classpath.add(self);
    try {
      ArtifactDescriptorResult descriptor =
          system.readArtifactDescriptor(
              session, new ArtifactDescriptorRequest(pom, repositories, null));
      List<Dependency> direct = new ArrayList<>();
      for (Dependency dependency : descriptor.getDependencies()) {
        // Only jars go on a classpath: log4j-core 2.16.0 has a provided dependency of type zip
        // (its Java 9 sources), which Maven Central does not even hold.
        String extension = dependency.getArtifact().getExtension();
        if (!JavaScopes.TEST.equals(dependency.getScope())
            && extension.equals("jar")
            && !unresolvedVersion(dependency)) {
          direct.add(dependency);
        }
      }
      List<Dependency> managed = new ArrayList<>(descriptor.getManagedDependencies());
      managed.removeIf(MavenArtifacts::unresolvedVersion);
      CollectRequest collect = new CollectRequest(direct, managed, repositories);
      collect.setRootArtifact(pom);
      DependencyRequest request =
          new DependencyRequest(collect, DependencyFilterUtils.classpathFilter(JavaScopes.COMPILE));
      for (ArtifactResult result :
          system.resolveDependencies(session, request).getArtifactResults()) {
        classpath.add(result.getArtifact().getPath());
      }
    } catch (ArtifactDescriptorException | DependencyResolutionException e) {
      throw failure(coordinates, e, "the dependencies of ");
    }
    return List.copyOf(classpath);
  }

  /** Whether the POM left the version a property it never defines ({@code ${name}}). */
  private static boolean unresolvedVersion(Dependency dependency) {
    return dependency.getArtifact().getVersion().contains("${");
  }

  /**
   * The artifacts the artifact's POM says it runs with: its direct dependencies in the compile and
   * runtime scopes that are jars and not optional, at the versions the POM (with its parents'
   * dependency management) gives them.
   *
   * @throws ArtifactNotFoundException when the POM is in no repository consulted
   * @throws RepositoryUnreachableException when Maven Central could not be asked
   */
  public List<MavenCoordinates> directDependencies(MavenCoordinates coordinates)
      throws MavenResolutionException {
    Artifact pom = artifact(coordinates.withClassifier(null));
    try {
      ArtifactDescriptorResult descriptor =
          system.readArtifactDescriptor(
              session, new ArtifactDescriptorRequest(pom, repositories, null));
      List<MavenCoordinates> out = new ArrayList<>();
      for (Dependency dependency : descriptor.getDependencies()) {
        Artifact a = dependency.getArtifact();
        String scope = dependency.getScope();
        boolean runs =
            scope.isEmpty() || JavaScopes.COMPILE.equals(scope) || JavaScopes.RUNTIME.equals(scope);
        if (runs
            && !dependency.isOptional()
            && a.getExtension().equals("jar")
            && a.getClassifier().isEmpty()) {
          try {
            out.add(new MavenCoordinates(a.getGroupId(), a.getArtifactId(), a.getVersion(), null));
          } catch (IllegalArgumentException range) {
            // A version range names no one release to compare; such a dependency is left out.
          }
        }
      }
      return List.copyOf(out);
    } catch (ArtifactDescriptorException e) {
      throw failure(coordinates, e, "the POM of ");
    }
  }

  private String repositoryName() {
    return remote.equals(MAVEN_CENTRAL) ? "Maven Central" : "the repository";
  }

  /** The repository resolved from ({@link #MAVEN_CENTRAL} unless configured). */
  public URI repository() {
    return remote;
  }

  /**
   * The released versions of {@code groupId:artifactId} the repository lists (its {@code
   * maven-metadata.xml}), oldest first in Maven's version order; empty when it has none.
   *
   * @throws RepositoryUnreachableException when the repository could not be asked
   */
  public List<String> versions(String groupId, String artifactId) throws MavenResolutionException {
    MavenCoordinates coordinates = MavenCoordinates.parse(groupId + ":" + artifactId + ":0");
    try {
      org.eclipse.aether.resolution.VersionRangeResult result =
          system.resolveVersionRange(
              session,
              new org.eclipse.aether.resolution.VersionRangeRequest(
                  new DefaultArtifact(groupId, artifactId, "jar", "[0,)"), repositories, null));
      List<String> out = new ArrayList<>();
      result.getVersions().forEach(v -> out.add(v.toString()));
      return out;
    } catch (org.eclipse.aether.resolution.VersionRangeResolutionException e) {
      throw failure(coordinates, e, "the versions of ");
    }
  }

  @Override
  public void close() {
    session.close();
    system.shutdown();
  }

  private static Artifact artifact(MavenCoordinates c) {
    return new DefaultArtifact(
        c.groupId(),
        c.artifactId(),
        c.classifier() == null ? "" : c.classifier(),
        "jar",
        c.version());
  }

  /** Maps the resolver's exception tree to one actionable, one-line exception. */
  private MavenResolutionException failure(
      MavenCoordinates coordinates, Exception resolverFailure, String what) {
    Throwable notFound =
        find(resolverFailure, org.eclipse.aether.transfer.ArtifactNotFoundException.class);
    String detail = firstLine(notFound != null ? notFound : resolverFailure);
    String subject = what + coordinates;
    if (offline || find(resolverFailure, RepositoryOfflineException.class) != null) {
      return new ArtifactNotFoundException(
          coordinates,
          "cannot resolve "
              + subject
              + ": resolution is offline and the local repository "
              + localRepository
              + " has no copy ("
              + detail
              + "); run once online or install it into that repository",
          resolverFailure);
    }
    if (notFound != null) {
      return new ArtifactNotFoundException(
          coordinates,
          "cannot resolve "
              + subject
              + ": not in "
              + repositoryName()
              + " ("
              + detail
              + "); check the coordinates (groupId:artifactId:version[:classifier])",
          resolverFailure);
    }
    return new RepositoryUnreachableException(
        coordinates,
        "cannot resolve "
            + subject
            + ": "
            + repositoryName()
            + " ("
            + remote
            + ") could not be used ("
            + detail
            + "); check the network, or resolve offline from a local repository that has it",
        resolverFailure);
  }

  /** The first exception of type {@code type} in the cause and suppressed tree, or null. */
  private static Throwable find(Throwable root, Class<? extends Throwable> type) {
    List<Throwable> pending = new ArrayList<>(List.of(root));
    List<Throwable> seen = new ArrayList<>();
    while (!pending.isEmpty()) {
      Throwable t = pending.remove(0);
      if (seen.stream().anyMatch(s -> s == t)) {
        continue;
      }
      seen.add(t);
      if (type.isInstance(t)) {
        return t;
      }
      if (t instanceof ArtifactResolutionException are) {
        for (ArtifactResult result : are.getResults()) {
          pending.addAll(result.getExceptions());
        }
      }
      if (t.getCause() != null) {
        pending.add(t.getCause());
      }
      pending.addAll(List.of(t.getSuppressed()));
    }
    return null;
  }

  private static String firstLine(Throwable t) {
    String message = String.valueOf(t.getMessage()).strip();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline).strip();
  }
}
