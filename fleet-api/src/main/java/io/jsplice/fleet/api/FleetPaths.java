package io.jsplice.fleet.api;

/**
 * The REST routes of the fleet server, version 1. {@code openapi.yaml} in the server describes each
 * one; a test checks that the two agree.
 *
 * <p>Three kinds of caller, each with its own credential ({@code Authorization: Bearer}): a new
 * host with the fleet's enrolment key (only {@link #ENROL}), an enrolled host with its own secret
 * (only the {@code /host} routes, always about itself), an admin with an admin token (every other
 * route). {@link #METRICS} and {@link #HEALTH} need none.
 */
public final class FleetPaths {
  public static final String API = "/api/v1";

  // A host about itself.
  public static final String ENROL = API + "/enrol";
  public static final String HOST_SELF = API + "/host";
  public static final String HOST_UPDATES = API + "/host/updates";
  public static final String HOST_PACKAGE = API + "/host/updates/{id}/package";
  public static final String HOST_REPORT = API + "/host/report";

  // Admins.
  /** POST: a new enrolment key for the fleet; the old one enrols nothing more. */
  public static final String ENROL_KEY = API + "/enrol-key";

  public static final String HOSTS = API + "/hosts";
  public static final String HOST = API + "/hosts/{name}";
  public static final String HOST_ACTIVATE = API + "/hosts/{name}/activate";
  public static final String HOST_DEACTIVATE = API + "/hosts/{name}/deactivate";
  public static final String HOST_GROUP = API + "/hosts/{name}/group";
  public static final String HOST_RING = API + "/hosts/{name}/ring";
  public static final String HOST_REPORTS = API + "/hosts/{name}/reports";
  public static final String GROUPS = API + "/groups";
  public static final String GROUP = API + "/groups/{name}";
  public static final String UPDATES = API + "/updates";
  public static final String UPDATE = API + "/updates/{id}";
  public static final String UPDATE_PACKAGE = API + "/updates/{id}/package";
  public static final String UPDATE_APPROVALS = API + "/updates/{id}/approvals";
  public static final String UPDATE_APPROVAL = API + "/updates/{id}/approvals/{group}";
  public static final String UPDATE_LEFT_OUT_ACCEPTANCES =
      API + "/updates/{id}/left-out-acceptances";

  /**
   * One acceptance: {@code {group}} is a group's name or {@value LeftOutAcceptance#EVERY_GROUP}.
   */
  public static final String UPDATE_LEFT_OUT_ACCEPTANCE =
      API + "/updates/{id}/left-out-acceptances/{group}";

  public static final String FLEET_STATUS = API + "/fleet/status";
  public static final String EXPOSURE = API + "/exposure/{artifact}";
  public static final String CVE_EXPOSURE = API + "/cves/{cve}";
  public static final String CVE_EXPOSURE_CSV = API + "/cves/{cve}/csv";
  public static final String EVENTS = API + "/events";
  public static final String AUDIT = API + "/audit";
  public static final String FLEET_OVERVIEW = API + "/fleet/overview";
  public static final String UPDATE_JVMS = API + "/updates/{id}/jvms";
  public static final String UPDATE_ANALYSIS = API + "/updates/{id}/analysis";
  public static final String UPDATE_ROLLOUTS = API + "/updates/{id}/rollouts";
  public static final String ROLLOUT_START = API + "/updates/{id}/rollouts/{group}/start";
  public static final String ROLLOUT_PAUSE = API + "/updates/{id}/rollouts/{group}/pause";
  public static final String ROLLOUT_RESUME = API + "/updates/{id}/rollouts/{group}/resume";
  public static final String ROLLOUT_PROMOTE = API + "/updates/{id}/rollouts/{group}/promote";
  public static final String ROLLOUT_ROLLBACK = API + "/updates/{id}/rollouts/{group}/rollback";
  public static final String GROUP_RINGS = API + "/groups/{name}/rings";
  public static final String FEED = API + "/feed";
  public static final String FEED_CHECK = API + "/feed/check";
  public static final String FEED_ANALYSIS = API + "/feed/{id}/analysis";
  public static final String FEED_PUBLISH = API + "/feed/{id}/publish";
  public static final String FEED_DISMISS = API + "/feed/{id}/dismiss";
  public static final String ADVISORIES = API + "/advisories";
  public static final String HOST_ADVISORIES = API + "/hosts/{name}/advisories";
  public static final String UPDATE_VEX = API + "/updates/{id}/vex";

  // Anyone.
  public static final String OPENAPI = API + "/openapi.yaml";
  public static final String HEALTH = API + "/health";
  public static final String METRICS = "/metrics";

  /** The header that carries the SHA-256 of a package's bytes. */
  public static final String SHA256_HEADER = "X-Jsplice-Sha256";

  private FleetPaths() {}

  /** {@code template} with each {@code {param}} replaced by the next of {@code values}, encoded. */
  public static String expand(String template, String... values) {
    StringBuilder out = new StringBuilder();
    int next = 0;
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      if (c == '{') {
        int end = template.indexOf('}', i);
        if (next >= values.length) {
          throw new IllegalArgumentException("no value for " + template.substring(i, end + 1));
        }
        out.append(
            java.net.URLEncoder.encode(values[next++], java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20"));
        i = end + 1;
      } else {
        out.append(c);
        i++;
      }
    }
    if (next != values.length) {
      throw new IllegalArgumentException(template + " takes " + next + " values");
    }
    return out.toString();
  }
}
