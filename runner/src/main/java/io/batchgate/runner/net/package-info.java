/**
 * Job nets at run time: a {@link io.batchgate.runner.net.NetRun} follows the members of one run of
 * a catalog net, and {@link io.batchgate.runner.net.NetRuns} moves it on when a member's run ends
 * (run events, and a periodic sweep for what a crashed replica left half done).
 */
@NullMarked
package io.batchgate.runner.net;

import org.jspecify.annotations.NullMarked;
