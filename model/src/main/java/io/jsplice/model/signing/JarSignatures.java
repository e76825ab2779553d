package io.jsplice.model.signing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.CodeSigner;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The signatures of a signed JAR, checked before its content is read: which signers' signature
 * files verify (the JDK's own {@link JarInputStream} checks each signature block against its
 * signature file, on a small JAR of just the manifest, that signature and the descriptor), and
 * which of them vouch for the whole manifest ({@code SHA-256-Digest-Manifest}), whose per-entry
 * digests then say what every entry's bytes must be.
 *
 * <p>Nothing but the manifest, the signature files and blocks and the descriptor is inflated here,
 * each within {@link UpdateLimits#maxMetadataBytes()}: a file signed by nobody or by an unknown key
 * is told apart before its classes are read.
 */
final class JarSignatures {
  static final String MANIFEST = "META-INF/MANIFEST.MF";
  private static final List<String> BLOCK_SUFFIXES = List.of(".EC", ".RSA", ".DSA");

  /** Digest algorithms accepted for the manifest and its entries, strongest first. */
  private static final List<String> DIGESTS = List.of("SHA-512", "SHA-384", "SHA-256");

  private JarSignatures() {}

  /**
   * A verified signature.
   *
   * @param signatureFile its {@code .SF} entry
   * @param signer the certificate of the key that made it
   * @param coversManifest whether its signature file vouches for the manifest as it is now
   */
  record Signature(String signatureFile, X509Certificate signer, boolean coversManifest) {}

  /** Whether the entry is one of the files a JAR signature consists of (not signed itself). */
  static boolean isSignatureRelated(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    if (upper.equals(MANIFEST)) {
      return true;
    }
    if (!upper.startsWith("META-INF/") || upper.indexOf('/', "META-INF/".length()) >= 0) {
      return false;
    }
    if (upper.endsWith(".SF") || upper.startsWith("META-INF/SIG-")) {
      return true;
    }
    for (String suffix : BLOCK_SUFFIXES) { // a loop, not a stream: no lambda spun (issue 13)
      if (upper.endsWith(suffix)) {
        return true;
      }
    }
    return false;
  }

  /** The signature files ({@code .SF}) among the entries. */
  static List<String> signatureFiles(Map<String, ZipArchive.Entry> entries) {
    return entries.keySet().stream()
        .filter(n -> isSignatureRelated(n) && n.toUpperCase(Locale.ROOT).endsWith(".SF"))
        .toList();
  }

  /**
   * Verifies each signature file with its block.
   *
   * @param descriptorName a signed entry every signer must cover (the descriptor)
   * @param descriptor its bytes
   * @throws SecurityException a signature block does not verify
   * @throws ZipFormatException a signature file has no block, or a part is too large
   */
  static List<Signature> verify(
      ZipArchive zip, byte[] manifest, String descriptorName, byte[] descriptor, long maxBytes)
      throws IOException {
    List<Signature> out = new ArrayList<>();
    for (String signatureFile : signatureFiles(zip.entries())) {
      String base = signatureFile.substring(0, signatureFile.length() - ".SF".length());
      List<ZipArchive.Entry> blocks =
          BLOCK_SUFFIXES.stream()
              .map(suffix -> zip.entries().get(base + suffix))
              .filter(e -> e != null)
              .toList();
      if (blocks.size() != 1) {
        throw ZipFormatException.damaged(
            signatureFile + " has " + blocks.size() + " signature blocks, not one");
      }
      ZipArchive.Entry block = blocks.get(0);
      byte[] sf = zip.read(zip.entries().get(signatureFile), maxBytes);
      byte[] blockBytes = zip.read(block, maxBytes);
      X509Certificate signer =
          signerOf(
              manifest, signatureFile, sf, block.name(), blockBytes, descriptorName, descriptor);
      if (signer != null) {
        out.add(new Signature(signatureFile, signer, vouchesFor(sf, manifest)));
      }
    }
    return out;
  }

  /**
   * The signer whose block verifies the signature file, as the JDK's JAR verifier sees it on a JAR
   * of the manifest, this one signature and the descriptor; null when the signature does not cover
   * the descriptor (or uses an algorithm the JDK no longer accepts).
   */
  private static X509Certificate signerOf(
      byte[] manifest,
      String signatureFile,
      byte[] sf,
      String blockName,
      byte[] block,
      String descriptorName,
      byte[] descriptor)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream jar = new ZipOutputStream(bytes)) {
      put(jar, MANIFEST, manifest);
      put(jar, signatureFile, sf);
      put(jar, blockName, block);
      put(jar, descriptorName, descriptor);
    }
    try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
        // Reading an entry to its end is what makes the JDK check it.
        in.transferTo(OutputStream.nullOutputStream());
        if (entry.getName().equals(descriptorName)) {
          CodeSigner[] signers = entry.getCodeSigners();
          if (signers == null || signers.length == 0) {
            return null;
          }
          return (X509Certificate) signers[0].getSignerCertPath().getCertificates().get(0);
        }
      }
    }
    return null;
  }

  private static void put(ZipOutputStream jar, String name, byte[] content) throws IOException {
    jar.putNextEntry(new ZipEntry(name));
    jar.write(content);
    jar.closeEntry();
  }

  /** Whether the signature file's digest of the whole manifest matches these manifest bytes. */
  static boolean vouchesFor(byte[] sf, byte[] manifest) throws IOException {
    Attributes main = new Manifest(new ByteArrayInputStream(sf)).getMainAttributes();
    for (String algorithm : DIGESTS) {
      String expected = main.getValue(algorithm + "-Digest-Manifest");
      if (expected != null) {
        return MessageDigest.isEqual(decode(expected), digest(algorithm, manifest));
      }
    }
    return false;
  }

  /**
   * The digests the manifest gives its entries: for each name, the algorithm and the expected
   * digest (the strongest it lists).
   *
   * @throws ZipFormatException a section lists no digest jsplice accepts
   */
  static Map<String, EntryDigest> entryDigests(byte[] manifest) throws IOException {
    Map<String, EntryDigest> out = new LinkedHashMap<>();
    for (Map.Entry<String, Attributes> section :
        new Manifest(new ByteArrayInputStream(manifest)).getEntries().entrySet()) {
      EntryDigest digest = null;
      for (String algorithm : DIGESTS) {
        String value = section.getValue().getValue(algorithm + "-Digest");
        if (value != null) {
          digest = new EntryDigest(algorithm, decode(value));
          break;
        }
      }
      if (digest == null) {
        throw ZipFormatException.damaged(
            "the manifest lists " + section.getKey() + " without a SHA-256 or stronger digest");
      }
      out.put(section.getKey(), digest);
    }
    return out;
  }

  /** What an entry's bytes must digest to. */
  record EntryDigest(String algorithm, byte[] expected) {
    boolean matches(byte[] content) {
      return MessageDigest.isEqual(expected, digest(algorithm, content));
    }
  }

  private static byte[] decode(String base64) throws ZipFormatException {
    try {
      return Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      throw ZipFormatException.damaged("a digest in its manifest is not Base64");
    }
  }

  static byte[] digest(String algorithm, byte[] content) {
    try {
      return MessageDigest.getInstance(algorithm).digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is in every JDK", e);
    }
  }
}
