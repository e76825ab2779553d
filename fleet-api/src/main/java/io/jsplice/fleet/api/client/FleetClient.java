package io.jsplice.fleet.api.client;

import io.jsplice.fleet.api.AdvisoryImport;
import io.jsplice.fleet.api.AdvisoryList;
import io.jsplice.fleet.api.ApiError;
import io.jsplice.fleet.api.Approval;
import io.jsplice.fleet.api.AuditPage;
import io.jsplice.fleet.api.CveExposure;
import io.jsplice.fleet.api.Enrolment;
import io.jsplice.fleet.api.EnrolmentKey;
import io.jsplice.fleet.api.EnrolmentReceipt;
import io.jsplice.fleet.api.EventPage;
import io.jsplice.fleet.api.ExposureReport;
import io.jsplice.fleet.api.FeedCandidate;
import io.jsplice.fleet.api.FeedStatus;
import io.jsplice.fleet.api.FleetJson;
import io.jsplice.fleet.api.FleetOverview;
import io.jsplice.fleet.api.FleetPaths;
import io.jsplice.fleet.api.FleetStatus;
import io.jsplice.fleet.api.Group;
import io.jsplice.fleet.api.GroupList;
import io.jsplice.fleet.api.GroupSettings;
import io.jsplice.fleet.api.HostAdvisories;
import io.jsplice.fleet.api.HostChange;
import io.jsplice.fleet.api.HostDetail;
import io.jsplice.fleet.api.HostList;
import io.jsplice.fleet.api.HostReport;
import io.jsplice.fleet.api.HostSummary;
import io.jsplice.fleet.api.LeftOutAcceptance;
import io.jsplice.fleet.api.PublishReceipt;
import io.jsplice.fleet.api.PublishedUpdate;
import io.jsplice.fleet.api.ReportList;
import io.jsplice.fleet.api.ReportReceipt;
import io.jsplice.fleet.api.RingSettings;
import io.jsplice.fleet.api.Rollout;
import io.jsplice.fleet.api.RolloutAction;
import io.jsplice.fleet.api.RolloutList;
import io.jsplice.fleet.api.UpdateAnalysis;
import io.jsplice.fleet.api.UpdateCatalog;
import io.jsplice.fleet.api.UpdateJvms;
import io.jsplice.fleet.api.UpdateList;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;

/**
 * The fleet server's REST API as typed calls, for the host daemon and the admin verbs. Every call
 * sends one request with the client's credential and either returns the reply's record or throws a
 * {@link FleetException} whose message is one line.
 *
 * <p>Immutable and thread-safe; calls may run concurrently.
 */
public final class FleetClient {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  private static final String JSON = "application/json";

  private final URI server;
  private final String credential;
  private final HttpClient http;
  private final Duration timeout;
  private final URI proxy;
  private final String proxyAuthorization;

  private FleetClient(
      URI server,
      String credential,
      HttpClient http,
      Duration timeout,
      URI proxy,
      String proxyAuthorization) {
    this.server = server;
    this.credential = credential;
    this.http = http;
    this.timeout = timeout;
    this.proxy = proxy;
    this.proxyAuthorization = proxyAuthorization;
  }

  /**
   * A client for the server at {@code server} ({@code http://host:port}, with or without a trailing
   * slash) that authenticates with {@code credential}: an admin token, a host secret, or the
   * enrolment key. Does not connect yet.
   *
   * @param credential may be null for the routes that need none
   */
  public static FleetClient of(URI server, String credential) {
    return of(server, credential, ClientTransport.jdkDefaults());
  }

  /**
   * Like {@link #of(URI, String)}, reaching the server as {@code transport} says (its trusted CAs,
   * its proxy).
   */
  public static FleetClient of(URI server, String credential, ClientTransport transport) {
    Objects.requireNonNull(server, "server");
    String text = server.toString();
    URI base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    HttpClient http =
        transport
            .builder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    return new FleetClient(
        base, credential, http, DEFAULT_TIMEOUT, transport.proxy(), transport.proxyAuthorization());
  }

