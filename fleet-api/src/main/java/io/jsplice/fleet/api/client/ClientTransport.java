package io.jsplice.fleet.api.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * How a {@link FleetClient} reaches the server: the certificate authorities it trusts for the
 * server's certificate, and the HTTP proxy it goes through.
 *
 * <p>With CA certificates given ({@code --server-ca}) they replace the JDK's: the operator names
 * who may vouch for the fleet server (its private CA, or a TLS-intercepting proxy's CA), as curl's
 * {@code --cacert} does, so a public CA cannot stand in for it. Without them the JDK's trust store
 * decides, which fits a server with a publicly issued certificate.
 *
 * <p>A proxy is used for both schemes: {@code CONNECT} for an https server, plain forwarding for an
 * http one (the JDK's {@link HttpClient} does both). Its optional login goes to the proxy as Basic
 * credentials on every request.
 *
 * <p>Immutable.
 */
public final class ClientTransport {
  /** {@code --proxy direct}: no proxy, whatever the environment says. */
  public static final String DIRECT = "direct";

  private static final ClientTransport JDK_DEFAULTS = new ClientTransport(List.of(), null, null);

  private final List<X509Certificate> serverCas;
  private final URI proxy;
  private final PasswordAuthentication proxyLogin;

  private ClientTransport(
      List<X509Certificate> serverCas, URI proxy, PasswordAuthentication proxyLogin) {
    this.serverCas = List.copyOf(serverCas);
    this.proxy = proxy;
    this.proxyLogin = proxyLogin;
  }

  /** No proxy; the JDK's trusted certificate authorities. */
  public static ClientTransport jdkDefaults() {
    return JDK_DEFAULTS;
  }

  /**
   * The transport the options ask for.
   *
   * @param serverCaFiles PEM files of CA certificates trusted for the server's certificate instead
   *     of the JDK's; empty for the JDK's
   * @param proxySetting {@code http://HOST:PORT}, {@link #DIRECT}, or null to follow the
   *     environment ({@code https_proxy} / {@code HTTPS_PROXY} for an https server, {@code
   *     http_proxy} for an http one, unless the server's host matches {@code no_proxy})
   * @param proxyCredentials a file whose first line is {@code USER:PASSWORD} for the proxy; null
   *     for none (or the login in the environment's proxy URL)
   * @param server the fleet server, whose scheme and host choose the environment's proxy
   * @param environment the process environment ({@link System#getenv()})
   * @throws IllegalArgumentException with a one-line message naming the option or file at fault
   */
  public static ClientTransport of(
      List<Path> serverCaFiles,
      String proxySetting,
      Path proxyCredentials,
      URI server,
      Map<String, String> environment) {
    List<X509Certificate> cas = new ArrayList<>();
    for (Path file : serverCaFiles) {
      cas.addAll(readCertificates(file));
    }
    URI proxy;
    PasswordAuthentication login = null;
    if (proxySetting != null) {
      proxy = DIRECT.equals(proxySetting) ? null : proxyUri(proxySetting, "--proxy", false);
    } else {
      String fromEnvironment = environmentProxy(server, environment);
      proxy = fromEnvironment == null ? null : proxyUri(fromEnvironment, "the environment", true);
      if (proxy != null && proxy.getRawUserInfo() != null) {
        login = login(proxy.getRawUserInfo(), "the environment's proxy URL", true);
        proxy = URI.create(proxy.getScheme() + "://" + proxy.getHost() + ":" + proxy.getPort());
      }
    }
    if (proxyCredentials != null) {
      if (proxy == null) {
        throw new IllegalArgumentException(
            "--proxy-credentials " + proxyCredentials + " given, but no proxy is in use");
      }
      login = login(firstLine(proxyCredentials), proxyCredentials.toString(), false);
    }
    if (login != null) {
      allowBasicForTunnels();
    }
    return new ClientTransport(cas, proxy, login);
  }

  /**
   * The JDK's HTTP client refuses to send Basic credentials in a {@code CONNECT} request unless
   * {@code jdk.http.auth.tunneling.disabledSchemes} lifts the ban, and it reads that property once,
   * when its first client is built in the process. So this runs when the options are read, before
   * any client exists; the login is the operator's own choice, for jsplice's own process.
   */
  private static void allowBasicForTunnels() {
    System.setProperty("jdk.http.auth.tunneling.disabledSchemes", "");
  }

  /** The CA certificates that replace the JDK's; empty when the JDK's decide. */
  public List<X509Certificate> serverCas() {
    return serverCas;
  }

  /** The proxy, {@code http://HOST:PORT}; null for a direct connection. */
  public URI proxy() {
    return proxy;
  }

  /** Whether a login for the proxy is configured. */
  public boolean hasProxyLogin() {
    return proxyLogin != null;
  }

  /** An HTTP client builder set up for this transport (TLS 1.2 or 1.3 only). */
  HttpClient.Builder builder() {
    HttpClient.Builder builder = HttpClient.newBuilder();
    try {
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, new TrustManager[] {new ReportingTrustManager(trustManager())}, null);
      SSLParameters parameters = tls.getDefaultSSLParameters();
      parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
      builder.sslContext(tls).sslParameters(parameters);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot set up TLS: " + e.getMessage(), e);
    }
    if (proxy != null) {
      builder.proxy(
          ProxySelector.of(InetSocketAddress.createUnresolved(proxy.getHost(), proxy.getPort())));
    }
    return builder;
  }

  /**
   * The {@code Proxy-Authorization} header value every request carries (Basic, sent before the
   * proxy asks, as curl does); null without a login. The JDK's client puts it on the {@code
   * CONNECT} request of a tunnel and never sends it through the tunnel to the server. No {@link
   * java.net.Authenticator} is used: with one, the JDK's client drops the request's own {@code
   * Authorization} header after a 407 (measured: the server then answered 401).
   */
  String proxyAuthorization() {
    if (proxyLogin == null) {
      return null;
    }
    String pair = proxyLogin.getUserName() + ":" + new String(proxyLogin.getPassword());
    return "Basic "
        + java.util.Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  private X509ExtendedTrustManager trustManager() throws GeneralSecurityException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    if (serverCas.isEmpty()) {
      factory.init((KeyStore) null);
    } else {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      try {
        store.load(null, null);
      } catch (IOException e) {
        throw new GeneralSecurityException(e);
      }
      for (int i = 0; i < serverCas.size(); i++) {
        store.setCertificateEntry("server-ca-" + i, serverCas.get(i));
      }
      factory.init(store);
    }
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509ExtendedTrustManager x509) {
        return x509;
      }
    }
    throw new GeneralSecurityException("no X.509 trust manager");
  }

  private static List<X509Certificate> readCertificates(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> certificates = new ArrayList<>();
      for (Certificate certificate :
          CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        certificates.add((X509Certificate) certificate);
      }
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException(
            "--server-ca " + file + " holds no certificate; give the CA's PEM certificate");
      }
      return certificates;
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read --server-ca " + file + " (" + e.getMessage() + ")", e);
    } catch (CertificateException e) {
      throw new IllegalArgumentException(
          "--server-ca " + file + " is not a PEM certificate file (" + e.getMessage() + ")", e);
    }
  }

  private static String environmentProxy(URI server, Map<String, String> environment) {
    String value =
        "https".equals(server.getScheme())
            ? first(environment, "https_proxy", "HTTPS_PROXY")
            // Only the lower-case name: HTTP_PROXY may come from a request header in CGI.
            : first(environment, "http_proxy");
    if (value == null || bypassed(server.getHost(), first(environment, "no_proxy", "NO_PROXY"))) {
      return null;
    }
    return value;
  }

  /** Whether {@code host} matches {@code noProxy}: {@code *}, or a host or domain suffix. */
  static boolean bypassed(String host, String noProxy) {
    if (noProxy == null || host == null) {
      return false;
    }
    String name = host.toLowerCase(Locale.ROOT);
    for (String entry : noProxy.split(",")) {
      String pattern = entry.strip().toLowerCase(Locale.ROOT);
      int colon = pattern.lastIndexOf(':');
      if (colon > 0 && pattern.indexOf(':') == colon) {
        pattern = pattern.substring(0, colon);
      }
      if (pattern.startsWith("*.")) {
        pattern = pattern.substring(1);
      }
      if (pattern.equals("*")
          || !pattern.isEmpty()
              && (name.equals(pattern.startsWith(".") ? pattern.substring(1) : pattern)
                  || name.endsWith(pattern.startsWith(".") ? pattern : "." + pattern))) {
        return true;
      }
    }
    return false;
  }

  private static String first(Map<String, String> environment, String... names) {
    for (String name : names) {
      String value = environment.get(name);
      if (value != null && !value.isBlank()) {
        return value.strip();
      }
    }
    return null;
  }

  private static URI proxyUri(String text, String source, boolean loginAllowed) {
    String given = text.contains("://") ? text : "http://" + text;
    URI uri;
    try {
      uri = new URI(given);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "the proxy \"" + text + "\" from " + source + " is not a URL like http://HOST:PORT");
    }
    if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "the proxy \""
              + text
              + "\" from "
              + source
              + " is not a URL like http://HOST:PORT (the proxy is spoken to in plain HTTP;"
              + " https servers are reached through it with CONNECT)");
    }
    if (uri.getRawUserInfo() != null && !loginAllowed) {
      throw new IllegalArgumentException(
          "give the proxy's login in a file with --proxy-credentials FILE, not in --proxy (a"
              + " command line is visible to every user of the machine)");
    }
    int port = uri.getPort() < 0 ? 80 : uri.getPort();
    String login = uri.getRawUserInfo() == null ? "" : uri.getRawUserInfo() + "@";
    String host = uri.getHost().contains(":") ? "[" + uri.getHost() + "]" : uri.getHost();
    return URI.create("http://" + login + host + ":" + port);
  }

  /**
   * @param percentEncoded whether the login comes from a URL (its user and password are
   *     percent-encoded there) rather than a file (taken as written)
   */
  private static PasswordAuthentication login(
      String userColonPassword, String source, boolean percentEncoded) {
    int colon = userColonPassword.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(
          "the proxy login in " + source + " must read USER:PASSWORD");
    }
    String user = userColonPassword.substring(0, colon);
    String password = userColonPassword.substring(colon + 1);
    if (percentEncoded) {
      user = URLDecoder.decode(user, StandardCharsets.UTF_8);
      password = URLDecoder.decode(password, StandardCharsets.UTF_8);
    }
    return new PasswordAuthentication(user, password.toCharArray());
  }

  private static String firstLine(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8).strip();
      int newline = text.indexOf('\n');
      return newline < 0 ? text : text.substring(0, newline).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the proxy login from " + file + " (" + e.getMessage() + ")", e);
    }
  }
}
