package io.jsplice.fleet.api;

/**
 * The server's answer to an {@link Enrolment}: the host's identity and its secret. The secret is
 * shown once; the server keeps only its hash.
 *
 * @param hostId the server's id for the host
 * @param name the host's name
 * @param secret the host's credential for every later request ({@code Authorization: Bearer})
 * @param state {@link HostState#ACTIVE} or {@link HostState#PENDING}, by the server's policy
 * @param group the group the host joined
 * @param pollSeconds how often the server asks hosts to poll
 */
public record EnrolmentReceipt(
    String hostId, String name, String secret, HostState state, String group, int pollSeconds) {}
