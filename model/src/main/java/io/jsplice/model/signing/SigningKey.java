package io.jsplice.model.signing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertPath;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collections;

/**
 * A private key and its certificate, loaded from a PKCS#12 key store, that signs update files.
 *
 * @param privateKey the signing key
 * @param certificates the certificate chain, the key's own certificate first
 */
public record SigningKey(PrivateKey privateKey, CertPath certificates) {

  /** The key store alias {@code jsplice keygen} writes. */
  public static final String ALIAS = "jsplice";

  /**
   * Loads the key under {@link #ALIAS} (or the only key entry) from a PKCS#12 key store.
   *
   * @throws IOException when the file cannot be read, the password is wrong, or it holds no key
   */
  public static SigningKey load(Path keyStore, char[] password) throws IOException {
    try (InputStream in = Files.newInputStream(keyStore)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password);
      String alias = store.isKeyEntry(ALIAS) ? ALIAS : onlyKeyAlias(store, keyStore);
      PrivateKey key = (PrivateKey) store.getKey(alias, password);
      Certificate[] chain = store.getCertificateChain(alias);
      CertPath path =
          CertificateFactory.getInstance("X.509").generateCertPath(Arrays.asList(chain));
      return new SigningKey(key, path);
    } catch (GeneralSecurityException e) {
      throw new IOException(
          "cannot read the signing key in "
              + keyStore
              + ": "
              + e.getMessage()
              + " (wrong password?)",
          e);
    } catch (IOException e) {
      throw new IOException(
          "cannot read the signing key in " + keyStore + ": " + e.getMessage(), e);
    }
  }

  public X509Certificate certificate() {
    return (X509Certificate) certificates.getCertificates().get(0);
  }

  private static String onlyKeyAlias(KeyStore store, Path file) throws GeneralSecurityException {
    String found = null;
    for (String alias : Collections.list(store.aliases())) {
      if (store.isKeyEntry(alias)) {
        if (found != null) {
          throw new GeneralSecurityException(
              file + " holds several keys and none is named \"" + ALIAS + "\"");
        }
        found = alias;
      }
    }
    if (found == null) {
      throw new GeneralSecurityException(file + " holds no private key");
    }
    return found;
  }
}
