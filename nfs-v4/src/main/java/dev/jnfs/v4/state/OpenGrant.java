package dev.jnfs.v4.state;

import dev.jnfs.v4.Stateid;

/**
 * What OPEN granted.
 *
 * @param stateid the open stateid
 * @param confirmNeeded whether a 4.0 client must OPEN_CONFIRM it (OPEN4_RESULT_CONFIRM)
 */
record OpenGrant(Stateid stateid, boolean confirmNeeded) {}
