package dev.jnfs.v4.testing;

/** Sends COMPOUNDs to an NFSv4 server and decodes the replies. */
public interface Nfs4Client extends AutoCloseable {

  /**
   * @param compound the COMPOUND
   * @return the decoded reply
   */
  Reply call(Compound compound);

  /**
   * @param compound the COMPOUND
   * @return the encoded COMPOUND4res as received
   */
  byte[] callBytes(Compound compound);

  @Override
  default void close() {}
}