  /** The same client with another credential; shares the connection pool. */
  public FleetClient withCredential(String credential) {
    return new FleetClient(server, credential, http, timeout, proxy, proxyAuthorization);
  }

  /** The same client with another per-request timeout. */
  public FleetClient withTimeout(Duration timeout) {
    return new FleetClient(
        server, credential, http, Objects.requireNonNull(timeout), proxy, proxyAuthorization);
  }

  public URI server() {
    return server;
  }

  // ---- a host about itself

  public EnrolmentReceipt enrol(Enrolment enrolment) throws FleetException {
    return call("POST", FleetPaths.ENROL, json(enrolment), EnrolmentReceipt.class);
  }

  /**
   * The host's update list, unless it is unchanged since {@code etag}.
   *
   * @param etag the entity tag of the copy the caller holds; null for none
   */
  public Polled<UpdateList> updates(String etag) throws FleetException {
    HttpRequest.Builder request = request(FleetPaths.HOST_UPDATES).GET();
    if (etag != null) {
      request.header("If-None-Match", etag);
    }
    HttpResponse<byte[]> response = send(request.build(), FleetPaths.HOST_UPDATES);
    if (response.statusCode() == 304) {
      return new Polled<>(false, etag, null);
    }
    UpdateList list = parse(response, UpdateList.class, FleetPaths.HOST_UPDATES);
    return new Polled<>(true, response.headers().firstValue("ETag").orElse(null), list);
  }

  /** The signed update file's bytes, exactly as published. */
  public byte[] updatePackage(String id) throws FleetException {
    String path = FleetPaths.expand(FleetPaths.HOST_PACKAGE, id);
    HttpResponse<byte[]> response = send(request(path).GET().build(), path);
    check(response, path);
    return response.body();
  }

  public ReportReceipt report(HostReport report) throws FleetException {
    return call("POST", FleetPaths.HOST_REPORT, json(report), ReportReceipt.class);
  }

  /** The host's own summary: its state, group and when it was last seen. */
  public HostSummary self() throws FleetException {
    return call("GET", FleetPaths.HOST_SELF, null, HostSummary.class);
  }

  // ---- admins

