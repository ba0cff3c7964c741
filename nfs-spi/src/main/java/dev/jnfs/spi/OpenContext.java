package dev.jnfs.spi;

import java.util.Objects;

/**
 * One client's open of one file (an NFSv4 OPEN by one open-owner), as the backend sees it:
 * the access the open grants, the access it denies to other opens, who owns it, and an
 * object the backend may attach to it.
 *
 * <p>The server makes a context at OPEN and passes it to {@link NfsFileSystem#open}; the
 * backend may {@link #attach} an object there (a file channel, a lease, a session in a
 * remote store). The same context, and so the same attachment, comes back on every READ and
 * WRITE made with that open's stateid or a lock stateid derived from it (through {@link
 * Caller#open()}), and on {@link NfsFileSystem#close}. I/O made without an open (NFSv3,
 * NFSv4's special stateids) carries no context.
 *
 * <p>When the owner opens the file again with more access, or downgrades the open, the
 * server replaces the context with one of the new access and denial ({@link #withModes}),
 * carrying the attachment over, and tells the backend through {@link
 * NfsFileSystem#openChanged}. Access and denial are masks of {@link #READ} and {@link
 * #WRITE}. Share reservations are enforced by the server; the backend need not check them.
 *
 * <p>Thread-safe: access, denial and owner never change; the attachment is published
 * safely to every thread that later sees the context.
 */
public final class OpenContext {
  /** Read access, or the denial of read access to other opens. */
  public static final int READ = 1;
  /** Write access, or the denial of write access to other opens. */
  public static final int WRITE = 2;

  private final int access;
  private final int deny;
  private final Owner owner;
  private volatile Object attachment;

  /**
   * @param access a mask of {@link #READ} and {@link #WRITE}, not 0
   * @param deny a mask of {@link #READ} and {@link #WRITE}, 0 to deny nothing
   * @param owner the open-owner
   * @throws IllegalArgumentException if a mask is out of range
   */
  public OpenContext(int access, int deny, Owner owner) {
    if (access == 0 || (access & ~(READ | WRITE)) != 0 || (deny & ~(READ | WRITE)) != 0) {
      throw new IllegalArgumentException("bad open access=" + access + " deny=" + deny);
    }
    this.access = access;
    this.deny = deny;
    this.owner = Objects.requireNonNull(owner, "owner");
  }

  /** @return the access the open grants: a mask of {@link #READ} and {@link #WRITE} */
  public int access() {
    return access;
  }

  /** @return the access the open denies to other opens: a mask of {@link #READ} and {@link #WRITE} */
  public int deny() {
    return deny;
  }

  /** @return whether the open grants write access */
  public boolean writable() {
    return (access & WRITE) != 0;
  }

  /** @return the open-owner: the client and the client's name for the owner */
  public Owner owner() {
    return owner;
  }

  /** @return the object the backend attached, or null */
  public Object attachment() {
    return attachment;
  }

  /**
   * Attaches an object of the backend's to this open, replacing any earlier one. Meant for
   * {@link NfsFileSystem#open}; the object is the backend's to release in {@link
   * NfsFileSystem#close}.
   *
   * @param attachment the object, or null to detach
   */
  public void attach(Object attachment) {
    this.attachment = attachment;
  }

  /**
   * @param access the new access mask
   * @param deny the new denial mask
   * @return a context of the same owner with the given modes and this one's attachment
   * @throws IllegalArgumentException if a mask is out of range
   */
  public OpenContext withModes(int access, int deny) {
    OpenContext changed = new OpenContext(access, deny, owner);
    changed.attachment = attachment;
    return changed;
  }

  @Override
  public String toString() {
    return "OpenContext[access=" + access + ", deny=" + deny + ", " + owner + "]";
  }
}
