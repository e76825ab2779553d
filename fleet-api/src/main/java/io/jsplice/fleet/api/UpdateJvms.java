package io.jsplice.fleet.api;

import java.util.List;

/**
 * Which JVMs run an update, and which loaded the release it targets without running it.
 *
 * @param updateId the update
 * @param jvms by host, then pid
 */
public record UpdateJvms(String updateId, List<UpdateJvm> jvms) {
  public UpdateJvms {
    jvms = Lists.copy(jvms);
  }

  public long count(UpdateJvmState state) {
    return jvms.stream().filter(j -> j.state() == state).count();
  }
}
