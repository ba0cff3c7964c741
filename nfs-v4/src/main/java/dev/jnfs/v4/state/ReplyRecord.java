package dev.jnfs.v4.state;

/**
 * The last result an NFSv4.0 open-owner or lock-owner received, kept so that a retransmitted
 * request with the same seqid gets the same answer without being run again (RFC 7530
 * §9.1.9).
 *
 * @param seqid the seqid of the request answered
 * @param status the nfsstat4 of the result
 * @param body the encoded result after the status (the resok body, or an error's body)
 */
record ReplyRecord(int seqid, int status, byte[] body) {}
