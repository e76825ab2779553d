package io.jsplice.fleet.server;

import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The HTTPS connector Jetty listens with when the server has {@code --tls-cert} and {@code
 * --tls-key}: TLS 1.2 and 1.3 only, with the JDK's default cipher suites for them, HTTP/1.1 inside.
 */
final class TlsConnector {
  static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private TlsConnector() {}

  static ServerConnector create(
      Server jetty, HttpConfiguration http, ServerTls.Keys keys, ServerConfig config) {
    SslContextFactory.Server tls = new SslContextFactory.Server();
    tls.setKeyStore(keys.store());
    tls.setKeyStorePassword(new String(keys.password()));
    tls.setKeyManagerPassword(new String(keys.password()));
    tls.setCertAlias(keys.alias());
    tls.setIncludeProtocols(PROTOCOLS);
    HttpConfiguration https = new HttpConfiguration(http);
    https.setSecureScheme("https");
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    // Clients may name the server by an address the certificate does not list (they check the name
    // themselves); Jetty's SNI host check would refuse those requests with 400.
    secure.setSniHostCheck(false);
    https.addCustomizer(secure);
    ServerConnector connector =
        new ServerConnector(
            jetty,
            new SslConnectionFactory(tls, HttpVersion.HTTP_1_1.asString()),
            new HttpConnectionFactory(https));
    connector.setHost(config.bind());
    connector.setPort(config.port());
    return connector;
  }
}
