package dev.partisan.http.config;

import java.time.Duration;

/**
 * The HTTP server's settings.
 *
 * @param host listen address
 * @param port listen port (0 picks a free one)
 * @param maxHeaderBytes largest request line plus headers
 * @param idleTimeout silence after which a connection is closed
 * @param admin whether the /admin/ endpoints are served
 * @param maxValueBytes largest request body accepted for a value
 */
public record HttpSettings(
    String host,
    int port,
    int maxHeaderBytes,
    Duration idleTimeout,
    boolean admin,
    long maxValueBytes) {}
