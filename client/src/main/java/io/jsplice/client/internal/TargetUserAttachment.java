package io.jsplice.client.internal;

import io.jsplice.client.AgentUnavailableException;
import io.jsplice.client.ClientException;
import io.jsplice.client.JvmProcess;
import io.jsplice.client.spi.AttachmentProvider;
import io.jsplice.model.json.Json;
import io.jsplice.model.json.JsonException;
import io.jsplice.model.json.RecordCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Root attaches to another user's JVM from a helper JVM that runs as that user: {@code setpriv
 * --reuid=UID --regid=GID --clear-groups --no-new-privs} (util-linux) starts {@link AttachChild}.
 * The JDK's attach client creates {@code .attach_pid<PID>} in the target's working directory, waits
 * for a socket in its {@code /tmp} and deletes files there; run as the target's user, a link the
 * user planted there can only point the helper at what that user could delete anyway (the class of
 * CVE-2022-33915 and CVE-2022-0070 in the Log4Shell hot patcher). The helper's capabilities go with
 * root's uid; it starts in {@code /}, with no {@code JAVA_TOOL_OPTIONS} or the like.
 *
 * <p>The helper runs jsplice's own classes: the jars this class came from (or {@value
 * #CLASSPATH_PROPERTY}) must be readable by the target's user, as must the agent jar, which the
 * target loads as its user.
 */
public final class TargetUserAttachment implements AttachmentProvider {
  /** Overrides the helper's class path (for tests, whose classes lie in private directories). */
  public static final String CLASSPATH_PROPERTY = "jsplice.attach.classpath";

  static final Path SETPRIV = Path.of("/usr/bin/setpriv");
  private static final Duration SLACK = Duration.ofSeconds(60);

  @Override
  public String name() {
    return "attach as the JVM's user (setpriv)";
  }

  @Override
  public String unavailableBecause(JvmProcess target) {
    if (ProcFs.selfUid() != 0) {
      return "only root can attach as another user; run jsplice as " + target.user() + " or root";
    }
    if (!Files.isExecutable(SETPRIV)) {
      return SETPRIV + " (util-linux) is missing; install it";
    }
    return null;
  }

  @Override
  public void loadAgent(JvmProcess target, Path agentJar, String options, Duration timeout)
      throws ClientException {
    run(
        target,
        List.of(
            "load",
            Long.toString(target.pid()),
            agentJar.toString(),
            options,
            Long.toString(timeout.toMillis())),
        timeout);
  }

  @Override
  public Properties systemProperties(JvmProcess target) throws ClientException {
    Properties out = new Properties();
    out.putAll(run(target, List.of("properties", Long.toString(target.pid())), Duration.ZERO));
    return out;
  }

  private Map<String, String> run(JvmProcess target, List<String> args, Duration timeout)
      throws ClientException {
    String classpath = classpath();
    List<String> command = new ArrayList<>();
    command.add(SETPRIV.toString());
    command.add("--reuid=" + target.uid());
    command.add("--regid=" + target.gid());
    command.add("--clear-groups");
    command.add("--no-new-privs");
    command.add("--");
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Xshare:auto",
            "-XX:-UsePerfData",
            "-cp",
            classpath,
            AttachChild.class.getName()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).directory(Path.of("/").toFile());
    Map<String, String> env = builder.environment();
    for (String name :
        List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS", "CLASSPATH")) {
      env.remove(name);
    }
    builder.redirectErrorStream(true);
    String output;
    try {
      Process process = builder.start();
      try {
        // Read beside, wait here: the helper runs as the target's user, who can stop it or the
        // JVM it talks to (SIGSTOP); reading first would then wait forever, never reaching the
        // bound below.
        HelperOutput reader = new HelperOutput(process.getInputStream());
        Thread readerThread = new Thread(reader, "jsplice-attach-helper-output");
        readerThread.setDaemon(true);
        readerThread.start();
        Duration bound = timeout.plus(SLACK);
        if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new AgentUnavailableException(
              "the attach helper for JVM "
                  + target.pid()
                  + " did not finish within "
                  + bound.toSeconds()
                  + " s (is the JVM stopped or hung?); it was stopped");
        }
        readerThread.join(SLACK.toMillis());
        output = reader.output();
        if (output == null) {
          throw new AgentUnavailableException(
              "the attach helper for JVM " + target.pid() + " ended but its output did not");
        }
      } finally {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      throw new AgentUnavailableException(
          "cannot start the attach helper for JVM " + target.pid() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentUnavailableException("interrupted while attaching to " + target, e);
    }
    AttachOutcome outcome = outcome(output);
    if (outcome == null) {
      throw new AgentUnavailableException(
          "the attach helper, run as user "
              + target.user()
              + ", failed before attaching to JVM "
              + target.pid()
              + " ("
              + lastLine(output)
              + "); jsplice's jars ("
              + classpath
              + ") must be readable by "
              + target.user());
    }
    if (outcome.failure() != null) {
      throw ChildFailure.of(outcome);
    }
    return outcome.properties();
  }

  /** The helper's output, at most 4 MiB, read on a thread of its own; null until it ended. */
  private static final class HelperOutput implements Runnable {
    private final InputStream in;
    private volatile String output;

    HelperOutput(InputStream in) {
      this.in = in;
    }

    @Override
    public void run() {
      try (in) {
        output = new String(in.readNBytes(4 * 1024 * 1024), StandardCharsets.UTF_8);
      } catch (IOException e) {
        output = "cannot read the helper's output: " + e.getMessage();
      }
    }

    String output() {
      return output;
    }
  }

  private static AttachOutcome outcome(String output) {
    for (String line : output.lines().toList()) {
      if (line.startsWith(AttachOutcome.PREFIX)) {
        try {
          return RecordCodec.fromJson(
              Json.parseObject(line.substring(AttachOutcome.PREFIX.length())),
              AttachOutcome.class,
              "$");
        } catch (JsonException e) {
          return null;
        }
      }
    }
    return null;
  }

  private static String lastLine(String output) {
    List<String> lines = output.strip().lines().toList();
    return lines.isEmpty() ? "no output" : lines.get(lines.size() - 1);
  }

  /** Where jsplice's classes are: the code sources of the helper and what it uses. */
  static String classpath() {
    String configured = System.getProperty(CLASSPATH_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    Set<String> entries = new LinkedHashSet<>();
    for (Class<?> type : List.of(AttachChild.class, RecordCodec.class, Json.class)) {
      try {
        entries.add(
            Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
      } catch (java.net.URISyntaxException | RuntimeException e) {
        throw new IllegalStateException(
            "cannot tell where " + type.getName() + " was loaded from", e);
      }
    }
    return String.join(java.io.File.pathSeparator, entries);
  }
}
