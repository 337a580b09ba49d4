@NullMarked
package io.batchgate.gateway.cancel;

import org.jspecify.annotations.NullMarked;
