/**
 * An application that embeds jnfs as a module: it requires the server and the in-memory
 * backend only; the NFSv3 and NFSv4 modules are found through the service they provide.
 */
module dev.jnfs.examples.modular {
  requires dev.jnfs.core;
  requires dev.jnfs.memory;
}
