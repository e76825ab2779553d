package io.jsplice.client.internal;

import io.jsplice.client.ClientException;
import io.jsplice.client.JvmProcess;
import io.jsplice.client.spi.AttachmentProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * Attaches from this process, which runs as the target's own user: the JDK's attach client then
 * touches nothing that user could not touch anyway.
 */
public final class InProcessAttachment implements AttachmentProvider {
  @Override
  public String name() {
    return "attach from this process";
  }

  @Override
  public String unavailableBecause(JvmProcess target) {
    long self = ProcFs.selfUid();
    return self == target.uid()
        ? null
        : "this process runs as uid " + self + ", not as the JVM's user " + target.user();
  }

  @Override
  public void loadAgent(JvmProcess target, Path agentJar, String options, Duration timeout)
      throws ClientException {
    HotSpotAttach.loadAgent(target, agentJar, options, timeout);
  }

  @Override
  public Properties systemProperties(JvmProcess target) throws ClientException {
    return HotSpotAttach.systemProperties(target);
  }
}
