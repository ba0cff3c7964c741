package dev.jnfs.examples;

import java.util.List;

/**
 * Ready-to-paste client commands that mount one export: over NFSv3 for Linux, macOS and
 * Windows, and over NFSv4.1 for Linux when the server offers NFSv4. The Linux NFSv3 command
 * locks through NLM when the portmapper is on port 111, and says {@code nolock} otherwise.
 *
 * @param host the server's address as clients reach it
 * @param nfsPort the NFS port
 * @param mountPort the MOUNT port (the NFS port when MOUNT has no port of its own)
 * @param portmapPort the standalone portmapper's port, or -1 when there is none
 * @param nfs4 whether the server offers NFSv4
 */
record MountCommands(String host, int nfsPort, int mountPort, int portmapPort, boolean nfs4) {
  private static final int WELL_KNOWN_PORTMAP = 111;

  /**
   * @param path the export path
   * @return one line per client system and version
   */
  List<String> forExport(String path) {
    String source = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + path;
    // the Linux client finds the lock manager (NLM) through the portmapper on port 111 only
    boolean locking = portmapPort == WELL_KNOWN_PORTMAP;
    String linux = "Linux:   sudo mount -t nfs -o vers=3,proto=tcp,port=" + nfsPort + ",mountport="
        + mountPort + ",mountproto=tcp" + (locking ? "" : ",nolock") + " " + source + " /mnt";
    if (!locking) {
      linux += "   (for NFSv3 locks, start with --portmap-port 111 and drop nolock)";
    }
    String mac = "macOS:   sudo mount -t nfs -o vers=3,tcp,port=" + nfsPort + ",mountport="
        + mountPort + ",resvport,nolocks " + source + " /private/nfs";
    String windows = "Windows: mount -o anon \\\\" + host + path.replace('/', '\\') + " Z:";
    if (portmapPort != WELL_KNOWN_PORTMAP) {
      windows += "   (Windows asks the portmapper on port 111: start with --portmap-port 111;"
          + " it also uses ports >= 1024, so add insecure to --options)";
    }
    if (!nfs4) {
      return List.of(linux, mac, windows);
    }
    String linux4 = "Linux, NFSv4.1: sudo mount -t nfs -o vers=4.1,proto=tcp,port=" + nfsPort + " "
        + source + " /mnt";
    return List.of(linux, linux4, mac, windows);
  }
}
