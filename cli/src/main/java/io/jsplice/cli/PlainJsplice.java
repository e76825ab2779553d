package io.jsplice.cli;

import io.jsplice.model.control.FailureCause;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The main class of {@code lib/jsplice-plain.jar}, the small jar {@code bin/jsplice} starts for a
 * line that begins {@code apply}, {@code undo} or {@code --version}: the CLI's own classes and the
 * client library, protocol and model, without picocli, ASM, the create engine or the fleet, and
 * with a class data archive of their own. A JVM starts faster the smaller its jar and its archive.
 *
 * <p>A plain line ({@link Jsplice#plainVerb}) runs here through {@link Jsplice#run}, the code the
 * full CLI runs for it, so output and exit code are the same. Any other line (help, a short option
 * picocli reads) is handed to the full CLI, {@code lib/jsplice.jar} as {@value #CLI_JAR_PROPERTY}
 * names it, in a class loader of its own in this JVM: the same answer, only slower to start.
 */
public final class PlainJsplice {
  /** The system property that names the full CLI's jar; {@code bin/jsplice} sets it. */
  static final String CLI_JAR_PROPERTY = "jsplice.cli.jar";

  private PlainJsplice() {}

  public static void main(String[] args) throws Throwable {
    if (Jsplice.plainVerb(args).isPresent()) {
      Jsplice.main(args);
      return;
    }
    String jar = System.getProperty(CLI_JAR_PROPERTY);
    if (jar == null || jar.isBlank() || !Files.isRegularFile(Path.of(jar))) {
      PrintWriter err = new PrintWriter(System.err, true);
      err.println(
          "jsplice: the full command, "
              + (jar == null || jar.isBlank() ? "lib/jsplice.jar" : jar)
              + ", is missing and this line needs it; reinstall jsplice or run it through"
              + " bin/jsplice");
      System.exit(FailureCause.INTERNAL.exitCode());
    }
    handOff(Path.of(jar), args);
  }

  /** Runs {@code args} through the full CLI in {@code jar}, whose main exits the JVM. */
  private static void handOff(Path jar, String[] args) throws Throwable {
    URL url;
    try {
      url = jar.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e); // a file path's URI is always a URL
    }
    ClassLoader full = new URLClassLoader(new URL[] {url}, ClassLoader.getPlatformClassLoader());
    Thread.currentThread().setContextClassLoader(full);
    try {
      Class.forName(Jsplice.class.getName(), true, full)
          .getMethod("main", String[].class)
          .invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
