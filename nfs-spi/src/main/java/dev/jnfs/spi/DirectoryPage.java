package dev.jnfs.spi;

import java.util.List;

/**
 * One page of a directory listing. "." and ".." are not included: the server adds them.
 *
 * @param entries the entries, in cookie order
 * @param eof whether the listing is complete after these entries
 * @param verifier the cookie verifier to hand to the client with this page
 */
public record DirectoryPage(List<DirectoryEntry> entries, boolean eof, long verifier) {}
