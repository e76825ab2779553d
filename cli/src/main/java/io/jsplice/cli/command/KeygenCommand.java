package io.jsplice.cli.command;

import io.jsplice.cli.Output;
import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FailureException;
import io.jsplice.model.signing.KeyGeneration;
import io.jsplice.model.signing.SigningKey;
import io.jsplice.model.signing.TrustedKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jsplice keygen}: a key pair for signing updates, and its certificate for trusting them.
 */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    description = {
      "Create a key for signing updates (EC P-256, made by the JDK's keytool).",
      "Writes NAME.p12 (the private key: keep it safe), NAME.pem (the certificate: give it "
          + "to the JVMs and hosts that should trust your updates) and, unless a password is "
          + "given, NAME.p12.password (a random password, mode 0600)."
    })
public final class KeygenCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "Path and base name, e.g. keys/acme.")
  Path name;

  @Option(
      names = "--subject",
      defaultValue = "CN=jsplice update signer",
      description = "X.500 subject of the certificate (default: ${DEFAULT-VALUE}).")
  String subject;

  @Option(names = "--key-password-file", paramLabel = "FILE", description = "Password to use.")
  Path passwordFile;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Override
  public Integer call() throws FailureException {
    Path keyStore = name.resolveSibling(name.getFileName() + ".p12");
    Path certificate = name.resolveSibling(name.getFileName() + ".pem");
    for (Path p : new Path[] {keyStore, certificate}) {
      if (Files.exists(p)) {
        throw new FailureException(
            FailureCause.BAD_REQUEST, p + " exists already; choose another name or remove it");
      }
    }
    try {
      if (name.toAbsolutePath().getParent() != null) {
        Files.createDirectories(name.toAbsolutePath().getParent());
      }
      char[] password = passwordOrGenerate(keyStore);
      SigningKey key = KeyGeneration.generate(keyStore, password, subject, certificate);
      String fingerprint = TrustedKeys.fingerprint(key.certificate().getPublicKey());
      if (json) {
        Output.ok(
            spec.commandLine().getOut(),
            new KeyJson(keyStore.toString(), certificate.toString(), subject, fingerprint));
      } else {
        var out = spec.commandLine().getOut();
        out.println("private key:  " + keyStore);
        out.println("certificate:  " + certificate + "  (trust this on the JVMs you update)");
        out.println("key SHA-256:  " + fingerprint);
      }
      return 0;
    } catch (IOException e) {
      throw new FailureException(FailureCause.BAD_REQUEST, e.getMessage(), e);
    }
  }

  private char[] passwordOrGenerate(Path keyStore) throws IOException, FailureException {
    if (passwordFile != null || System.getenv(KeyOptions.PASSWORD_ENV) != null) {
      return KeyOptions.password(keyStore, passwordFile);
    }
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Path file = KeyOptions.passwordFileBeside(keyStore);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, password + "\n");
    return password.toCharArray();
  }

  /** What {@code keygen --json} prints after {@code "ok": true}. */
  private record KeyJson(
      String keyStore, String certificate, String subject, String keyFingerprint) {}
}
