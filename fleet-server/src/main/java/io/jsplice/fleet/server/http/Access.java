package io.jsplice.fleet.server.http;

/** Who may call a route: each credential opens exactly one of these, never another's. */
public enum Access {
  /** Anyone: health, metrics, the API description. */
  PUBLIC,
  /** The fleet's enrolment key: only enrolment. */
  ENROL,
  /** An enrolled host's own secret: only the host's routes, always about itself. */
  HOST,
  /** An admin token: everything else. */
  ADMIN
}
