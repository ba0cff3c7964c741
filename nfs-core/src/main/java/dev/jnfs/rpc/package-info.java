/**
 * ONC RPC version 2 (RFC 5531) for the server: what a program implements ({@link
 * dev.jnfs.rpc.RpcProgram}, {@link dev.jnfs.rpc.RpcCall}, {@link dev.jnfs.rpc.Credential},
 * {@link dev.jnfs.rpc.RpcException}) and the engine that serves programs over TCP and UDP
 * ({@link dev.jnfs.rpc.RpcEndpoint}).
 *
 * <h2>The path of a call</h2>
 *
 * <ol>
 *   <li>TCP: a new connection is let in, or closed before anything is read, by {@code
 *       ConnectionGate}: the {@link dev.jnfs.rpc.ConnectionRegistry} of the server applies the
 *       per-address connection rate and asks its observer; an admitted connection's {@link
 *       dev.jnfs.rpc.RpcConnection} then counts its calls and replies and gathers what the
 *       programs learn of the client.
 *   <li>TCP: {@link dev.jnfs.rpc.RecordMarkingDecoder} reassembles records (§11), capped in
 *       size; a record over the cap closes its connection. UDP: one datagram is one record.
 *   <li>{@code RpcDispatcher} decodes the call header (§9), authenticates the credential
 *       (AUTH_NONE, AUTH_SYS; other flavors plug in as an {@code AuthFlavor}) and finds the
 *       program. Rejections that need no procedure are answered on the network thread.
 *   <li>Non-idempotent calls go through the duplicate request cache: a retransmission gets the
 *       original reply, or nothing while the original still runs. The program says which
 *       calls are, by procedure or, for a call in the clear, by its arguments (an NFSv4.0
 *       COMPOUND).
 *   <li>The procedure runs on the executor (virtual threads by default). A call its program
 *       declares non-blocking may run on the network thread instead: the last such call of
 *       each read batch does, the others hop, so a pipelining client still uses several
 *       cores. When the network thread serves several pipelining connections and as many
 *       network threads as processors see pipelining, every such call runs on it as it is
 *       read: the cores are busy with other connections, and the batch's replies go out in
 *       one write.
 *   <li>The reply (header, AUTH_NONE verifier, accept_stat, results) is encoded into one
 *       pooled buffer and written when it completes, in completion order; workers hand
 *       replies to the network thread, which writes all those ready and flushes once.
 * </ol>
 *
 * <p>Per connection at most a configured number of calls run at once; at the cap, and while
 * the socket does not take our replies, the connection is not read (back-pressure, never an
 * unbounded queue).
 *
 * <h2>Choices where RFC 5531 leaves room</h2>
 *
 * <ul>
 *   <li>A record too short to hold a call header up to its verifier gets no reply (there is no
 *       rejection for it): over TCP the connection is closed, over UDP the datagram dropped.
 *       A message that is not a CALL (a REPLY, or garbage in msg_type) is ignored.
 *   <li>An RPC version other than 2 is answered RPC_MISMATCH (2, 2) as soon as it is read.
 *   <li>A credential or verifier body over 400 bytes is AUTH_BADCRED / AUTH_BADVERF; a
 *       malformed AUTH_SYS (over 255 bytes of machine name, over 16 gids, bytes left over) is
 *       AUTH_BADCRED; AUTH_SHORT is AUTH_REJECTEDCRED (the client falls back to AUTH_SYS);
 *       other unknown flavors are AUTH_BADCRED. AUTH_NONE and AUTH_SYS need an AUTH_NONE
 *       verifier, else AUTH_BADVERF.
 *   <li>Authentication is checked before the program is looked up, as knfsd does.
 * </ul>
 */
package dev.jnfs.rpc;
