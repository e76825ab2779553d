package io.jsplice.client.internal;

import io.jsplice.protocol.message.TrustedKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The public keys of X.509 certificate files, read without the JDK's certificate parser: what an
 * apply request carries is the key's {@code SubjectPublicKeyInfo} and its algorithm ({@link
 * TrustedKey}), and the agent, which verifies the update, builds the key from them. The JDK's
 * parser would build the key here too, and with it start its security providers (found through the
 * class path), its object identifier tables and its security event logger: about a quarter of the
 * CPU time of a warm {@code jsplice apply}.
 *
 * <p>Reads only what it recognises for certain: DER (definite, minimal lengths), alone or as PEM
 * {@code CERTIFICATE} blocks, each holding one certificate whose key is EC or RSA. For anything
 * else it answers empty, and the caller reads the files with the JDK's parser, with that parser's
 * verdict and messages. A key read wrongly could only be one the update is not signed with: the
 * agent then refuses the update; it never makes an update trusted.
 */
public final class CertificateKeys {
  /** The algorithms, by the DER content of their object identifier, as {@code Key} names them. */
  private static final Map<String, String> ALGORITHMS =
      Map.of(
          "2a8648ce3d0201", "EC", // 1.2.840.10045.2.1, id-ecPublicKey
          "2a864886f70d010101", "RSA"); // 1.2.840.113549.1.1.1, rsaEncryption

  private static final int SEQUENCE = 0x30;
  private static final int INTEGER = 0x02;
  private static final int BIT_STRING = 0x03;
  private static final int OID = 0x06;
  private static final int EXPLICIT_0 = 0xa0;
  private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
  private static final String END = "-----END CERTIFICATE-----";

  private CertificateKeys() {}

  /**
   * The key of every certificate in {@code files}, in order, each named as from {@code source};
   * empty if any file is not plainly certificates this class reads, or cannot be read.
   */
  public static Optional<List<TrustedKey>> read(List<Path> files, String source) {
    List<TrustedKey> keys = new ArrayList<>();
    for (Path file : files) {
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(file);
      } catch (IOException | RuntimeException e) {
        return Optional.empty();
      }
      Optional<List<byte[]>> certificates = certificates(bytes);
      if (certificates.isEmpty() || certificates.get().isEmpty()) {
        return Optional.empty();
      }
      for (byte[] certificate : certificates.get()) {
        Optional<TrustedKey> key = key(certificate, source);
        if (key.isEmpty()) {
          return Optional.empty();
        }
        keys.add(key.get());
      }
    }
    return Optional.of(List.copyOf(keys));
  }

  /** The DER certificates of a file: its PEM blocks, or the file itself; empty if unsure. */
  static Optional<List<byte[]>> certificates(byte[] file) {
    if (file.length > 0 && (file[0] & 0xff) == SEQUENCE) {
      return Optional.of(List.of(file));
    }
    String text = new String(file, StandardCharsets.US_ASCII);
    List<byte[]> blocks = new ArrayList<>();
    int at = 0;
    while (true) {
      int begin = text.indexOf("-----BEGIN", at);
      if (begin < 0) {
        break;
      }
      if (!text.startsWith(BEGIN, begin)) {
        return Optional.empty(); // another kind of block: the JDK's parser decides
      }
      int end = text.indexOf(END, begin);
      if (end < 0) {
        return Optional.empty();
      }
      try {
        blocks.add(Base64.getMimeDecoder().decode(text.substring(begin + BEGIN.length(), end)));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
      at = end + END.length();
    }
    return Optional.of(blocks);
  }

  /** The key of one DER certificate; empty unless it is exactly one well-formed certificate. */
  static Optional<TrustedKey> key(byte[] der, String source) {
    try {
      Tlv certificate = Tlv.at(der, 0, der.length);
      if (certificate.tag != SEQUENCE || certificate.end != der.length) {
        return Optional.empty();
      }
      Tlv tbs = certificate.first(SEQUENCE);
      Tlv signatureAlgorithm = tbs.next(certificate.end, SEQUENCE);
      Tlv signature = signatureAlgorithm.next(certificate.end, BIT_STRING);
      if (signature.end != certificate.end) {
        return Optional.empty();
      }
      Tlv field = Tlv.at(der, tbs.contentStart, tbs.end);
      if (field.tag == EXPLICIT_0) {
        field = field.next(tbs.end, INTEGER);
      } else if (field.tag != INTEGER) {
        return Optional.empty();
      }
      field = field.next(tbs.end, SEQUENCE); // signature algorithm
      field = field.next(tbs.end, SEQUENCE); // issuer
      field = field.next(tbs.end, SEQUENCE); // validity
      field = field.next(tbs.end, SEQUENCE); // subject
      Tlv publicKeyInfo = field.next(tbs.end, SEQUENCE);
      Tlv algorithm = publicKeyInfo.first(SEQUENCE);
      Tlv oid = algorithm.first(OID);
      Tlv keyBits = algorithm.next(publicKeyInfo.end, BIT_STRING);
      if (keyBits.end != publicKeyInfo.end) {
        return Optional.empty();
      }
      String name =
          ALGORITHMS.get(
              HexFormat.of().formatHex(Arrays.copyOfRange(der, oid.contentStart, oid.end)));
      if (name == null) {
        return Optional.empty();
      }
      byte[] encoded = Arrays.copyOfRange(der, publicKeyInfo.start, publicKeyInfo.end);
      return Optional.of(new TrustedKey(name, Base64.getEncoder().encodeToString(encoded), source));
    } catch (MalformedDer e) {
      return Optional.empty();
    }
  }

  /** One DER element: its tag, where it starts, where its content starts, where it ends. */
  private record Tlv(byte[] der, int tag, int start, int contentStart, int end) {
    /** The element at {@code start}, which must end by {@code limit}. */
    static Tlv at(byte[] der, int start, int limit) throws MalformedDer {
      if (start + 2 > limit) {
        throw new MalformedDer();
      }
      int tag = der[start] & 0xff;
      int first = der[start + 1] & 0xff;
      int at = start + 2;
      long length;
      if (first < 0x80) {
        length = first;
      } else {
        int count = first & 0x7f;
        if (count == 0 || count > 3 || at + count > limit || der[at] == 0) {
          throw new MalformedDer(); // indefinite, too long or not minimal
        }
        length = 0;
        for (int i = 0; i < count; i++) {
          length = (length << 8) | (der[at++] & 0xff);
        }
        if (length < 0x80) {
          throw new MalformedDer(); // not minimal
        }
      }
      if (at + length > limit) {
        throw new MalformedDer();
      }
      return new Tlv(der, tag, start, at, (int) (at + length));
    }

    /** Its first child, which must have {@code tag}. */
    Tlv first(int tag) throws MalformedDer {
      return expect(at(der, contentStart, end), tag);
    }

    /** The element after it, which must have {@code tag} and end by {@code limit}. */
    Tlv next(int limit, int tag) throws MalformedDer {
      return expect(at(der, end, limit), tag);
    }

    private static Tlv expect(Tlv tlv, int tag) throws MalformedDer {
      if (tlv.tag != tag) {
        throw new MalformedDer();
      }
      return tlv;
    }
  }

  private static final class MalformedDer extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedDer() {
      super(null, null, false, false);
    }
  }
}
