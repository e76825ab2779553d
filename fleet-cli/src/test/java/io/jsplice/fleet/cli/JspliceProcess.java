package io.jsplice.fleet.cli;

import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.TargetJvm;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code jsplice VERB ...} run as its own process, as {@code bin/jsplice} runs it: the fleet server
 * and the daemons of the end-to-end tests, which must be killed, restarted and watched from
 * outside. The command's class path is the test's own (every module, as the dist jar bundles them).
 */
final class JspliceProcess {
  private JspliceProcess() {}

  static TargetJvm start(List<String> args) {
    List<Path> classpath = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      classpath.add(Path.of(entry));
    }
    return TargetJvm.on(Jdk.current())
        .classpath(classpath.toArray(Path[]::new))
        .jvmArgs(
            "-Djsplice.agent.jar=" + agentJar(),
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Xmx256m")
        .mainClass("io.jsplice.cli.Jsplice")
        .args(args.toArray(String[]::new))
        .start();
  }

  static String agentJar() {
    String jar = System.getProperty("jsplice.agent.jar");
    if (jar == null) {
      throw new IllegalStateException("-Djsplice.agent.jar is not set; run the tests with Maven");
    }
    return jar;
  }
}