  /** Uploads a signed update file; the server verifies it against the keys it trusts. */
  public PublishReceipt publish(byte[] signedUpdate) throws FleetException {
    HttpRequest request =
        request(FleetPaths.UPDATES)
            .header("Content-Type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofByteArray(signedUpdate))
            .build();
    return parse(send(request, FleetPaths.UPDATES), PublishReceipt.class, FleetPaths.UPDATES);
  }

  public UpdateCatalog updates() throws FleetException {
    return call("GET", FleetPaths.UPDATES, null, UpdateCatalog.class);
  }

  public PublishedUpdate update(String id) throws FleetException {
    return call("GET", FleetPaths.expand(FleetPaths.UPDATE, id), null, PublishedUpdate.class);
  }

  public PublishedUpdate approve(String id, String group) throws FleetException {
    return call(
        "POST",
        FleetPaths.expand(FleetPaths.UPDATE_APPROVALS, id),
        json(new Approval(group)),
        PublishedUpdate.class);
  }

  /**
   * Accepts the classes update {@code id} leaves out of the fixed release, for this update only: in
   * {@code group}, or in every group when it is null ({@link LeftOutAcceptance}).
   */
  public PublishedUpdate acceptLeftOut(String id, String group) throws FleetException {
    return call(
        "POST",
        FleetPaths.expand(FleetPaths.UPDATE_LEFT_OUT_ACCEPTANCES, id),
        json(new LeftOutAcceptance(group)),
        PublishedUpdate.class);
  }

  /**
   * Withdraws the acceptance of the classes update {@code id} leaves out, in {@code group}, or the
   * one for every group when it is null: hosts that have not applied it hold it again; JVMs where
   * it is in force keep it.
   */
  public PublishedUpdate withdrawLeftOut(String id, String group) throws FleetException {
    return call(
        "DELETE",
        FleetPaths.expand(
            FleetPaths.UPDATE_LEFT_OUT_ACCEPTANCE,
            id,
            group == null ? LeftOutAcceptance.EVERY_GROUP : group),
        null,
        PublishedUpdate.class);
  }

  public PublishedUpdate revokeApproval(String id, String group) throws FleetException {
    return call(
        "DELETE",
        FleetPaths.expand(FleetPaths.UPDATE_APPROVAL, id, group),
        null,
        PublishedUpdate.class);
  }

  public HostList hosts() throws FleetException {
    return call("GET", FleetPaths.HOSTS, null, HostList.class);
  }

  public HostDetail host(String name) throws FleetException {
    return call("GET", FleetPaths.expand(FleetPaths.HOST, name), null, HostDetail.class);
  }

  public HostSummary activate(String name) throws FleetException {
    return call(
        "POST",
        FleetPaths.expand(FleetPaths.HOST_ACTIVATE, name),
        json(HostChange.because(null)),
        HostSummary.class);
  }

  /** Rotates the fleet's enrolment key (admin): the old key enrols nothing more. */
  public EnrolmentKey rotateEnrolmentKey() throws FleetException {
    return call("POST", FleetPaths.ENROL_KEY, json(java.util.Map.of()), EnrolmentKey.class);
  }

  public HostSummary deactivate(String name, String reason) throws FleetException {
    return call(
        "POST",
        FleetPaths.expand(FleetPaths.HOST_DEACTIVATE, name),
        json(HostChange.because(reason)),
        HostSummary.class);
  }

  public void remove(String name) throws FleetException {
    String path = FleetPaths.expand(FleetPaths.HOST, name);
    check(send(request(path).DELETE().build(), path), path);
  }

  public HostSummary moveToGroup(String name, String group) throws FleetException {
    return call(
        "PUT",
        FleetPaths.expand(FleetPaths.HOST_GROUP, name),
        json(HostChange.toGroup(group)),
        HostSummary.class);
  }

  public HostSummary setRing(String name, String ring) throws FleetException {
    return call(
        "PUT",
        FleetPaths.expand(FleetPaths.HOST_RING, name),
        json(new HostChange(null, null, ring)),
        HostSummary.class);
  }

  public ReportList reports(String name) throws FleetException {
    return call("GET", FleetPaths.expand(FleetPaths.HOST_REPORTS, name), null, ReportList.class);
  }

  public GroupList groups() throws FleetException {
    return call("GET", FleetPaths.GROUPS, null, GroupList.class);
  }

  public Group putGroup(String name, GroupSettings settings) throws FleetException {
    return call("PUT", FleetPaths.expand(FleetPaths.GROUP, name), json(settings), Group.class);
  }

  public FleetStatus status() throws FleetException {
    return call("GET", FleetPaths.FLEET_STATUS, null, FleetStatus.class);
  }

  /**
   * @param artifact {@code groupId:artifactId}
   */
  public ExposureReport exposure(String artifact) throws FleetException {
    return call(
        "GET", FleetPaths.expand(FleetPaths.EXPOSURE, artifact), null, ExposureReport.class);
  }

  /** Which JVMs are still exposed to {@code cve}, fleet-wide. */
  public CveExposure cveExposure(String cve) throws FleetException {
    return call("GET", FleetPaths.expand(FleetPaths.CVE_EXPOSURE, cve), null, CveExposure.class);
  }

  public AuditPage audit(long after, int limit) throws FleetException {
    return call(
        "GET", FleetPaths.AUDIT + "?after=" + after + "&limit=" + limit, null, AuditPage.class);
  }

  public EventPage events(long after, int limit) throws FleetException {
    return events(after, limit, null, null);
  }

  /**
   * The events of host {@code host} and of update {@code update} (each when not null), oldest
   * first: an update's history on a host.
   */
  public EventPage events(long after, int limit, String host, String update) throws FleetException {
    return call(
        "GET",
        FleetPaths.EVENTS
            + "?after="
            + after
            + "&limit="
            + limit
            + (host == null ? "" : "&host=" + query(host))
            + (update == null ? "" : "&update=" + query(update)),
        null,
        EventPage.class);
  }

  private static String query(String value) {
    return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
  }

  public FleetOverview overview() throws FleetException {
    return call("GET", FleetPaths.FLEET_OVERVIEW, null, FleetOverview.class);
  }

  public UpdateJvms updateJvms(String id) throws FleetException {
    return call("GET", FleetPaths.expand(FleetPaths.UPDATE_JVMS, id), null, UpdateJvms.class);
  }

  public UpdateAnalysis analysis(String id) throws FleetException {
    return call(
        "GET", FleetPaths.expand(FleetPaths.UPDATE_ANALYSIS, id), null, UpdateAnalysis.class);
  }

  public RolloutList rollouts(String id) throws FleetException {
    return call("GET", FleetPaths.expand(FleetPaths.UPDATE_ROLLOUTS, id), null, RolloutList.class);
  }

  /**
   * Acts on the rollout of update {@code id} in {@code group}.
   *
   * @param action one of {@link FleetPaths#ROLLOUT_START}, {@code _PAUSE}, {@code _RESUME}, {@code
   *     _PROMOTE}, {@code _ROLLBACK}
   * @param reason why (pause, rollback); may be null
   */
  public Rollout rollout(String action, String id, String group, String reason)
      throws FleetException {
    return call(
        "POST",
        FleetPaths.expand(action, id, group),
        json(new RolloutAction(reason)),
        Rollout.class);
  }

  public RingSettings setRings(String group, java.util.List<String> rings, Long promoteAfter)
      throws FleetException {
    return call(
        "PUT",
        FleetPaths.expand(FleetPaths.GROUP_RINGS, group),
        json(new RingSettings(group, rings, promoteAfter)),
        RingSettings.class);
  }

  public FeedStatus feed() throws FleetException {
    return call("GET", FleetPaths.FEED, null, FeedStatus.class);
  }

  /** Asks the feed to check the repository now; answers at once, the check runs on. */
  public FeedStatus checkFeed() throws FleetException {
    return call("POST", FleetPaths.FEED_CHECK, json(java.util.Map.of()), FeedStatus.class);
  }

  public PublishReceipt publishFromFeed(String id) throws FleetException {
    return call(
        "POST",
        FleetPaths.expand(FleetPaths.FEED_PUBLISH, id),
        json(java.util.Map.of()),
        PublishReceipt.class);
  }

  public FeedCandidate dismissFromFeed(String id) throws FleetException {
    return call(
        "POST",
        FleetPaths.expand(FleetPaths.FEED_DISMISS, id),
        json(java.util.Map.of()),
        FeedCandidate.class);
  }

  /** Imports OSV advisories: one JSON object, an array, or {@code {"vulns": [...]}}. */
  public AdvisoryImport importAdvisories(byte[] osvJson) throws FleetException {
    return call("POST", FleetPaths.ADVISORIES, osvJson, AdvisoryImport.class);
  }

  public AdvisoryList advisories() throws FleetException {
    return call("GET", FleetPaths.ADVISORIES, null, AdvisoryList.class);
  }

  public HostAdvisories hostAdvisories(String name) throws FleetException {
    return call(
        "GET", FleetPaths.expand(FleetPaths.HOST_ADVISORIES, name), null, HostAdvisories.class);
  }

  /** The update's CycloneDX VEX statement, as JSON text. */
  public String vex(String id) throws FleetException {
    String path = FleetPaths.expand(FleetPaths.UPDATE_VEX, id);
    HttpResponse<byte[]> response = send(request(path).GET().build(), path);
    check(response, path);
    return new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
  }

  // ---- plumbing

  private <T> T call(String method, String path, byte[] body, Class<T> type) throws FleetException {
    HttpRequest.Builder request = request(path);
    if (body != null) {
      request
          .header("Content-Type", JSON)
          .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return parse(send(request.build(), path), type, path);
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(server + path)).timeout(timeout).header("Accept", JSON);
    if (credential != null) {
      builder.header("Authorization", "Bearer " + credential);
    }
    if (proxyAuthorization != null) {
      builder.header("Proxy-Authorization", proxyAuthorization);
    }
    return builder;
  }

  private HttpResponse<byte[]> send(HttpRequest request, String path) throws FleetException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpTimeoutException e) {
      throw new FleetException(
          FleetException.Kind.UNREACHABLE,
          0,
          null,
          "the fleet server " + server + " did not answer " + path + " in time",
          e);
    } catch (IOException e) {
      UntrustedServerCertificate untrusted = untrusted(e);
      if (untrusted != null) {
        throw new FleetException(
            FleetException.Kind.UNREACHABLE,
            0,
            null,
            "the fleet server "
                + server
                + " presented a certificate for "
                + untrusted.subject()
                + " issued by "
                + untrusted.issuer()
                + " that this host does not trust ("
                + untrusted.reason()
                + "); a TLS-intercepting proxy or a private CA? give its CA certificate with"
                + " --server-ca FILE",
            e);
      }
      throw new FleetException(
          FleetException.Kind.UNREACHABLE,
          0,
          null,
          "cannot reach the fleet server at "
              + server
              + (proxy == null ? "" : " through the proxy " + proxy)
              + " ("
              + describe(e)
              + "); is it running, and is the URL right?",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FleetException(
          FleetException.Kind.UNREACHABLE, 0, null, "interrupted while calling " + path, e);
    }
  }

