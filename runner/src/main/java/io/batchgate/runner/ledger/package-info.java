@NullMarked
package io.batchgate.runner.ledger;

import org.jspecify.annotations.NullMarked;
