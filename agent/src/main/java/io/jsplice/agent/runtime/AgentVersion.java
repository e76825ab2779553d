package io.jsplice.agent.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The agent's version, from the build (agent.properties beside this class). */
final class AgentVersion {
  private AgentVersion() {}

  static String current() {
    try (InputStream in = AgentVersion.class.getResourceAsStream("agent.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
