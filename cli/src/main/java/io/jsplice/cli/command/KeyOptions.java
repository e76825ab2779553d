package io.jsplice.cli.command;

import io.jsplice.model.control.FailureCause;
import io.jsplice.model.control.FailureException;
import io.jsplice.model.signing.SigningKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where a signing key and its password come from. The password is read, in this order, from {@code
 * --key-password-file}, the environment variable {@value #PASSWORD_ENV}, or the file {@code
 * KEY.password} that {@code jsplice keygen} writes (mode 0600) beside the key store.
 */
public final class KeyOptions {
  static final String PASSWORD_ENV = "JSPLICE_KEY_PASSWORD";

  @Option(
      names = "--key",
      paramLabel = "KEYSTORE",
      description = "PKCS#12 key store made by `jsplice keygen` to sign with.")
  Path key;

  @Option(
      names = "--key-password-file",
      paramLabel = "FILE",
      description =
          "File holding the key store password (default: $"
              + PASSWORD_ENV
              + ", then KEYSTORE.password).")
  Path passwordFile;

  boolean present() {
    return key != null;
  }

  SigningKey load() throws FailureException {
    try {
      return SigningKey.load(key, password(key, passwordFile));
    } catch (IOException e) {
      throw new FailureException(FailureCause.BAD_REQUEST, e.getMessage(), e);
    }
  }

  static char[] password(Path keyStore, Path passwordFile) throws FailureException {
    try {
      if (passwordFile != null) {
        return Files.readString(passwordFile).strip().toCharArray();
      }
      String env = System.getenv(PASSWORD_ENV);
      if (env != null && !env.isEmpty()) {
        return env.toCharArray();
      }
      Path beside = passwordFileBeside(keyStore);
      if (Files.isReadable(beside)) {
        return Files.readString(beside).strip().toCharArray();
      }
    } catch (IOException e) {
      throw new FailureException(
          FailureCause.BAD_REQUEST, "cannot read the key password: " + e.getMessage(), e);
    }
    throw new FailureException(
        FailureCause.BAD_REQUEST,
        "no password for "
            + keyStore
            + ": pass --key-password-file, set $"
            + PASSWORD_ENV
            + " or put it in "
            + passwordFileBeside(keyStore));
  }

  static Path passwordFileBeside(Path keyStore) {
    return keyStore.resolveSibling(keyStore.getFileName() + ".password");
  }
}
