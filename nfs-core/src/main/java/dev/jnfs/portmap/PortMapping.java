package dev.jnfs.portmap;

/**
 * One registration (RFC 1833 §3.1 {@code mapping}): a program version reachable over a
 * transport at a port.
 *
 * @param program the program number
 * @param version the version
 * @param protocol the IP protocol number, 6 (TCP) or 17 (UDP)
 * @param port the port
 */
public record PortMapping(int program, int version, int protocol, int port) {}
