package dev.jnfs.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * The attributes of one object at one moment. Immutable. {@link #builder} makes one with
 * defaults for what a simple backend does not track.
 *
 * @param type the object's kind
 * @param mode the permission bits and set-id/sticky bits (low 12 bits, as in POSIX)
 * @param nlink the number of hard links
 * @param uid the owner's user id
 * @param gid the owner's group id
 * @param size the size in bytes (for a symlink: the target's length)
 * @param used the bytes of storage actually used (less than size for a sparse file)
 * @param rdev the device number for block and character devices, else {@link DeviceNumber#NONE}
 * @param fsid the file-system id; equal for all objects of one backend instance. Clients see
 *     it combined with the export's id, so 0 is a fine value for a backend with one file system
 * @param fileid a number unique among the backend's live objects, stable for the object's life
 * @param atime the last access time
 * @param mtime the last data modification time
 * @param ctime the last attribute or data change time
 * @param change a value that differs after every data or metadata change of the object
 *     (NFSv4 change attribute); backends without one may return ctime in nanoseconds
 */
public record FileAttributes(
    FileType type,
    int mode,
    int nlink,
    int uid,
    int gid,
    long size,
    long used,
    DeviceNumber rdev,
    long fsid,
    long fileid,
    Instant atime,
    Instant mtime,
    Instant ctime,
    long change) {

  /**
   * The time {@link Builder} gives objects whose times are not set: the moment this class was
   * loaded. It stays the same for the life of the process, so an unchanged object keeps an
   * unchanged change attribute and clients keep their caches.
   */
  public static final Instant DEFAULT_TIME = Instant.now();

  /**
   * Starts attributes of an object with the given kind and file id, and these defaults: mode
   * 0755 for a directory, 0777 for a symlink, 0644 for anything else; nlink 2 for a directory,
   * else 1; uid and gid 0; size 0; used equal to size; rdev {@link DeviceNumber#NONE}; fsid 0;
   * every time {@link #DEFAULT_TIME}; change derived from ctime (its nanoseconds since the
   * epoch).
   *
   * @param type the object's kind
   * @param fileid the object's file id (see {@link #fileid()})
   * @return a builder
   */
  public static Builder builder(FileType type, long fileid) {
    return new Builder(type, fileid);
  }

  /**
   * Makes {@link FileAttributes} with defaults for unset values (see {@link
   * FileAttributes#builder}). Not thread-safe; each {@link #build} makes a new value.
   */
  public static final class Builder {
    private final FileType type;
    private final long fileid;
    private int mode;
    private int nlink;
    private int uid;
    private int gid;
    private long size;
    private long used = -1;
    private DeviceNumber rdev = DeviceNumber.NONE;
    private long fsid;
    private Instant atime = DEFAULT_TIME;
    private Instant mtime = DEFAULT_TIME;
    private Instant ctime = DEFAULT_TIME;
    private Long change;

    private Builder(FileType type, long fileid) {
      this.type = Objects.requireNonNull(type, "type");
      this.fileid = fileid;
      this.mode = switch (type) {
        case DIRECTORY -> 0755;
        case SYMLINK -> 0777;
        default -> 0644;
      };
      this.nlink = type == FileType.DIRECTORY ? 2 : 1;
    }

    /**
     * @param mode the permission and set-id/sticky bits (low 12 bits)
     * @return this builder
     */
    public Builder mode(int mode) {
      this.mode = mode & 07777;
      return this;
    }

    /**
     * @param nlink the number of hard links
     * @return this builder
     */
    public Builder nlink(int nlink) {
      this.nlink = nlink;
      return this;
    }

    /**
     * @param uid the owner's user id
     * @param gid the owner's group id
     * @return this builder
     */
    public Builder owner(int uid, int gid) {
      this.uid = uid;
      this.gid = gid;
      return this;
    }

    /**
     * @param size the size in bytes (for a symlink, the target's length in UTF-8 bytes)
     * @return this builder
     */
    public Builder size(long size) {
      this.size = size;
      return this;
    }

    /**
     * @param used the bytes of storage used; defaults to the size
     * @return this builder
     */
    public Builder used(long used) {
      this.used = used;
      return this;
    }

    /**
     * @param rdev the device number of a block or character device
     * @return this builder
     */
    public Builder rdev(DeviceNumber rdev) {
      this.rdev = Objects.requireNonNull(rdev, "rdev");
      return this;
    }

    /**
     * @param fsid the file-system id (see {@link FileAttributes#fsid()})
     * @return this builder
     */
    public Builder fsid(long fsid) {
      this.fsid = fsid;
      return this;
    }

    /**
     * Sets atime, mtime and ctime to one instant.
     *
     * @param time the instant
     * @return this builder
     */
    public Builder times(Instant time) {
      return atime(time).mtime(time).ctime(time);
    }

    /**
     * @param atime the last access time
     * @return this builder
     */
    public Builder atime(Instant atime) {
      this.atime = Objects.requireNonNull(atime, "atime");
      return this;
    }

    /**
     * @param mtime the last data modification time
     * @return this builder
     */
    public Builder mtime(Instant mtime) {
      this.mtime = Objects.requireNonNull(mtime, "mtime");
      return this;
    }

    /**
     * @param ctime the last attribute or data change time
     * @return this builder
     */
    public Builder ctime(Instant ctime) {
      this.ctime = Objects.requireNonNull(ctime, "ctime");
      return this;
    }

    /**
     * @param change the change attribute; defaults to ctime's nanoseconds since the epoch
     * @return this builder
     */
    public Builder change(long change) {
      this.change = change;
      return this;
    }

    /** @return the attributes set so far, with defaults for the rest */
    public FileAttributes build() {
      long changeValue =
          change != null ? change : ctime.getEpochSecond() * 1_000_000_000L + ctime.getNano();
      return new FileAttributes(type, mode, nlink, uid, gid, size, used < 0 ? size : used, rdev,
          fsid, fileid, atime, mtime, ctime, changeValue);
    }
  }
}
