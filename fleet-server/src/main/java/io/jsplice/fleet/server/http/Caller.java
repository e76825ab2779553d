package io.jsplice.fleet.server.http;

import io.jsplice.fleet.server.store.HostIdentity;

/** Who sent a request, once its credential was checked against the route's {@link Access}. */
public sealed interface Caller {
  /** The name audit entries record. */
  String name();

  /** No credential needed. */
  record Anonymous() implements Caller {
    @Override
    public String name() {
      return "anonymous";
    }
  }

  /** The holder of the fleet's enrolment key. */
  record Enroller() implements Caller {
    @Override
    public String name() {
      return "enrolment key";
    }
  }

  /** An enrolled host, as the database had it when the request arrived. */
  record Host(HostIdentity host) implements Caller {
    @Override
    public String name() {
      return "host " + host.name();
    }
  }

  /** An admin, by the name of their token. */
  record Admin(String name) implements Caller {}
}
