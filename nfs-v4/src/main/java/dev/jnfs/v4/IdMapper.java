package dev.jnfs.v4;

/**
 * Translates between the numeric ids the backend stores and the {@code owner} and
 * {@code owner_group} strings of NFSv4 (RFC 7530 §5.9, {@code user@domain}). Thread-safe.
 * {@link #NUMERIC} is the default.
 */
public interface IdMapper {

  /**
   * @param uid a user id
   * @return the owner string for it
   */
  String ownerOf(int uid);

  /**
   * @param gid a group id
   * @return the owner_group string for it
   */
  String groupOf(int gid);

  /**
   * @param owner an owner string from a client
   * @return the user id
   * @throws Nfs4Exception BADOWNER when it names nobody this server knows
   */
  int uidOf(String owner) throws Nfs4Exception;

  /**
   * @param group an owner_group string from a client
   * @return the group id
   * @throws Nfs4Exception BADOWNER when it names no group this server knows
   */
  int gidOf(String group) throws Nfs4Exception;

  /**
   * Ids as decimal strings both ways, as Linux clients send and expect when id mapping is
   * off (the {@code nfs4_disable_idmapping} default for AUTH_SYS): {@code "1000"} is uid
   * 1000. A client's {@code "1000@any.domain"} is read the same way; any other name answers
   * BADOWNER (RFC 7530 §5.9).
   */
  /**
   * What the owner strings are made from now: while it returns the same object, {@link
   * #ownerOf} and {@link #groupOf} give the same strings for the same ids (so that strings
   * encoded before may be given again). The default, the mapper itself, suits a mapper whose
   * strings never change.
   *
   * @return an object compared with {@code equals}
   */
  default Object names() {
    return this;
  }

  IdMapper NUMERIC =
      new IdMapper() {
        @Override
        public String ownerOf(int uid) {
          return Integer.toUnsignedString(uid);
        }

        @Override
        public String groupOf(int gid) {
          return Integer.toUnsignedString(gid);
        }

        @Override
        public int uidOf(String owner) throws Nfs4Exception {
          return parse(owner);
        }

        @Override
        public int gidOf(String group) throws Nfs4Exception {
          return parse(group);
        }

        private int parse(String name) throws Nfs4Exception {
          int at = name.indexOf('@');
          String number = at < 0 ? name : name.substring(0, at);
          if (number.isEmpty() || number.length() > 10) {
            throw new Nfs4Exception(Nfs4Status.BADOWNER, "unknown owner '" + name + "'");
          }
          for (int i = 0; i < number.length(); i++) {
            char c = number.charAt(i);
            if (c < '0' || c > '9') {
              throw new Nfs4Exception(Nfs4Status.BADOWNER, "unknown owner '" + name + "'");
            }
          }
          long value = Long.parseLong(number);
          if (value > 0xFFFF_FFFFL) {
            throw new Nfs4Exception(Nfs4Status.BADOWNER, "owner out of range '" + name + "'");
          }
          return (int) value;
        }
      };
}
