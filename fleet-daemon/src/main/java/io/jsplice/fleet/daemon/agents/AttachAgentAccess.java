package io.jsplice.fleet.daemon.agents;

import io.jsplice.cli.attach.AgentClient;
import io.jsplice.cli.attach.AgentException;
import io.jsplice.cli.attach.AgentLoader;
import io.jsplice.cli.attach.JvmProperties;
import io.jsplice.cli.attach.LocalJvms;
import io.jsplice.fleet.api.JvmInventory;
import io.jsplice.fleet.api.JvmUpdate;
import io.jsplice.fleet.api.LoadedArtifact;
import io.jsplice.fleet.api.RestartOutlook;
import io.jsplice.fleet.api.StaleVerdict;
import io.jsplice.model.control.ControlProtocol;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link AgentAccess} through the CLI's attach and control classes: JVMs are found as {@code jps}
 * finds them and selected by their kernel-reported command line; an agent is loaded with the attach
 * API and asked over its Unix socket.
 *
 * <p>What a JVM loaded: with its agent, the jars of the code sources its loaded classes came from
 * (the {@code verify} operation, which also gives the restart verdicts); without it, the jars on
 * its class path (read once per JVM through the attach API).
 *
 * <p>How an update reaches the agent: the agent reads a file by path, as the JVM's user. The daemon
 * copies the update it verified, and its trusted certificates, into a directory it creates (mode
 * 0755, root's when it runs as root) that no other user can write, so the agent reads exactly what
 * the daemon checked. The client library that sends the bytes over the socket replaces this.
 *
 * <p>Thread-safe; {@link #close} removes the directory.
 */
public final class AttachAgentAccess implements AgentAccess, AutoCloseable {
  private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration VERIFY_TIMEOUT = Duration.ofSeconds(120);

  /** How long a JVM's verify answer (loaded jars, restart verdicts) is reused. */
  private static final Duration VERIFY_REUSE = Duration.ofHours(1);

  private final JvmSelector selector;
  private final AgentLoader loader;
  private final Duration applyTimeout;
  private final Path share;
  private final Path trusted;
  private final Map<String, Properties> properties = new ConcurrentHashMap<>();
  private final Map<String, Verified> verified = new ConcurrentHashMap<>();

  private record Verified(
      Instant at, List<LoadedArtifact> artifacts, StaleVerdict stale, RestartOutlook outlook) {}

  /**
   * @param trust the daemon's trusted certificates (files or directories), handed to agents it
   *     loads
   * @throws IOException when the shared directory cannot be made
   */
  public AttachAgentAccess(
      JvmSelector selector, AgentLoader loader, List<Path> trust, Duration applyTimeout)
      throws IOException {
    this.selector = selector;
    this.loader = loader;
    this.applyTimeout = applyTimeout;
    this.share =
        Files.createTempDirectory(
            "jsplice-daemon-",
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")));
    this.trusted = share.resolve("trusted.pem");
    Files.write(trusted, certificates(trust));
    readableByAll(trusted);
  }

  private static byte[] certificates(List<Path> trust) throws IOException {
    StringBuilder pem = new StringBuilder();
    for (Path path : trust) {
      List<Path> files = new ArrayList<>();
      if (Files.isDirectory(path)) {
        try (var list = Files.list(path)) {
          list.filter(
                  f -> {
                    String n = f.getFileName().toString();
                    return n.endsWith(".pem") || n.endsWith(".crt") || n.endsWith(".cer");
                  })
              .sorted()
              .forEach(files::add);
        }
      } else {
        files.add(path);
      }
      for (Path file : files) {
        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, StandardCharsets.US_ASCII);
        if (text.contains("-----BEGIN CERTIFICATE-----")) {
          pem.append(text.strip()).append('\n');
        } else {
          pem.append("-----BEGIN CERTIFICATE-----\n")
              .append(java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(bytes))
              .append("\n-----END CERTIFICATE-----\n");
        }
      }
    }
    return pem.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static void readableByAll(Path file) throws IOException {
    Files.setPosixFilePermissions(
        file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
  }

  @Override
  public List<ManagedJvm> discover() {
    List<ManagedJvm> out = new ArrayList<>();
    Set<String> live = new LinkedHashSet<>();
    for (LocalJvms.LocalJvm jvm : LocalJvms.list()) {
      String commandLine = commandLine(jvm.pid(), jvm.displayName());
      if (!selector.matches(commandLine)) {
        continue;
      }
      Instant started =
          ProcessHandle.of(jvm.pid()).flatMap(h -> h.info().startInstant()).orElse(null);
      long uid = uid(jvm.pid());
      if (uid < 0) {
        continue; // exited meanwhile
      }
      String key = ManagedJvm.key(jvm.pid(), started);
      live.add(key);
      out.add(
          new ManagedJvm(
              jvm.pid(), key, started, commandLine, jvm.mainClass(), uid, jvm.agentPresent()));
    }
    properties.keySet().retainAll(live);
    verified.keySet().retainAll(live);
    return out;
  }

  /** The command line the kernel has for {@code pid}; the JVM's display name if unreadable. */
  private static String commandLine(long pid, String fallback) {
    try {
      byte[] bytes = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
      String line = new String(bytes, StandardCharsets.UTF_8).replace('\0', ' ').strip();
      return line.isEmpty() ? fallback : line;
    } catch (IOException e) {
      return fallback;
    }
  }

  private static long uid(long pid) {
    try {
      return ((Number) Files.getAttribute(Path.of("/proc/" + pid), "unix:uid")).longValue();
    } catch (NoSuchFileException e) {
      return -1;
    } catch (IOException e) {
      return -1;
    }
  }

  @Override
  public JvmInventory inventory(ManagedJvm jvm) throws AgentAccessException {
    Properties props = properties.get(jvm.key());
    if (props == null) {
      try {
        props = JvmProperties.read(jvm.pid());
      } catch (AgentException e) {
        throw failure(e);
      }
      properties.put(jvm.key(), props);
    }
    AgentClient client = agent(jvm);
    List<JvmUpdate> updates = List.of();
    Map<String, String> effective = Map.of();
    String service = null;
    List<LoadedArtifact> artifacts;
    StaleVerdict stale = StaleVerdict.UNKNOWN;
    RestartOutlook outlook = RestartOutlook.UNKNOWN;
    if (client != null) {
      JsonObject show =
          send(client.withTimeout(STATUS_TIMEOUT), Map.of("op", ControlProtocol.OP_SHOW));
      updates = updates(show);
      effective = effective(show);
      JsonObject status =
          send(client.withTimeout(STATUS_TIMEOUT), Map.of("op", ControlProtocol.OP_STATUS));
      service = status.optString("service");
      Verified check = verified(jvm, client);
      artifacts = check != null ? check.artifacts() : classPathArtifacts(props, jvm.uid());
      if (check != null) {
        stale = check.stale();
        outlook = check.outlook();
      }
    } else {
      artifacts = classPathArtifacts(props, jvm.uid());
    }
    List<LoadedArtifact> withEffective = new ArrayList<>();
    for (LoadedArtifact a : artifacts) {
      String effectively = effective.get(a.groupId() + ":" + a.artifactId());
      withEffective.add(
          effectively == null
              ? a
              : new LoadedArtifact(
                  a.groupId(), a.artifactId(), a.version(), effectively, a.source()));
    }
    return new JvmInventory(
        jvm.key(),
        jvm.pid(),
        jvm.mainClass(),
        jvm.commandLine(),
        props.getProperty("java.version"),
        jvm.startedAt(),
        client != null,
        service,
        withEffective,
        updates,
        stale,
        outlook);
  }

  /** The agent in {@code jvm} if one answers; never loads it. */
  private static AgentClient agent(ManagedJvm jvm) throws AgentAccessException {
    try {
      AgentClient client = AgentClient.forPid(jvm.pid());
      if (!client.socketExists()) {
        return null;
      }
      client.withTimeout(STATUS_TIMEOUT).status();
      return client;
    } catch (AgentException e) {
      if (e.failure() == FailureCause.TARGET_NOT_FOUND) {
        throw failure(e);
      }
      return null;
    }
  }

  private Verified verified(ManagedJvm jvm, AgentClient client) {
    Verified cached = verified.get(jvm.key());
    if (cached != null && cached.at().plus(VERIFY_REUSE).isAfter(Instant.now())) {
      return cached;
    }
    JsonObject reply;
    try {
      reply = client.withTimeout(VERIFY_TIMEOUT).send(Map.of("op", ControlProtocol.OP_VERIFY));
    } catch (AgentException e) {
      return null;
    }
    Set<String> locations = new LinkedHashSet<>();
    boolean changed = false;
    for (JsonObject source : reply.objects("codeSources")) {
      String state = source.optString("state");
      if ("CHANGED".equals(state) || "MISSING".equals(state)) {
        changed = true;
      }
      String path = source.optString("path");
      String kind = source.optString("kind");
      if (path != null && ("jar".equals(kind) || "nested jar".equals(kind))) {
        locations.add(path);
      }
    }
    List<LoadedArtifact> artifacts = new ArrayList<>();
    for (String location : locations) {
      artifacts.addAll(JarArtifacts.of(location, jvm.uid()));
    }
    RestartOutlook outlook =
        switch (String.valueOf(reply.optString("verdict"))) {
          case "SAME_CODE" -> RestartOutlook.SAME;
          case "DIFFERENT_CODE" -> RestartOutlook.DIFFERENT;
          case "WOULD_LOSE_FIX" -> RestartOutlook.WOULD_LOSE_FIX;
          default -> RestartOutlook.UNKNOWN;
        };
    Verified fresh =
        new Verified(
            Instant.now(), artifacts, changed ? StaleVerdict.STALE : StaleVerdict.CURRENT, outlook);
    verified.put(jvm.key(), fresh);
    return fresh;
  }

  /** The jars on the class path; relative entries are relative to the JVM's {@code user.dir}. */
  private static List<LoadedArtifact> classPathArtifacts(Properties props, long uid) {
    List<LoadedArtifact> out = new ArrayList<>();
    Path base = Path.of(props.getProperty("user.dir", "/"));
    for (String key : List.of("java.class.path", "jdk.module.path", "loader.path")) {
      String value = props.getProperty(key);
      if (value == null || value.isBlank()) {
        continue;
      }
      for (String entry : value.split(File.pathSeparator)) {
        String path = entry.strip();
        if (path.endsWith(".jar")) {
          out.addAll(JarArtifacts.of(base.resolve(path).normalize().toString(), uid));
        }
      }
    }
    return out;
  }

  private static List<JvmUpdate> updates(JsonObject show) {
    List<JvmUpdate> out = new ArrayList<>();
    for (JsonObject u : show.objects("updates")) {
      Instant at = null;
      try {
        at = u.optString("appliedAt") == null ? null : Instant.parse(u.optString("appliedAt"));
      } catch (RuntimeException unparsable) {
        // keep null: the time is for display only
      }
      out.add(
          new JvmUpdate(u.string("id"), at, u.optString("appliedBy"), u.bool("reapplied", false)));
    }
    return out;
  }

  private static Map<String, String> effective(JsonObject show) {
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonObject e : show.objects("effective")) {
      String effectively = e.optString("effectively");
      if (effectively != null) {
        out.put(e.optString("groupId") + ":" + e.optString("artifact"), effectively);
      }
    }
    return out;
  }

  @Override
  public void apply(ManagedJvm jvm, Path file, String updateId) throws AgentAccessException {
    Path shared;
    try {
      shared = share.resolve(file.getFileName().toString());
      if (!Files.exists(shared)) {
        Path temporary = Files.createTempFile(share, ".copy-", ".jsplice");
        Files.copy(file, temporary, StandardCopyOption.REPLACE_EXISTING);
        readableByAll(temporary);
        Files.move(temporary, shared, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      throw new AgentAccessException(
          FailureCause.INTERNAL,
          "cannot hand update " + updateId + " to agents: " + e.getMessage(),
          e);
    }
    try {
      AgentClient client = loader.connectOrLoad(jvm.pid(), "trust=" + trusted);
      Map<String, Object> request = new LinkedHashMap<>();
      request.put("op", ControlProtocol.OP_APPLY);
      request.put("file", shared.toString());
      client.withTimeout(applyTimeout).send(request);
    } catch (AgentException e) {
      throw failure(e);
    } finally {
      verified.remove(jvm.key());
    }
  }

  private static JsonObject send(AgentClient client, Map<String, Object> request)
      throws AgentAccessException {
    try {
      return client.send(request);
    } catch (AgentException e) {
      throw failure(e);
    }
  }

  private static AgentAccessException failure(AgentException e) {
    return new AgentAccessException(e.failure(), e.getMessage(), e);
  }

  @Override
  public void close() {
    try (var files = Files.list(share)) {
      for (Path file : files.toList()) {
        Files.deleteIfExists(file);
      }
      Files.deleteIfExists(share);
    } catch (IOException ignored) {
      // a leftover directory in the temporary directory, root's and read-only to others
    }
  }
}
