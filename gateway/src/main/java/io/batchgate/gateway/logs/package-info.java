/** Serving runs' logs over HTTP: plain, tailed and followed. */
@NullMarked
package io.batchgate.gateway.logs;

import org.jspecify.annotations.NullMarked;
