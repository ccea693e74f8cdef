/**
 * TLS material shared by every listener of a node: the cluster transport, HTTP and PB.
 *
 * <p>{@link dev.partisan.runtime.tls.TlsSettings} names PEM files; {@link
 * dev.partisan.runtime.tls.TlsMaterial} loads them once into key and trust managers; {@link
 * dev.partisan.runtime.tls.TlsContexts} turns the material into Netty and JDK contexts restricted
 * to TLS 1.3. {@link dev.partisan.runtime.tls.DevCertificates} makes a development certificate
 * authority and node certificates (for {@code admin certs create} and tests).
 */
package dev.partisan.runtime.tls;
