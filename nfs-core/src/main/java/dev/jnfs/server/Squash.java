package dev.jnfs.server;

/** Which callers an export maps to the anonymous identity (exports(5)). */
public enum Squash {
  /** Nobody is squashed ({@code no_root_squash}). */
  NONE,
  /** uid 0 and gid 0 become the anonymous ids ({@code root_squash}, the default). */
  ROOT,
  /** Every caller becomes the anonymous ids ({@code all_squash}). */
  ALL
}
