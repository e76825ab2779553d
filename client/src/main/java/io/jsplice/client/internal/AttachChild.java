package io.jsplice.client.internal;

import io.jsplice.client.ClientException;
import io.jsplice.client.JvmProcess;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.json.Json;
import io.jsplice.model.json.RecordCodec;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The attach helper {@link TargetUserAttachment} starts as the target's user: a JVM that attaches
 * to the target and prints one {@link AttachOutcome} line on stdout.
 *
 * <p>Usage: {@code AttachChild load PID AGENT_JAR OPTIONS TIMEOUT_MILLIS} or {@code AttachChild
 * properties PID}. Always exits 0 after printing its line; a crash before that is the parent's
 * problem to report.
 */
public final class AttachChild {
  private AttachChild() {}

  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    AttachOutcome outcome;
    try {
      outcome = run(args);
    } catch (ClientException e) {
      outcome = new AttachOutcome(e.failure(), e.getMessage(), Map.of());
    } catch (RuntimeException | Error e) {
      outcome =
          new AttachOutcome(FailureCause.INTERNAL, "the attach helper failed: " + e, Map.of());
    }
    out.println(AttachOutcome.PREFIX + Json.write(RecordCodec.toJson(outcome)));
  }

  private static AttachOutcome run(String[] args) throws ClientException {
    JvmProcess target = JvmProcess.of(Long.parseLong(args[1]));
    switch (args[0]) {
      case "load" -> {
        HotSpotAttach.loadAgent(
            target, Path.of(args[2]), args[3], Duration.ofMillis(Long.parseLong(args[4])));
        return new AttachOutcome(null, null, Map.of());
      }
      case "properties" -> {
        Properties properties = HotSpotAttach.systemProperties(target);
        Map<String, String> out = new TreeMap<>();
        properties
            .stringPropertyNames()
            .forEach(name -> out.put(name, properties.getProperty(name)));
        return new AttachOutcome(null, null, out);
      }
      default -> throw new IllegalArgumentException("unknown attach helper verb " + args[0]);
    }
  }
}
