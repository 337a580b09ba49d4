/** The KMS adapter of the secrets seal: data keys by envelope encryption (AWS SDK types stay here). */
@NullMarked
package io.batchgate.runner.secrets.kms;

import org.jspecify.annotations.NullMarked;