  /** The refusal of the server's certificate among {@code e}'s causes; null if none. */
  private static UntrustedServerCertificate untrusted(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UntrustedServerCertificate untrusted) {
        return untrusted;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  private static String describe(IOException e) {
    if (e instanceof java.net.ConnectException) {
      return "connection refused";
    }
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      Throwable cause = e.getCause();
      message = cause != null && cause.getMessage() != null ? cause.getMessage() : e.toString();
    }
    return message;
  }

  private <T> T parse(HttpResponse<byte[]> response, Class<T> type, String path)
      throws FleetException {
    check(response, path);
    try {
      return FleetJson.read(response.body(), type);
    } catch (IOException e) {
      throw new FleetException(
          FleetException.Kind.SERVER_ERROR,
          response.statusCode(),
          null,
          "the fleet server sent a malformed answer to " + path + ": " + e.getMessage(),
          e);
    }
  }

  private void check(HttpResponse<byte[]> response, String path) throws FleetException {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return;
    }
    if (status == 407 && proxy != null) {
      // The proxy's answer, not the server's: the request never reached the server.
      throw new FleetException(
          FleetException.Kind.UNREACHABLE,
          status,
          null,
          "the proxy "
              + proxy
              + " refused to reach the fleet server "
              + server
              + " without a login it accepts (HTTP 407); give it with --proxy-credentials FILE"
              + " (USER:PASSWORD), or check the one given",
          null);
    }
    ApiError error = null;
    try {
      error = FleetJson.read(response.body(), ApiError.class);
    } catch (IOException | RuntimeException notJson) {
      // A proxy's or servlet container's page: described by the status alone.
    }
    String message =
        error != null && error.message() != null
            ? error.message()
            : "the fleet server answered " + path + " with HTTP " + status;
    throw new FleetException(kindOf(status), status, error, message, null);
  }

  private static FleetException.Kind kindOf(int status) {
    if (status == 401) {
      return FleetException.Kind.UNAUTHENTICATED;
    }
    if (status == 403) {
      return FleetException.Kind.FORBIDDEN;
    }
    if (status == 404) {
      return FleetException.Kind.NOT_FOUND;
    }
    if (status >= 500) {
      return FleetException.Kind.SERVER_ERROR;
    }
    return FleetException.Kind.REFUSED;
  }

  private static byte[] json(Object value) {
    return FleetJson.write(value);
  }
}
