/**
 * NFSv3's byte-range locking: the Network Lock Manager (NLM, program 100021, versions 1, 3 and
 * 4, {@code nlm_prot.x} and the Open Group's XNFS) and the part of the status monitor (NSM,
 * program 100024, {@code sm_inter.x}) a server needs. Served on the NFS port, TCP and UDP, and
 * registered with the server's portmapper like every program.
 *
 * <h2>Who does what</h2>
 *
 * <ul>
 *   <li>{@code Nlm} assembles the pieces for one server.
 *   <li>{@code NlmProgram} decodes and encodes the NLM procedures; {@code NlmXdr} the types in
 *       their 32-bit (versions 1, 3) and 64-bit (version 4) forms.
 *   <li>{@code LockService} does the work: grace, owners, and the server's {@code
 *       LockManager}, the one NFSv4 uses, so NLM and NFSv4 locks conflict; {@code
 *       FileResolver} finds a handle's file under its export's rules, and a {@code NlmRefusal}
 *       stops a request with a status.
 *   <li>{@code NlmOwners} makes a lock manager owner of an NLM owner (host, svid, owner handle).
 *   <li>{@code BlockedLocks} queues blocking requests; the lock manager's release listener has
 *       them retried, and {@code GrantedCallbacks} sends NLM_GRANTED to the client.
 *   <li>{@code MonitoredHosts} knows which hosts hold what, and keeps the host list and the NSM
 *       state number in {@code HostsFile} in the server's state directory.
 *   <li>{@code RestartNotifier} sends SM_NOTIFY after a restart; {@code NsmProgram} receives
 *       a client's SM_NOTIFY; {@code PeerCalls} makes the calls to clients.
 * </ul>
 *
 * <h2>Choices where the protocol leaves room</h2>
 *
 * <ul>
 *   <li>A client is its IP address, never its caller name (which clients behind NAT or
 *       without DNS make up), as the Linux server does by default.
 *   <li>Export rules apply as to NFS calls: an address the export does not admit answers
 *       {@code nlm4_failed}, an unprivileged port on a {@code secure} export is rejected with
 *       AUTH_TOOWEAK; the security flavor is not checked, as NLM clients use AUTH_SYS on
 *       Kerberos mounts too. A malformed, stale or foreign handle answers
 *       {@code nlm4_stale_fh}; a range beyond 2^64 {@code nlm4_fbig}; an owner handle too long
 *       to make an owner of (more than 974 bytes) {@code nlm4_failed}. Versions 1 and 3 hear
 *       these as {@code nlm_denied_nolocks}.
 *   <li>UNLOCK of bytes not locked is granted (POSIX); CANCEL of a request that is not waiting
 *       answers {@code nlm4_denied}.
 *   <li>After a restart in which hosts held locks (known only with a state directory), a grace
 *       period opens in which only reclaims are served and everything else answers
 *       {@code nlm4_denied_grace_period}; reclaims outside it are refused the same way, as
 *       the Linux server does. A first start, or a start without a state directory, has none.
 *   <li>NM_LOCK is LOCK without blocking. FREE_ALL and SM_NOTIFY from a client release
 *       everything of the calling address. SHARE and UNSHARE are the lock manager's share
 *       reservations (NFSv4's), with fsh_access as access and fsh_mode as deny.
 *   <li>A GRANTED callback that cannot reach the client leaves the lock granted: the client
 *       sends its LOCK again and, being the owner, gets it.
 * </ul>
 */
package dev.jnfs.nlm;
