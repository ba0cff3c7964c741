package dev.jnfs.v4.state;

/**
 * What CREATE_SESSION granted, kept so that a retried CREATE_SESSION gets the same answer
 * (RFC 8881 §18.36.4).
 *
 * @param sessionId the new session's id (16 bytes)
 * @param sequence the csa_sequence it answered
 * @param flags csr_flags
 * @param fore the granted fore channel
 * @param back the granted back channel
 */
record CreateSessionResult(byte[] sessionId, int sequence, int flags, ChannelAttrs fore, ChannelAttrs back) {}
