/**
 * NFS version 4.0, 4.1 and 4.2: the COMPOUND procedure, its operations, attributes and the
 * pseudo-filesystem.
 *
 * <h2>How a COMPOUND runs</h2>
 *
 * {@link dev.jnfs.v4.Nfs4Program} hands COMPOUND to the compound processor, which reads the
 * tag, minor version and operation count, then for each operation reads the opcode, finds the
 * {@link dev.jnfs.v4.Nfs4Operation} in the {@link dev.jnfs.v4.OperationRegistry} and calls
 * {@code execute(ctx, args, result)}. The operation decodes its own arguments, does its work
 * and encodes its resok body; an error is thrown as {@link dev.jnfs.v4.Nfs4Exception} (or a
 * backend's {@code NfsException}), which discards the body, writes the status (plus the error
 * body the exception carries, e.g. LOCK4denied) and stops the COMPOUND. Decoding errors become
 * NFS4ERR_BADXDR, other runtime exceptions NFS4ERR_SERVERFAULT. The processor alone enforces:
 * minor versions (0, 1, 2; others answer MINOR_VERS_MISMATCH with no results; 2 keeps every
 * rule of 1), at most 128 operations (RESOURCE in 4.0, TOO_MANY_OPS in 4.1 and 4.2),
 * OP_ILLEGAL for opcodes outside the minor
 * version, NOTSUPP for unregistered ones and for 4.0-only operations in 4.1, and the 4.1
 * ordering rules (SEQUENCE first, else OP_NOT_IN_SESSION; a session-less first operation must
 * be alone, else NOT_ONLY_OP; SEQUENCE later, SEQUENCE_POS).
 *
 * <h2>Namespace</h2>
 *
 * {@link dev.jnfs.v4.PseudoFs} joins the exports under one root: read-only pseudo directories
 * (their own handle format and fsid) lead to each export; an export at {@code /} is the root
 * itself, and exports below another export's root are reached (LOOKUP, LOOKUPP, READDIR) from
 * it. A client sees only exports whose client ranges admit it; entering one applies its rules
 * (ACCES; WRONGSEC for a flavor outside its {@code sec=} list, a needed privileged port or
 * TLS, as {@link dev.jnfs.v4.PutFilehandleRules} places it; ROFS when read-only); a pseudo
 * directory admits the flavors of the exports below it. Objects of an export
 * report fsid {@code (export id, backend fsid)}; an export's root reports as mounted_on_fileid
 * the fileid of the directory it covers.
 *
 * <h2>Contract with the state engine ({@code dev.jnfs.v4.state})</h2>
 *
 * <ul>
 *   <li>The {@link dev.jnfs.v4.Nfs4StateFactory} that {@link java.util.ServiceLoader} finds
 *       (the state package's {@code StateModule}) makes the server's one {@link
 *       dev.jnfs.v4.Nfs4StateService}, so this package never depends on the state package,
 *       which depends on it. Its {@code registerOperations} registers the stateful
 *       operations (SETCLIENTID ... RECLAIM_COMPLETE) with their minor versions: for example
 *       {@code register(SETCLIENTID, 0, 0, op)} makes SETCLIENTID a 4.0 operation that 4.1
 *       answers with NOTSUPP, {@code register(SEQUENCE, 1, op)} a 4.1 one that 4.0 answers
 *       with OP_ILLEGAL.
 *   <li>Stateless operations call {@link dev.jnfs.v4.Nfs4StateService#checkIo} before READ,
 *       WRITE and SETATTR of the size, with the stateid from the arguments after {@link
 *       dev.jnfs.v4.CompoundContext#resolve} replaced the 4.1 "current stateid"; READ and
 *       WRITE pass the open it returns to the backend ({@code Caller.withOpen}). The lease
 *       time attribute comes from {@code leaseTimeSeconds()}.
 *   <li>Stateful operations use the {@link dev.jnfs.v4.CompoundContext}: the current
 *       filehandle ({@code currentHandle()}, {@code currentExported(status)}, {@code
 *       setCurrent}), the caller the export maps the credential to ({@code caller()}), the
 *       current stateid ({@code setCurrentStateid} after OPEN, LOCK, ...), {@code
 *       minorVersion()}, {@code operationCount()}, {@code requestSize()}. OPEN decodes and
 *       applies {@code createattrs} with {@link dev.jnfs.v4.Fattr4#decodeSettable}, takes
 *       the directory's change_info4 with {@link dev.jnfs.v4.DirectoryChange} (or builds a
 *       {@link dev.jnfs.v4.ChangeInfo}) and validates names with {@link dev.jnfs.v4.Names#check}.
 *       SEQUENCE may compare {@code requestSize()} with ca_maxrequestsize (REQ_TOO_BIG).
 *   <li><b>4.1 exactly-once semantics</b> (RFC 8881 §2.10.6). SEQUENCE, always the first
 *       operation, either
 *       <ol>
 *         <li>finds a retry of a cached request: it calls {@link
 *             dev.jnfs.v4.CompoundContext#replyFromCache} with the cached COMPOUND4res bytes
 *             and returns normally; the processor discards everything and sends exactly those
 *             bytes, evaluating nothing else; or
 *         <li>accepts a new request: it calls {@link dev.jnfs.v4.CompoundContext#beginSequence}
 *             with a {@link dev.jnfs.v4.SequenceSlot}. The processor bounds the reply by the
 *             slot's ca_maxresponsesize (or the cached limit when sa_cachethis is set, answering
 *             REP_TOO_BIG / REP_TOO_BIG_TO_CACHE), and when the COMPOUND is done calls {@code
 *             complete(reply)} with the whole encoded COMPOUND4res (copy what you keep: the
 *             buffer is reused), or {@code abandon()} if no reply was produced; or
 *         <li>fails with an Nfs4Exception (BADSESSION, SEQ_MISORDERED, TOO_MANY_OPS when
 *             {@code operationCount()} exceeds ca_maxoperations, ...), which ends the COMPOUND.
 *       </ol>
 *       Negotiate ca_maxoperations at most {@code 128}, the processor's own cap.
 * </ul>
 *
 * <h2>Minor version 2 (RFC 7862, RFC 8276)</h2>
 *
 * 4.2 runs exactly as 4.1 (sessions, SEQUENCE first) with more operations, registered for minor
 * version 2 only, so 4.0 and 4.1 answer OP_ILLEGAL for them. Those reaching an optional backend
 * ability check its {@link dev.jnfs.spi.Capability} first and answer NOTSUPP without calling
 * the backend: ALLOCATE, DEALLOCATE, COPY, CLONE and the extended attribute operations. SEEK
 * and READ_PLUS work on every backend: without {@code SEEK} a file is data up to its size and
 * its hole begins there. COPY is intra-server only. It runs asynchronously when the client lets
 * it ({@code ca_synchronous} false), copies more than one 8 MiB chunk and can be called back
 * (a back channel, fewer than 16 copies of its own running): COPY then answers at once with a
 * copy stateid, the copy goes on chunk by chunk on a thread of its own, CB_OFFLOAD reports its
 * end, and OFFLOAD_STATUS and OFFLOAD_CANCEL reach it meanwhile (see {@code OpCopy}; the state
 * package keeps the copies). Any other COPY is synchronous. The modifying operations answer
 * ROFS on a read-only export, and stateids are checked as READ's or WRITE's are; a copy stateid
 * permits no I/O (BAD_STATEID).
 */
package dev.jnfs.v4;
