package dev.partisan.kv.security;

/** An authenticated user, and the source method that admitted them. */
public record Principal(String user, AuthMethod method) {}
