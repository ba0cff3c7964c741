package dev.jnfs.protocol;

import dev.jnfs.rpc.Credential;
import dev.jnfs.rpc.RpcCall;
import dev.jnfs.rpc.RpcConnection;
import dev.jnfs.rpc.RpcException;
import dev.jnfs.server.ClientRange;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.server.NfsServer;
import dev.jnfs.server.SecurityFlavor;
import dev.jnfs.server.Squash;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.spi.NfsStatus;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file system made available to clients under a path (e.g. {@code /shared}), with an
 * optional alias and the {@link ExportOptions} that say who may use it and how: one option
 * set per group of clients, the one that applies to a call picked by {@link
 * ExportOptions#select} (the most specific match, as exports(5) says). Its id, embedded in
 * every file handle, is derived from the path so handles survive restarts, and an export
 * removed and added again under the same path gets its handles back. The export of a
 * {@linkplain NfsFileSystem#isReadOnly() read-only backend} is read-only whatever its options
 * say: each of its {@link #optionSets()} carries {@code ro}, so every check of an {@code ro}
 * export also keeps modifying calls from such a backend. Immutable and thread-safe.
 */
public final class Export {
  private static final Logger log = LoggerFactory.getLogger(Export.class);
  private static final int PRIVILEGED_PORT_LIMIT = 1024;

  private final String path;
  private final String alias;
  private final NfsFileSystem fileSystem;
  private final List<ExportOptions> optionSets;
  private final boolean needsNameLookup;
  private final int id;

  /**
   * @param path the absolute export path, e.g. {@code /shared}
   * @param alias another path that names the same export, or null
   * @param fileSystem the backend
   * @param options the access rules for every client of its {@link ExportOptions#clients()};
   *     made {@code ro} when the backend is read-only
   */
  public Export(String path, String alias, NfsFileSystem fileSystem, ExportOptions options) {
    this(path, alias, fileSystem, List.of(Objects.requireNonNull(options, "options")));
  }

  /**
   * @param path the absolute export path, e.g. {@code /shared}
   * @param alias another path that names the same export, or null
   * @param fileSystem the backend
   * @param optionSets the access rules, one set per group of clients, in the order an exports
   *     line lists them ({@link ExportOptions#parseClients}); each made {@code ro} when the
   *     backend is read-only
   * @throws IllegalArgumentException if no option set is given
   */
  public Export(
      String path, String alias, NfsFileSystem fileSystem, List<ExportOptions> optionSets) {
    this.path = normalize(path);
    this.alias = alias == null ? null : normalize(alias);
    this.fileSystem = Objects.requireNonNull(fileSystem, "fileSystem");
    if (optionSets.isEmpty()) {
      throw new IllegalArgumentException("export " + path + " has no option set");
    }
    List<ExportOptions> sets = new ArrayList<>(optionSets.size());
    boolean lookups = false;
    for (ExportOptions o : optionSets) {
      sets.add(fileSystem.isReadOnly() && !o.readOnly() ? o.with("ro") : o);
      for (ClientRange range : o.clients()) {
        lookups |= range.needsNameLookup();
      }
    }
    this.optionSets = List.copyOf(sets);
    this.needsNameLookup = lookups;
    this.id = idOf(this.path);
  }

  /**
   * @param path the absolute export path
   * @param fileSystem the backend
   * @return an export with {@link ExportOptions#DEFAULT} and no alias
   */
  public static Export of(String path, NfsFileSystem fileSystem) {
    return new Export(path, null, fileSystem, ExportOptions.DEFAULT);
  }

  private static String normalize(String p) {
    if (!p.startsWith("/")) {
      throw new IllegalArgumentException("export path must be absolute: " + p);
    }
    String s = p.replaceAll("/+", "/");
    return s.length() > 1 && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  private static int idOf(String path) {
    CRC32 crc = new CRC32();
    crc.update(path.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return (int) crc.getValue();
  }

  /** @return the export path */
  public String path() {
    return path;
  }

  /** @return the alias, or null */
  public String alias() {
    return alias;
  }

  /** @return the backend */
  public NfsFileSystem fileSystem() {
    return fileSystem;
  }

  /** @return the access rules, one set per group of clients, in the order configured */
  public List<ExportOptions> optionSets() {
    return optionSets;
  }

  /**
   * The first option set, which is all an export built from one {@link ExportOptions} has.
   * Code that decides about a call must use {@link #optionsFor} instead: another set may apply
   * to the caller.
   *
   * @return the first of {@link #optionSets()}
   * @deprecated an export may have several option sets; use {@link #optionsFor} for a client
   *     and {@link #optionSets()} to list them all. Kept only until the standalone server's
   *     command line no longer calls it.
   */
  @Deprecated(forRemoval = true)
  public ExportOptions options() {
    return optionSets.get(0);
  }

  /**
   * @param remote a client's address
   * @return the option set that applies to it ({@link ExportOptions#select}), or empty when
   *     the export does not admit it
   */
  public Optional<ExportOptions> optionsFor(InetSocketAddress remote) {
    return ExportOptions.select(optionSets, remote.getAddress());
  }

  /**
   * @param remote a client's address
   * @return whether modifying calls from it answer ROFS: its option set is {@code ro}, or the
   *     export does not admit it at all
   */
  public boolean isReadOnlyFor(InetSocketAddress remote) {
    return optionsFor(remote).map(ExportOptions::readOnly).orElse(true);
  }

  /**
   * @return whether calls on this export may run on a network thread: its backend never
   *     blocks and no client range needs a name lookup ({@link ClientRange#needsNameLookup()})
   */
  public boolean isNonBlocking() {
    return fileSystem.isNonBlocking() && !needsNameLookup;
  }

  /**
   * @param handle a backend handle of this export
   * @return whether a call reading the object's attributes may run on a network thread now:
   *     its backend says the read would not block ({@link
   *     NfsFileSystem#readsAttributesWithoutBlocking}) and no client range needs a name lookup
   */
  public boolean readsAttributesWithoutBlocking(FileHandle handle) {
    return !needsNameLookup && fileSystem.readsAttributesWithoutBlocking(handle);
  }

  /**
   * @param handle a backend handle of this export
   * @param offset where the READ begins
   * @param count how many bytes it asks for, cut to the server's maximum
   * @return whether a READ of the range may run on a network thread now: its backend says the
   *     read would not block ({@link NfsFileSystem#readsDataWithoutBlocking}) and no client
   *     range needs a name lookup
   */
  public boolean readsDataWithoutBlocking(FileHandle handle, long offset, int count) {
    return !needsNameLookup && fileSystem.readsDataWithoutBlocking(handle, offset, count);
  }

  /** @return the id embedded in this export's file handles */
  public int id() {
    return id;
  }

  /**
   * @param name a path a client asked for
   * @return whether it names this export (path or alias)
   */
  public boolean answersTo(String name) {
    String n;
    try {
      n = normalize(name);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return n.equals(path) || n.equals(alias);
  }

  /**
   * Checks a call against this export's rules and maps its credential to the caller the
   * backend sees. Called for MNT and for every NFS call whose handle names this export.
   *
   * @param call the call
   * @return the caller after squashing, with the client's address and connection
   * @throws NfsException ACCES when the client's address is not admitted
   * @throws RpcException AUTH_TOOWEAK when the export needs a privileged source port, or, for
   *     any program but MOUNT, when the call's security flavor is not in the export's {@code
   *     sec=} list or its connection lacks the TLS (or client certificate) of {@code xprtsec=}
   */
  public Caller authorize(RpcCall call) throws NfsException {
    InetSocketAddress remote = call.remoteAddress();
    ExportOptions options = optionsFor(remote).orElse(null);
    if (options == null) {
      log.debug("{} refused for {}: address not admitted", path, remote);
      throw new NfsException(NfsStatus.ACCES, "client " + remote + " not admitted to " + path);
    }
    if (options.secure() && remote.getPort() >= PRIVILEGED_PORT_LIMIT) {
      log.debug("{} refused for {}: source port not privileged (export is secure)", path, remote);
      throw RpcException.authError(RpcException.AUTH_TOOWEAK, "insecure source port " + remote);
    }
    // MOUNT is exempt from xprtsec: Linux clients talk to MOUNT in plain text even for an
    // xprtsec=tls mount, and the handle MNT returns is of no use without TLS, as every NFS
    // call is checked
    if (call.program() != NfsProtocol.MOUNT_PROGRAM && !options.allows(call.transportSecurity())) {
      log.debug(
          "{} refused for {}: transport {} not allowed by xprtsec",
          path, remote, call.transportSecurity().level());
      throw RpcException.authError(
          RpcException.AUTH_TOOWEAK,
          "transport security " + call.transportSecurity().level() + " too weak for " + path);
    }
    // MOUNT is exempt from sec= as well: Linux's mount.nfs asks MOUNT with AUTH_SYS for a
    // sec=krb5 mount too, and MNT's reply is where it learns the flavors; the handle is of no
    // use without one of them, as every NFS call is checked
    SecurityFlavor flavor = SecurityFlavor.of(call.credential());
    if (call.program() != NfsProtocol.MOUNT_PROGRAM && !options.allows(flavor)) {
      log.debug(
          "{} refused for {}: flavor {} not in sec={}",
          path, remote, flavor.optionName(), flavorList(options));
      throw RpcException.authError(
          RpcException.AUTH_TOOWEAK,
          "security flavor " + flavor.optionName() + " not allowed by " + path);
    }
    Caller caller = callerOf(options, call.credential()).withRemoteAddress(remote);
    RpcConnection connection = call.connection();
    return connection == null ? caller : caller.withConnectionId(connection.id());
  }

  private static String flavorList(ExportOptions options) {
    StringBuilder b = new StringBuilder();
    for (SecurityFlavor f : options.sec()) {
      b.append(b.isEmpty() ? "" : ":").append(f.optionName());
    }
    return b.toString();
  }

  /**
   * @param remote a client's address
   * @return whether a client range of any option set matches it
   */
  public boolean admits(InetSocketAddress remote) {
    return optionsFor(remote).isPresent();
  }

  /**
   * Maps a credential to the caller the backend sees (exports(5) squashing): AUTH_NONE and
   * every caller under {@code all_squash} become the anonymous identity; under {@code
   * root_squash} uid and gids 0 become the anonymous ids. A Kerberos caller is squashed by the
   * ids its principal was mapped to, like an AUTH_SYS caller, and keeps its principal unless
   * its user id was squashed.
   */
  private static Caller callerOf(ExportOptions options, Credential credential) {
    int anonUid = options.anonUid();
    int anonGid = options.anonGid();
    String principal;
    int uid;
    int gid;
    int[] gids;
    switch (credential) {
      case Credential.Sys sys -> {
        principal = null;
        uid = sys.uid();
        gid = sys.gid();
        gids = sys.gids();
      }
      case Credential.Gss gss -> {
        principal = gss.principal();
        uid = gss.uid();
        gid = gss.gid();
        gids = gss.gids();
      }
      case Credential.None none -> {
        return Caller.of(anonUid, anonGid);
      }
    }
    if (options.squash() == Squash.ALL) {
      return Caller.of(anonUid, anonGid);
    }
    if (options.squash() == Squash.ROOT) {
      int[] squashed = gids.clone();
      for (int i = 0; i < squashed.length; i++) {
        if (squashed[i] == 0) {
          squashed[i] = anonGid;
        }
      }
      return new Caller(
          uid == 0 ? anonUid : uid,
          gid == 0 ? anonGid : gid,
          squashed,
          uid == 0 ? null : principal);
    }
    return new Caller(uid, gid, gids, principal);
  }

  @Override
  public String toString() {
    return "Export[" + path + (alias == null ? "" : " alias " + alias) + "]";
  }
}
