import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.ivy.Ivy;
import org.apache.ivy.core.module.id.ModuleRevisionId;
import org.apache.ivy.core.report.ResolveReport;
import org.apache.ivy.core.resolve.ResolveOptions;
import org.apache.ivy.core.settings.IvySettings;
import org.apache.ivy.plugins.resolver.FileSystemResolver;
import org.apache.ivy.util.DefaultMessageLogger;
import org.apache.ivy.util.Message;

/**
 * CVE-2022-37865: Ivy unpacks an artifact declared with packaging="zip" into its cache without
 * checking the entries' paths, so an entry named ../../x is written outside the cache (zip slip).
 * The fix skips such entries. The service holds an Ivy instance configured at start with a
 * file-system repository and a cache in a temporary directory and resolves modules with it; the
 * repository publishes a new revision of a module whose zip has a README and an entry climbing to
 * the temporary directory's top, escaped.txt. Each resolution uses a new revision so that the
 * archive is downloaded and unpacked again.
 */
public class Probe {
  static Path root;
  static Path escaped;
  static Ivy held;
  static int revisions;

  static Ivy configured() {
    IvySettings settings = new IvySettings();
    settings.setDefaultCache(root.resolve("cache").toFile());
    FileSystemResolver repository = new FileSystemResolver();
    repository.setName("local");
    repository.addIvyPattern(root + "/repo/[organisation]/[module]/[revision]/ivy.xml");
    repository.addArtifactPattern(
        root + "/repo/[organisation]/[module]/[revision]/[artifact].[ext]");
    settings.addResolver(repository);
    settings.setDefaultResolver("local");
    return Ivy.newInstance(settings);
  }

  static void publish(String module, String revision, String entry) throws IOException {
    Path dir = Files.createDirectories(root.resolve("repo/acme").resolve(module).resolve(revision));
    Files.writeString(
        dir.resolve("ivy.xml"),
        "<ivy-module version='2.0'><info organisation='acme' module='"
            + module
            + "' revision='"
            + revision
            + "'/><publications>"
            + "<artifact name='data' type='zip' ext='zip' packaging='zip'/>"
            + "</publications></ivy-module>");
    try (ZipOutputStream zip =
        new ZipOutputStream(Files.newOutputStream(dir.resolve("data.zip")))) {
      zip.putNextEntry(new ZipEntry("README.txt"));
      zip.write("data".getBytes(StandardCharsets.US_ASCII));
      zip.closeEntry();
      if (entry != null) {
        zip.putNextEntry(new ZipEntry(entry));
        zip.write("planted".getBytes(StandardCharsets.US_ASCII));
        zip.closeEntry();
      }
    }
  }

  /** Resolves a new revision of {@code module}; whether escaped.txt appeared. */
  static String resolve(Ivy ivy, String module, String entry) throws Exception {
    String revision = String.valueOf(++revisions);
    Files.deleteIfExists(escaped);
    publish(module, revision, entry);
    ResolveReport report =
        ivy.resolve(
            ModuleRevisionId.newInstance("acme", module, revision),
            new ResolveOptions().setConfs(new String[] {"*"}),
            true);
    String outcome = Files.exists(escaped) ? "escaped" : "contained";
    return report.hasError() ? outcome + "(" + report.getAllProblemMessages() + ")" : outcome;
  }

  static String probe() throws Exception {
    String climbing = "../".repeat(40) + root.getRoot().relativize(escaped);
    return "held="
        + resolve(held, "tool", climbing)
        + " fresh="
        + resolve(configured(), "tool", climbing);
  }

  public static void main(String[] args) throws Exception {
    Message.setDefaultLogger(new DefaultMessageLogger(Message.MSG_ERR));
    root = Files.createTempDirectory("ivy-probe").toRealPath();
    escaped = root.resolve("escaped.txt");
    Runtime.getRuntime().addShutdownHook(new Thread(Probe::deleteRoot));
    held = configured();
    resolve(held, "library", null);
    probe();
    System.out.println("ready");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    for (String line; (line = in.readLine()) != null; ) {
      System.out.println("RESULT " + probe());
    }
  }

  static void deleteRoot() {
    try (Stream<Path> all = Files.walk(root)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: it is a temporary directory
    }
  }
}
