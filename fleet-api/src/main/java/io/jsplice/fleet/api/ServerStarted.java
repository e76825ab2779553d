package io.jsplice.fleet.api;

import java.util.List;

/**
 * The line {@code jsplice server --json} prints once it listens: where it is and where its secrets
 * are, for scripts and tests that start a server and then talk to it.
 *
 * @param ok always true: a server that cannot start prints an error and exits instead
 * @param url the base URL hosts and admins use
 * @param port the port it listens on (the one chosen, if it was asked for port 0)
 * @param data its data directory
 * @param database the database it keeps its state in, for people: embedded H2 or a PostgreSQL URL
 * @param adminToken the file that holds the admin token
 * @param enrolKey the file that holds the fleet's enrolment key
 * @param trustedKeys the public keys whose signatures it accepts on published updates
 * @param newHosts the state a newly enrolled host starts in
 * @param notes what the operator should know about its credentials (newly created, rotated...)
 */
public record ServerStarted(
    boolean ok,
    String url,
    int port,
    String data,
    String database,
    String adminToken,
    String enrolKey,
    List<String> trustedKeys,
    HostState newHosts,
    List<String> notes) {}
