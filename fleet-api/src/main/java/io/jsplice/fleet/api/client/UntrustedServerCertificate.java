package io.jsplice.fleet.api.client;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * The certificate the server presented in the TLS handshake was not accepted: no trusted CA vouches
 * for it, or it does not name the host. Carries who the certificate names and who issued it, which
 * tells a TLS-intercepting proxy (its own CA as issuer) from a misconfigured server.
 */
public final class UntrustedServerCertificate extends CertificateException {
  private static final long serialVersionUID = 1L;

  private final String subject;
  private final String issuer;

  UntrustedServerCertificate(X509Certificate presented, CertificateException cause) {
    super(
        "the certificate presented (subject "
            + presented.getSubjectX500Principal().getName()
            + ", issuer "
            + presented.getIssuerX500Principal().getName()
            + ") is not trusted: "
            + cause.getMessage(),
        cause);
    this.subject = presented.getSubjectX500Principal().getName();
    this.issuer = presented.getIssuerX500Principal().getName();
  }

  /** The subject of the certificate the server presented (RFC 2253). */
  public String subject() {
    return subject;
  }

  /** Its issuer (RFC 2253). */
  public String issuer() {
    return issuer;
  }

  /** Why it was refused, in the JDK's words, reduced to its last clause. */
  public String reason() {
    String message = getCause().getMessage();
    if (message == null) {
      return getCause().getClass().getSimpleName();
    }
    int colon = message.lastIndexOf(": ");
    return colon < 0 ? message : message.substring(colon + 2);
  }
}
