package dev.jnfs.spi;

/**
 * A device's major and minor numbers (NFSv3 specdata3, NFSv4 specdata4).
 *
 * @param major the major number
 * @param minor the minor number
 */
public record DeviceNumber(int major, int minor) {
  /** The device number of objects that are not devices. */
  public static final DeviceNumber NONE = new DeviceNumber(0, 0);
}
