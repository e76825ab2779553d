import static org.junit.platform.engine.discovery.ClassNameFilter.STANDARD_INCLUDE_PATTERN;
import static org.junit.platform.engine.discovery.ClassNameFilter.includeClassNamePatterns;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;
import static org.junit.platform.engine.discovery.PackageNameFilter.excludePackageNames;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.reporting.legacy.xml.LegacyXmlReportGeneratingListener;

/**
 * Runs the commons-text test suite in this JVM with the JUnit Platform launcher, as the console
 * launcher's --scan-classpath does (standard class name pattern, jmh benchmarks left out).
 *
 * <p>Usage: {@code SuiteRunner cold|live TESTS_JAR REPORTS_DIR}. In {@code live} mode it first uses
 * the commons-text release on its class path like an application would, prints "ready for the
 * update" and waits for a line on stdin (sent once the update is applied), then runs the suite.
 *
 * <p>Writes the launcher's XML reports and REPORTS_DIR/results.tsv: one line per test, the unique
 * id, the status (SUCCESSFUL, FAILED, ABORTED, SKIPPED), the failure's class and its causes' joined
 * by '>', the first message in that chain, and the message of the first LinkageError in it.
 *
 * <p>Compiled and started by io.jsplice.cli.suite.CommonsTextSuiteIT, against the jars it fetched.
 */
public final class SuiteRunner {
  public static void main(String[] args) throws Exception {
    String mode = args[0];
    Path testsJar = Path.of(args[1]);
    Path reports = Path.of(args[2]);
    if (mode.equals("live")) {
      LiveApplication.exercise();
      System.out.println("ready for the update");
      String line =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      if (line == null) {
        throw new IllegalStateException("stdin closed before the update was applied");
      }
      LiveApplication.checkAfterUpdate();
    }
    run(testsJar, reports);
  }

  static void run(Path testsJar, Path reports) throws Exception {
    Files.createDirectories(reports);
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request()
            .selectors(selectClasspathRoots(Set.of(testsJar)))
            .filters(
                includeClassNamePatterns(STANDARD_INCLUDE_PATTERN),
                excludePackageNames("org.apache.commons.text.jmh"))
            .build();
    try (PrintWriter results =
        new PrintWriter(
            Files.newBufferedWriter(reports.resolve("results.tsv"), StandardCharsets.UTF_8))) {
      Results listener = new Results(results);
      LauncherFactory.create()
          .execute(
              request,
              listener,
              new LegacyXmlReportGeneratingListener(reports, new PrintWriter(System.err, true)));
      System.out.println("suite finished: " + listener.counts());
    }
  }

  /** Writes one line per test, and a line per container that did not succeed. */
  static final class Results implements TestExecutionListener {
    private final PrintWriter out;
    private int passed;
    private int failed;
    private int skipped;

    Results(PrintWriter out) {
      this.out = out;
    }

    String counts() {
      return passed + " passed, " + failed + " failed, " + skipped + " skipped";
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
      if (test.isTest()) {
        skipped++;
        line(test, "SKIPPED", null);
      }
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
      boolean ok = result.getStatus() == TestExecutionResult.Status.SUCCESSFUL;
      if (test.isTest()) {
        if (ok) {
          passed++;
        } else {
          failed++;
        }
        line(test, result.getStatus().name(), result.getThrowable().orElse(null));
      } else if (!ok) {
        line(test, "CONTAINER_" + result.getStatus(), result.getThrowable().orElse(null));
      }
    }

    private void line(TestIdentifier test, String status, Throwable failure) {
      List<String> chain = new ArrayList<>();
      String message = "";
      String linkage = "";
      for (Throwable t = failure; t != null && chain.size() < 8; t = t.getCause()) {
        chain.add(t.getClass().getName());
        if (message.isEmpty() && t.getMessage() != null) {
          message = t.getMessage();
        }
        if (linkage.isEmpty() && t instanceof LinkageError && t.getMessage() != null) {
          linkage = t.getMessage();
        }
      }
      out.println(
          String.join(
              "\t",
              clean(test.getUniqueId()),
              status,
              String.join(">", chain),
              clean(message),
              clean(linkage)));
    }

    private static String clean(String text) {
      String flat = text.replaceAll("[\\t\\r\\n]+", " ");
      return flat.length() > 400 ? flat.substring(0, 400) : flat;
    }
  }
}
