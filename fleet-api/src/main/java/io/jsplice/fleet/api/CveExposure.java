package io.jsplice.fleet.api;

import java.util.List;

/**
 * "Which JVMs are still exposed to CVE X": every JVM the fleet's reports show that loaded a release
 * an imported advisory naming the CVE covers, or the release a published update naming it targets,
 * or that runs such an update; each exposed unless one of those updates is in force in it. What an
 * auditor asks for, as JSON or, through {@link #csv()}, as CSV.
 *
 * @param cve the CVE id asked about
 * @param advisories the imported advisories that name it (their ids)
 * @param updates the published updates that name it
 * @param jvms the JVMs it concerns, exposed first, then by host and pid
 */
public record CveExposure(
    String cve, List<String> advisories, List<String> updates, List<CveJvm> jvms) {
  /** The columns of {@link #csv()}, in order. */
  public static final List<String> CSV_COLUMNS =
      List.of(
          "cve",
          "host",
          "host_group",
          "pid",
          "jvm_key",
          "main_class",
          "library",
          "exposed",
          "patched_by",
          "missing",
          "last_failure");

  public CveExposure {
    advisories = Lists.copy(advisories);
    updates = Lists.copy(updates);
    jvms = Lists.copy(jvms);
  }

  public long exposed() {
    return jvms.stream().filter(CveJvm::exposed).count();
  }

  /**
   * The JVMs as CSV (RFC 4180: CRLF line ends, fields quoted where needed), one row a JVM under a
   * header of {@link #CSV_COLUMNS}; lists joined with spaces. A field that a spreadsheet would read
   * as a formula (starting with {@code = + - @}, a tab or a carriage return) is prefixed with a
   * quote: main classes and libraries come from the hosts' reports.
   */
  public String csv() {
    StringBuilder out = new StringBuilder();
    row(out, CSV_COLUMNS);
    for (CveJvm j : jvms) {
      row(
          out,
          List.of(
              cve,
              j.host(),
              nullToEmpty(j.group()),
              Long.toString(j.pid()),
              j.jvmKey(),
              nullToEmpty(j.mainClass()),
              nullToEmpty(j.library()),
              Boolean.toString(j.exposed()),
              String.join(" ", j.patchedBy()),
              String.join(" ", j.missing()),
              nullToEmpty(j.lastFailure())));
    }
    return out.toString();
  }

  private static String nullToEmpty(String text) {
    return text == null ? "" : text;
  }

  private static void row(StringBuilder out, List<String> fields) {
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(field(fields.get(i)));
    }
    out.append("\r\n");
  }

  static String field(String value) {
    String text = value;
    if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
      text = "'" + text;
    }
    if (text.indexOf(',') < 0
        && text.indexOf('"') < 0
        && text.indexOf('\n') < 0
        && text.indexOf('\r') < 0) {
      return text;
    }
    return '"' + text.replace("\"", "\"\"") + '"';
  }
}
